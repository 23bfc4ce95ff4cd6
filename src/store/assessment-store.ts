/** Structured assessments at the patient's side (vital signs, NEWS2, the nurse's judgement and outcome). */
import type { StaffActor } from '../domain/actor.ts';
import type { Assessment } from '../domain/mobile-care-view.ts';
import type { Queryable } from './db.ts';
import { isUuid } from './patient-store.ts';

/** What the service writes: the assessment without what the store adds (id, time, who, where). */
export type NewAssessment = Omit<Assessment, 'id' | 'at' | 'by' | 'unit'>;

const VIEW = `a.id, a.patient_id as "patientId", a.enrolment_id as "enrolmentId", a.vitals, a.score, a.parts,
  a.scale, a.risk, json_build_object('id', a.config_id, 'version', a.config_version) as config, a.reason,
  a.judgement, a.outcome, a.at, json_build_object('staffId', a.performed_by, 'name', a.performed_by_name) as by,
  json_build_object('unitId', a.unit_id, 'name', u.name) as unit`;

export function createAssessmentStore(db: Queryable) {
  return {
    async find(id: string): Promise<Assessment | null> {
      if (!isUuid(id)) return null;
      const rows = await db.query<Assessment>(
        `select ${VIEW} from assessment a join care_unit u on u.id = a.unit_id where a.id = $1`,
        [id],
      );
      return rows[0] ?? null;
    },

    /** The patient's assessments, newest first. */
    async listForPatient(patientId: string, limit: number): Promise<Assessment[]> {
      return db.query<Assessment>(
        `select ${VIEW} from assessment a join care_unit u on u.id = a.unit_id where a.patient_id = $1
         order by a.at desc, a.id limit $2`,
        [patientId, limit],
      );
    },

    async create(tx: Queryable, input: NewAssessment, actor: StaffActor, at: string): Promise<string> {
      const rows = await tx.query<{ id: string }>(
        `insert into assessment (patient_id, enrolment_id, vitals, score, parts, scale, risk, config_id, config_version,
           reason, judgement, outcome, performed_by, performed_by_name, unit_id, at)
         values ($1, $2, $3::jsonb, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) returning id`,
        [
          input.patientId,
          input.enrolmentId,
          JSON.stringify(input.vitals),
          input.score,
          input.parts === null ? null : JSON.stringify(input.parts),
          input.scale,
          input.risk,
          input.config.id,
          input.config.version,
          input.reason,
          input.judgement,
          input.outcome,
          actor.staffId,
          actor.name,
          actor.unitId,
          at,
        ],
      );
      return rows[0]!.id;
    },
  };
}

export type AssessmentStore = ReturnType<typeof createAssessmentStore>;
