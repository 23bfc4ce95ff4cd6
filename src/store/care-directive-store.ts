/** The patient's wishes about the level of care and the physicians' directives, with who and when. */
import type { StaffActor } from '../domain/actor.ts';
import type { CareDirectiveKind } from '../domain/care-directive.ts';
import type { CareDirectiveView } from '../domain/mobile-care-view.ts';
import type { Queryable } from './db.ts';
import { isUuid } from './patient-store.ts';

const VIEW = `d.id, d.patient_id as "patientId", d.kind, d.text,
  json_build_object('staffId', d.recorded_by, 'name', d.recorded_by_name, 'unitId', d.recorded_by_unit_id,
    'profession', d.recorded_by_profession) as "recordedBy",
  d.recorded_at as "recordedAt", d.ended_at as "endedAt",
  case when d.ended_by is null then null else json_build_object('staffId', d.ended_by, 'unitId', null) end as "endedBy"`;

export function createCareDirectiveStore(db: Queryable) {
  return {
    /** The patient's directives, those in force first, newest first. */
    async listForPatient(patientId: string, limit: number): Promise<CareDirectiveView[]> {
      return db.query<CareDirectiveView>(
        `select ${VIEW} from care_directive d where d.patient_id = $1
         order by (d.ended_at is not null), d.recorded_at desc limit $2`,
        [patientId, limit],
      );
    },

    async find(id: string): Promise<CareDirectiveView | null> {
      if (!isUuid(id)) return null;
      const rows = await db.query<CareDirectiveView>(`select ${VIEW} from care_directive d where d.id = $1`, [
        id,
      ]);
      return rows[0] ?? null;
    },

    async create(
      tx: Queryable,
      patientId: string,
      input: { kind: CareDirectiveKind; text: string },
      actor: StaffActor,
      at: string,
    ): Promise<string> {
      const rows = await tx.query<{ id: string }>(
        `insert into care_directive (patient_id, kind, text, recorded_by, recorded_by_name, recorded_by_profession,
           recorded_by_unit_id, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
        [patientId, input.kind, input.text, actor.staffId, actor.name, actor.profession, actor.unitId, at],
      );
      return rows[0]!.id;
    },

    /** Ends a directive still in force; false when it had already ended (a concurrent end). */
    async end(tx: Queryable, id: string, actor: StaffActor, at: string): Promise<boolean> {
      const rows = await tx.query(
        'update care_directive set ended_at = $2, ended_by = $3 where id = $1 and ended_at is null returning id',
        [id, at, actor.staffId],
      );
      return rows.length > 0;
    },
  };
}

export type CareDirectiveStore = ReturnType<typeof createCareDirectiveStore>;
