/**
 * Bulk imports of follow-up data (docs/imports.md), all in one transaction: the checked rows are
 * streamed into a temporary staging table (PostgreSQL: COPY; PGlite: batched json_to_recordset
 * inserts), resolved against the register in SQL (unknown person, unit, physician → an error on
 * that line), and then written with `on conflict`, so a re-import of the same file changes
 * nothing (visits of a period with none yet skip that check: `writeVisits`). By default a file
 * with any error writes nothing (all-or-nothing); mode 'valid-rows' writes the valid rows and
 * reports the rest.
 */
import {
  dayNumber,
  type PopulationRecord,
  type ReadTally,
  type RowError,
  type VisitRecord,
} from '../domain/import-formats.ts';
import { CopyWriter, PG_EPOCH_DAY, PG_EPOCH_MS } from './binary-copy.ts';
import type { Db, Queryable } from './db.ts';
import { ANALYTIC_SETTINGS } from './followup-store.ts';
import { attachOrInsert, loadVisits, recordScan, type VisitScan } from './visit-load.ts';

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
class Rollback extends Error {}

type StageValue = string | number | boolean | null;

/**
 * Rows in PostgreSQL's binary COPY format: the server takes integers, instants and dates as
 * they are instead of parsing their text (a third of the cost of COPY). The values come checked
 * from src/domain/import-formats.ts: instants as milliseconds (or ISO strings), dates as YYYY-MM-DD.
 */
function binaryRows(types: readonly string[], rows: readonly StageValue[][], withHeader: boolean): Buffer {
  const out = new CopyWriter();
  if (withHeader) out.header();
  for (const values of rows) {
    out.int16(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v === null) {
        out.int32(-1);
        continue;
      }
      switch (types[i] ?? 'text') {
        case 'integer':
          out.int32(4);
          out.int32(v as number);
          break;
        case 'boolean':
          out.int32(1);
          out.byte(v ? 1 : 0);
          break;
        case 'timestamptz': {
          // Microseconds since 2000, exact in a double for any real date.
          const ms = typeof v === 'number' ? v : Date.parse(v as string);
          if (Number.isNaN(ms)) throw new Error(`not an instant: ${String(v)}`);
          out.int32(8);
          out.int64((ms - PG_EPOCH_MS) * 1000);
          break;
        }
        case 'date': {
          const text = v as string;
          if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new Error(`not a date: ${text}`);
          out.int32(4);
          out.int32(dayNumber(text) - PG_EPOCH_DAY);
          break;
        }
        default:
          out.text(String(v));
      }
    }
  }
  return out.take();
}

/** Streams chunks into a staging table: binary COPY on PostgreSQL, json_to_recordset elsewhere. */
async function stage<T>(
  tx: Queryable,
  table: string,
  columns: readonly (readonly [string, string])[],
  chunks: AsyncIterable<T[]>,
  toValues: (row: T) => StageValue[],
): Promise<number> {
  let staged = 0;
  const names = columns.map(([n]) => n).join(', ');
  if (tx.copyFrom) {
    const types = columns.map(([, t]) => t);
    async function* data(): AsyncGenerator<Buffer> {
      let first = true;
      for await (const chunk of chunks) {
        staged += chunk.length;
        yield binaryRows(types, chunk.map(toValues), first);
        first = false;
      }
      if (first) yield binaryRows(types, [], true);
      yield Buffer.from([0xff, 0xff]);
    }
    await tx.copyFrom(`copy ${table} (${names}) from stdin (format binary)`, data());
    await tx.exec(`analyze ${table}`);
    return staged;
  }
  const typed = columns.map(([n, t]) => `${n} ${t}`).join(', ');
  for await (const chunk of chunks) {
    staged += chunk.length;
    const rows = chunk.map((row) => {
      const values = toValues(row);
      // Instants come as milliseconds; json_to_recordset reads them as ISO text.
      return Object.fromEntries(
        columns.map(([n, t], i) => [
          n,
          t === 'timestamptz' && typeof values[i] === 'number'
            ? new Date(values[i]).toISOString()
            : values[i],
        ]),
      );
    });
    await tx.query(
      `insert into ${table} (${names}) select ${names} from json_to_recordset($1::json) as x(${typed})`,
      [JSON.stringify(rows)],
    );
  }
  await tx.exec(`analyze ${table}`);
  return staged;
}

