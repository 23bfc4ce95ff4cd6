/**
 * FHIR CarePlan = the Patientkontrakt: read, read a version, search, create, update with
 * If-Match. Items held by a unit under spärr are left out of what is read, and kept as they are
 * by a write (src/domain/redaction.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { contextOf, requireActor, requireIfMatch } from '../api/http.ts';
import type { Contract } from '../domain/contract.ts';
import { DomainError } from '../domain/errors.ts';
import { redactContent } from '../domain/redaction.ts';
import type { Granted } from '../services/access-service.ts';
import { searchset } from './bundle.ts';
import {
  carePlanToContent,
  contractToCarePlan,
  FhirCarePlanSchema,
  type FhirCarePlan,
} from './careplan-mapper.ts';
import { invalid } from './datatypes.ts';
import type { FhirDeps } from './fhir-routes.ts';
import { assertSameId, sendResource } from './http.ts';
import {
  FormatParam,
  IdParams,
  listParam,
  Param,
  patientsOfSearch,
  ReadQuery,
  resolvePatientReference,
} from './search.ts';

const CarePlanQuery = Type.Object(
  {
    patient: Param,
    'patient.identifier': Param,
    status: Param,
    _id: Param,
    _count: Param,
    _cursor: Param,
    ...FormatParam,
  },
  { additionalProperties: false },
);

/** v3 ObservationValue REDACTED: something was left out because of a spärr. */
export const REDACTED = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'REDACTED',
  display: 'redacted',
};

/** The contract as the reader may see it. */
export function carePlanFor(contract: Contract, grant: Granted): FhirCarePlan {
  const { content, hasBlockedInformation } = redactContent(contract.content, grant.isHidden);
  const carePlan = contractToCarePlan({ ...contract, content });
  return hasBlockedInformation ? { ...carePlan, meta: { ...carePlan.meta, security: [REDACTED] } } : carePlan;
}

export function carePlanFhirRoutes(deps: FhirDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/CarePlan/:id',
      { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
      async (request, reply) => {
        const { contract, grant } = await deps.contractService.readById(
          contextOf(request),
          request.params.id,
        );
        return sendResource(request, reply, carePlanFor(contract, grant), contract.version);
      },
    );

    app.get(
      '/CarePlan/:id/_history/:vid',
      {
        schema: {
          hide: true,
          params: Type.Object({
            id: Type.String({ maxLength: 128 }),
            vid: Type.String({ pattern: '^\\d{1,9}$' }),
          }),
          querystring: ReadQuery,
        },
      },
      async (request, reply) => {
        // The one version asked for, not the whole history (a contract may have thousands).
        const vid = Number(request.params.vid);
        const { contract, grant, versions } = await deps.contractService.readById(
          contextOf(request),
          request.params.id,
          () => (Number.isSafeInteger(vid) ? { limit: 1, before: vid + 1 } : null),
        );
        const version = versions?.find((v) => v.version === vid);
        if (!version) throw new DomainError('not_found');
        const then: Contract = {
          ...contract,
          status: version.status,
          version: version.version,
          content: version.content,
          updatedAt: version.changedAt,
        };
        return sendResource(request, reply, carePlanFor(then, grant), version.version);
      },
    );

    app.get('/CarePlan', { schema: { hide: true, querystring: CarePlanQuery } }, async (request) => {
      const q = request.query;
      const contractIds = q._id === undefined ? undefined : listParam(q._id);
      // Contracts named by id alone are searched among their patients'.
      const byIdOnly =
        contractIds !== undefined && q.patient === undefined && q['patient.identifier'] === undefined;
      const patientIds = byIdOnly ? undefined : await patientsOfSearch(q, deps.lookup, deps.clock());
      const statuses = q.status === undefined ? null : new Set(listParam(q.status));
      const found = (
        await deps.contractService.search(contextOf(request), {
          ...(patientIds === undefined ? {} : { patientIds }),
          ...(contractIds === undefined ? {} : { contractIds }),
        })
      )
        .map(({ contract, grant }) => carePlanFor(contract, grant))
        .filter((carePlan) => !statuses || statuses.has(carePlan.status));
      return searchset(request, found);
    });

    app.post(
      '/CarePlan',
      { schema: { hide: true, body: FhirCarePlanSchema, querystring: ReadQuery } },
      async (request, reply) => {
        requireActor(request);
        const patientId = await resolvePatientReference(
          request.body.subject,
          deps.lookup,
          deps.clock(),
          'CarePlan.subject',
        );
        const { contract, grant } = await deps.contractService.create(contextOf(request), patientId, () => {
          const { status, content } = carePlanToContent(request.body, {
            patientId,
            contractId: null,
            current: null,
          });
          if (status === 'ended')
            throw invalid('Ett nytt patientkontrakt är draft eller active.', 'CarePlan.status');
          return { status, content };
        });
        return sendResource(request, reply, carePlanFor(contract, grant), contract.version, {
          created: true,
        });
      },
    );

    app.put(
      '/CarePlan/:id',
      { schema: { hide: true, params: IdParams, body: FhirCarePlanSchema, querystring: ReadQuery } },
      async (request, reply) => {
        requireActor(request);
        const { contract: saved, grant } = await deps.contractService.updateById(
          contextOf(request),
          request.params.id,
          (contract) => ({
            expectedVersion: () => requireIfMatch(request),
            check: async () => {
              assertSameId(request.body.id, contract.id, 'CarePlan');
              const subject = await resolvePatientReference(
                request.body.subject,
                deps.lookup,
                deps.clock(),
                'CarePlan.subject',
              );
              if (subject !== contract.patientId)
                throw invalid('Kontraktets patient kan inte bytas.', 'CarePlan.subject');
            },
            input: (current) =>
              carePlanToContent(request.body, {
                patientId: contract.patientId,
                contractId: contract.id,
                current: current.content,
              }),
            isAsSeen: true,
          }),
        );
        return sendResource(request, reply, carePlanFor(saved, grant), saved.version);
      },
    );
  };
}
