/**
 * The bookkeeping of an import (docs/imports.md): one transaction per file, an `import_run` row
 * with its counts and its end, the errors that SQL finds in the staged rows, and the roll-back of
 * an all-or-nothing import with errors. The kinds of file are in visit-import-store.ts and
 * population-import-store.ts; the staging tables in import-staging.ts.
 */
import type { ReadTally, RowError } from '../domain/import-formats.ts';
import { ANALYTIC_SETTINGS, type Db, type Queryable } from './db.ts';
import { namedSql } from './named-sql.ts';

export type ImportMode = 'all-or-nothing' | 'valid-rows';

export interface ImportMeta {
  source: string;
  format: 'csv' | 'ndjson';
  mode: ImportMode;
  actorId: string;
  unitId: string | null;
  startedAt: Date;
  /**
   * Milliseconds since `startedAt`, by a monotonic timer: `finished_at` is `startedAt` plus this,
   * so that both instants are on the application's clock, whatever the database server's says.
   */
  elapsedMs: () => number;
}

export interface ImportResult {
  /** Rows written as new. */
  imported: number;
  /** Rows that changed what was there (a period that ended, a new fast läkarkontakt …). */
  updated: number;
  /** Valid rows that changed nothing: already imported. */
  skippedDuplicates: number;
  rowsRead: number;
  /** Persons added to the register (population rows with names). */
  createdPersons: number;
  errorCount: number;
  errors: RowError[];
  /** The import_run row; null when nothing was written. */
  importId: number | null;
}

/** Thrown inside the transaction to roll back an all-or-nothing import with errors. */
export class Rollback extends Error {}

export type ImportKind = 'visits' | 'population' | 'admissions' | 'surveys' | 'diagnoses';

/** What the work of one kind of file did, for the run's counts. */
export interface WorkDone {
  imported: number;
  updated: number;
  staged: number;
  /** Staged rows that SQL found an error in. */
  unresolved: number;
  createdPersons: number;
}

async function newRun(tx: Queryable, kind: ImportKind, meta: ImportMeta): Promise<number> {
  const rows = await tx.query<{ id: number }>(
    `insert into import_run (kind, source, format, mode, actor_id, unit_id, started_at, rows_read, imported,
       updated, skipped_duplicates, errors)
     values ($1, $2, $3, $4, $5, $6, $7, 0, 0, 0, 0, 0) returning id`,
    [kind, meta.source, meta.format, meta.mode, meta.actorId, meta.unitId, meta.startedAt.toISOString()],
  );
  return rows[0]!.id;
}

/**
 * Records the counts and the end. Not `now()`: that is the transaction's start, so a 12 s import
 * would seem to take a millisecond.
 */
async function finishRun(
  tx: Queryable,
  id: number,
  r: Omit<ImportResult, 'importId' | 'errors'>,
  meta: ImportMeta,
): Promise<void> {
  const finishedAt = new Date(meta.startedAt.getTime() + meta.elapsedMs());
  await tx.query(
    `update import_run set rows_read = $2, imported = $3, updated = $4, skipped_duplicates = $5, errors = $6,
       finished_at = $7 where id = $1`,
    [id, r.rowsRead, r.imported, r.updated, r.skippedDuplicates, r.errorCount, finishedAt.toISOString()],
  );
}

/**
 * Adds the errors that SQL found (`sql` selects line, field, message from the staging table) to
 * the tally, the first ones in line order; returns how many staged rows have an error.
 */
export async function collectErrors(
  tx: Queryable,
  tally: ReadTally,
  sql: string,
  /** The values of the `:named` parameters of `sql`, if it has any. */
  values: Readonly<Record<string, unknown>> = {},
): Promise<number> {
  const statement = namedSql(
    `with e as (${sql}),
     agg as (select count(*)::int as total, count(distinct line)::int as lines from e)
     select f.line, f.field, f.message, agg.total, agg.lines
       from agg left join lateral (select * from e order by line, field limit :maxErrors) f on true`,
    ['maxErrors', ...Object.keys(values)],
  );
  const rows = await tx.query<{
    line: number | null;
    field: string;
    message: string;
    total: number;
    lines: number;
  }>(statement.text, statement.params({ ...values, maxErrors: tally.maxErrors }));
  const found = rows.filter((r) => r.line !== null);
  tally.add(...found.map(({ line, field, message }) => ({ line: line!, field, message })));
  tally.errorCount += (rows[0]?.total ?? 0) - found.length;
  return rows[0]?.lines ?? 0;
}

