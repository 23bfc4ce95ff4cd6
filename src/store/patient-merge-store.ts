/**
 * Merging a reservnummer's record into the person's real one (domain/patient-merge.ts,
 * migration 018), inside the caller's transaction: both rows locked, every row that names the
 * reservnummer's patient moved to the survivor, the reservnummer's row marked as merged.
 *
 * What is moved is every column with a foreign key to patient (read from the catalogue, so a
 * table added later is moved too) and the visits (which have no foreign key). A diagnosis or a
 * register period the survivor already has stays with the reservnummer's row (nothing is
 * deleted). The access log is not changed (it is append-only); it is read under the survivor
 * (access-log-store.ts). A unique rule that refuses (both with an active fast vårdkontakt …)
 * answers `merge_refused` and the caller's transaction rolls back.
 */
import { DomainError } from '../domain/errors.ts';
import { mergeConflictMessage, type MergeParty } from '../domain/patient-merge.ts';
import type { Queryable } from './db.ts';
import { isUniqueViolation } from './pg-errors.ts';

/** Tables whose key includes more than the patient: only what the survivor lacks is moved. */
const keyedTables: Record<string, string> = {
  patient_diagnosis: 'o.icd10 = t.icd10',
  register_period: 'o.kind = t.kind and o.unit_id = t.unit_id and o.valid_from = t.valid_from',
};

/** The unique rules a merge can meet, by name. */
const uniqueRules = [
  'care_contact_one_fast_vardkontakt',
  'care_contact_one_fast_lakarkontakt',
  'care_contact_one_fast_omsorgskontakt',
  'enrolment_open_idx',
  'contract_one_current',
  'hospital_stay_one_open',
];

export function createPatientMergeStore() {
  return {
    /** Both patients, locked for the merge (in id order, so two merges cannot deadlock). */
    async lockParties(tx: Queryable, ids: readonly [string, string]): Promise<Map<string, MergeParty>> {
      const rows = await tx.query<MergeParty>(
        `select p.id, p.identifier, p.identifier_kind as "identifierKind", p.merged_into as "mergedInto",
                exists (select 1 from contract c where c.patient_id = p.id and c.status <> 'ended') as "hasCurrentContract"
           from patient p where p.id = any($1::uuid[]) order by p.id for update of p`,
        [ids],
      );
      return new Map(rows.map((r) => [r.id, r]));
    },

    /** Moves every row of `fromId` to `intoId` and marks `fromId` merged; the count moved per table. */
    async merge(
      tx: Queryable,
      fromId: string,
      intoId: string,
      by: { actorId: string; at: string },
    ): Promise<Record<string, number>> {
      const references = await tx.query<{ tbl: string; col: string }>(
        `select c.conrelid::regclass::text as tbl, a.attname as col
           from pg_constraint c
           join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
          where c.contype = 'f' and c.confrelid = 'patient'::regclass and c.conparentid = 0
            and c.conrelid <> 'patient'::regclass
          order by 1, 2`,
      );
      const moved: Record<string, number> = {};
      try {
        for (const { tbl, col } of [...references, { tbl: 'visit', col: 'patient_id' }]) {
          const only = keyedTables[tbl];
          const rows = await tx.query<{ n: number }>(
            `with up as (update ${tbl} t set ${col} = $2 where t.${col} = $1
               ${only ? `and not exists (select 1 from ${tbl} o where o.${col} = $2 and ${only})` : ''}
               returning 1)
             select count(*)::int as n from up`,
            [fromId, intoId],
          );
          if (rows[0]!.n > 0) moved[tbl] = (moved[tbl] ?? 0) + rows[0]!.n;
        }
      } catch (error) {
        if (isUniqueViolation(error)) {
          const rule = uniqueRules.find((name) => isUniqueViolation(error, name)) ?? null;
          throw new DomainError('merge_refused', mergeConflictMessage(rule));
        }
        throw error;
      }
      await tx.query(
        `update patient set merged_into = $2, merged_at = $3, merged_by = $4, version = version + 1 where id = $1`,
        [fromId, intoId, by.at, by.actorId],
      );
      return moved;
    },
  };
}

export type PatientMergeStore = ReturnType<typeof createPatientMergeStore>;
