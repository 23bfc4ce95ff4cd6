/**
 * FHIR Patient: read, search, create, update (name and phone), and the patient's kept versions
 * (migration 027): `_history` pages them, `_history/<n>` reads one.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { contextOf, requireIfMatch, requireStaff } from '../api/http.ts';
import { DomainError } from '../domain/errors.ts';
import { DEFAULT_PAGE_SIZE } from '../services/patient-search.ts';
import { CURSOR_PARAM, searchset } from './bundle.ts';
import type { FhirDeps } from './fhir-routes.ts';
import { HISTORY_COUNT, HistoryQuery, storedHistoryBundle, storedVersionEntry } from './history.ts';
import { assertSameId, sendResource } from './http.ts';
import { FhirError } from './outcome.ts';
import {
  FhirPatientSchema,
  fhirToNewPatient,
  fhirToPatientUpdate,
  parseIdentifierToken,
  patientToFhir,
} from './patient-mapper.ts';
import { FormatParam, IdParams, listParam, ReadQuery } from './search.ts';

const Param = Type.Optional(Type.String({ minLength: 1, maxLength: 200 }));
const PatientQuery = Type.Object(
  {
    identifier: Param,
    _id: Param,
    name: Param,
    // See: https://hl7.org/fhir/R4/search.html#count — a server may return fewer than asked.
    _count: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,5}$' })),
    [CURSOR_PARAM]: Param,
    ...FormatParam,
  },
  { additionalProperties: false },
);

const VersionParams = Type.Object({
  id: Type.String({ maxLength: 128 }),
  vid: Type.String({ pattern: '^\\d{1,9}$' }),
});

export function patientFhirRoutes(deps: FhirDeps): FastifyPluginAsyncTypebox {
  const patients = deps.patientService;

  return async (app) => {
    app.get(
      '/Patient/:id',
      { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
      async (request, reply) => {
        const patient = await patients.get(contextOf(request), request.params.id);
        return sendResource(request, reply, patientToFhir(patient), patient.version);
      },
    );

    app.get(
      '/Patient/:id/_history',
      { schema: { hide: true, params: IdParams, querystring: HistoryQuery } },
      async (request) =>
        storedHistoryBundle(request, request.query, HISTORY_COUNT, async (page) =>
          (await patients.readHistory(contextOf(request), request.params.id, page)).map((v) =>
            storedVersionEntry(patientToFhir(v), v),
          ),
        ),
    );

    app.get(
      '/Patient/:id/_history/:vid',
      { schema: { hide: true, params: VersionParams, querystring: ReadQuery } },
      async (request, reply) => {
        const then = await patients.readVersion(
          contextOf(request),
          request.params.id,
          Number(request.params.vid),
        );
        return sendResource(request, reply, patientToFhir(then), then.version);
      },
    );

    app.get('/Patient', { schema: { hide: true, querystring: PatientQuery } }, async (request) => {
      const q = request.query;
      if (q.identifier === undefined && q._id === undefined && q.name === undefined) {
        throw new FhirError(
          400,
          'required',
          'Ange identifier, _id eller name. Att lista alla patienter stöds inte.',
        );
      }
      // Several parameters narrow the search (AND); several values of one widen it (OR).
      const identifiers =
        q.identifier === undefined
          ? undefined
          : listParam(q.identifier).flatMap((token) => {
              const id = parseIdentifierToken(token, deps.clock());
              return id ? [id.value] : [];
            });
      const page = await patients.search(
        contextOf(request),
        {
          ...(identifiers === undefined ? {} : { identifiers }),
          ...(q._id === undefined ? {} : { ids: listParam(q._id) }),
          name: q.name,
        },
        { size: q._count === undefined ? DEFAULT_PAGE_SIZE : Number(q._count), cursor: q[CURSOR_PARAM] },
      );
      return searchset(request, page.patients.map(patientToFhir), {
        next: page.next,
        isFirst: q[CURSOR_PARAM] === undefined,
      });
    });

    app.post(
      '/Patient',
      { schema: { hide: true, body: FhirPatientSchema, querystring: ReadQuery } },
      async (request, reply) => {
        const actor = requireStaff(request);
        const input = fhirToNewPatient(request.body, deps.clock());
        const listedUnitId = input.listedUnitId ?? actor.unitId;
        // A known number answers like a new one (services/patient-registration.ts).
        // A personnummer is registered from the population register; without an identifier the
        // person gets a reservnummer.
        const patient = await patients.registerParsed(
          contextOf(request),
          input.kind === 'identified'
            ? {
                kind: 'identified',
                identifier: input.id.value,
                identifierKind: input.id.kind,
                phone: input.phone,
                listedUnitId,
              }
            : { ...input, listedUnitId, listedSince: null },
          (unitId) =>
            new DomainError('unknown_unit', `Vårdenheten finns inte: ${unitId}.`, [
              { path: 'Patient.generalPractitioner[0]', message: unitId },
            ]),
        );
        return sendResource(request, reply, patientToFhir(patient), patient.version, { created: true });
      },
    );

    app.put(
      '/Patient/:id',
      { schema: { hide: true, params: IdParams, body: FhirPatientSchema, querystring: ReadQuery } },
      async (request, reply) => {
        requireStaff(request);
        const { id } = request.params;
        const { patient, version } = await patients.update(contextOf(request), id, {
          expectedVersion: () => requireIfMatch(request),
          check: () => assertSameId(request.body.id, id, 'Patient'),
          input: (current) => fhirToPatientUpdate(request.body, current),
        });
        return sendResource(request, reply, patientToFhir(patient), version);
      },
    );
  };
}
