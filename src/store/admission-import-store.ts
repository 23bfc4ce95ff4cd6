/**
 * Imports of admissions to hospital (vårdtillfällen, docs/imports.md), staged in stage_admission
 * and written as hospital_stay rows, upserted on (person, admission instant) so that a re-import
 * changes nothing and a later file can bring the discharge of a stay it named open before.
 */
import { DomainError } from '../domain/errors.ts';
import type { AdmissionRecord, ReadTally } from '../domain/import-formats.ts';
import type { Db, Queryable } from './db.ts';
import { stage } from './import-staging.ts';
import { isUniqueViolation } from './pg-errors.ts';
import {
  runImport,
  unknownPersonOrUnitSql,
  writeStaged,
  type ImportMeta,
  type ImportResult,
} from './import-run-store.ts';

/** What else an admission import changes in its transaction (the enrolments it pauses or resumes). */
export type AfterAdmissions = (tx: Queryable, importId: number) => Promise<void>;

export function createAdmissionImportStore(db: Db) {
  return {
    /** Imports periods in hospital; `after` runs in the same transaction once they are written. */
    async importAdmissions(
      chunks: AsyncIterable<AdmissionRecord[]>,
      tally: ReadTally,
      meta: ImportMeta,
      after?: AfterAdmissions,
    ): Promise<ImportResult> {
      return runImport(db, 'admissions', tally, meta, async (tx, importId) => {
        await tx.exec(`create temp table stage_admission (
        line integer, identifier text, unit_id text, admitted_at timestamptz, discharged_at timestamptz,
        ok boolean default true) on commit drop`);
        const staged = await stage(
          tx,
          'stage_admission',
          [
            ['line', 'integer'],
            ['identifier', 'text'],
            ['unit_id', 'text'],
            ['admitted_at', 'timestamptz'],
            ['discharged_at', 'timestamptz'],
          ],
          chunks,
          (r) => [r.line, r.identifier, r.unitId, r.admittedAt, r.dischargedAt],
        );
        return writeStaged(tx, tally, meta, importId, staged, {
          stageTable: 'stage_admission',
          errorsSql: admissionErrorsSql,
          upsertSql: admissionUpsertSql,
          after,
        });
      }).catch((error: unknown) => {
        // A stay recorded by staff between the file's checks and its write (PostgreSQL, another
        // connection): the whole import rolled back, and says so instead of failing.
        if (isUniqueViolation(error, 'hospital_stay_one_open')) throw new DomainError('hospital_stay_open');
        throw error;
      });
    },
  };
}

/**
 * Rows of stage_admission that cannot be written: an unknown person or unit, a stay named twice
 * with different content, and a second open stay of one person (in the file, or beside one
 * already recorded that the file does not discharge). The open-stay rules look only at the rows
 * that would be written (`good`: without the first two kinds of error), so that a discharge on a
 * line that is refused never lets another stay open beside the one it meant to close: a patient
 * has at most one open stay (migration 031).
 */
const admissionErrorsSql = `with base as (${unknownPersonOrUnitSql('stage_admission')}
  union all
  select s.line, 'inskriven', 'Samma vårdtillfälle finns tidigare i filen med andra uppgifter.'
    from stage_admission s
   where exists (select 1 from stage_admission o where o.identifier = s.identifier and o.admitted_at = s.admitted_at
                  and o.line < s.line
                  and (o.unit_id, o.discharged_at) is distinct from (s.unit_id, s.discharged_at))),
  good as (select s.* from stage_admission s where not exists (select 1 from base b where b.line = s.line))
  select line, field, message from base
  union all
  select s.line, 'utskriven', 'Personen har ett annat pågående vårdtillfälle i filen.'
    from good s
   where s.discharged_at is null
     and exists (select 1 from good o where o.identifier = s.identifier and o.discharged_at is null
                  and o.admitted_at <> s.admitted_at and o.line < s.line)
  union all
  select s.line, 'utskriven', 'Personen har redan ett pågående vårdtillfälle (inskriven '
         || to_char(h.admitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') || '); ange dess utskrivning i filen.'
    from good s join patient p on p.identifier = s.identifier
    join hospital_stay h on h.patient_id = p.id and h.discharged_at is null and h.admitted_at <> s.admitted_at
   where s.discharged_at is null
     and not exists (select 1 from good o where o.identifier = s.identifier
                      and o.admitted_at = h.admitted_at and o.discharged_at is not null)`;

/**
 * Writes the rows of stage_admission that are ok ($1 the import's id); answers the counts. The
 * discharges are written before the stays still open, so that a stay the file closes is closed
 * before the one it opens is written (one open stay per patient, migration 031).
 */
const admissionUpsertSql = `with staged as (
     select distinct on (p.id, s.admitted_at) p.id as patient_id, s.unit_id, s.admitted_at, s.discharged_at
       from stage_admission s join patient p on p.identifier = s.identifier
      where s.ok
      order by p.id, s.admitted_at, s.line desc),
   up as (
     insert into hospital_stay (patient_id, unit_id, admitted_at, discharged_at, source, import_id)
     select patient_id, unit_id, admitted_at, discharged_at, 'import', $1::bigint
       from staged
      order by discharged_at is null, patient_id, admitted_at
     on conflict (patient_id, admitted_at) do update
       set discharged_at = excluded.discharged_at, unit_id = excluded.unit_id, import_id = excluded.import_id
       where (hospital_stay.discharged_at, hospital_stay.unit_id)
             is distinct from (excluded.discharged_at, excluded.unit_id)
     returning (xmax = 0) as inserted)
   select count(*) filter (where inserted)::int as imported,
          count(*) filter (where not inserted)::int as updated
     from up`;
