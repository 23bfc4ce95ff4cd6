/** Notifications to staff: stored, listable, mark-as-read. Fed by change events (event-store.ts). */
import type { Queryable } from './db.ts';
import { isUuid } from './patient-store.ts';
import { PROTECTED_SUMMARY } from '../domain/person-status.ts';
import { isProtectedSql, listedNameSql } from './person-status-store.ts';

export interface Notification {
  id: string;
  patientId: string;
  patientName: string;
  kind: string;
  summary: string;
  createdAt: string;
  readAt: string | null;
  /** The unit the change was made from (null: by the patient or the system); not sent to clients. */
  actorUnitId: string | null;
}

export function createNotificationStore(db: Queryable) {
  return {
    async listForStaff(
      staffId: string,
      options: { unreadOnly?: boolean; limit?: number } = {},
    ): Promise<Notification[]> {
      return db.query<Notification>(
        `select n.id, n.patient_id as "patientId", ${listedNameSql('p')} as "patientName", n.kind,
           case when ${isProtectedSql('p')} then '${PROTECTED_SUMMARY}' else n.summary end as summary, n.created_at as "createdAt", n.read_at as "readAt", e.actor_unit_id as "actorUnitId"
         from notification n join patient p on p.id = n.patient_id join change_event e on e.id = n.event_id
         where n.recipient_staff_id = $1 and (not $2 or n.read_at is null)
         order by n.created_at desc limit $3`,
        [staffId, options.unreadOnly ?? false, Math.min(options.limit ?? 100, 500)],
      );
    },

    /** The recipient's unread notifications, counted per patient and the unit the change came from. */
    async countUnreadByPatient(
      staffId: string,
    ): Promise<{ patientId: string; actorUnitId: string | null; unread: number }[]> {
      return db.query<{ patientId: string; actorUnitId: string | null; unread: number }>(
        `select n.patient_id as "patientId", e.actor_unit_id as "actorUnitId", count(*)::int as unread
         from notification n join change_event e on e.id = n.event_id
         where n.recipient_staff_id = $1 and n.read_at is null group by n.patient_id, e.actor_unit_id`,
        [staffId],
      );
    },

    async countUnread(staffId: string): Promise<number> {
      const rows = await db.query<{ n: number }>(
        'select count(*)::int as n from notification where recipient_staff_id = $1 and read_at is null',
        [staffId],
      );
      return rows[0]?.n ?? 0;
    },

    /** Marks one of the recipient's own notifications as read; false if there is no such notification. */
    async markRead(staffId: string, id: string): Promise<boolean> {
      if (!isUuid(id)) return false;
      const rows = await db.query(
        `update notification set read_at = coalesce(read_at, now())
         where id = $1 and recipient_staff_id = $2 returning id`,
        [id, staffId],
      );
      return rows.length > 0;
    },
  };
}

export type NotificationStore = ReturnType<typeof createNotificationStore>;
