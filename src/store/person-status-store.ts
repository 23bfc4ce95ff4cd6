/**
 * The register's facts on the patient row (migration 017) and the status events that follow from
 * them (migration 019): reads and writes only. What a change means is decided by
 * domain/person-status.ts and carried out by services/person-status-service.ts.
 */
import {
  homeUnitLabels,
  PROTECTED_NAME,
  type PersonStatus,
  type Protection,
  type StatusChange,
  type StatusSource,
} from '../domain/person-status.ts';
import type { Queryable } from './db.ts';
import { isUuid } from './patient-store.ts';

/**
 * The patient's name as a list, a notification or a live event shows it (`p` the patient table's
 * alias): "Skyddad identitet" for a person with sekretessmarkering or skyddad folkbokföring
 * (domain/person-status.ts#listedName, the same rule in SQL, for the stores that read names).
 */
export const listedNameSql = (p: string): string =>
  `case when ${p}.protection <> 'none' then '${PROTECTED_NAME}' else ${p}.given_name || ' ' || ${p}.family_name end`;

/**
 * A unit's name as a list shows it beside a patient (`u` the care_unit alias, `p` the patient's):
 * for a protected person, a unit that tells where they live (home care, särskilt boende,
 * hemtjänst) is named by its kind only.
 */
export const listedUnitNameSql = (u: string, p: string): string =>
  `case when ${p}.protection <> 'none' and ${u}.kind in (${Object.keys(homeUnitLabels)
    .map((k) => `'${k}'`)
    .join(', ')}) then (case ${u}.kind ${Object.entries(homeUnitLabels)
    .map(([k, v]) => `when '${k}' then '${v}'`)
    .join(' ')} end) else ${u}.name end`;

/** Whether the patient's identity is protected, as a boolean column (`p` the patient table's alias). */
export const isProtectedSql = (p: string): string => `(${p}.protection <> 'none')`;

/** The status columns as a `PersonStatus` (`p` the patient table). */
const statusColumns = `p.protection, p.deceased_on as "deceasedOn", p.moved_out_on as "movedOutOn",
  json_build_object('line', p.address_line, 'postalCode', p.postal_code, 'city', p.city,
    'municipalityCode', p.municipality_code) as address`;

/** A patient's status as the views show it: the protection marker, death and move-out. */
export interface PatientStatusView {
  protection: Protection;
  deceasedOn: string | null;
  movedOutOn: string | null;
}

export function createPersonStatusStore(db: Queryable) {
  return {
    /** The patient's status, the row locked until `tx` ends (null: no such patient). */
    async lockStatus(tx: Queryable, patientId: string): Promise<PersonStatus | null> {
      if (!isUuid(patientId)) return null;
      const rows = await tx.query<PersonStatus>(
        `select ${statusColumns} from patient p where p.id = $1 for update`,
        [patientId],
      );
      return rows[0] ?? null;
    },

    /** Writes the status on the patient row, with where it came from and when it was checked. */
    async writeStatus(
      tx: Queryable,
      patientId: string,
      status: PersonStatus,
      source: StatusSource,
      checkedAt: string,
    ): Promise<void> {
      // A death reported by care is not the register's word: the row keeps its register source.
      await tx.query(
        `update patient set protection = $2, deceased_on = $3, moved_out_on = $4, address_line = $5,
           postal_code = $6, city = $7, municipality_code = $8,
           register_source = case when $9 = 'care' then register_source else $9 end,
           register_checked_at = case when $9 = 'care' then register_checked_at else $10::timestamptz end
         where id = $1`,
        [
          patientId,
          status.protection,
          status.deceasedOn,
          status.movedOutOn,
          status.address.line,
          status.address.postalCode,
          status.address.city,
          status.address.municipalityCode,
          source,
          checkedAt,
        ],
      );
    },

    /**
     * Records a status change once: false when it was recorded before (a death is recorded once
     * per person, by a unique index, whoever reports it first).
     */
    async recordEvent(
      tx: Queryable,
      patientId: string,
      change: StatusChange,
      source: StatusSource,
      by: { id: string; unitId: string | null },
      at: string,
    ): Promise<boolean> {
      const on = change.kind === 'died' || change.kind === 'moved-out' ? change.on : null;
      const rows = await tx.query(
        `insert into patient_status_event (patient_id, kind, occurred_on, source, recorded_by, recorded_by_unit_id,
           recorded_at)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing returning id`,
        [patientId, change.kind, on, source, by.id, by.unitId, at],
      );
      return rows.length > 0;
    },

    /** The statuses of these patients (missing ones left out), for views and lists. */
    async statusesOf(patientIds: readonly string[]): Promise<Map<string, PatientStatusView>> {
      const ids = [...new Set(patientIds.filter(isUuid))];
      if (ids.length === 0) return new Map();
      const rows = await db.query<PatientStatusView & { id: string }>(
        `select p.id, p.protection, p.deceased_on as "deceasedOn", p.moved_out_on as "movedOutOn"
         from patient p where p.id = any($1::uuid[])`,
        [ids],
      );
      return new Map(rows.map(({ id, ...status }) => [id, status]));
    },
  };
}

export type PersonStatusStore = ReturnType<typeof createPersonStatusStore>;
