/**
 * Stays in hospital (hospital_stay), as staff record them through the JSON API and as the
 * admissions import writes them (admission-import-store.ts): one row per patient and admission
 * instant. A staff admission is written only while the patient has no open stay, and a discharge
 * only of a stay still open, each in one conditional statement, so two people recording at once
 * cannot both win.
 */
import type { StaffActor } from '../domain/actor.ts';
import type { HospitalStay } from '../domain/hospital-stay.ts';
import type { Queryable } from './db.ts';
import { isUuid } from './patient-store.ts';

const VIEW = `h.id, h.patient_id as "patientId", h.unit_id as "unitId", u.name as "unitName",
  h.admitted_at as "admittedAt", h.discharged_at as "dischargedAt", h.source, h.import_id as "importId",
  case when h.admitted_by is null then null else json_build_object('staffId', h.admitted_by,
    'name', h.admitted_by_name, 'unitId', h.admitted_by_unit_id, 'at', h.admission_recorded_at) end as "admittedBy",
  case when h.discharged_by is null then null else json_build_object('staffId', h.discharged_by,
    'name', h.discharged_by_name, 'unitId', h.discharged_by_unit_id, 'at', h.discharge_recorded_at) end as "dischargedBy"`;
const FROM = `hospital_stay h left join care_unit u on u.id = h.unit_id`;

const iso = <T extends { at: string } | null>(v: T): T =>
  v ? { ...v, at: new Date(v.at).toISOString() } : v;
const viewOf = (row: HospitalStay): HospitalStay => ({
  ...row,
  admittedBy: iso(row.admittedBy),
  dischargedBy: iso(row.dischargedBy),
});

/** What a discharge shows of the plan: its id, the next contact, the fast vårdkontakt. */
export interface PlanAtDischarge {
  contractId: string | null;
  nextContact: { at: string; mode: string; unitId: string } | null;
  fastVardkontakt: { staffId: string; name: string } | null;
}

export function createHospitalStayStore(db: Queryable) {
  return {
    async find(id: string, q: Queryable = db): Promise<HospitalStay | null> {
      if (!isUuid(id)) return null;
      const rows = await q.query<HospitalStay>(`select ${VIEW} from ${FROM} where h.id = $1`, [id]);
      return rows[0] ? viewOf(rows[0]) : null;
    },

    /** The patient's stays, the newest admission first. */
    async listForPatient(patientId: string, limit: number): Promise<HospitalStay[]> {
      const rows = await db.query<HospitalStay>(
        `select ${VIEW} from ${FROM} where h.patient_id = $1 order by h.admitted_at desc limit $2`,
        [patientId, limit],
      );
      return rows.map(viewOf);
    },

    /** The patient's open stay (no discharge yet), if any. */
    async openStay(patientId: string, q: Queryable = db): Promise<HospitalStay | null> {
      const rows = await q.query<HospitalStay>(
        `select ${VIEW} from ${FROM} where h.patient_id = $1 and h.discharged_at is null
         order by h.admitted_at desc limit 1`,
        [patientId],
      );
      return rows[0] ? viewOf(rows[0]) : null;
    },

    /**
     * Records an admission by a member of staff, only while the patient has no open stay and no
     * stay admitted at the same instant; returns its id, or null when another was there first
     * (also when it committed while this one waited: the unique indexes on the instant and on the
     * one open stay, migration 031, answer `do nothing`).
     */
    async admit(
      tx: Queryable,
      input: { patientId: string; unitId: string; admittedAt: string },
      actor: StaffActor,
      at: string,
    ): Promise<string | null> {
      const rows = await tx.query<{ id: string }>(
        `insert into hospital_stay (patient_id, unit_id, admitted_at, source, admitted_by, admitted_by_name,
           admitted_by_unit_id, admission_recorded_at)
         select $1, $2, $3, 'staff', $4, $5, $6, $7
          where not exists (select 1 from hospital_stay o where o.patient_id = $1
                              and (o.discharged_at is null or o.admitted_at = $3::timestamptz))
         on conflict do nothing
         returning id`,
        [input.patientId, input.unitId, input.admittedAt, actor.staffId, actor.name, actor.unitId, at],
      );
      return rows[0]?.id ?? null;
    },

    /** Records the discharge of a stay still open; false when it is not (any more). */
    async discharge(
      tx: Queryable,
      id: string,
      dischargedAt: string,
      actor: StaffActor,
      at: string,
    ): Promise<boolean> {
      const rows = await tx.query(
        `update hospital_stay set discharged_at = $2, discharged_by = $3, discharged_by_name = $4,
           discharged_by_unit_id = $5, discharge_recorded_at = $6
         where id = $1 and discharged_at is null and admitted_at <= $2::timestamptz returning id`,
        [id, dischargedAt, actor.staffId, actor.name, actor.unitId, at],
      );
      return rows.length > 0;
    },

    /** The patient's current plan, its next contact and the active fast vårdkontakt. */
    async planAtDischarge(patientId: string, q: Queryable = db): Promise<PlanAtDischarge> {
      const rows = await q.query<PlanAtDischarge>(
        `select (select c.id from contract c where c.patient_id = $1 and c.status <> 'ended') as "contractId",
                (select case when c.content -> 'nextContact' ->> 'at' is null then null else
                   json_build_object('at', c.content -> 'nextContact' ->> 'at',
                     'mode', c.content -> 'nextContact' ->> 'mode',
                     'unitId', c.content -> 'nextContact' ->> 'unitId') end
                   from contract c where c.patient_id = $1 and c.status <> 'ended') as "nextContact",
                (select json_build_object('staffId', s.id, 'name', s.given_name || ' ' || s.family_name)
                   from care_contact k join staff s on s.id = k.staff_id
                  where k.patient_id = $1 and k.role = 'fast-vardkontakt' and k.status = 'active' limit 1)
                  as "fastVardkontakt"`,
        [patientId],
      );
      return rows[0] ?? { contractId: null, nextContact: null, fastVardkontakt: null };
    },
  };
}

export type HospitalStayStore = ReturnType<typeof createHospitalStayStore>;
