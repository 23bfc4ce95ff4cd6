/**
 * Bulk imports of follow-up data (docs/imports.md), all in one transaction: the checked rows are
 * streamed into a temporary staging table (PostgreSQL: COPY; PGlite: batched json_to_recordset
 * inserts), resolved against the register in SQL (unknown person, unit, physician → an error on
 * that line), and then written with `on conflict`, so a re-import of the same file changes
 * nothing (visits of a period with none yet skip that check: `writeVisits`). By default a file
 * with any error writes nothing (all-or-nothing); mode 'valid-rows' writes the valid rows and
 * reports the rest.
 *
 * The imports by kind: visit-import-store.ts, population-import-store.ts and
 * admission-import-store.ts; the run's row, the
 * transaction and the errors found in SQL: import-run-store.ts; the staging tables:
 * import-staging.ts.
 */
import { createAdmissionImportStore } from './admission-import-store.ts';
import type { Db } from './db.ts';
import { createDiagnosisImportStore } from './diagnosis-import-store.ts';
import { createPopulationImportStore } from './population-import-store.ts';
import { createSurveyImportStore } from './survey-import-store.ts';
import { createVisitImportStore, type VisitImportOptions } from './visit-import-store.ts';

export type { ImportMeta, ImportMode, ImportResult } from './import-run-store.ts';
export { nothingImported } from './import-run-store.ts';
export type { AfterAdmissions } from './admission-import-store.ts';
export type { AfterPopulation } from './population-import-store.ts';
export type ImportOptions = VisitImportOptions;

export function createImportStore(
  db: Db,
  options: ImportOptions = { bulkFrom: 20_000, partitionFrom: 1000 },
) {
  return {
    ...createVisitImportStore(db, options),
    ...createPopulationImportStore(db),
    ...createAdmissionImportStore(db),
    ...createDiagnosisImportStore(db),
    ...createSurveyImportStore(db),
  };
}

export type ImportStore = ReturnType<typeof createImportStore>;
