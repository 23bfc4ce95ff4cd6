/** Fixed contacts and treating roles: appoint, change, end. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { CareContactService } from '../services/care-contact-service.ts';
import { contextOf, etagOf, requireIfMatch, requireStaff } from './http.ts';
import { limitParam, pageSize } from './paging.ts';
import { CareContactPatchSchema, NewCareContactSchema, Obj, PatientParams } from './schemas.ts';

const CONTACT_PAGE = { fallback: 100, max: 100 };
const HISTORY_PAGE = { fallback: 50, max: 100 };

export interface CareContactRouteDeps {
  careContacts: CareContactService;
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
        return deps.careContacts.list(contextOf(request), request.params.patientId, {
          includeEnded: request.query.includeEnded === 'true',
          limit,
        });
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
        const { entries, hasBlockedInformation, nextBefore } = await deps.careContacts.listHistory(
          contextOf(request),
          request.params.patientId,
          { limit, before: request.query.before === undefined ? undefined : Number(request.query.before) },
        );
        return {
          entries,
          hasBlockedInformation,
          next:
            nextBefore === null
              ? null
              : `/api/patients/${request.params.patientId}/care-contacts/history?limit=${limit}&before=${nextBefore}`,
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
        requireStaff(request);
        const contact = await deps.careContacts.assign(
          contextOf(request),
          request.params.patientId,
          request.body,
        );
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
        requireStaff(request);
        const contact = await deps.careContacts.update(
          contextOf(request),
          request.params.patientId,
          request.params.contactId,
          () => requireIfMatch(request),
          request.body,
        );
        return reply.header('etag', etagOf(contact.version)).send(contact);
      },
    );
  };
}