async function newRun(tx: Queryable, kind: 'visits' | 'population', meta: ImportMeta): Promise<number> {
  const rows = await tx.query<{ id: number }>(
    `insert into import_run (kind, source, format, mode, actor_id, unit_id, started_at, rows_read, imported,
       updated, skipped_duplicates, errors)
     values ($1, $2, $3, $4, $5, $6, $7, 0, 0, 0, 0, 0) returning id`,
    [kind, meta.source, meta.format, meta.mode, meta.actorId, meta.unitId, meta.startedAt.toISOString()],
  );
  return rows[0]!.id;
}

/**
 * Records the counts and the end. Not `now()`: that is the transaction's start, and a 12 s
 * import was logged as taking a millisecond.
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
async function collectErrors(tx: Queryable, tally: ReadTally, sql: string): Promise<number> {
  const rows = await tx.query<{
    line: number | null;
    field: string;
    message: string;
    total: number;
    lines: number;
  }>(
    `with e as (${sql}),
     agg as (select count(*)::int as total, count(distinct line)::int as lines from e)
     select f.line, f.field, f.message, agg.total, agg.lines
       from agg left join lateral (select * from e order by line, field limit $1) f on true`,
    [tally.maxErrors],
  );
  const found = rows.filter((r) => r.line !== null);
  tally.add(...found.map(({ line, field, message }) => ({ line: line!, field, message })));
  tally.errorCount += (rows[0]?.total ?? 0) - found.length;
  return rows[0]?.lines ?? 0;
}

interface WorkDone {
  imported: number;
  updated: number;
  staged: number;
  /** Staged rows that SQL found an error in. */
  unresolved: number;
  createdPersons: number;
}

export interface ImportOptions {
  /**
   * Visit files of at least this many rows take the bulk path on PostgreSQL. Below it, reading
   * the register into Node (0.2 s for 465,000 inhabitants) costs more than it saves.
   */
  bulkFrom: number;
  /**
   * On the general path, files of months without visits and at least this many rows become a
   * partition of their own; smaller ones go into the months' partitions (a partition per small file
   * would leave the months of a region's first test file with a partition too many).
   */
  partitionFrom: number;
}

