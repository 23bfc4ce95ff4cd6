/**
 * FHIR Goal: the contract's shared goals, read, read at a version, their history and search here,
 * written through CarePlan. A Goal's version is the contract's: each contract version that holds
 * the goal is a version of the Goal, and the version that took it away is its deletion.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { contextOf } from '../api/http.ts';
import type { ContractVersion } from '../domain/contract.ts';
import { DomainError } from '../domain/errors.ts';
import { searchset } from './bundle.ts';
import type { FhirDeps } from './fhir-routes.ts';
import { goalToFhir, parseGoalFhirId, type FhirGoal } from './goal-mapper.ts';
import {
  countOf,
  HISTORY_COUNT,
  historyBundle,
  historyPage,
  HistoryQuery,
  numericCursor,
  VersionParams,
  type DeletedEntry,
  type HistoryEntry,
} from './history.ts';
import { sendResource } from './http.ts';
import { FhirError } from './outcome.ts';
import { IdParams, patientsOfSearch, PatientScopedQuery, ReadQuery } from './search.ts';

export const GOAL_WRITE_MESSAGE =
  'Mål skapas och ändras genom patientkontraktet: skicka CarePlan med målet som inbäddad Goal (PUT /fhir/CarePlan/<id>).';

const GOAL_REMOVED = 'Målet togs bort ur patientkontraktet i den här versionen.';

/** The goal a Goal id names, or 404. */
function goalIdsOf(fhirId: string): { contractId: string; goalId: string } {
  const ids = parseGoalFhirId(fhirId);
  if (!ids) throw new DomainError('not_found');
  return ids;
}

/**
 * The Goal's versions among the contract's (newest first): each version that holds the goal, and
 * each that took it away (the version before held it, this one does not). A version holding it
 * after one that did not is a creation; the oldest is one too. Entries are newest first.
 */
function goalVersions(
  ids: { contractId: string; goalId: string },
  patientId: string,
  versions: readonly ContractVersion[],
): (HistoryEntry | DeletedEntry)[] {
  const entries: (HistoryEntry | DeletedEntry)[] = [];
  let held = false;
  for (const v of [...versions].reverse()) {
    const goal = v.content.goals.find((g) => g.id === ids.goalId);
    if (goal) {
      entries.push({
        resource: goalToFhir(goal, { patientId, contractId: ids.contractId, version: v.version }),
        version: v.version,
        lastModified: v.changedAt,
        created: !held,
        // Written through the CarePlan: shown as the change it made to the Goal at the Goal's URL.
        createdBy: 'PUT',
      });
    } else if (held) {
      entries.push({
        deleted: { resourceType: 'Goal', id: `${ids.contractId}-${ids.goalId}` },
        version: v.version,
        lastModified: v.changedAt,
      });
    }
    held = goal !== undefined;
  }
  return entries.reverse();
}

export function goalFhirRoutes(deps: FhirDeps): FastifyPluginAsyncTypebox {
  /** The goal's versions from `limit` contract versions below `before` (all when absent). */
  async function versionsOf(
    request: FastifyRequest,
    fhirId: string,
    page: { limit: number; before: number } | null,
  ): Promise<(HistoryEntry | DeletedEntry)[]> {
    const ids = goalIdsOf(fhirId);
    const { contract, versions } = await deps.contractService.readById(
      contextOf(request),
      ids.contractId,
      () => page ?? {},
    );
    return goalVersions(ids, contract.patientId, versions ?? []);
  }

  return async (app) => {
    app.get(
      '/Goal/:id',
      { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
      async (request, reply) => {
        const ids = goalIdsOf(request.params.id);
        const holds = (c: Pick<ContractVersion, 'content'>) =>
          c.content.goals.some((g) => g.id === ids.goalId);
        // The versions only when the contract no longer holds the goal: a removed goal is gone (410).
        const { contract, versions } = await deps.contractService.readById(
          contextOf(request),
          ids.contractId,
          (current) => (holds(current) ? null : {}),
        );
        const goal = contract.content.goals.find((g) => g.id === ids.goalId);
        if (!goal) {
          if ((versions ?? []).some(holds)) throw new FhirError(410, 'not-found', GOAL_REMOVED);
          throw new DomainError('not_found');
        }
        const resource = goalToFhir(goal, {
          patientId: contract.patientId,
          contractId: contract.id,
          version: contract.version,
        });
        return sendResource(request, reply, resource, contract.version);
      },
    );

    app.get(
      '/Goal/:id/_history/:vid',
      { schema: { hide: true, params: VersionParams, querystring: ReadQuery } },
      async (request, reply) => {
        // The version asked for and the one before it: enough to tell a deletion.
        const vid = Number(request.params.vid);
        const found = (await versionsOf(request, request.params.id, { limit: 2, before: vid + 1 })).find(
          (e) => e.version === vid,
        );
        if (!found) throw new DomainError('not_found');
        if ('deleted' in found) throw new FhirError(410, 'not-found', GOAL_REMOVED);
        return sendResource(request, reply, found.resource, vid);
      },
    );

    app.get(
      '/Goal/:id/_history',
      { schema: { hide: true, params: IdParams, querystring: HistoryQuery } },
      async (request) => {
        const before = numericCursor(request.query._cursor);
        const count = countOf(request.query._count, HISTORY_COUNT);
        const all = await versionsOf(request, request.params.id, null);
        if (all.length === 0) throw new DomainError('not_found');
        const page = historyPage(all, count, before);
        return historyBundle(request, page.entries, { next: page.next, isFirst: before === undefined });
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
