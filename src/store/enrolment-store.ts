/**
 * Enrolments in a mobile care team and their history. At most one open enrolment per patient and
 * team is a database rule (a partial unique index), so two proposals at once cannot both win.
 */
import type { StaffActor } from '../domain/actor.ts';
import type {
  EndReason,
  Enrolment,
  EnrolmentEventKind,
  EnrolmentStatus,
  TargetGroup,
} from '../domain/enrolment.ts';
import { DomainError } from '../domain/errors.ts';
import type { EnrolmentView } from '../domain/mobile-care-view.ts';
import type { Queryable } from './db.ts';
import { isUuid } from './patient-store.ts';
import { isUniqueViolation } from './pg-errors.ts';

export interface NewEnrolment {
  patientId: string;
  teamId: string;
  targetGroup: TargetGroup;
  criteria: string[];
  criteriaVersion: { id: string; version: number };
  start: string;
  reviewDate: string;
}

const VIEW = `e.id, e.patient_id as "patientId", e.team_id as "teamId", e.target_group as "targetGroup",
  e.criteria, json_build_object('id', e.criteria_set_id, 'version', e.criteria_version) as "criteriaVersion",
  e.status, e.start_date as start, e.review_date as "reviewDate",
  json_build_object('staffId', e.proposed_by, 'unitId', e.proposed_by_unit_id, 'at', e.proposed_at) as proposed,
  case when e.confirmed_by is null then null else
    json_build_object('staffId', e.confirmed_by, 'unitId', e.confirmed_by_unit_id, 'at', e.confirmed_at) end as confirmed,
  case when e.ended_at is null then null else
    json_build_object('staffId', e.ended_by, 'unitId', null, 'at', e.ended_at, 'reason', e.end_reason) end as ended,
  t.name as "teamName", t.public_name as "teamPublicName",
  (select given_name || ' ' || family_name from staff where id = e.proposed_by) as "proposedByName",
  (select given_name || ' ' || family_name from staff where id = e.confirmed_by) as "confirmedByName",
  coalesce((select json_agg(json_build_object('action', v.action, 'at', v.at, 'actorName', v.actor_name,
      'actorUnitId', v.actor_unit_id, 'detail', v.detail) order by v.seq)
    from enrolment_event v where v.enrolment_id = e.id), '[]') as history`;

type Row = Omit<EnrolmentView, 'confirmed' | 'ended'> & {
  confirmed: Enrolment['confirmed'] | null;
  ended: Enrolment['ended'] | null;
};

const viewOf = (row: Row): EnrolmentView => {
  const { confirmed, ended, ...rest } = row;
  return {
    ...rest,
    // Timestamps inside json are the database's text form: one form for the API.
    proposed: { ...rest.proposed, at: new Date(rest.proposed.at).toISOString() },
    ...(confirmed ? { confirmed: { ...confirmed, at: new Date(confirmed.at).toISOString() } } : {}),
    ...(ended ? { ended: { ...ended, at: new Date(ended.at).toISOString() } } : {}),
    history: rest.history.map((h) => ({ ...h, at: new Date(h.at).toISOString() })),
  };
};

