/** FHIR Patient: read, search, create, update (name and phone). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { contextOf, requireIfMatch, requireStaff } from '../api/http.ts';
import { DomainError } from '../domain/errors.ts';
import { createPatientRegistration } from '../services/patient-registration.ts';
import { createDirectoryStore } from '../store/directory-store.ts';
import type { Patient } from '../store/patient-store.ts';
import { createPatientUpdateStore } from '../store/patient-update-store.ts';
import { searchset } from './bundle.ts';
import type { FhirDeps } from './fhir-routes.ts';
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
  { identifier: Param, _id: Param, name: Param, ...FormatParam },
  { additionalProperties: false },
);

export function patientFhirRoutes(deps: FhirDeps): FastifyPluginAsyncTypebox {
  const directory = createDirectoryStore(deps.db);
  const updates = createPatientUpdateStore(deps.db);
  const registration = createPatientRegistration(deps);

  return async (app) => {
    app.get(
      '/Patient/:id',
      { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
      async (request, reply) => {
        await deps.access.require(contextOf(request), request.params.id, 'read');
        const patient = await deps.patients.findById(request.params.id);
        if (!patient) throw new DomainError('not_found');
        return sendResource(request, reply, patientToFhir(patient), patient.version);
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
      const sets: Patient[][] = [];
      if (q.identifier !== undefined) {
        const hits: Patient[] = [];
        for (const token of listParam(q.identifier)) {
          const id = parseIdentifierToken(token, deps.clock());
          const patient = id ? await deps.patients.findByIdentifier(id.value) : null;
          if (patient) hits.push(patient);
        }
        sets.push(hits);
      }
      if (q._id !== undefined) {
        const hits: Patient[] = [];
        for (const id of listParam(q._id)) {
          const patient = await deps.patients.findById(id);
          if (patient) hits.push(patient);
        }
        sets.push(hits);
      }
      if (q.name !== undefined) sets.push(await deps.patients.searchByName(q.name, 50));
      const [first = [], ...rest] = sets;
      const hits = first.filter((p) => rest.every((set) => set.some((h) => h.id === p.id)));
      // Every hit passes the same access decision as a read; those not open to the reader are left out.
      const visible = new Set(
        await deps.access.filterSearch(
          contextOf(request),
          hits.map((p) => p.id),
        ),
      );
      return searchset(request, hits.filter((p) => visible.has(p.id)).map(patientToFhir));
    });

    app.post(
      '/Patient',
      { schema: { hide: true, body: FhirPatientSchema, querystring: ReadQuery } },
      async (request, reply) => {
        const actor = requireStaff(request);
        const input = fhirToNewPatient(request.body, deps.clock());
        const listedUnitId = input.listedUnitId ?? actor.unitId;
        if ((await directory.missingUnitIds([listedUnitId])).length > 0) {
          throw new DomainError('unknown_unit', `Vårdenheten finns inte: ${listedUnitId}.`, [
            { path: 'Patient.generalPractitioner[0]', message: listedUnitId },
          ]);
        }
        // A known number answers like a new one (services/patient-registration.ts).
        const patient = await registration.register(contextOf(request), {
          identifier: input.id.value,
          identifierKind: input.id.kind,
          givenName: input.givenName,
          familyName: input.familyName,
          birthDate: input.birthDate,
          sex: input.sex,
          phone: input.phone,
          listedUnitId,
          listedSince: null,
        });
        return sendResource(request, reply, patientToFhir(patient), patient.version, { created: true });
      },
    );

    app.put(
      '/Patient/:id',
      { schema: { hide: true, params: IdParams, body: FhirPatientSchema, querystring: ReadQuery } },
      async (request, reply) => {
        requireStaff(request);
        const { id } = request.params;
        await deps.access.require(contextOf(request), id, 'write');
        const current = await deps.patients.findById(id);
        if (!current) throw new DomainError('not_found');
        const expected = requireIfMatch(request);
        assertSameId(request.body.id, id, 'Patient');
        const version = await updates.update(id, expected, fhirToPatientUpdate(request.body, current));
        const patient = await deps.patients.findById(id);
        if (!patient) throw new DomainError('not_found');
        return sendResource(request, reply, patientToFhir(patient), version);
      },
    );
  };
}
