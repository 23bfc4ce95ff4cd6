/** FHIR Patient: read, search, create, update (name and phone). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { contextOf, requireIfMatch, requireStaff } from '../api/http.ts';
import { DomainError } from '../domain/errors.ts';
import { createPatientRegistration } from '../services/patient-registration.ts';
import { createDirectoryStore } from '../store/directory-store.ts';
import { createPatientUpdateStore } from '../store/patient-update-store.ts';
import { DEFAULT_PAGE_SIZE, searchPatients } from '../services/patient-search.ts';
import { CURSOR_PARAM, searchset } from './bundle.ts';
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
      let ids: string[] | undefined;
      const narrow = (found: string[]): void => {
        ids = ids === undefined ? found : ids.filter((id) => found.includes(id));
      };
      if (q.identifier !== undefined) {
        const hits: string[] = [];
        for (const token of listParam(q.identifier)) {
          const id = parseIdentifierToken(token, deps.clock());
          const patient = id ? await deps.patients.findByIdentifier(id.value) : null;
          if (patient) hits.push(patient.id);
        }
        narrow(hits);
      }
      if (q._id !== undefined) narrow(listParam(q._id));
      // Filtered by access before the page is cut; every patient returned passed the rule and is logged.
      const page = await searchPatients(
        deps,
        contextOf(request),
        { name: q.name, ids },
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