export function createEnrolmentStore(db: Queryable) {
  async function addEvent(
    tx: Queryable,
    enrolmentId: string,
    action: EnrolmentEventKind,
    actor: StaffActor | null,
    at: string,
    detail: string | null = null,
  ): Promise<void> {
    await tx.query(
      `insert into enrolment_event (enrolment_id, action, at, actor_id, actor_name, actor_unit_id, detail)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [
        enrolmentId,
        action,
        at,
        actor?.staffId ?? 'system',
        actor?.name ?? 'Systemet',
        actor?.unitId ?? null,
        detail,
      ],
    );
  }

  return {
    async find(id: string, q: Queryable = db): Promise<EnrolmentView | null> {
      if (!isUuid(id)) return null;
      const rows = await q.query<Row>(
        `select ${VIEW} from enrolment e join team t on t.id = e.team_id where e.id = $1`,
        [id],
      );
      return rows[0] ? viewOf(rows[0]) : null;
    },

    /** The patient's enrolments, open ones first, newest first. */
    async listForPatient(patientId: string, limit: number): Promise<EnrolmentView[]> {
      const rows = await db.query<Row>(
        `select ${VIEW} from enrolment e join team t on t.id = e.team_id where e.patient_id = $1
         order by (e.status = 'ended'), e.proposed_at desc limit $2`,
        [patientId, limit],
      );
      return rows.map(viewOf);
    },

    /** Proposes an enrolment; a second open one for the same patient and team answers 409. */
    async propose(tx: Queryable, input: NewEnrolment, actor: StaffActor, at: string): Promise<string> {
      try {
        const rows = await tx.query<{ id: string }>(
          `insert into enrolment (patient_id, team_id, target_group, criteria, criteria_set_id, criteria_version,
             start_date, review_date, status, proposed_by, proposed_by_unit_id, proposed_at)
           values ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, 'proposed', $9, $10, $11) returning id`,
          [
            input.patientId,
            input.teamId,
            input.targetGroup,
            JSON.stringify(input.criteria),
            input.criteriaVersion.id,
            input.criteriaVersion.version,
            input.start,
            input.reviewDate,
            actor.staffId,
            actor.unitId,
            at,
          ],
        );
        const id = rows[0]!.id;
        await addEvent(tx, id, 'proposed', actor, at);
        return id;
      } catch (error) {
        if (isUniqueViolation(error)) throw new DomainError('enrolment_exists');
        throw error;
      }
    },

    /**
     * Moves an enrolment from `from` to `to` (only if it is still in `from`: a concurrent change
     * answers 409) and records the step. Confirming records the confirmer; ending the reason.
     */
    async transition(
      tx: Queryable,
      id: string,
      change: { from: EnrolmentStatus; to: EnrolmentStatus; action: EnrolmentEventKind; reason?: EndReason },
      actor: StaffActor | null,
      at: string,
      detail: string | null = null,
    ): Promise<void> {
      const rows = await tx.query<{ id: string }>(
        `update enrolment set status = $3, version = version + 1,
           confirmed_by = case when $4 = 'confirmed' then $5 else confirmed_by end,
           confirmed_by_unit_id = case when $4 = 'confirmed' then $6 else confirmed_by_unit_id end,
           confirmed_at = case when $4 = 'confirmed' then $7::timestamptz else confirmed_at end,
           ended_at = case when $4 = 'ended' then $7::timestamptz else ended_at end,
           ended_by = case when $4 = 'ended' then $5 else ended_by end,
           end_reason = case when $4 = 'ended' then $8 else end_reason end
         where id = $1 and status = $2 returning id`,
        [
          id,
          change.from,
          change.to,
          change.action,
          actor?.staffId ?? 'system',
          actor?.unitId ?? null,
          at,
          change.reason ?? null,
        ],
      );
      if (rows.length === 0) throw new DomainError('enrolment_transition');
      await addEvent(tx, id, change.action, actor, at, detail);
    },

    /** Ends every open enrolment of the patient (a death), with the reason; returns their ids. */
    async endAllForPatient(
      tx: Queryable,
      patientId: string,
      reason: EndReason,
      actor: StaffActor,
      at: string,
    ): Promise<string[]> {
      const rows = await tx.query<{ id: string }>(
        `update enrolment set status = 'ended', version = version + 1, ended_at = $3, ended_by = $4, end_reason = $2
         where patient_id = $1 and status <> 'ended' returning id`,
        [patientId, reason, at, actor.staffId],
      );
      for (const { id } of rows) await addEvent(tx, id, 'ended', actor, at, reason);
      return rows.map((r) => r.id);
    },

    /**
     * The open enrolments of the patients whose stays in hospital an import wrote (or of one
     * patient, whose stay staff recorded): whether the
     * patient is in hospital now (a stay without discharge), whether the enrolment rests because
     * of an admission (its last step a pause with detail 'admitted'), and the patient's plan.
     */
    async admissionCandidates(
      tx: Queryable,
      of: { importId: number } | { patientId: string },
    ): Promise<AdmissionCandidate[]> {
      return tx.query<AdmissionCandidate>(
        `select e.id, e.patient_id as "patientId", e.status, t.name as "teamName",
                exists (select 1 from hospital_stay h where h.patient_id = e.patient_id and h.discharged_at is null)
                  as "inHospital",
                coalesce((select ev.action = 'paused' and ev.detail = 'admitted' from enrolment_event ev
                           where ev.enrolment_id = e.id order by ev.seq desc limit 1), false) as "pausedByAdmission",
                (select c.id from contract c where c.patient_id = e.patient_id and c.status = 'active' limit 1)
                  as "contractId"
           from enrolment e join team t on t.id = e.team_id
          where e.status in ('active', 'paused')
            and ${'importId' in of ? 'e.patient_id in (select patient_id from hospital_stay where import_id = $1)' : 'e.patient_id = $1::uuid'}
          order by e.patient_id, e.id`,
        ['importId' in of ? of.importId : of.patientId],
      );
    },

    /** The open (active or paused) enrolment of the patient, the newest, if any. */
    async currentForPatient(patientId: string): Promise<EnrolmentView | null> {
      const rows = await db.query<Row>(
        `select ${VIEW} from enrolment e join team t on t.id = e.team_id
         where e.patient_id = $1 and e.status in ('active', 'paused') order by e.proposed_at desc limit 1`,
        [patientId],
      );
      return rows[0] ? viewOf(rows[0]) : null;
    },
  };
}

export type EnrolmentStore = ReturnType<typeof createEnrolmentStore>;

export interface AdmissionCandidate {
  id: string;
  patientId: string;
  status: EnrolmentStatus;
  teamName: string;
  inHospital: boolean;
  pausedByAdmission: boolean;
  contractId: string | null;
}
