/** The Patientkontrakt: read, draw up, change (with If-Match), history. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ContractService } from '../services/contract-service.ts';
import { contextOf, etagOf, requireIfMatch } from './http.ts';
import { prefetchedContract } from './prefetch-plugin.ts';
import { limitParam, pageSize } from './paging.ts';

import { ContractContentSchema, Obj, OneOf, PatientParams } from './schemas.ts';

const VERSION_PAGE = { fallback: 20, max: 100 };
const CONTRACT_PAGE = { fallback: 100, max: 100 };

export interface ContractRouteDeps {
  contracts: ContractService;
}

export function contractRoutes(deps: ContractRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/patients/:patientId/contract',
      { schema: { tags: ['contracts'], summary: "The patient's current contract", params: PatientParams } },
      async (request, reply) => {
        const { contract, hasBlockedInformation } = await deps.contracts.readCurrent(
          contextOf(request),
          request.params.patientId,
        );
        return reply.header('etag', etagOf(contract.version)).send({ ...contract, hasBlockedInformation });
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
        const { contract } = await deps.contracts.create(
          contextOf(request),
          request.params.patientId,
          () => request.body,
        );
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
        // The contract as read with the session (config.prefetch), for the service to use once
        // access is granted; it writes only if the contract is still at that version.
        const { contract } = await deps.contracts.update(contextOf(request), request.params.patientId, {
          expectedVersion: () => requireIfMatch(request),
          current: prefetchedContract(request, request.params.patientId),
          input: request.body,
          isAsSeen: true,
        });
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
        return { contracts: await deps.contracts.list(contextOf(request), request.params.patientId, limit) };
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
        const { contract, versions, hasMore } = await deps.contracts.listVersions(
          contextOf(request),
          request.params.patientId,
          request.params.contractId,
          { limit, before: request.query.before === undefined ? undefined : Number(request.query.before) },
        );
        const oldest = versions[versions.length - 1];
        return {
          versions,
          next:
            hasMore && oldest
              ? `/api/patients/${contract.patientId}/contracts/${contract.id}/versions?limit=${limit}&before=${oldest.version}`
              : null,
        };
      },
    );
  };
}
