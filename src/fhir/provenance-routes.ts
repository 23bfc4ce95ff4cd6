/**
 * A contract's versions through FHIR: the CarePlan's history (`CarePlan/<id>/_history`) and the
 * Provenance of each version (who, when, from which unit, create or update). Both read the
 * versions through the contract service, with the same access decision and log entry as every
 * read of the plan, and show each version as the reader may see it (spärr: `redactVersions`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contextOf } from '../api/http.ts';
import type { Contract, ContractVersion } from '../domain/contract.ts';
import { DomainError } from '../domain/errors.ts';
import { redactVersions } from '../domain/redaction.ts';
import type { Granted } from '../services/access-service.ts';
import { searchset } from './bundle.ts';
import { carePlanFor } from './careplan-routes.ts';
import type { FhirDeps } from './fhir-routes.ts';
import { countOf, historyBundle, numericCursor, PagingParams } from './history.ts';
import { sendResource } from './http.ts';
import { FhirError } from './outcome.ts';
import { parseProvenanceId, versionToProvenance } from './provenance-mapper.ts';
import { FormatParam, IdParams, ReadQuery, referenceParam } from './search.ts';

const Param = Type.Optional(Type.String({ minLength: 1, maxLength: 200 }));
const HistoryQuery = Type.Object({ ...PagingParams, ...FormatParam }, { additionalProperties: false });
const ProvenanceQuery = Type.Object(
  { target: Param, ...PagingParams, ...FormatParam },
  { additionalProperties: false },
);

/** Versions per page of a history or a Provenance search unless `_count` says otherwise. */
const DEFAULT_COUNT = 20;

/** A contract at one of its versions. */
export function contractAt(contract: Contract, version: ContractVersion): Contract {
  return {
    ...contract,
    status: version.status,
    version: version.version,
    content: version.content,
    updatedAt: version.changedAt,
  };
}

export function provenanceFhirRoutes(deps: FhirDeps): FastifyPluginAsyncTypebox {
  /**
   * A page of a contract's versions, newest first, as the reader may see them: `before` the
   * version to start below (the cursor), one more read than shown to tell whether more follow.
   */
  async function versionsOf(
    request: FastifyRequest,
    contractId: string,
    page: { count: number; before: number | undefined },
  ): Promise<{ contract: Contract; grant: Granted; versions: ContractVersion[]; next: number | null }> {
    const { contract, grant, versions } = await deps.contractService.readById(
      contextOf(request),
      contractId,
      () => ({ limit: page.count + 2, ...(page.before === undefined ? {} : { before: page.before }) }),
    );
    const all = versions ?? [];
    const shown = grant.hidesNothing ? all : redactVersions(all, grant.isHidden);
    const pageOf = shown.slice(0, page.count);
    const hasMore = shown.length > page.count;
    return { contract, grant, versions: pageOf, next: hasMore ? pageOf[pageOf.length - 1]!.version : null };
  }

  return async (app) => {
    app.get(
      '/CarePlan/:id/_history',
      { schema: { hide: true, params: IdParams, querystring: HistoryQuery } },
      async (request) => {
        const before = numericCursor(request.query._cursor);
        const { contract, grant, versions, next } = await versionsOf(request, request.params.id, {
          count: countOf(request.query._count, DEFAULT_COUNT),
          before,
        });
        const entries = versions.map((v) => ({
          resource: carePlanFor(contractAt(contract, v), grant),
          version: v.version,
          lastModified: v.changedAt,
          created: v.version === 1,
        }));
        return historyBundle(request, entries, { next, isFirst: before === undefined });
      },
    );

    app.get(
      '/Provenance/:id',
      { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
      async (request, reply) => {
        const named = parseProvenanceId(request.params.id);
        if (!named) throw new DomainError('not_found');
        const { versions } = await versionsOf(request, named.contractId, {
          count: 1,
          before: named.version + 1,
        });
        const version = versions.find((v) => v.version === named.version);
        if (!version) throw new DomainError('not_found');
        return sendResource(
          request,
          reply,
          versionToProvenance(version, version.version === 1),
          version.version,
        );
      },
    );

    app.get('/Provenance', { schema: { hide: true, querystring: ProvenanceQuery } }, async (request) => {
      const { target } = request.query;
      if (target === undefined)
        throw new FhirError(400, 'required', 'Ange target=CarePlan/<id> (vilken plan versionerna gäller).');
      const contractId = referenceParam(target.replace(/\/_history\/\d+$/, ''), 'CarePlan');
      if (contractId === null)
        throw new FhirError(400, 'value', 'target ska vara en CarePlan: target=CarePlan/<id>.');
      const before = numericCursor(request.query._cursor);
      const count = countOf(request.query._count, DEFAULT_COUNT);
      let found: { versions: ContractVersion[]; next: number | null };
      try {
        found = await versionsOf(request, contractId, { count, before });
      } catch (error) {
        // A search finds nothing where a read finds no such plan (or none the reader may see).
        if (error instanceof DomainError && error.code === 'not_found') found = { versions: [], next: null };
        else throw error;
      }
      return searchset(
        request,
        found.versions.map((v) => versionToProvenance(v, v.version === 1)),
        { next: found.next === null ? null : String(found.next), isFirst: before === undefined },
      );
    });
  };
}
