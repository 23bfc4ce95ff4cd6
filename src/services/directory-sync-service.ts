/**
 * Syncing the organisation directory from the region's HSA data (docs/imports.md, "The
 * organisation directory"): parse the file (FHIR R4 Bundle or CSV), diff it against the database
 * for the care providers it declares, and write it in one transaction, or show the diff only
 * (dry run). Used by `npm run import -- directory` and `POST /api/directory/sync`.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { mayAdministerDirectory } from '../domain/access.ts';
import type { Actor } from '../domain/actor.ts';
import {
  directoryFromCsv,
  directoryFromFhirBundle,
  type CsvRecord,
  type DirectoryFormat,
  type ParsedDirectory,
} from '../domain/directory-formats.ts';
import {
  countDiff,
  diffDirectory,
  endsOverThreshold,
  type DirectoryDiff,
  type EndsOverThreshold,
} from '../domain/directory-sync.ts';
import { DomainError } from '../domain/errors.ts';
import type { RowError } from '../domain/import-formats.ts';
import type { AccessService, RequestContext } from './access-service.ts';
import type { DirectorySyncStore, OrphanedFastVardkontakt } from '../store/directory-sync-store.ts';

export interface DirectorySyncRequest {
  text: string;
  format: DirectoryFormat;
  /** The file name, for the run's record. */
  source: string;
  /** Who runs it: an HSA-id, or `cli:<user>`. */
  actorId: string;
  isDryRun: boolean;
  /** Allows ending more than a tenth of a provider's assignments. */
  confirmEnds: boolean;
}

export type DirectoryCounts = ReturnType<typeof countDiff>;

export type DirectorySyncResult =
  /** The file is broken: nothing was written. */
  | { status: 'invalid'; errors: RowError[] }
  /** It would end too much: nothing was written; run again with confirm-ends. */
  | {
      status: 'needs-confirmation';
      providerIds: string[];
      counts: DirectoryCounts;
      diff: DirectoryDiff;
      endsOverThreshold: EndsOverThreshold[];
    }
  | { status: 'dry-run'; providerIds: string[]; counts: DirectoryCounts; diff: DirectoryDiff }
  | { status: 'synced'; providerIds: string[]; counts: DirectoryCounts; diff: DirectoryDiff; runId: number };

/** The format of a file by its name, else by its first character. */
export function directoryFormatOf(name: string, text: string): DirectoryFormat {
  if (/\.json$/i.test(name)) return 'fhir';
  if (/\.csv$/i.test(name)) return 'csv';
  return text.trimStart().startsWith('{') ? 'fhir' : 'csv';
}

/** Parses the file text in its format. */
export function parseDirectoryFile(text: string, format: DirectoryFormat): ParsedDirectory {
  if (format === 'fhir') {
    let bundle: unknown;
    try {
      bundle = JSON.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        errors: [{ line: 1, field: null, message: `Filen är inte giltig JSON (${message}).` }],
      };
    }
    return directoryFromFhirBundle(bundle);
  }
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  // The delimiter of the header: the one it holds most of, as the other imports detect it.
  const delimiter = [',', ';', '\t'].reduce((best, d) =>
    firstLine.split(d).length > firstLine.split(best).length ? d : best,
  );
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(body, {
      delimiter,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as typeof rows;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines ?? 1;
    return {
      ok: false,
      errors: [
        {
          line,
          field: null,
          message: 'Filen är inte giltig CSV (ett citattecken som inte stängs, eller liknande).',
        },
      ],
    };
  }
  const [header, ...records] = rows;
  if (!header) return { ok: false, errors: [{ line: 1, field: null, message: 'Filen är tom.' }] };
  return directoryFromCsv(
    header.record.map((h) => h.trim()),
    records.map((r): CsvRecord => ({ line: r.info.lines, values: r.record })),
  );
}

export interface DirectorySyncServiceDeps {
  store: DirectorySyncStore;
  /** For the API's use cases (logging, the manager's list); the CLI has none. */
  access?: AccessService;
  /** Told the status of every sync, or `failed` when it threw (metrics). */
  onSync?: ((result: DirectorySyncResult['status'] | 'failed') => void) | undefined;
}