export function createImportStore(
  db: Db,
  options: ImportOptions = { bulkFrom: 20_000, partitionFrom: 1000 },
) {
  async function run(
    kind: 'visits' | 'population',
    tally: ReadTally,
    meta: ImportMeta,
    work: (tx: Queryable, importId: number) => Promise<WorkDone>,
  ): Promise<ImportResult> {
    const errors = (): RowError[] => tally.errors;
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
            errors: errors(),
            importId,
          };
          await finishRun(tx, importId, result, meta);
          return result;
        },
        { isBulk: true },
      );
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
      return {
        imported: 0,
        updated: 0,
        skippedDuplicates: 0,
        rowsRead: tally.rowsRead,
        createdPersons: 0,
        errorCount: tally.errorCount,
        errors: errors(),
        importId: null,
      };
    }
  }

  return {
    /** Imports visits and contacts. */
    async importVisits(
      chunks: AsyncIterable<VisitRecord[]>,
      tally: ReadTally,
      meta: ImportMeta,
    ): Promise<ImportResult> {
      return run('visits', tally, meta, async (tx, importId) => {
        // A large file on PostgreSQL takes the bulk path (src/store/visit-load.ts); the first rows
        // decide, so that a small file does not pay for reading the register.
        const iterator = chunks[Symbol.asyncIterator]();
        const head: VisitRecord[][] = [];
        let read = 0;
        let ended = false;
        while (tx.copyFrom && read < options.bulkFrom) {
          const next = await iterator.next();
          if (next.done) {
            ended = true;
            break;
          }
          head.push(next.value);
          read += next.value.length;
        }
        async function* all(): AsyncGenerator<VisitRecord[]> {
          yield* head;
          if (ended) return;
          for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
        }
        if (tx.copyFrom && !ended) return bulk(tx, recordScan(all()), tally, meta, importId);
        chunks = all();
        await tx.exec(`create temp table stage_visit (
          line integer, identifier text, at timestamptz, unit_id text, staff_id text, profession text,
          contact_type text, is_assessment boolean, sought_on date) on commit drop`);
        const staged = await stage(
          tx,
          'stage_visit',
          [
            ['line', 'integer'],
            ['identifier', 'text'],
            ['at', 'timestamptz'],
            ['unit_id', 'text'],
            ['staff_id', 'text'],
            ['profession', 'text'],
            ['contact_type', 'text'],
            ['is_assessment', 'boolean'],
            ['sought_on', 'date'],
          ],
          chunks,
          (r) => [
            r.line,
            r.identifier,
            r.at,
            r.unitId,
            r.staffId,
            r.profession,
            r.contactType,
            r.isAssessment,
            r.soughtOn,
          ],
        );
        if (tally.isUnreadable) return { imported: 0, updated: 0, staged, unresolved: 0, createdPersons: 0 };
        if (tally.errorCount > 0 && meta.mode === 'all-or-nothing') {
          // Nothing will be written: the person who fixes the file gets every problem at once.
          await collectErrors(tx, tally, visitErrorsSql);
          throw new Rollback();
        }
        const { resolved, inserted } = await writeVisits(tx, importId, staged >= options.partitionFrom);
        // Rows the register does not know (a person, a unit) fell out of the joins: only then are
        // they looked for, line by line. An all-or-nothing import rolls back what it wrote.
        const unresolved = resolved < staged ? await collectErrors(tx, tally, visitErrorsSql) : 0;
        if (tally.errorCount > 0 && meta.mode === 'all-or-nothing') throw new Rollback();
        // Continuity's packed visits (migration 008) gained a row per patient: merge them now and then.
        await tx.query('select visit_series_compact()');
        return { imported: inserted, updated: 0, staged, unresolved, createdPersons: 0 };
      });
    },

    /**
     * Visits and contacts of a large CSV file on PostgreSQL, read by `scan` (the bulk path,
     * src/store/visit-load.ts); `bulkFrom` says when a file counts as large, null on PGlite.
     */
    async importVisitsBulk(scan: VisitScan, tally: ReadTally, meta: ImportMeta): Promise<ImportResult> {
      return run('visits', tally, meta, (tx, importId) => bulk(tx, scan, tally, meta, importId));
    },
    bulkFrom: db.engine === 'postgres' ? options.bulkFrom : null,

    /** Imports periods of the population register. */
    async importPopulation(
      chunks: AsyncIterable<PopulationRecord[]>,
      tally: ReadTally,
      meta: ImportMeta,
    ): Promise<ImportResult> {
      return run('population', tally, meta, async (tx, importId) => {
        await tx.exec(`create temp table stage_population (
          line integer, kind text, identifier text, identifier_kind text, birth_date date, sex text, unit_id text,
          staff_id text, from_day date, to_day date, given_name text, family_name text, ok boolean default true)
          on commit drop`);
        const staged = await stage(
          tx,
          'stage_population',
          [
            ['line', 'integer'],
            ['kind', 'text'],
            ['identifier', 'text'],
            ['identifier_kind', 'text'],
            ['birth_date', 'date'],
            ['sex', 'text'],
            ['unit_id', 'text'],
            ['staff_id', 'text'],
            ['from_day', 'date'],
            ['to_day', 'date'],
            ['given_name', 'text'],
            ['family_name', 'text'],
          ],
          chunks,
          (r) => [
            r.line,
            r.kind,
            r.identifier,
            r.identifierKind,
            r.birthDate,
            r.sex,
            r.unitId,
            r.staffId,
            r.from,
            r.to,
            r.givenName,
            r.familyName,
          ],
        );
        if (tally.isUnreadable) return { imported: 0, updated: 0, staged, unresolved: 0, createdPersons: 0 };
        return writePopulation(tx, tally, meta, importId, staged);
      });
    },
  };
}

