/**
 * Imports of visits and contacts (docs/imports.md): a small file is staged in stage_visit and
 * written with `on conflict`, so that a re-import changes nothing; a large file on PostgreSQL
 * takes the bulk path of src/store/visit-load.ts. Visits of months with none yet skip the
 * conflict check (`writeVisits`).
 */
import type { ReadTally, VisitRecord } from '../domain/import-formats.ts';
import type { Db, Queryable } from './db.ts';
import { stage } from './import-staging.ts';
import {
  collectErrors,
  Rollback,
  runImport,
  unknownPersonOrUnitSql,
  type ImportMeta,
  type ImportResult,
  type WorkDone,
} from './import-run-store.ts';
import { attachOrInsert, loadVisits, recordScan, type VisitScan } from './visit-load.ts';

export interface VisitImportOptions {
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

export function createVisitImportStore(db: Db, options: VisitImportOptions) {
  return {
    /** Imports visits and contacts. */
    async importVisits(
      chunks: AsyncIterable<VisitRecord[]>,
      tally: ReadTally,
      meta: ImportMeta,
    ): Promise<ImportResult> {
      return runImport(db, 'visits', tally, meta, async (tx, importId) => {
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
      return runImport(db, 'visits', tally, meta, (tx, importId) => bulk(tx, scan, tally, meta, importId));
    },
    bulkFrom: db.engine === 'postgres' ? options.bulkFrom : null,
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
const visitErrorsSql = unknownPersonOrUnitSql('stage_visit');

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
