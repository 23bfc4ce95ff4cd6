/**
 * Nödåtkomst: emergency openings of a patient's plan, each for a few minutes, and their review
 * afterwards by the care provider's log reviewers.
 */
import type { Queryable } from './db.ts';
import { isUuid } from './patient-store.ts';

export function createEmergencyAccessStore(db: Queryable) {
  return {
    async open(
      patientId: string,
      input: { staffId: string; unitId: string; reason: string; minutes: number },
    ): Promise<{ id: string; expiresAt: string }> {
      const rows = await db.query<{ id: string; expiresAt: string }>(
        `insert into emergency_access (patient_id, staff_id, unit_id, reason, expires_at)
         values ($1, $2, $3, $4, now() + make_interval(mins => $5)) returning id, expires_at as "expiresAt"`,
        [patientId, input.staffId, input.unitId, input.reason, input.minutes],
      );
      return rows[0]!;
    },

    /** Emergency openings for review, for one care provider. */
    async listForReview(providerId: string, options: { unreviewedOnly: boolean; limit?: number }) {
      return db.query<{
        id: string;
        patientId: string;
        staffId: string;
        unitId: string;
        reason: string;
        openedAt: string;
        expiresAt: string;
        reviewedAt: string | null;
        reviewConclusion: string | null;
      }>(
        `select e.id, e.patient_id as "patientId", e.staff_id as "staffId", e.unit_id as "unitId", e.reason,
           e.opened_at as "openedAt", e.expires_at as "expiresAt", e.reviewed_at as "reviewedAt",
           e.review_conclusion as "reviewConclusion"
         from emergency_access e join care_unit u on u.id = e.unit_id
         where u.provider_id = $1 and (not $2 or e.reviewed_at is null) order by e.opened_at desc limit $3`,
        [providerId, options.unreviewedOnly, Math.min(options.limit ?? 500, 500)],
      );
    },

    async review(providerId: string, id: string, reviewerId: string, conclusion: string): Promise<boolean> {
      if (!isUuid(id)) return false;
      const rows = await db.query(
        `update emergency_access e set reviewed_at = now(), reviewed_by = $3, review_conclusion = $4
         from care_unit u where e.id = $1 and u.id = e.unit_id and u.provider_id = $2 and e.reviewed_at is null
         returning e.id`,
        [id, providerId, reviewerId, conclusion],
      );
      return rows.length > 0;
    },
  };
}

export type EmergencyAccessStore = ReturnType<typeof createEmergencyAccessStore>;
