/**
 * The organisation directory sync (docs/imports.md, "The organisation directory"):
 * `POST /api/directory/sync` with the file as the body (`application/fhir+json` or `text/csv`),
 * `?dryRun=1` for the diff only and `?confirmEnds=1` to allow ending more than a tenth of a
 * provider's assignments; `GET /api/directory/syncs`, the runs. Only the role systemförvaltare.
 * `GET /api/directory/needs-new-fast-vardkontakt`: the manager's list of plans whose fast
 * vårdkontakt has left the unit.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../domain/errors.ts';
import type { DirectorySyncResult, DirectorySyncService } from '../services/directory-sync-service.ts';
import { contextOf, requireStaff } from './http.ts';
import { limitParam, pageSize } from './paging.ts';
import { Obj, OneOf } from './schemas.ts';

export interface DirectorySyncRouteDeps {
  directorySync: DirectorySyncService;
  /** The largest body the sync takes, in bytes (the CLI has no limit). */
  maxBytes: number;
}

const formatOf: Record<string, 'fhir' | 'csv'> = {
  'application/fhir+json': 'fhir',
  'application/json': 'fhir',
  'text/csv': 'csv',
};
const RUNS_PAGE = { fallback: 20, max: 200 };
const ORPHANS_PAGE = { fallback: 100, max: 500 };
/** How many of each kind of change an answer lists (the counts cover all). */
const SAMPLE = 50;

const Flag = Type.Optional(OneOf(['0', '1'] as const, '1 = yes'));

/** The answer: counts always, the first changes of each kind, the errors or the providers over the threshold. */
function answerOf(result: DirectorySyncResult) {
  if (result.status === 'invalid') return { status: result.status, errors: result.errors };
  const d = result.diff;
  const first = <T>(list: readonly T[]): T[] => list.slice(0, SAMPLE);
  return {
    status: result.status,
    providerIds: result.providerIds,
    counts: result.counts,
    ...(result.status === 'synced' ? { runId: result.runId } : {}),
    ...(result.status === 'needs-confirmation' ? { endsOverThreshold: result.endsOverThreshold } : {}),
    changes: {
      addedUnits: first(d.units.added).map((u) => u.id),
      endedUnits: first(d.units.ended).map((u) => u.id),
      addedStaff: first(d.staff.added).map((s) => s.id),
      changedStaff: first(d.staff.changed).map((c) => c.after.id),
      addedAssignments: first(d.assignments.added),
      changedAssignments: first(d.assignments.changed).map((c) => c.after),
      endedAssignments: first(d.assignments.ended),
    },
  };
}

const statusOf: Record<DirectorySyncResult['status'], number> = {
  invalid: 422,
  'needs-confirmation': 409,
  'dry-run': 200,
  synced: 200,
};

export function directorySyncRoutes(deps: DirectorySyncRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addContentTypeParser(
      ['text/csv', 'application/fhir+json'],
      { parseAs: 'string', bodyLimit: deps.maxBytes },
      (_request, body, done) => done(null, body),
    );

    app.post(
      '/api/directory/sync',
      {
        bodyLimit: deps.maxBytes,
        schema: {
          tags: ['directory'],
          summary: 'Sync the organisation directory from a FHIR Bundle or CSV (systemförvaltare)',
          querystring: Obj({
            dryRun: Flag,
            confirmEnds: Flag,
            source: Type.Optional(
              Type.String({ maxLength: 200, description: 'The file name, for the record' }),
            ),
          }),
        },
      },
      async (request, reply) => {
        requireStaff(request);
        const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        const format = formatOf[type];
        if (!format)
          throw new DomainError('invalid_input', 'Skicka filen som application/fhir+json eller text/csv.');
        const text = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
        const result = await deps.directorySync.syncAs(contextOf(request), {
          text,
          format,
          source: request.query.source ?? `api:directory.${format === 'fhir' ? 'json' : 'csv'}`,
          isDryRun: request.query.dryRun === '1',
          confirmEnds: request.query.confirmEnds === '1',
        });
        return reply.status(statusOf[result.status]).send(answerOf(result));
      },
    );

    app.get(
      '/api/directory/syncs',
      {
        schema: {
          tags: ['directory'],
          summary: 'The latest directory syncs (systemförvaltare)',
          querystring: Obj({ limit: limitParam(RUNS_PAGE) }),
        },
      },
      async (request) => {
        const actor = requireStaff(request);
        return { runs: await deps.directorySync.listRuns(actor, pageSize(request.query.limit, RUNS_PAGE)) };
      },
    );

    app.get(
      '/api/directory/needs-new-fast-vardkontakt',
      {
        schema: {
          tags: ['directory'],
          summary: "Plans whose fast vårdkontakt has left the unit (the unit's verksamhetschef)",
          querystring: Obj({ limit: limitParam(ORPHANS_PAGE) }),
        },
      },
      async (request) => {
        requireStaff(request);
        const items = await deps.directorySync.needsNewFastVardkontakt(
          contextOf(request),
          pageSize(request.query.limit, ORPHANS_PAGE),
        );
        return { items: items.map((item) => ({ kind: 'needs-new-fast-vardkontakt' as const, ...item })) };
      },
    );
  };
}
