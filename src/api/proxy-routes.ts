/** Närstående and ombud: the routes of services/proxy-service.ts. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../domain/errors.ts';
import type { ProxyService } from '../services/proxy-service.ts';
import { contextOf, requireActor } from './http.ts';
import { limitParam, pageSize } from './paging.ts';
import { Obj, PatientParams } from './schemas.ts';

export interface ProxyRouteDeps {
  proxies: ProxyService;
}

const Name = Type.String({ minLength: 1, maxLength: 100 });
const PAGE = { fallback: 100, max: 100 };

export function proxyRoutes(deps: ProxyRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/patients/:patientId/proxies',
      {
        schema: {
          tags: ['access'],
          summary:
            'The people the patient lets read their plan (närstående, ombud), current first, then past',
          params: PatientParams,
          querystring: Obj({ limit: limitParam(PAGE) }),
        },
      },
      async (request) => {
        const limit = pageSize(request.query.limit, PAGE);
        return {
          proxies: await deps.proxies.listForPatient(contextOf(request), request.params.patientId, limit),
        };
      },
    );

    app.post(
      '/api/patients/:patientId/proxies',
      {
        schema: {
          tags: ['access'],
          summary:
            'Let a named person (by personnummer) read the plan until an end date; replaces their earlier grant',
          params: PatientParams,
          body: Obj({
            personnummer: Type.String({ minLength: 1, maxLength: 20 }),
            givenName: Name,
            familyName: Name,
            validTo: Type.String({
              format: 'date',
              description: 'The last day the access holds (Swedish time)',
            }),
            confirmProtectedIdentity: Type.Optional(
              Type.Boolean({
                description:
                  'The second confirmation a grant for a patient with protected identity needs (else 409 proxy_confirmation_required)',
              }),
            ),
          }),
        },
      },
      async (request, reply) => {
        const id = await deps.proxies.grant(contextOf(request), request.params.patientId, request.body);
        return reply.status(201).send({ id });
      },
    );

    app.post(
      '/api/patients/:patientId/proxies/:id/revoke',
      {
        schema: {
          tags: ['access'],
          summary: "Revoke a närstående's or ombud's access (takes effect on their next request)",
          params: Obj({ patientId: Type.String({ maxLength: 64 }), id: Type.String({ maxLength: 64 }) }),
        },
      },
      async (request, reply) => {
        await deps.proxies.revoke(contextOf(request), request.params.patientId, request.params.id);
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/me/represented',
      {
        schema: {
          tags: ['access'],
          summary: 'For a patient: whose plans I may read as närstående or ombud',
          querystring: Obj({ limit: limitParam(PAGE) }),
        },
      },
      async (request) => {
        const actor = requireActor(request);
        if (actor.kind !== 'patient') throw new DomainError('forbidden');
        const limit = pageSize(request.query.limit, PAGE);
        return { represented: await deps.proxies.listRepresented(contextOf(request), actor, limit) };
      },
    );
  };
}
