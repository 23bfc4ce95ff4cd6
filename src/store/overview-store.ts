/**
 * Everything the patient overview shows, in one round trip: the patient, the current
 * contract, the active fixed contacts and treating roles, and the names of every unit and
 * person the plan refers to. This is the hot read path (see bench/).
 */
import type { CareContactView } from './care-contact-store.ts';
import type { Contract } from '../domain/contract.ts';
import type { Queryable } from './db.ts';
import { namedSql } from './named-sql.ts';
import { isUuid, patientColumns, type Patient } from './patient-store.ts';

export interface UnitRef {
  name: string;
  providerKind: 'region' | 'kommun' | 'privat';
  providerName: string;
  phone: string | null;
}

export interface StaffRef {
  name: string;
  title: string | null;
  profession: string;
  phone: string | null;
}

export interface PatientOverview {
  patient: Patient;
  contract: Contract | null;
  careContacts: CareContactView[];
  units: Record<string, UnitRef>;
  staff: Record<string, StaffRef>;
  /** Some information is blocked (spärr) for this reader; what and where is not told. */
  hasBlockedInformation?: boolean;
}

/** The overview's common table expressions about the patient whose id is the parameter `patient`. */
const ctesOf = (patient: string): string => `
pat as (select ${patientColumns} from patient p where p.id = ${patient}),
con as (
  select c.id, c.patient_id as "patientId", c.status, c.version, c.content, c.created_at as "createdAt",
    c.created_by as "createdBy", c.updated_at as "updatedAt", c.updated_by as "updatedBy"
  from contract c where c.patient_id = ${patient} and c.status <> 'ended'),
cc as (
  select cc.id, cc.patient_id as "patientId", cc.role, cc.role_title as "roleTitle", cc.staff_id as "staffId",
    cc.unit_id as "unitId", cc.via_team as "viaTeam", cc.phone, cc.reachable, cc.reason, cc.status,
    cc.start_date as "startDate", cc.review_date as "reviewDate", cc.end_date as "endDate",
    cc.end_reason as "endReason", cc.note, cc.version,
    case when s.id is null then null else s.given_name || ' ' || s.family_name end as "staffName",
    s.profession as "staffProfession", u.name as "unitName", pr.kind as "providerKind",
    exists (select 1 from staff_unit su where su.staff_id = cc.staff_id and su.unit_id = cc.unit_id
      and su.ended_at is not null) as "holderHasLeft"
  from care_contact cc join care_unit u on u.id = cc.unit_id join care_provider pr on pr.id = u.provider_id
    left join staff s on s.id = cc.staff_id
  where cc.patient_id = ${patient} and cc.status = 'active'
  order by array_position(array['fast-vardkontakt','fast-lakarkontakt','fast-omsorgskontakt','behandlande-roll'], cc.role))`;

/** The overview's parts, as SQL expressions of json (after `ctes`), in the order of PatientOverview. */
const parts: [keyof PatientOverview, string][] = [
  ['patient', '(select row_to_json(pat) from pat)'],
  ['contract', '(select row_to_json(con) from con)'],
  ['careContacts', `(select coalesce(json_agg(cc), '[]') from cc)`],
  [
    'units',
    `(select coalesce(json_object_agg(u.id, json_build_object('name', u.name, 'providerKind', pr.kind,
      'providerName', pr.name, 'phone', u.phone)), '{}')
    from care_unit u join care_provider pr on pr.id = u.provider_id where u.id = any(array(
      select jsonb_path_query(content, '$.activities[*].unitId') #>> '{}' from con
      union all select jsonb_path_query(content, '$.linkedPlans[*].unitId') #>> '{}' from con
      union all select jsonb_path_query(content, '$.nextContact.unitId') #>> '{}' from con
      union all select "unitId" from cc
      union all select "listedUnitId" from pat)))`,
  ],
  [
    'staff',
    `(select coalesce(json_object_agg(s.id, json_build_object('name', s.given_name || ' ' || s.family_name,
      'title', s.title, 'profession', s.profession, 'phone', s.phone)), '{}')
    from staff s where s.id = any(array(
      select jsonb_path_query(content, '$.activities[*].responsibleStaffId') #>> '{}' from con
      union all select jsonb_path_query(content, '$.nextContact.withStaffId') #>> '{}' from con)))`,
  ],
];

/** The overview as columns, for a reader from whom a spärr hides something (redacted in Node). */
export const overviewStatement = namedSql(
  `with ${ctesOf(':patientId')}
select ${parts.map(([key, expr]) => `${expr} as "${key}"`).join(',\n  ')}`,
  ['patientId'],
);

/** The same overview as one JSON text, as PostgreSQL writes it; null when there is no such patient. */
const jsonColumns = `case when exists (select 1 from pat) then json_build_object(
  ${parts.map(([key, expr]) => `'${key}', ${expr}`).join(',\n  ')})::text end as "overviewJson",
  (select version from con) as "overviewContractVersion"`;
/** The overview as one JSON text, for a reader from whom nothing is hidden. */
export const overviewJsonStatement = namedSql(
  `with ${ctesOf(':patientId')}
select ${jsonColumns}`,
  ['patientId'],
);

/** The overview as JSON text (see `OverviewStore#readJson`); null when there is no such patient. */
export interface OverviewJson {
  json: string;
  /** The current contract's version (its ETag), null without one. */
  contractVersion: number | null;
}

/**
 * `OverviewStore#readJson` about the patient whose id is the parameter `patient` (e.g. `$3`), as
 * common table expressions and columns for a statement that reads it beside other things: the
 * session statement of `GET …/overview` (prefetch-store.ts, `config: { prefetch: 'overview' }`).
 * Read the row with `overviewJsonOf`.
 */
export const overviewJsonSql = (patient: string): { ctes: string; columns: string } => ({
  ctes: ctesOf(patient),
  columns: jsonColumns,
});

/** The row's `overviewJsonSql` columns; null when there is no such patient. */
export function overviewJsonOf(columns: object): OverviewJson | null {
  const row = columns as { overviewJson?: string | null; overviewContractVersion?: number | null };
  return row.overviewJson
    ? { json: row.overviewJson, contractVersion: row.overviewContractVersion ?? null }
    : null;
}

export function createOverviewStore(db: Queryable) {
  return {
    /** The whole overview for one patient, or null when there is no such patient. */
    async read(patientId: string): Promise<PatientOverview | null> {
      if (!isUuid(patientId)) return null;
      const rows = await db.query<PatientOverview>(
        overviewStatement.text,
        overviewStatement.params({ patientId }),
      );
      const row = rows[0];
      return row?.patient ? row : null;
    },

    /**
     * The overview as JSON text, for a reader from whom nothing is hidden: sent as it is, without
     * parsing and writing it again in JavaScript (the hot read path). Null when there is no such
     * patient. `contractVersion` is the current contract's version (its ETag), null without one.
     */
    async readJson(patientId: string): Promise<OverviewJson | null> {
      if (!isUuid(patientId)) return null;
      const row = (
        await db.query(overviewJsonStatement.text, overviewJsonStatement.params({ patientId }))
      )[0];
      return row ? overviewJsonOf(row) : null;
    },
  };
}

export type OverviewStore = ReturnType<typeof createOverviewStore>;
