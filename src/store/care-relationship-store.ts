/**
 * Care relationships registered by hand (a ward that takes over, a unit the patient turns to):
 * one of the sources `domain/care-relationship.ts` counts.
 */
import type { Actor } from '../domain/actor.ts';
import { actorId } from '../domain/actor.ts';
import type { Queryable } from './db.ts';
import { isUuid } from './patient-store.ts';
import { throwUnknownReference } from './pg-errors.ts';

export function createCareRelationshipStore(db: Queryable) {
  return {
    /** Registers a care relationship between a unit and the patient; returns its id. */
    async register(
      patientId: string,
      input: { unitId: string; startDate: string; endDate?: string | undefined; reason: string },
      actor: Actor,
    ): Promise<string> {
      const rows = await db
        .query<{ id: string }>(
          `insert into care_relationship (patient_id, unit_id, start_date, end_date, reason, created_by)
           values ($1, $2, $3, $4, $5, $6) returning id`,
          [patientId, input.unitId, input.startDate, input.endDate ?? null, input.reason, actorId(actor)],
        )
        .catch(throwUnknownReference);
      return rows[0]!.id;
    },

    /** Ends a unit's registered relationship; false when it has none such that stands. */
    async end(patientId: string, id: string, unitId: string): Promise<boolean> {
      if (!isUuid(id)) return false;
      const rows = await db.query(
        `update care_relationship set ended_at = now() where id = $1 and patient_id = $2 and unit_id = $3
           and ended_at is null returning id`,
        [id, patientId, unitId],
      );
      return rows.length > 0;
    },
  };
}

export type CareRelationshipStore = ReturnType<typeof createCareRelationshipStore>;