export function createDirectorySyncService(deps: DirectorySyncServiceDeps) {
  const access = (): AccessService => {
    if (!deps.access) throw new Error('The directory sync service was built without the access service.');
    return deps.access;
  };
  /** Only a systemförvaltare at the unit they act from; the refusal is a 403 (not patient data). */
  function requireAdministrator(actor: Actor): void {
    if (!mayAdministerDirectory(actor, actor.kind === 'staff' ? actor.role : null))
      throw new DomainError('forbidden', 'Katalogen kräver rollen systemförvaltare.');
  }

  /** The sync (or the dry run) itself; `sync` below counts its outcome. */
  async function syncFile(request: DirectorySyncRequest): Promise<DirectorySyncResult> {
    const parsed = parseDirectoryFile(request.text, request.format);
    if (!parsed.ok) return { status: 'invalid', errors: parsed.errors };
    const file = parsed.directory;
    const scope = {
      providerIds: [...new Set(file.providers.map((p) => p.id))],
      staffIds: [...new Set(file.staff.map((s) => s.id))],
      unitIds: [...new Set(file.units.map((u) => u.id))],
    };
    const plan = (current: Parameters<typeof diffDirectory>[1]) => {
      const { diff, errors } = diffDirectory(file, current);
      return { diff, errors, counts: countDiff(diff), over: endsOverThreshold(diff, current) };
    };
    if (request.isDryRun) {
      const { diff, errors, counts, over } = plan(
        await deps.store.readCurrent(scope.providerIds, scope.staffIds, scope.unitIds),
      );
      if (errors.length > 0) return { status: 'invalid', errors };
      if (over.length > 0 && !request.confirmEnds)
        return {
          status: 'needs-confirmation',
          providerIds: scope.providerIds,
          counts,
          diff,
          endsOverThreshold: over,
        };
      return { status: 'dry-run', providerIds: scope.providerIds, counts, diff };
    }
    try {
      const synced = await deps.store.sync(scope, (current) => {
        const { diff, errors, counts, over } = plan(current);
        if (errors.length > 0) throw new Refused({ status: 'invalid', errors });
        if (over.length > 0 && !request.confirmEnds)
          throw new Refused({
            status: 'needs-confirmation',
            providerIds: scope.providerIds,
            counts,
            diff,
            endsOverThreshold: over,
          });
        return {
          diff,
          run: {
            source: request.source,
            format: request.format,
            providerIds: scope.providerIds,
            actorId: request.actorId,
            confirmedEnds: request.confirmEnds,
            counts,
          },
          result: { counts, diff },
        };
      });
      return { status: 'synced', providerIds: scope.providerIds, ...synced };
    } catch (error) {
      if (error instanceof Refused) return error.result;
      throw error;
    }
  }

  return {
    /**
     * Syncs (or, dry, diffs) a directory file. Nothing is written unless the whole file is valid
     * and, when it ends more than a tenth of a provider's assignments, `confirmEnds` is set.
     */
    async sync(request: DirectorySyncRequest): Promise<DirectorySyncResult> {
      try {
        const result = await syncFile(request);
        deps.onSync?.(result.status);
        return result;
      } catch (error) {
        deps.onSync?.('failed');
        throw error;
      }
    },

    /** The API's sync: a systemförvaltare's, written to the access log before it starts. */
    async syncAs(
      ctx: RequestContext,
      request: Omit<DirectorySyncRequest, 'actorId'>,
    ): Promise<DirectorySyncResult> {
      requireAdministrator(ctx.actor);
      await access().logAction(
        ctx,
        null,
        'import',
        `directory ${request.format} ${request.isDryRun ? 'dry-run' : 'sync'}${request.confirmEnds ? ' confirm-ends' : ''} ${request.source}`,
      );
      return this.sync({ ...request, actorId: ctx.actor.kind === 'staff' ? ctx.actor.staffId : '' });
    },

    /** The latest sync runs, for a systemförvaltare. */
    async listRuns(actor: Actor, limit: number) {
      requireAdministrator(actor);
      return deps.store.listRuns(limit);
    },

    /**
     * The manager's "needs a new fast vårdkontakt": the fast vårdkontakt contacts at the unit the
     * actor acts from whose holder's place there has ended. Only a verksamhetschef; each patient
     * passes the access decision and is logged, like a worklist row.
     */
    async needsNewFastVardkontakt(ctx: RequestContext, limit: number): Promise<OrphanedFastVardkontakt[]> {
      const actor = ctx.actor;
      if (actor.kind !== 'staff' || actor.role !== 'verksamhetschef')
        throw new DomainError('forbidden', 'Listan är för verksamhetschefen på enheten.');
      const rows = await deps.store.orphanedFastVardkontakter(actor.unitId, limit);
      const visible = new Set(
        await access().filterSearch(
          ctx,
          rows.map((r) => r.patientId),
          'read',
        ),
      );
      return rows.filter((r) => visible.has(r.patientId));
    },
  };
}

/** Carries a refusal out of the sync's transaction, so that it is rolled back. */
class Refused extends Error {
  constructor(readonly result: Extract<DirectorySyncResult, { status: 'invalid' | 'needs-confirmation' }>) {
    super(result.status);
  }
}

export type DirectorySyncService = ReturnType<typeof createDirectorySyncService>;

const kindNames = {
  providers: 'vårdgivare',
  units: 'enheter',
  staff: 'personer',
  assignments: 'medarbetaruppdrag',
} as const;

/** The result in Swedish lines, for the CLI: counts, the first changes or errors, what to do next. */
export function describeDirectorySync(result: DirectorySyncResult, maxShown: number): string[] {
  if (result.status === 'invalid') {
    const lines = result.errors
      .slice(0, maxShown)
      .map((e) => `rad ${e.line}${e.field ? `, ${e.field}` : ''}: ${e.message}`);
    if (result.errors.length > maxShown) lines.push(`… och ${result.errors.length - maxShown} fel till.`);
    return [...lines, `Inget skrevs: ${result.errors.length} fel i filen.`];
  }
  const lines = (Object.keys(kindNames) as (keyof typeof kindNames)[]).map((kind) => {
    const c = result.counts[kind];
    return `${kindNames[kind]}: ${c.added} nya, ${c.changed} ändrade, ${c.ended} avslutade`;
  });
  for (const a of result.diff.assignments.ended.slice(0, maxShown))
    lines.push(`  avslutas: ${a.staffId} på ${a.unitId} (${a.purpose})`);
  if (result.status === 'needs-confirmation') {
    for (const o of result.endsOverThreshold)
      lines.push(`${o.providerId}: ${o.ending} av ${o.active} uppdrag skulle avslutas (mer än 10 %).`);
    lines.push('Inget skrevs. Kontrollera filen; är avslutningarna riktiga, kör igen med --confirm-ends.');
  } else if (result.status === 'dry-run') lines.push('Provkörning (--dry-run): inget skrevs.');
  else lines.push(`Synkronisering ${result.runId} klar för ${result.providerIds.join(', ')}.`);
  return lines;
}
