/**
 * Imports of the patients' diagnoses (ICD-10, docs/imports.md), staged in stage_diagnosis and
 * written to patient_diagnosis, keyed by (patient, code): a re-import of the same file changes
 * nothing, and a later file updates the start, the unit or the end of a diagnosis it named before
 * (an end makes it no longer current: the plan and follow-up's patient groups stop counting it
 * after that day). Diagnoses the demo or staff recorded are kept; a file names the ones it knows.
 */
import type { DiagnosisRecord, ReadTally } from '../domain/import-formats.ts';
import type { Db } from './db.ts';
import { stage } from './import-staging.ts';
import {
  runImport,
  unknownPersonOrUnitSql,
  writeStaged,
  type ImportMeta,
  type ImportResult,
} from './import-run-store.ts';

export function createDiagnosisImportStore(db: Db) {
  return {
    /** Imports diagnoses in one transaction; all-or-nothing unless the mode says valid rows. */
    async importDiagnoses(
      chunks: AsyncIterable<DiagnosisRecord[]>,
      tally: ReadTally,
      meta: ImportMeta,
    ): Promise<ImportResult> {
      return runImport(db, 'diagnoses', tally, meta, async (tx, importId) => {
        await tx.exec(`create temp table stage_diagnosis (
          line integer, identifier text, icd10 text, since date, unit_id text, ended_on date,
          ok boolean default true) on commit drop`);
        const staged = await stage(
          tx,
          'stage_diagnosis',
          [
            ['line', 'integer'],
            ['identifier', 'text'],
            ['icd10', 'text'],
            ['since', 'date'],
            ['unit_id', 'text'],
            ['ended_on', 'date'],
          ],
          chunks,
          (r) => [r.line, r.identifier, r.icd10, r.since, r.unitId, r.endedOn],
        );
        return writeStaged(tx, tally, meta, importId, staged, {
          stageTable: 'stage_diagnosis',
          errorsSql: diagnosisErrorsSql,
          upsertSql: diagnosisUpsertSql,
        });
      });
    },
  };
}

/**
 * Rows of stage_diagnosis that cannot be written: an unknown person or unit, and one diagnosis
 * of one person named twice in the file with different content (which would be the truth?).
 */
const diagnosisErrorsSql = `${unknownPersonOrUnitSql('stage_diagnosis')}
  union all
  select s.line, 'diagnos', 'Samma diagnos för personen finns tidigare i filen med andra uppgifter.'
    from stage_diagnosis s
   where exists (select 1 from stage_diagnosis o where o.identifier = s.identifier and o.icd10 = s.icd10
                  and o.line < s.line
                  and (o.since, o.unit_id, o.ended_on) is distinct from (s.since, s.unit_id, s.ended_on))`;

/** Writes the rows of stage_diagnosis that are ok ($1 the import's id); answers the counts. */
const diagnosisUpsertSql = `with up as (
     insert into patient_diagnosis (patient_id, icd10, since, source_unit_id, ended_on, import_id)
     select distinct on (p.id, s.icd10) p.id, s.icd10, s.since, s.unit_id, s.ended_on, $1::bigint
       from stage_diagnosis s join patient p on p.identifier = s.identifier
      where s.ok
      order by p.id, s.icd10, s.line desc
     on conflict (patient_id, icd10) do update
       set since = excluded.since, source_unit_id = excluded.source_unit_id,
           ended_on = excluded.ended_on, import_id = excluded.import_id
       where (patient_diagnosis.since, patient_diagnosis.source_unit_id, patient_diagnosis.ended_on)
             is distinct from (excluded.since, excluded.source_unit_id, excluded.ended_on)
     returning (xmax = 0) as inserted)
   select count(*) filter (where inserted)::int as imported,
          count(*) filter (where not inserted)::int as updated
     from up`;
