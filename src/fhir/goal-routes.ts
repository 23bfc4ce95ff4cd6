/** FHIR Goal: the contract's shared goals, read and searched here, written through CarePlan. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contextOf } from '../api/http.ts';
import { DomainError } from '../domain/errors.ts';
import { searchset } from './bundle.ts';
import type { FhirDeps } from './fhir-routes.ts';
import { goalToFhir, parseGoalFhirId, type FhirGoal } from './goal-mapper.ts';
import { sendResource } from './http.ts';
import { FhirError } from './outcome.ts';
import { IdParams, patientsOfSearch, PatientScopedQuery, ReadQuery } from './search.ts';

export const GOAL_WRITE_MESSAGE =
  'Mål skapas och ändras genom patientkontraktet: skicka CarePlan med målet som inbäddad Goal (PUT /fhir/CarePlan/<id>).';

export function goalFhirRoutes(deps: FhirDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/Goal/:id',
      { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
      async (request, reply) => {
        const ids = parseGoalFhirId(request.params.id);
        if (!ids) throw new DomainError('not_found');
        const { contract } = await deps.contractService.readById(contextOf(request), ids.contractId);
        const goal = contract.content.goals.find((g) => g.id === ids.goalId);
        if (!goal) throw new DomainError('not_found');
        const resource = goalToFhir(goal, {
          patientId: contract.patientId,
          contractId: contract.id,
          version: contract.version,
        });
        return sendResource(request, reply, resource, contract.version);
      },
    );

    // The goals of each patient's current contract; goals of ended contracts are read by id.
    app.get('/Goal', { schema: { hide: true, querystring: PatientScopedQuery } }, async (request) => {
      const patientIds = await patientsOfSearch(request.query, deps.lookup, deps.clock());
      const found: FhirGoal[] = [];
      for (const { contract } of await deps.contractService.searchCurrent(contextOf(request), patientIds)) {
        const where = { patientId: contract.patientId, contractId: contract.id, version: contract.version };
        for (const goal of contract.content.goals) found.push(goalToFhir(goal, where));
      }
      return searchset(request, found);
    });

    const refuseWrite = async (): Promise<never> => {
      throw new FhirError(405, 'not-supported', GOAL_WRITE_MESSAGE);
    };
    app.post('/Goal', { schema: { hide: true } }, refuseWrite);
    app.put('/Goal/:id', { schema: { hide: true } }, refuseWrite);
  };
}
