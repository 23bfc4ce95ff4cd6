/** The Patientkontrakt: read, draw up, change (with If-Match), history. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../domain/errors.ts';
import { redactAuthors, redactContent, redactVersions } from '../domain/redaction.ts';
import type { ContractStore } from '../store/contract-store.ts';
import type { AccessService } from '../services/access-service.ts';
import type { ChangeFeed } from '../services/change-feed.ts';
import { contextOf, etagOf, requireActor, requireIfMatch } from './http.ts';
import { prefetchedContract } from './prefetch-plugin.ts';
import { limitParam, pageSize } from './paging.ts';

import { ContractContentSchema, Obj, OneOf, PatientParams } from './schemas.ts';

const VERSION_PAGE = { fallback: 20, max: 100 };
const CONTRACT_PAGE = { fallback: 100, max: 100 };

export interface ContractRouteDeps {
  contracts: ContractStore;
  access: AccessService;
  feed: ChangeFeed;
}

export function contractRoutes(deps: ContractRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/patients/:patientId/contract',
      { schema: { tags: ['contracts'], summary: "The patient's current contract", params: PatientParams } },
      async (request, reply) => {
        const grant = await deps.access.require(contextOf(request), request.params.patientId, 'read');
        const contract = await deps.contracts.findCurrent(request.params.patientId);
        if (!contract) throw new DomainError('not_found', 'Patienten har inget aktuellt patientkontrakt.');
        if (grant.hidesNothing)
          return reply
            .header('etag', etagOf(contract.version))
            .send({ ...contract, hasBlockedInformation: false });
        const { content, hasBlockedInformation } = redactContent(contract.content, grant.isHidden);
        const authors = await deps.contracts.authorUnits([contract.id]);
        return reply.header('etag', etagOf(contract.version)).send({
          ...redactAuthors(contract, authors.get(contract.id), grant.isHidden),
          content,
          hasBlockedInformation,
        });
      },
    );

    app.post(
      '/api/patients/:patientId/contract',
      {
        schema: {
          tags: ['contracts'],
          summary: 'Draw up a new contract (as draft or active)',
          params: PatientParams,
          body: Obj({ status: OneOf(['draft', 'active'] as const), content: ContractContentSchema }),
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        await deps.access.require(contextOf(request), request.params.patientId, 'write');
        const { contract, event } = await deps.contracts.create(
          request.params.patientId,
          request.body,
          actor,
        );
        deps.feed.publish(event);
        return reply.status(201).header('etag', etagOf(contract.version)).send(contract);
      },
    );

    app.put(
      '/api/patients/:patientId/contract',
      {
        config: { prefetch: 'contract' },
        schema: {
          tags: ['contracts'],
          summary:
            'Save a new version of the current contract. Requires If-Match with the version it is based on.',
          params: PatientParams,
          body: Obj({ status: OneOf(['draft', 'active', 'ended'] as const), content: ContractContentSchema }),
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const grant = await deps.access.require(contextOf(request), request.params.patientId, 'write');
        const expected = requireIfMatch(request);
        // The contract as read with the session (config.prefetch), now that access is granted;
        // the update writes only if it is still at that version.
        const current = prefetchedContract(request, request.params.patientId);
        // A writer who cannot see items of a blocked unit (spärr) cannot delete them: they are
        // carried over (security.md, Spärr).
        const { contract, event } = await deps.contracts.update(
          request.params.patientId,
          expected,
          request.body,
          actor,
          { ...(grant.hidesNothing ? {} : { isHidden: grant.isHidden }), ...(current ? { current } : {}) },
        );
        if (event) deps.feed.publish(event);
        return reply.header('etag', etagOf(contract.version)).send(contract);
      },
    );

    app.get(
      '/api/patients/:patientId/contracts',
      {
        schema: {
          tags: ['contracts'],
          summary: "The patient's contracts, the current one first, then ended ones, newest first",
          params: PatientParams,
          querystring: Obj({ limit: limitParam(CONTRACT_PAGE) }),
        },
      },
      async (request) => {
        const limit = pageSize(request.query.limit, CONTRACT_PAGE);
        const grant = await deps.access.require(contextOf(request), request.params.patientId, 'read');
        const contracts = await deps.contracts.listForPatient(request.params.patientId, limit);
        if (grant.hidesNothing) return { contracts };
        const authors = await deps.contracts.authorUnits(contracts.map((c) => c.id));
        return {
          contracts: contracts.map((c) => ({
            ...redactAuthors(c, authors.get(c.id), grant.isHidden),
            content: redactContent(c.content, grant.isHidden).content,
          })),
        };
      },
    );

    app.get(
      '/api/patients/:patientId/contracts/:contractId/versions',
      {
        schema: {
          tags: ['contracts'],
          summary:
            'The versions of a contract, newest first, a page at a time (limit: default 20, at most 100; before: older than that version): who, when, what changed. `next` is the next page, null after the first version.',
          params: Obj({
            patientId: Type.String({ maxLength: 64 }),
            contractId: Type.String({ maxLength: 64 }),
          }),
          querystring: Obj({
            limit: limitParam(VERSION_PAGE),
            before: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
          }),
        },
      },
      async (request) => {
        const limit = pageSize(request.query.limit, VERSION_PAGE);
        const grant = await deps.access.require(contextOf(request), request.params.patientId, 'read');
        const contract = await deps.contracts.findById(request.params.contractId);
        if (!contract || contract.patientId !== request.params.patientId) throw new DomainError('not_found');
        // One more than the page: it tells whether there is a next page, and redaction needs the
        // version before the page's oldest to tell what changed in it.
        const found = await deps.contracts.listVersions(contract.id, {
          limit: limit + 1,
          before: request.query.before === undefined ? undefined : Number(request.query.before),
        });
        const shown = grant.hidesNothing ? found : redactVersions(found, grant.isHidden);
        const versions = shown.slice(0, limit);
        const oldest = versions[versions.length - 1];
        return {
          versions,
          next:
            found.length > limit && oldest
              ? `/api/patients/${contract.patientId}/contracts/${contract.id}/versions?limit=${limit}&before=${oldest.version}`
              : null,
        };
      },
    );
  };
}
