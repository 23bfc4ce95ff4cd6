/**
 * Escalations: the SBAR a nurse sends to the physician who answers now, the acknowledgement, the
 * decision, the move to the team's backup. Every change is a conditional update on the status it
 * starts from, so two physicians answering at once cannot both win; its change event and the
 * notification to whom it concerns are written in the same transaction.
 */
import { actorId, type StaffActor } from '../domain/actor.ts';
import type { DecisionPlanTarget, EscalationDecision, Route } from '../domain/escalation.ts';
import type { Escalation, EscalationListItem } from '../domain/mobile-care-view.ts';
import type { ChangeEvent } from '../domain/notification.ts';
import type { Sbar } from '../domain/sbar.ts';
import type { Queryable } from './db.ts';
import type { StoredEvent } from './event-store.ts';
import { isUuid } from './patient-store.ts';
import { isProtectedSql, listedNameSql, listedUnitNameSql } from './person-status-store.ts';

const VIEW = `e.id, e.patient_id as "patientId", e.assessment_id as "assessmentId", e.sbar,
  json_build_object('staffId', e.from_staff_id, 'name', e.from_staff_name, 'phone', fs.phone,
    'unitId', e.from_unit_id, 'unitName', fu.name) as "from",
  e.sent_at as "sentAt", e.route, e.addressee_staff_id as "addresseeStaffId",
  e.addressee_unit_id as "addresseeUnitId", e.team_id as "teamId", e.status,
  case when e.acknowledged_at is null then null else json_build_object('staffId', e.acknowledged_by,
    'name', e.acknowledged_by_name, 'unitId', e.acknowledged_unit_id, 'at', e.acknowledged_at) end as acknowledged,
  e.decision,
  case when e.decided_at is null then null else json_build_object('staffId', e.decided_by,
    'name', e.decided_by_name, 'unitId', e.decided_unit_id, 'at', e.decided_at) end as decided,
  e.backup_at as "escalatedToBackupAt", e.backup_staff_id as "backupStaffId", e.flagged,
  e.closed_at as "closedAt", e.close_reason as "closeReason"`;
/** `VIEW` beside the patient (`p`) in a list: a protected person's home care unit by its kind only. */
const LIST_VIEW = VIEW.replace("'unitName', fu.name", `'unitName', ${listedUnitNameSql('fu', 'p')}`);
const FROM = `escalation e join staff fs on fs.id = e.from_staff_id join care_unit fu on fu.id = e.from_unit_id`;

type Row = Escalation;
const isoIn = <T extends { at: string } | null>(v: T): T =>
  v ? { ...v, at: new Date(v.at).toISOString() } : v;
const viewOf = <T extends Row>(row: T): T => ({
  ...row,
  acknowledged: isoIn(row.acknowledged),
  decided: isoIn(row.decided),
});

/** A change event about an escalation with the notification to each recipient, in `tx`. */
async function recordEvent(
  tx: Queryable,
  event: ChangeEvent,
  recipients: readonly string[],
  at: string,
): Promise<StoredEvent> {
  const actor = event.actor;
  const rows = await tx.query<{ id: number; createdAt: string }>(
    `insert into change_event (patient_id, contract_id, kind, actor_kind, actor_id, actor_name, actor_unit_id, summary, created_at)
     values ($1, null, $2, $3, $4, $5, $6, $7, $8) returning id, created_at as "createdAt"`,
    [
      event.patientId,
      event.kind,
      actor.kind,
      actorId(actor),
      actor.name,
      actor.kind === 'staff' && actor.unitId !== '' ? actor.unitId : null,
      event.summary,
      at,
    ],
  );
  const stored = rows[0]!;
  const to = [...new Set(recipients)];
  if (to.length > 0)
    await tx.query(
      `insert into notification (recipient_staff_id, patient_id, event_id, kind, summary, created_at)
       select r, $2, $3, $4, $5, $6 from unnest($1::text[]) as r`,
      [to, event.patientId, stored.id, event.kind, `${actor.name}: ${event.summary}`, at],
    );
  return { ...event, id: stored.id, createdAt: stored.createdAt, recipients: to };
}

