/**
 * FHIR Condition: the patient's diagnoses, read and searched through the diagnosis service (the
 * access decision and its log entry; a diagnosis made at a unit under spärr for the reader is
 * never shown, and reading one by id answers 404 like a missing one). Read only: the diagnoses
 * come from the region's data (`npm run import -- diagnoses`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contextOf } from '../api/http.ts';
import type { RecordedDiagnosis } from '../domain/diagnosis.ts';
import { DomainError } from '../domain/errors.ts';
import { searchset } from './bundle.ts';
import {
  conditionIdOf,
  conditionToFhir,
  matchesConditionTokens,
  parseConditionId,
} from './condition-mapper.ts';
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

const ConditionQuery = Type.Object(
  {
    patient: Param,
    'patient.identifier': Param,
    code: Param,
    'clinical-status': Param,
    ...PagingParams,
    ...FormatParam,
  },
  { additionalProperties: false },
);

const DEFAULT_COUNT = 100;

export const CONDITION_WRITE_MESSAGE =
  'Diagnoser läses bara här: de kommer från regionens data (import av diagnoser).';

export function conditionFhirRoutes(deps: FhirDeps): FastifyPluginAsyncTypebox {
  /** A patient's diagnoses the reader may see; none when the patient is not theirs to see (logged). */
  function diagnosesOf(request: FastifyRequest, patientId: string): Promise<RecordedDiagnosis[]> {
    return noneWhenNotFound(() => deps.diagnosisService.listForPatient(contextOf(request), patientId));
  }

  return async (app) => {
    app.get(
      '/Condition/:id',
      { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
      async (request) => {
        const named = parseConditionId(request.params.id);
        if (!named) throw new DomainError('not_found');
        const all = await deps.diagnosisService.listForPatient(contextOf(request), named.patientId);
        const found = all.find((d) => conditionIdOf(d) === request.params.id);
        if (!found) throw new DomainError('not_found');
        return conditionToFhir(found);
      },
    );

    app.get('/Condition', { schema: { hide: true, querystring: ConditionQuery } }, async (request) => {
      const q = request.query;
      countOf(q._count, DEFAULT_COUNT);
      const tokens = {
        ...(q.code !== undefined ? { code: listParam(q.code) } : {}),
        ...(q['clinical-status'] !== undefined ? { clinicalStatus: listParam(q['clinical-status']) } : {}),
      };
      const found: RecordedDiagnosis[] = [];
      for (const patientId of await patientsOfSearch(q, deps.lookup, deps.clock()))
        found.push(...(await diagnosesOf(request, patientId)));
      return searchset(request, found.filter((d) => matchesConditionTokens(d, tokens)).map(conditionToFhir));
    });

    const refuseWrite = async (): Promise<never> => {
      throw new FhirError(405, 'not-supported', CONDITION_WRITE_MESSAGE);
    };
    app.post('/Condition', { schema: { hide: true } }, refuseWrite);
    app.put('/Condition/:id', { schema: { hide: true } }, refuseWrite);
  };
}
