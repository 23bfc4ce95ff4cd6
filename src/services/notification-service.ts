/** The logged-in staff member's notifications, about the patients they may read. */
import type { StaffActor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import type { NotificationStore } from '../store/notification-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';

export interface NotificationServiceDeps {
  notifications: NotificationStore;
  access: AccessService;
}

export function createNotificationService(deps: NotificationServiceDeps) {
  return {
    /** My notifications, newest first, and how many are unread. */
    async listMine(ctx: RequestContext, actor: StaffActor, options: { unreadOnly: boolean; limit: number }) {
      const [all, unreadByPatient] = await Promise.all([
        deps.notifications.listForStaff(actor.staffId, options),
        deps.notifications.countUnreadByPatient(actor.staffId),
      ]);
      // A notification tells about a patient (their name, who changed what): it is read like
      // the plan, so only patients the recipient may read now are shown or counted, each one
      // shown is logged, and a change made from a unit hidden by a spärr is left out
      // (security.md 3, 5, 8). Access may have ended since it was sent.
      const grants = await deps.access.grantsFor(
        ctx,
        [...all.map((n) => n.patientId), ...unreadByPatient.map((u) => u.patientId)],
        'read',
      );
      const isShown = (n: { patientId: string; actorUnitId: string | null }): boolean => {
        const grant = grants.get(n.patientId);
        return grant !== undefined && (n.actorUnitId === null || !grant.isHidden(n.actorUnitId));
      };
      const notifications = all.filter(isShown).map(({ actorUnitId: _, ...n }) => n);
      const unread = unreadByPatient.reduce((sum, u) => sum + (isShown(u) ? u.unread : 0), 0);
      return { unread, notifications };
    },

    /** Marks one of my notifications as read; another's, or none, is not found. */
    async markRead(actor: StaffActor, id: string): Promise<void> {
      if (!(await deps.notifications.markRead(actor.staffId, id))) throw new DomainError('not_found');
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
