/**
 * The versions of a patient as FHIR Patient shows them (migration 027, `patient_version`),
 * written by the database's triggers in the transaction of every change: reads only. Never an
 * address: the table holds none.
 */
import type { Queryable } from './db.ts';
import { isUuid, type Patient } from './patient-store.ts';

/** What FHIR Patient shows of a patient (fhir/patient-mapper.ts#patientToFhir). */
export type PatientShown = Pick<
  Patient,
  | 'id'
  | 'version'
  | 'identifier'
  | 'identifierKind'
  | 'givenName'
  | 'familyName'
  | 'phone'
  | 'sex'
  | 'birthDate'
  | 'listedUnitId'
  | 'protection'
  | 'deceasedOn'
>;

/** One version of a patient; `changedAt` null when not known (kept by migration 027). */
export interface PatientVersion extends PatientShown {
  changedAt: string | null;
}

const columns = `v.patient_id as id, v.version, v.identifier, v.identifier_kind as "identifierKind",
  v.given_name as "givenName", v.family_name as "familyName", v.phone, v.sex, v.birth_date as "birthDate",
  v.listed_unit_id as "listedUnitId", v.protection, v.deceased_on as "deceasedOn", v.changed_at as "changedAt"`;

/** Reads of `patient_version`, part of the patient store. */
export function patientVersionReads(db: Queryable) {
  return {
    /** The patient's versions newest first, at most `limit`, below the version `before` when given. */
    async listVersions(
      patientId: string,
      page: { limit: number; before?: number | undefined },
    ): Promise<PatientVersion[]> {
      if (!isUuid(patientId)) return [];
      return db.query<PatientVersion>(
        `select ${columns} from patient_version v
          where v.patient_id = $1 and ($2::int is null or v.version < $2)
          order by v.version desc limit $3`,
        [patientId, page.before ?? null, page.limit],
      );
    },

    /** One version of the patient, or null when it was never kept. */
    async findVersion(patientId: string, version: number): Promise<PatientVersion | null> {
      if (!isUuid(patientId)) return null;
      const rows = await db.query<PatientVersion>(
        `select ${columns} from patient_version v where v.patient_id = $1 and v.version = $2`,
        [patientId, version],
      );
      return rows[0] ?? null;
    },
  };
}
