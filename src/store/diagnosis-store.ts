/**
 * The patients' diagnoses as they are read one patient at a time (FHIR Condition): current and
 * ended, each with the unit that made it. The import writes them (diagnosis-import-store.ts); the
 * plan's background reads the current ones with the patient (patient-store.ts#patientColumns).
 */
import type { RecordedDiagnosis } from '../domain/diagnosis.ts';
import type { Queryable } from './db.ts';
import { isUuid } from './patient-store.ts';

export function createDiagnosisStore(db: Queryable) {
  return {
    /** The patient's diagnoses, current ones first, then by start (newest first) and code; at most `limit`. */
    async listForPatient(patientId: string, limit: number): Promise<RecordedDiagnosis[]> {
      if (!isUuid(patientId)) return [];
      return db.query<RecordedDiagnosis>(
        `select d.patient_id as "patientId", d.icd10, d.since, d.ended_on as "endedOn",
                d.source_unit_id as "sourceUnitId", u.name as "sourceUnitName"
           from patient_diagnosis d left join care_unit u on u.id = d.source_unit_id
          where d.patient_id = $1
          order by d.ended_on is not null, d.since desc nulls last, d.icd10
          limit $2`,
        [patientId, limit],
      );
    },
  };
}

export type DiagnosisStore = ReturnType<typeof createDiagnosisStore>;