async function bulk(
  tx: Queryable,
  scan: VisitScan,
  tally: ReadTally,
  meta: ImportMeta,
  importId: number,
): Promise<WorkDone> {
  const loaded = await loadVisits(tx, scan, tally, meta.mode === 'all-or-nothing', importId);
  // Continuity's packed visits (migration 008) gained a row per patient: merge them now and then.
  if (loaded.inserted > 0) await tx.query('select visit_series_compact()');
  return { imported: loaded.inserted, updated: 0, createdPersons: 0, ...loaded };
}

/** Rows of stage_visit that cannot be written: line, field, message. */
const visitErrorsSql = `
  select s.line, 'personnummer' as field, 'Personen finns inte i registret.' as message
    from stage_visit s where not exists (select 1 from patient p where p.identifier = s.identifier)
  union all
  select s.line, 'enhet', 'Vårdenheten finns inte.'
    from stage_visit s where not exists (select 1 from care_unit u where u.id = s.unit_id)`;

interface VisitsWritten {
  resolved: number;
  inserted: number;
}

/**
 * Writes the staged visits whose person and unit the register knows; returns how many resolved
 * and how many were new.
 *
 * A large file of months that `visit` has no rows in yet (the usual monthly file) cannot repeat
 * what is there: its rows go into a table of their own (a repeat within the file dropped by `distinct
 * on`), which is indexed once and attached as those months' partition (`attachOrInsert`,
 * src/store/visit-load.ts), and packed for continuity from there. Otherwise, or should another
 * writer fill those months meanwhile, the rows are inserted in key order (the unique index is then
 * written page by page), skipping what is there.
 */
async function writeVisits(tx: Queryable, importId: number, large: boolean): Promise<VisitsWritten> {
  const src = `select p.id as patient_id, s.at, s.staff_id, s.unit_id, s.profession, s.contact_type, s.is_assessment,
                      s.sought_on
                 from stage_visit s join patient p on p.identifier = s.identifier join care_unit u on u.id = s.unit_id`;
  const columns =
    'patient_id, at, staff_id, unit_id, profession, contact_type, is_assessment, sought_on, import_id';
  await tx.query('select visit_write_lock()');
  const [span] = await tx.query<{ first: number | null; last: number | null; fresh: boolean }>(
    `with s as (select min(at) as first, max(at) as last from stage_visit)
     select (extract(epoch from s.first) * 1000)::float8 as first, (extract(epoch from s.last) * 1000)::float8 as last,
            not exists (select 1 from visit v where v.at >= visit_month(s.first) and v.at < visit_month_after(s.last))
              as fresh
       from s`,
  );
  const { first, last, fresh } = span!;
  if (first === null || last === null) return { resolved: 0, inserted: 0 };
  if (fresh && large) {
    const table = `visit_load_${importId}`;
    await tx.exec(`create table ${table} (like visit including defaults including constraints)`);
    const [done] = await tx.query<VisitsWritten>(
      `with src as (${src}),
       ins as (
         insert into ${table} (${columns})
         select distinct on (at, patient_id, staff_id)
                patient_id, at, staff_id, unit_id, profession, contact_type, is_assessment, sought_on, $1
           from src order by at, patient_id, staff_id
         returning 1)
       select (select count(*) from src)::int as resolved, (select count(*) from ins)::int as inserted`,
      [importId],
    );
    if (done!.inserted === 0) {
      await tx.exec(`drop table ${table}`);
      return { resolved: done!.resolved, inserted: 0 };
    }
    await tx.exec(`analyze ${table}`);
    const inserted = await attachOrInsert(tx, table, first, last, done!.inserted, {
      write: async (partition) => {
        const statements = await tx.query<{ sql: string }>(
          'select unnest(visit_series_statements($1)) as sql',
          [partition],
        );
        for (const { sql } of statements) await tx.exec(sql);
      },
    });
    return { resolved: done!.resolved, inserted };
  }
  // Months no partition covers get one first (migration 009).
  await tx.query('select visit_add_partitions(array(select distinct visit_month(at) from stage_visit))');
  const [done] = await tx.query<VisitsWritten>(
    `with src as (${src}),
     ins as (
       insert into visit (${columns})
       select patient_id, at, staff_id, unit_id, profession, contact_type, is_assessment, sought_on, $1
         from src order by at, patient_id, staff_id
       on conflict do nothing returning 1)
     select (select count(*) from src)::int as resolved, (select count(*) from ins)::int as inserted`,
    [importId],
  );
  return done!;
}

