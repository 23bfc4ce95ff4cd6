/**
 * Consent across care providers (services/consent-service.ts): the patient's consents, recorded
 * by the patient or by staff at a unit with a care relationship, and revoked (security.md 4).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ConsentService } from '../services/consent-service.ts';
import { contextOf, staffContextOf } from './http.ts';
import { limitParam, pageSize } from './paging.ts';
import { ConsentMethod, DateTime, HsaId, ItemParams, Obj, OneOf, PatientParams } from './schemas.ts';

export interface ConsentRouteDeps {
  consents: ConsentService;
}

const CONSENT_PAGE = { fallback: 100, max: 100 };
const ConsentBody = Obj({
  scope: OneOf(['unit', 'staff'] as const),
  unitId: Type.Optional(HsaId),
  staffId: Type.Optional(HsaId),
  validFrom: Type.Optional(DateTime),
  validTo: Type.Optional(DateTime),
  method: ConsentMethod,
});

export function consentRoutes(deps: ConsentRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/patients/:patientId/consents',
      {
        schema: {
          tags: ['access'],
          summary: "The patient's consents, newest first",
          params: PatientParams,
          querystring: Obj({ limit: limitParam(CONSENT_PAGE) }),
        },
      },
      async (request) => {
        const limit = pageSize(request.query.limit, CONSENT_PAGE);
        return deps.consents.list(contextOf(request), request.params.patientId, limit);
      },
    );

    app.post(
      '/api/patients/:patientId/consents',
      {
        schema: {
          tags: ['access'],
          summary: "Record the patient's consent for a unit or a person to read the plan",
          params: PatientParams,
          body: ConsentBody,
        },
      },
      async (request, reply) => {
        const id = await deps.consents.record(contextOf(request), request.params.patientId, request.body);
        return reply.status(201).send({ id });
      },
    );

    // By personnummer: how staff without access yet (the search showed nothing) record the
    // consent that gives it; whether the person is registered shows only through this logged act.
    app.post(
      '/api/access/consent',
      {
        schema: {
          tags: ['access'],
          summary:
            'Record the consent of the patient with this personnummer (staff at a unit with a care relationship)',
          body: Obj({ identifier: Type.String({ minLength: 1, maxLength: 20 }), consent: ConsentBody }),
        },
      },
      async (request, reply) => {
        const recorded = await deps.consents.recordFor(
          staffContextOf(request),
          request.body.identifier,
          request.body.consent,
        );
        return reply.status(201).send(recorded);
      },
    );

    app.post(
      '/api/patients/:patientId/consents/:id/revoke',
      {
        schema: {
          tags: ['access'],
          summary: 'Revoke a consent (takes effect on the next request)',
          params: ItemParams,
        },
      },
      async (request, reply) => {
        await deps.consents.revoke(contextOf(request), request.params.patientId, request.params.id);
        return reply.status(204).send();
      },
    );
  };
}
