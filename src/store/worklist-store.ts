/**
 * The staff worklist ("Mina patienter"): the patients for whom a member of staff personally
 * holds an active fixed contact or treating role, with what needs doing — a review date that
 * has passed, a next contact in the coming days or one that is overdue without a new time.
 * Driven by the partial index on care_contact (staff_id) where status = 'active'.
 */
import type { CareContactRole } from '../domain/care-contact.ts';
import type { Queryable } from './db.ts';
import { isProtectedSql, listedNameSql } from './person-status-store.ts';

export interface WorklistRow {
  patientId: string;
  name: string;
  identifier: string;
  /** The roles I hold for the patient, e.g. fast-vardkontakt, behandlande-roll. */
  roles: CareContactRole[];
  contractStatus: 'draft' | 'active' | null;
  reviewDate: string | null;
  nextContactAt: string | null;
  /** Unit and provider of the next contact, so that a spärr can hide it. */
  nextContactUnitId: string | null;
  nextContactProviderId: string | null;
  /** The patient asked for another time (patient app). */
  nextContactChangeRequested: boolean;
  /** When the patient asked for another time (their answer's time), null unless they did. */
  nextContactRequestedAt: string | null;
  /** The short message the patient wrote with their answer to the next contact, if any. */
  nextContactPatientMessage: string | null;
  /** Sekretessmarkering or skyddad folkbokföring: `name` is "Skyddad identitet". */
  isProtected: boolean;
  /** The day the patient died, or moved out of the region (domain/person-status.ts). */
  deceasedOn: string | null;
  movedOutOn: string | null;
}

const sql = `
with mine as (
  select cc.patient_id, array_agg(distinct cc.role order by cc.role) as roles
  from care_contact cc
  where cc.staff_id = $1 and cc.status = 'active'
  group by cc.patient_id
)
select p.id as "patientId", ${listedNameSql('p')} as name, p.identifier,
  ${isProtectedSql('p')} as "isProtected", p.deceased_on as "deceasedOn", p.moved_out_on as "movedOutOn",
  m.roles, c.status as "contractStatus", c.review_date as "reviewDate", c.next_contact_at as "nextContactAt",
  c.content -> 'nextContact' ->> 'unitId' as "nextContactUnitId", u.provider_id as "nextContactProviderId",
  coalesce((c.content -> 'nextContact' ->> 'patientRequestedChange')::boolean, false) as "nextContactChangeRequested",
  case when (c.content -> 'nextContact' ->> 'patientRequestedChange')::boolean
    then c.content #>> '{nextContact,patientResponse,respondedAt}' end as "nextContactRequestedAt",
  c.content #>> '{nextContact,patientResponse,message}' as "nextContactPatientMessage"
from mine m
  join patient p on p.id = m.patient_id
  left join contract c on c.patient_id = p.id and c.status <> 'ended'
  left join care_unit u on u.id = c.content -> 'nextContact' ->> 'unitId'
order by p.family_name, p.given_name, p.id
limit $2`;

export function createWorklistStore(db: Queryable) {
  return {
    /** My patients (at most `limit`, by name), with the facts the worklist is ordered by (domain/worklist.ts). */
    async listForStaff(staffId: string, limit = 500): Promise<WorklistRow[]> {
      return db.query<WorklistRow>(sql, [staffId, limit]);
    },

    /** Whether the patient is on the staff member's worklist (for live updates). */
    async isOnWorklist(staffId: string, patientId: string): Promise<boolean> {
      const rows = await db.query(
        `select 1 from care_contact where staff_id = $1 and patient_id = $2 and status = 'active' limit 1`,
        [staffId, patientId],
      );
      return rows.length > 0;
    },

    /**
     * The patient as the one line of a live update shows them: the name ("Skyddad identitet" for
     * a protected person) and whether they are protected.
     */
    async listedPatient(patientId: string): Promise<{ name: string; isProtected: boolean } | null> {
      const rows = await db.query<{ name: string; isProtected: boolean }>(
        `select ${listedNameSql('p')} as name, ${isProtectedSql('p')} as "isProtected" from patient p where p.id = $1`,
        [patientId],
      );
      return rows[0] ?? null;
    },
  };
}

export type WorklistStore = ReturnType<typeof createWorklistStore>;