/** Rows of stage_population that cannot be written: line, field, message. */
const populationErrorsSql = `
  select s.line, 'personnummer' as field,
         'Personen finns inte i registret; ange förnamn och efternamn så läggs personen upp.' as message
    from stage_population s where not exists (select 1 from patient p where p.identifier = s.identifier)
  union all
  select s.line, 'enhet', case when u.id is null then 'Vårdenheten finns inte.'
                              else 'Enheten är av fel slag för ' || s.kind || ' (den är ' || u.kind || ').' end
    from stage_population s left join care_unit u on u.id = s.unit_id
   where u.id is null or u.kind <> case s.kind when 'sabo' then 'sabo' when 'hemsjukvard' then 'hemsjukvard'
                                                else 'vardcentral' end
  union all
  select s.line, 'personal', case when st.id is null then 'Medarbetaren finns inte.'
                                  else 'En fast läkarkontakt måste vara läkare.' end
    from stage_population s left join staff st on st.id = s.staff_id
   where s.kind = 'fast-lakarkontakt' and (st.id is null or st.profession <> 'lakare')
  union all
  select s.line, 'typ', 'Personen har två pågående perioder av typen ' || s.kind || ' i filen.'
    from stage_population s
   where s.kind in ('listning', 'fast-lakarkontakt') and s.to_day is null
     and exists (select 1 from stage_population o where o.identifier = s.identifier and o.kind = s.kind
                  and o.to_day is null and o.line < s.line
                  and (o.unit_id, coalesce(o.staff_id, ''), o.from_day)
                      <> (s.unit_id, coalesce(s.staff_id, ''), s.from_day))`;

type Counts = { imported: number; updated: number }[];

