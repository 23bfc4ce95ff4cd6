/** Changing a patient's name and phone, with optimistic concurrency on the patient's version. */
import { DomainError } from '../domain/errors.ts';
import type { Queryable } from './db.ts';
import { isUuid } from './patient-store.ts';

export interface PatientUpdate {
  givenName: string;
  familyName: string;
  phone: string | null;
}

export function createPatientUpdateStore(db: Queryable) {
  return {
    /**
     * Saves name and phone if `expectedVersion` is still the patient's version, and returns the
     * new version (the same one when name and phone were already these: no new version);
     * otherwise nothing is written and a version conflict is thrown.
     */
    async update(patientId: string, expectedVersion: number, update: PatientUpdate): Promise<number> {
      if (!isUuid(patientId)) throw new DomainError('not_found');
      const rows = await db.query<{ version: number }>(
        `update patient set given_name = $3, family_name = $4, phone = $5,
           version = version + case when (given_name, family_name, phone) is distinct from ($3::text, $4::text, $5::text)
                                    then 1 else 0 end
         where id = $1 and version = $2 returning version`,
        [patientId, expectedVersion, update.givenName, update.familyName, update.phone],
      );
      if (rows[0]) return rows[0].version;
      const exists = await db.query('select 1 from patient where id = $1', [patientId]);
      throw new DomainError(exists.length > 0 ? 'version_conflict' : 'not_found');
    },
  };
}

export type PatientUpdateStore = ReturnType<typeof createPatientUpdateStore>;
