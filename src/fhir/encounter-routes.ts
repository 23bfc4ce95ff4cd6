/**
 * FHIR Encounter: the patient's stays in hospital (class IMP), read and searched through the
 * hospital-stay service (the access decision of reading the patient, logged; a stay at a ward
 * under spärr for the reader, or recorded from such a unit, is left out, and reading it by id
 * answers 404 like a missing one). Read only: stays are recorded through the JSON API and the
 * admissions import.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contextOf } from '../api/http.ts';
import type { HospitalStay } from '../domain/hospital-stay.ts';
import { searchset } from './bundle.ts';
import { encounterStatusOf, encounterToFhir, matchesDate, parseDateParam } from './encounter-mapper.ts';
import type { FhirDeps } from './fhir-routes.ts';
import { countOf, PagingParams } from './history.ts';
import { FhirError } from './outcome.ts';
import {
  FormatParam,
  IdParams,
  listParam,
  noneWhenNotFound,
  Param,
  patientsOfSearch,
  ReadQuery,
} from './search.ts';

const DateParam = Type.Optional(
  Type.Union([
    Type.String({ minLength: 1, maxLength: 40 }),
    Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: 4 }),
  ]),
);

const EncounterQuery = Type.Object(
  {
    patient: Param,
    'patient.identifier': Param,
    status: Param,
    date: DateParam,
    ...PagingParams,
    ...FormatParam,
  },
  { additionalProperties: false },
);

const DEFAULT_COUNT = 100;
/** The most stays read for one patient (newest first). */
const STAYS_PER_PATIENT = 500;
const STATUSES = new Set(['in-progress', 'finished']);

export const ENCOUNTER_WRITE_MESSAGE =
  'Vårdtillfällen läses bara här: de registreras i Patientkontraktet (inskrivning och utskrivning) eller importeras.';

export function encounterFhirRoutes(deps: FhirDeps): FastifyPluginAsyncTypebox {
  const stays = deps.hospitalStayService;

  /** A patient's stays the reader may see; none when the patient is not theirs to see (logged). */
  function staysOf(request: FastifyRequest, patientId: string): Promise<HospitalStay[]> {
    return noneWhenNotFound(() => stays.listForRecord(contextOf(request), patientId, STAYS_PER_PATIENT));
  }

  return async (app) => {
    app.get(
      '/Encounter/:id',
      { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
      async (request) => encounterToFhir(await stays.readForRecord(contextOf(request), request.params.id)),
    );

    app.get('/Encounter', { schema: { hide: true, querystring: EncounterQuery } }, async (request) => {
      const q = request.query;
      countOf(q._count, DEFAULT_COUNT);
      const statuses = q.status === undefined ? null : listParam(q.status);
      for (const status of statuses ?? [])
        if (!STATUSES.has(status))
          throw new FhirError(400, 'value', 'status ska vara in-progress eller finished.');
      const dates = (q.date === undefined ? [] : Array.isArray(q.date) ? q.date : [q.date]).map(
        parseDateParam,
      );
      const found: HospitalStay[] = [];
      for (const patientId of await patientsOfSearch(q, deps.lookup, deps.clock()))
        found.push(...(await staysOf(request, patientId)));
      const matching = found.filter(
        (s) =>
          (statuses === null || statuses.includes(encounterStatusOf(s))) &&
          dates.every((d) => matchesDate(s, d)),
      );
      return searchset(request, matching.map(encounterToFhir));
    });

    const refuseWrite = async (): Promise<never> => {
      throw new FhirError(405, 'not-supported', ENCOUNTER_WRITE_MESSAGE);
    };
    app.post('/Encounter', { schema: { hide: true } }, refuseWrite);
    app.put('/Encounter/:id', { schema: { hide: true } }, refuseWrite);
  };
}