/** The population rows, from the staging table into the register. */
async function writePopulation(
  tx: Queryable,
  tally: ReadTally,
  meta: ImportMeta,
  importId: number,
  staged: number,
): Promise<WorkDone> {
  // New persons: rows with names for an identifier the register does not have.
  const created = await tx.query<{ n: number }>(
    `with ins as (
       insert into patient (identifier, identifier_kind, given_name, family_name, birth_date, sex)
       select distinct on (s.identifier) s.identifier, s.identifier_kind, s.given_name, s.family_name, s.birth_date, s.sex
         from stage_population s
        where s.given_name is not null and not exists (select 1 from patient p where p.identifier = s.identifier)
        order by s.identifier, s.line
       on conflict (identifier) do nothing returning 1)
     select count(*)::int as n from ins`,
  );
  const unresolved = await collectErrors(tx, tally, populationErrorsSql);
  if (tally.errorCount > 0 && meta.mode === 'all-or-nothing') throw new Rollback();
  if (unresolved > 0) {
    await tx.query(
      `update stage_population set ok = false where line in (select line from (${populationErrorsSql}) e)`,
    );
  }
  const counts = { imported: 0, updated: 0 };
  const add = (rows: Counts): void => {
    counts.imported += rows[0]?.imported ?? 0;
    counts.updated += rows[0]?.updated ?? 0;
  };

  // Current listings: through patient.listed_unit_id, whose trigger keeps the history.
  add(
    await tx.query(
      `with cur as (
         select distinct on (s.identifier) s.identifier, s.unit_id, s.from_day
           from stage_population s where s.ok and s.kind = 'listning' and s.to_day is null
          order by s.identifier, s.from_day desc, s.line),
       old as (select p.id, p.listed_unit_id from patient p join cur on p.identifier = cur.identifier),
       up as (
         update patient p set listed_unit_id = cur.unit_id, listed_since = cur.from_day
           from cur where p.identifier = cur.identifier
            and (p.listed_unit_id is distinct from cur.unit_id or p.listed_since is distinct from cur.from_day)
         returning p.id)
       select count(*) filter (where old.listed_unit_id is null)::int as imported,
              count(*) filter (where old.listed_unit_id is not null)::int as updated
         from up join old on old.id = up.id`,
    ),
  );
  // An ended listing that is the current one: the person is listed no more. (Its own statement,
  // so the history trigger has run before the period gets its end date below.)
  await tx.query(
    `update patient p set listed_unit_id = null
       from stage_population s
      where s.ok and s.kind = 'listning' and s.to_day is not null and p.identifier = s.identifier
        and p.listed_unit_id = s.unit_id and p.listed_since = s.from_day`,
  );
  // Ended listings, SÄBO and home care: periods, upserted on (person, kind, unit, from).
  add(
    await tx.query(
      `with up as (
         insert into register_period (patient_id, kind, unit_id, valid_from, valid_to, import_id)
         select distinct on (p.id, s.kind, s.unit_id, s.from_day)
                p.id, s.kind, s.unit_id, s.from_day, s.to_day, $1::bigint
           from stage_population s join patient p on p.identifier = s.identifier
          where s.ok and (s.kind in ('sabo', 'hemsjukvard') or (s.kind = 'listning' and s.to_day is not null))
          order by p.id, s.kind, s.unit_id, s.from_day, s.line desc
         on conflict (patient_id, kind, unit_id, valid_from) do update set valid_to = excluded.valid_to
           where register_period.valid_to is distinct from excluded.valid_to
         returning (xmax = 0) as inserted)
       select count(*) filter (where inserted)::int as imported,
              count(*) filter (where not inserted)::int as updated
         from up`,
      [importId],
    ),
  );
  // The named fast läkarkontakt: a care_contact with its dates. An ended period ends the contact;
  // a new current one ends the one before it.
  const gp = `select distinct on (p.id, s.staff_id, s.unit_id, s.from_day)
                p.id as patient_id, s.staff_id, s.unit_id, s.from_day, s.to_day
                from stage_population s join patient p on p.identifier = s.identifier
               where s.ok and s.kind = 'fast-lakarkontakt'
               order by p.id, s.staff_id, s.unit_id, s.from_day, s.line desc`;
  add(
    await tx.query(
      `with g as (${gp}),
       up as (
         update care_contact c set status = 'ended', end_date = g.to_day,
                end_reason = 'Avslutad i befolkningsregistret', updated_at = now(), version = c.version + 1
           from g
          where g.to_day is not null and c.patient_id = g.patient_id and c.role = 'fast-lakarkontakt'
            and c.status = 'active' and c.staff_id = g.staff_id and c.unit_id = g.unit_id
            and c.start_date = g.from_day
         returning 1)
       select 0 as imported, count(*)::int as updated from up`,
    ),
  );
  add(
    await tx.query(
      `with g as (${gp}),
       up as (
         update care_contact c
            set status = 'ended', end_date = greatest(coalesce(c.start_date, g.from_day), g.from_day - 1),
                end_reason = 'Ny fast läkarkontakt i befolkningsregistret', updated_at = now(), version = c.version + 1
           from g
          where g.to_day is null and c.patient_id = g.patient_id and c.role = 'fast-lakarkontakt'
            and c.status = 'active' and (c.staff_id is distinct from g.staff_id or c.unit_id <> g.unit_id)
         returning 1)
       select 0 as imported, count(*)::int as updated from up`,
    ),
  );
  add(
    await tx.query(
      `with g as (${gp}),
       ins as (
         insert into care_contact (patient_id, role, staff_id, unit_id, status, start_date, end_date, end_reason,
                                   created_by, note)
         select g.patient_id, 'fast-lakarkontakt', g.staff_id, g.unit_id,
                case when g.to_day is null then 'active' else 'ended' end, g.from_day, g.to_day,
                case when g.to_day is null then null else 'Avslutad i befolkningsregistret' end,
                $1, 'Från befolkningsregistret'
           from g
          where not exists (
                  select 1 from care_contact c
                   where c.patient_id = g.patient_id and c.role = 'fast-lakarkontakt' and c.staff_id = g.staff_id
                     and c.unit_id = g.unit_id
                     and (c.start_date = g.from_day or (c.status = 'active' and g.to_day is null)))
         returning 1)
       select count(*)::int as imported, 0 as updated from ins`,
      [`import:${importId}`],
    ),
  );
  return { ...counts, staged, unresolved, createdPersons: created[0]?.n ?? 0 };
}

export type ImportStore = ReturnType<typeof createImportStore>;
