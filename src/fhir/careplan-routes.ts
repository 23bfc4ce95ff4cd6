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
  grantsForSearch,
  IdParams,
  listParam,
  patientsOfSearch,
  ReadQuery,
  resolvePatientReference,
} from './search.ts';

const Param = Type.Optional(Type.String({ minLength: 1, maxLength: 200 }));
const CarePlanQuery = Type.Object(
  { patient: Param, 'patient.identifier': Param, status: Param, _id: Param, ...FormatParam },
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
        const contract = await deps.contracts.findById(request.params.id);
        if (!contract) throw new DomainError('not_found');
        const grant = await deps.access.require(contextOf(request), contract.patientId, 'read');
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
        const contract = await deps.contracts.findById(request.params.id);
        if (!contract) throw new DomainError('not_found');
        const grant = await deps.access.require(contextOf(request), contract.patientId, 'read');
        // The one version asked for, not the whole history (a contract may have thousands).
        const vid = Number(request.params.vid);
        const [version] = Number.isSafeInteger(vid)
          ? (await deps.contracts.listVersions(contract.id, { limit: 1, before: vid + 1 })).filter(
              (v) => v.version === vid,
            )
          : [];
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
      const byId =
        q._id === undefined
          ? null
          : await Promise.all(listParam(q._id).map((id) => deps.contracts.findById(id)));
      const patientIds =
        byId !== null && q.patient === undefined && q['patient.identifier'] === undefined
          ? byId.flatMap((c) => (c ? [c.patientId] : []))
          : await patientsOfSearch(q, deps.patients, deps.clock());
      const statuses = q.status === undefined ? null : new Set(listParam(q.status));
      const grants = await grantsForSearch(deps.access, contextOf(request), patientIds);
      const found: FhirCarePlan[] = [];
      for (const [patientId, grant] of grants) {
        for (const contract of await deps.contracts.listForPatient(patientId)) {
          const carePlan = carePlanFor(contract, grant);
          if (statuses && !statuses.has(carePlan.status)) continue;
          if (byId && !byId.some((c) => c?.id === contract.id)) continue;
          found.push(carePlan);
        }
      }
      return searchset(request, found);
    });

    app.post(
      '/CarePlan',
      { schema: { hide: true, body: FhirCarePlanSchema, querystring: ReadQuery } },
      async (request, reply) => {
        requireActor(request);
        const patientId = await resolvePatientReference(
          request.body.subject,
          deps.patients,
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
        const contract = await deps.contracts.findById(request.params.id);
        if (!contract) throw new DomainError('not_found');
        const { contract: saved, grant } = await deps.contractService.update(
          contextOf(request),
          contract.patientId,
          {
            expectedVersion: () => requireIfMatch(request),
            check: async () => {
              assertSameId(request.body.id, contract.id, 'CarePlan');
              const subject = await resolvePatientReference(
                request.body.subject,
                deps.patients,
                deps.clock(),
                'CarePlan.subject',
              );
              if (subject !== contract.patientId)
                throw invalid('Kontraktets patient kan inte bytas.', 'CarePlan.subject');
            },
            contractId: contract.id,
            input: (current) =>
              carePlanToContent(request.body, {
                patientId: contract.patientId,
                contractId: contract.id,
                current: current.content,
              }),
            isAsSeen: true,
          },
        );
        return sendResource(request, reply, carePlanFor(saved, grant), saved.version);
      },
    );
  };
}