/** The answer of an import that wrote nothing: the rows read and the errors that stopped it. */
export function nothingImported(tally: ReadTally): ImportResult {
  return {
    imported: 0,
    updated: 0,
    skippedDuplicates: 0,
    rowsRead: tally.rowsRead,
    createdPersons: 0,
    errorCount: tally.errorCount,
    errors: tally.errors,
    importId: null,
  };
}

/**
 * Runs `work` for one file in a transaction of its own with the run's row, and answers the
 * counts; an all-or-nothing import with errors (or an unreadable file) writes nothing.
 */
export async function runImport(
  db: Db,
  kind: ImportKind,
  tally: ReadTally,
  meta: ImportMeta,
  work: (tx: Queryable, importId: number) => Promise<WorkDone>,
): Promise<ImportResult> {
  try {
    return await db.transaction(
      async (tx) => {
        await tx.exec(ANALYTIC_SETTINGS);
        const importId = await newRun(tx, kind, meta);
        const done = await work(tx, importId);
        if (tally.isUnreadable || (tally.errorCount > 0 && meta.mode === 'all-or-nothing'))
          throw new Rollback();
        const result: ImportResult = {
          imported: done.imported,
          updated: done.updated,
          skippedDuplicates: Math.max(0, done.staged - done.unresolved - done.imported - done.updated),
          rowsRead: tally.rowsRead,
          createdPersons: done.createdPersons,
          errorCount: tally.errorCount,
          errors: tally.errors,
          importId,
        };
        await finishRun(tx, importId, result, meta);
        return result;
      },
      { isBulk: true },
    );
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
    return nothingImported(tally);
  }
}

/** How one simple kind of file goes from its staging table into its own table. */
export interface StagedWrite {
  /** The temporary table the rows were staged in; it has `line` and `ok`. */
  stageTable: string;
  /** Selects line, field, message of the staged rows that cannot be written. */
  errorsSql: string;
  /**
   * Writes the rows of the staging table that are `ok` (`$1` is the import's id) and answers one
   * row with `imported` (new rows) and `updated` (rows that changed).
   */
  upsertSql: string;
  /** What else the import does in its transaction once the rows are written. */
  after?: (tx: Queryable, importId: number) => Promise<void>;
}

/**
 * The work after staging of a kind of file that writes one table: the errors SQL finds (an
 * all-or-nothing import with errors rolls back), the rows with an error marked not ok, then the
 * upsert of the rest, and its counts.
 */
export async function writeStaged(
  tx: Queryable,
  tally: ReadTally,
  meta: ImportMeta,
  importId: number,
  staged: number,
  write: StagedWrite,
): Promise<WorkDone> {
  if (tally.isUnreadable) return { imported: 0, updated: 0, staged, unresolved: 0, createdPersons: 0 };
  const unresolved = await collectErrors(tx, tally, write.errorsSql);
  if (tally.errorCount > 0 && meta.mode === 'all-or-nothing') throw new Rollback();
  if (unresolved > 0)
    await tx.exec(
      `update ${write.stageTable} set ok = false where line in (select line from (${write.errorsSql}) e)`,
    );
  const counts = await tx.query<{ imported: number; updated: number }>(write.upsertSql, [importId]);
  if (write.after) await write.after(tx, importId);
  return {
    imported: counts[0]?.imported ?? 0,
    updated: counts[0]?.updated ?? 0,
    staged,
    unresolved,
    createdPersons: 0,
  };
}

/**
 * The staged rows of `stageTable` (with `line`, `identifier` and `unit_id`) whose person is not
 * in the register or whose unit does not exist, as line, field, message.
 */
export function unknownPersonOrUnitSql(stageTable: string): string {
  return `
  select s.line, 'personnummer' as field, 'Personen finns inte i registret.' as message
    from ${stageTable} s where not exists (select 1 from patient p where p.identifier = s.identifier)
  union all
  select s.line, 'enhet', 'Vårdenheten finns inte.'
    from ${stageTable} s where not exists (select 1 from care_unit u where u.id = s.unit_id)`;
}
