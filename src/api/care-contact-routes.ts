/** Fixed contacts and treating roles: appoint, change, end. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../domain/errors.ts';
import type { CareContactStore } from '../store/care-contact-store.ts';
import type { AccessService } from '../services/access-service.ts';
import type { ChangeFeed } from '../services/change-feed.ts';
import { contextOf, etagOf, requireIfMatch, requireStaff } from './http.ts';
import { limitParam, pageSize } from './paging.ts';
import { CareContactPatchSchema, NewCareContactSchema, Obj, PatientParams } from './schemas.ts';
import { swedishToday } from '../domain/swedish-time.ts';

const CONTACT_PAGE = { fallback: 100, max: 100 };
const HISTORY_PAGE = { fallback: 50, max: 100 };

export interface CareContactRouteDeps {
  careContacts: CareContactStore;
  access: AccessService;
  feed: ChangeFeed;
  clock: () => Date;
}

const ContactParams = Obj({
  patientId: Type.String({ maxLength: 64 }),
  contactId: Type.String({ maxLength: 64 }),
});

export function careContactRoutes(deps: CareContactRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/patients/:patientId/care-contacts',
      {
        schema: {
          tags: ['care-contacts'],
          summary: 'Fixed contacts and treating roles of the patient',
          params: PatientParams,
          querystring: Obj({
            includeEnded: Type.Optional(Type.Enum(['true', 'false'])),
            limit: limitParam(CONTACT_PAGE),
          }),
        },
      },
      async (request) => {
        const limit = pageSize(request.query.limit, CONTACT_PAGE);
        const grant = await deps.access.require(contextOf(request), request.params.patientId, 'read');
        const all = await deps.careContacts.listForPatient(request.params.patientId, {
          includeEnded: request.query.includeEnded === 'true',
          limit,
        });
        const careContacts = all.filter((c) => !grant.isHidden(c.unitId));
        return { careContacts, hasBlockedInformation: careContacts.length !== all.length };
      },
    );

    app.get(
      '/api/patients/:patientId/care-contacts/history',
      {
        schema: {
          tags: ['care-contacts'],
          summary:
            "The changes to the patient's fixed contacts and treating roles, newest first, a page at a time (before: older than that entry's seq): who, when, the contact before and after. `next` is the next page, null after the first change.",
          params: PatientParams,
          querystring: Obj({
            limit: limitParam(HISTORY_PAGE),
            before: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
          }),
        },
      },
      async (request) => {
        const limit = pageSize(request.query.limit, HISTORY_PAGE);
        const grant = await deps.access.require(contextOf(request), request.params.patientId, 'read');
        // One more than the page: it tells whether there is a next page.
        const found = await deps.careContacts.listHistory(request.params.patientId, {
          limit: limit + 1,
          before: request.query.before === undefined ? undefined : Number(request.query.before),
        });
        const page = found.slice(0, limit);
        // A contact at a unit under spärr is left out with its whole history, as in the list.
        const entries = page.filter((e) => !grant.isHidden(e.after.unitId));
        const oldest = page[page.length - 1];
        return {
          entries,
          hasBlockedInformation: entries.length !== page.length,
          next:
            found.length > limit && oldest
              ? `/api/patients/${request.params.patientId}/care-contacts/history?limit=${limit}&before=${oldest.seq}`
              : null,
        };
      },
    );

    app.post(
      '/api/patients/:patientId/care-contacts',
      {
        schema: {
          tags: ['care-contacts'],
          summary: 'Appoint a fixed contact or treating role (or record a declined offer)',
          params: PatientParams,
          body: NewCareContactSchema,
        },
      },
      async (request, reply) => {
        const actor = requireStaff(request);
        await deps.access.require(contextOf(request), request.params.patientId, 'write');
        const today = swedishToday(deps.clock());
        const { contact, event } = await deps.careContacts.assign(
          request.params.patientId,
          request.body,
          actor,
          today,
        );
        deps.feed.publish(event);
        return reply.status(201).header('etag', etagOf(contact.version)).send(contact);
      },
    );

    app.patch(
      '/api/patients/:patientId/care-contacts/:contactId',
      {
        schema: {
          tags: ['care-contacts'],
          summary: 'Change or end a fixed contact. Requires If-Match.',
          params: ContactParams,
          body: CareContactPatchSchema,
        },
      },
      async (request, reply) => {
        const actor = requireStaff(request);
        await deps.access.require(contextOf(request), request.params.patientId, 'write');
        const expected = requireIfMatch(request);
        if (!(await deps.careContacts.find(request.params.patientId, request.params.contactId))) {
          throw new DomainError('not_found', 'Kontakten finns inte.');
        }
        const { contact, event } = await deps.careContacts.update(
          request.params.patientId,
          request.params.contactId,
          expected,
          request.body,
          actor,
        );
        if (event) deps.feed.publish(event);
        return reply.header('etag', etagOf(contact.version)).send(contact);
      },
    );
  };
}
