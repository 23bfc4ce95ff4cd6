/**
 * Administration (the systemförvaltare's page, web/src/features/admin): the region's registries
 * kept without shell access, through the same services as `npm run ehr-system` and
 * `npm run smart-client`. Only the role systemförvaltare at the unit the user acts from (403
 * otherwise); every write needs the session's CSRF token like any other, is written to the access
 * log before it is made and to `admin_change` with the change (services/admin-service.ts).
 *
 * - `GET /api/admin/ehr-systems`, `PUT /api/admin/ehr-systems/{id}` (201 new, 200 changed; one
 *   switched off stays off), `POST …/{id}/disable`, `POST …/{id}/enable`
 * - `GET /api/admin/smart-clients`, `PUT /api/admin/smart-clients/{clientId}` (registered or
 *   replaced, active), `POST …/{clientId}/deactivate`
 * - `GET /api/admin/product-roles`, `POST /api/admin/product-roles` (give),
 *   `POST /api/admin/product-roles/remove` (take away; never the region's last systemförvaltare)
 * - `GET /api/admin/changes`: the latest changes, from the page and the CLIs
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { productRoles } from '../domain/access.ts';
import type { AdminService } from '../services/admin-service.ts';
import { requireSystemAdmin } from '../services/system-admin.ts';
import { contextOf, requireActor } from './http.ts';
import { limitParam, pageSize } from './paging.ts';
import { HsaId, Obj, OneOf } from './schemas.ts';

const TAGS = ['admin'];
const HOLDERS_PAGE = { fallback: 200, max: 1000 };
const CHANGES_PAGE = { fallback: 20, max: 200 };

const Text = (maxLength: number, description?: string) =>
  Type.String({ maxLength, ...(description ? { description } : {}) });

const EhrSystemBody = Obj({
  name: Text(200, 'The name staff read'),
  iss: Text(2000, "The journal system's FHIR base URL (https; http only on a loopback address)"),
  clientId: Text(400, "Patientkontrakt's client id at the journal system's authorization server"),
  clientAuth: OneOf(['none', 'client_secret_basic', 'private_key_jwt'] as const),
  secretRef: Type.Optional(Text(64, 'X of the server environment variable SMART_SECRET_X')),
  keyId: Type.Optional(Text(200, 'The key id (kid) of private_key_jwt')),
});

const List = (description: string) => Type.Array(Text(400), { maxItems: 50, description });
const SmartClientBody = Obj({
  name: Text(200),
  providerId: HsaId,
  scopes: List('The most its tokens are honoured for (SMART resource scopes)'),
  corsOrigins: List('Exact https origins of browser apps that may call /fhir'),
  subscriptionEndpoints: List('https endpoints a Subscription may deliver to'),
});

const RoleBody = Obj({
  staffId: HsaId,
  unitId: HsaId,
  role: OneOf(productRoles, 'A product role'),
});

const EhrId = Obj({ id: Type.String({ minLength: 1, maxLength: 63 }) });
const ClientId = Obj({ clientId: Type.String({ minLength: 1, maxLength: 200 }) });

export function adminRoutes(deps: { admin: AdminService }): FastifyPluginAsyncTypebox {
  const { admin } = deps;
  return async (app) => {
    // The role first, before a body is read or validated: to anyone else every route answers 403
    // (401 without a session) and tells nothing about its input.
    app.addHook('preValidation', async (request) => {
      requireSystemAdmin(requireActor(request));
    });

    app.get(
      '/api/admin/ehr-systems',
      { schema: { tags: TAGS, summary: 'The registered journal systems (systemförvaltare)' } },
      async (request) => ({ systems: await admin.listEhrSystems(requireActor(request)) }),
    );

    app.put(
      '/api/admin/ehr-systems/:id',
      {
        schema: {
          tags: TAGS,
          summary: 'Register or change a journal system (systemförvaltare)',
          params: EhrId,
          body: EhrSystemBody,
        },
      },
      async (request, reply) => {
        const { isNew, ...system } = await admin.saveEhrSystem(contextOf(request), {
          id: request.params.id,
          ...request.body,
        });
        return reply.status(isNew ? 201 : 200).send({ system });
      },
    );

    for (const [verb, active] of [
      ['disable', false],
      ['enable', true],
    ] as const) {
      app.post(
        `/api/admin/ehr-systems/:id/${verb}`,
        {
          schema: {
            tags: TAGS,
            summary: `${active ? 'Switch on' : 'Switch off'} a journal system's launches (systemförvaltare)`,
            params: EhrId,
          },
        },
        async (request, reply) => {
          await admin.setEhrSystemActive(contextOf(request), request.params.id, active);
          return reply.status(204).send();
        },
      );
    }

    app.get(
      '/api/admin/smart-clients',
      { schema: { tags: TAGS, summary: 'The registered SMART clients (systemförvaltare)' } },
      async (request) => ({ clients: await admin.listSmartClients(requireActor(request)) }),
    );

    app.put(
      '/api/admin/smart-clients/:clientId',
      {
        schema: {
          tags: TAGS,
          summary: 'Register a SMART client, or replace its registration (systemförvaltare)',
          params: ClientId,
          body: SmartClientBody,
        },
      },
      async (request, reply) => {
        const { isNew, ...client } = await admin.registerSmartClient(contextOf(request), {
          clientId: request.params.clientId,
          ...request.body,
        });
        return reply.status(isNew ? 201 : 200).send({ client });
      },
    );

    app.post(
      '/api/admin/smart-clients/:clientId/deactivate',
      {
        schema: {
          tags: TAGS,
          summary: "End a SMART client's access: its tokens are refused from the next request",
          params: ClientId,
        },
      },
      async (request, reply) => {
        await admin.deactivateSmartClient(contextOf(request), request.params.clientId);
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/admin/product-roles',
      {
        schema: {
          tags: TAGS,
          summary: 'Who holds a product role where (systemförvaltare)',
          querystring: Obj({ limit: limitParam(HOLDERS_PAGE) }),
        },
      },
      async (request) => ({
        holders: await admin.listRoleHolders(
          requireActor(request),
          pageSize(request.query.limit, HOLDERS_PAGE),
        ),
      }),
    );

    app.post(
      '/api/admin/product-roles',
      {
        schema: {
          tags: TAGS,
          summary: 'Give a product role at a unit (systemförvaltare)',
          body: RoleBody,
        },
      },
      async (request, reply) =>
        reply.status(201).send(await admin.giveRole(contextOf(request), request.body)),
    );

    app.post(
      '/api/admin/product-roles/remove',
      {
        schema: {
          tags: TAGS,
          summary:
            "Take a product role away at a unit, from the holder's next request (never the region's last systemförvaltare)",
          body: RoleBody,
        },
      },
      async (request) => admin.takeRole(contextOf(request), request.body),
    );

    app.get(
      '/api/admin/changes',
      {
        schema: {
          tags: TAGS,
          summary: 'The latest changes to the registries, from the page and the CLIs (systemförvaltare)',
          querystring: Obj({ limit: limitParam(CHANGES_PAGE) }),
        },
      },
      async (request) => ({
        changes: await admin.latestChanges(
          requireActor(request),
          pageSize(request.query.limit, CHANGES_PAGE),
        ),
      }),
    );
  };
}