/** What the routing needs from the directory about a patient: the fast läkarkontakt and the listed unit. */
export interface RoutingDirectoryFacts {
  fastLakarkontakt: {
    staffId: string;
    name: string;
    phone: string | null;
    unitId: string;
    unitName: string;
    unitPhone: string | null;
    reachable: { weekday: number; from: string; to: string }[];
  } | null;
  listedUnit: { unitId: string; name: string; phone: string | null } | null;
}

export function createEscalationStore(db: Queryable) {
  return {
    recordEvent,

    async routingFacts(patientId: string): Promise<RoutingDirectoryFacts> {
      const rows = await db.query<RoutingDirectoryFacts>(
        `select (select json_build_object('staffId', c.staff_id, 'name', s.given_name || ' ' || s.family_name,
             'phone', coalesce(c.phone, s.phone), 'unitId', c.unit_id, 'unitName', u.name, 'unitPhone', u.phone,
             'reachable', c.reachable)
           from care_contact c join staff s on s.id = c.staff_id join care_unit u on u.id = c.unit_id
           where c.patient_id = $1 and c.role = 'fast-lakarkontakt' and c.status = 'active' limit 1) as "fastLakarkontakt",
         (select json_build_object('unitId', u.id, 'name', u.name, 'phone', u.phone)
           from patient p join care_unit u on u.id = p.listed_unit_id where p.id = $1) as "listedUnit"`,
        [patientId],
      );
      return rows[0] ?? { fastLakarkontakt: null, listedUnit: null };
    },

    /** Names and phones of staff members (the physicians on call and their backups). */
    async people(
      staffIds: readonly string[],
    ): Promise<{ staffId: string; name: string; phone: string | null }[]> {
      if (staffIds.length === 0) return [];
      return db.query(
        `select id as "staffId", given_name || ' ' || family_name as name, phone from staff where id = any($1::text[])`,
        [[...staffIds]],
      );
    },

    async find(id: string, q: Queryable = db): Promise<Escalation | null> {
      if (!isUuid(id)) return null;
      const rows = await q.query<Row>(`select ${VIEW} from ${FROM} where e.id = $1`, [id]);
      return rows[0] ? viewOf(rows[0]) : null;
    },

    async listForPatient(patientId: string, limit: number): Promise<Escalation[]> {
      const rows = await db.query<Row>(
        `select ${VIEW} from ${FROM} where e.patient_id = $1 order by e.sent_at desc, e.id limit $2`,
        [patientId, limit],
      );
      return rows.map(viewOf);
    },

    /**
     * Escalations addressed to the staff member: as the physician chosen, as the backup it moved
     * to, or to the unit they act from when no person was named. Newest first; `open` keeps those
     * still waiting for an answer.
     */
    async listAddressedTo(
      staffId: string,
      unitId: string,
      open: boolean,
      limit: number,
    ): Promise<EscalationListItem[]> {
      const rows = await db.query<EscalationListItem>(
        `select ${LIST_VIEW}, json_build_object('name', ${listedNameSql('p')}, 'personnummer', p.identifier,
             'isProtected', ${isProtectedSql('p')}) as patient,
           a.score, a.risk
         from ${FROM} join patient p on p.id = e.patient_id join assessment a on a.id = e.assessment_id
         where (e.addressee_staff_id = $1 or e.backup_staff_id = $1 or (e.addressee_staff_id is null and e.addressee_unit_id = $2))
           and (not $3 or e.status in ('sent', 'acknowledged'))
         order by e.sent_at desc, e.id limit $4`,
        [staffId, unitId, open, limit],
      );
      return rows.map(viewOf);
    },

    async create(
      tx: Queryable,
      input: { patientId: string; assessmentId: string; sbar: Sbar; route: Route },
      actor: StaffActor,
      at: string,
    ): Promise<string> {
      const rows = await tx.query<{ id: string }>(
        `insert into escalation (patient_id, assessment_id, sbar, from_staff_id, from_staff_name, from_unit_id, sent_at,
           route, addressee_staff_id, addressee_unit_id, team_id, status)
         values ($1, $2, $3::jsonb, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, 'sent') returning id`,
        [
          input.patientId,
          input.assessmentId,
          JSON.stringify(input.sbar),
          actor.staffId,
          actor.name,
          actor.unitId,
          at,
          JSON.stringify(input.route),
          input.route.staffId ?? null,
          input.route.unitId ?? null,
          input.route.teamId ?? null,
        ],
      );
      return rows[0]!.id;
    },

    /** Acknowledges an escalation still only sent; false when it no longer is. */
    async acknowledge(tx: Queryable, id: string, actor: StaffActor, at: string): Promise<boolean> {
      const rows = await tx.query(
        `update escalation set status = 'acknowledged', acknowledged_by = $2, acknowledged_by_name = $3,
           acknowledged_unit_id = $4, acknowledged_at = $5 where id = $1 and status = 'sent' returning id`,
        [id, actor.staffId, actor.name, actor.unitId, at],
      );
      return rows.length > 0;
    },

    /** Records the decision on an open escalation (acknowledging it if nobody had); false when it was not open. */
    async decide(
      tx: Queryable,
      id: string,
      decision: EscalationDecision & { addToPlan: boolean; planAs?: DecisionPlanTarget },
      actor: StaffActor,
      at: string,
    ): Promise<boolean> {
      const rows = await tx.query(
        `update escalation set status = 'answered', decision = $2::jsonb, decided_by = $3, decided_by_name = $4,
           decided_unit_id = $5, decided_at = $6,
           acknowledged_by = coalesce(acknowledged_by, $3), acknowledged_by_name = coalesce(acknowledged_by_name, $4),
           acknowledged_unit_id = coalesce(acknowledged_unit_id, $5), acknowledged_at = coalesce(acknowledged_at, $6)
         where id = $1 and status in ('sent', 'acknowledged') returning id`,
        [id, JSON.stringify(decision), actor.staffId, actor.name, actor.unitId, at],
      );
      return rows.length > 0;
    },

    /** Closes every open escalation of the patient (e.g. a death); returns the closed ones. */
    async closeOpenForPatient(
      tx: Queryable,
      patientId: string,
      reason: string,
      at: string,
    ): Promise<
      { id: string; fromStaffId: string; addresseeStaffId: string | null; backupStaffId: string | null }[]
    > {
      return tx.query(
        `update escalation set status = 'closed', closed_at = $2, close_reason = $3
         where patient_id = $1 and status in ('sent', 'acknowledged')
         returning id, from_staff_id as "fromStaffId", addressee_staff_id as "addresseeStaffId",
           backup_staff_id as "backupStaffId"`,
        [patientId, at, reason],
      );
    },

    /**
     * The candidates for the backup: escalations sent to a team, still unacknowledged and not yet
     * moved, sent at or before `sentBy` (the domain's `backupCutoff`); `backupDue` decides.
     */
    async dueForBackup(
      sentBy: string,
      limit: number,
    ): Promise<
      {
        id: string;
        patientId: string;
        teamId: string;
        fromStaffId: string;
        addresseeStaffId: string | null;
        sentAt: string;
      }[]
    > {
      return db.query(
        `select id, patient_id as "patientId", team_id as "teamId", from_staff_id as "fromStaffId",
                addressee_staff_id as "addresseeStaffId", sent_at as "sentAt"
         from escalation where status = 'sent' and backup_at is null and team_id is not null and sent_at <= $1::timestamptz
         order by sent_at limit $2`,
        [sentBy, limit],
      );
    },

    /** Moves an escalation to the backup and flags it, if it is still unacknowledged and not moved. */
    async moveToBackup(
      tx: Queryable,
      id: string,
      backupStaffId: string | null,
      at: string,
    ): Promise<boolean> {
      const rows = await tx.query(
        `update escalation set backup_at = $2, backup_staff_id = $3, flagged = true
         where id = $1 and status = 'sent' and backup_at is null returning id`,
        [id, at, backupStaffId],
      );
      return rows.length > 0;
    },
  };
}

export type EscalationStore = ReturnType<typeof createEscalationStore>;
