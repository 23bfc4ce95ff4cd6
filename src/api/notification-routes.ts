/** The logged-in staff member's notifications, about the patients they may read. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../domain/errors.ts';
import type { NotificationStore } from '../store/notification-store.ts';
import type { AccessService } from '../services/access-service.ts';
import { contextOf, requireStaff } from './http.ts';
import { Obj } from './schemas.ts';

export function notificationRoutes(deps: {
  notifications: NotificationStore;
  access: AccessService;
}): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/notifications',
      {
        schema: {
          tags: ['notifications'],
          summary: 'My notifications, newest first',
          querystring: Obj({ unread: Type.Optional(Type.Enum(['true', 'false'])) }),
        },
      },
      async (request) => {
        const actor = requireStaff(request);
        const [all, unreadByPatient] = await Promise.all([
          deps.notifications.listForStaff(actor.staffId, { unreadOnly: request.query.unread === 'true' }),
          deps.notifications.countUnreadByPatient(actor.staffId),
        ]);
        // A notification tells about a patient (their name, the patient's own words): it is read
        // like the plan, so only patients the recipient may read now are shown, or counted, and
        // each one shown is logged (security.md 3, 8). Access may have ended since it was sent.
        const patientIds = [
          ...new Set([...all.map((n) => n.patientId), ...unreadByPatient.map((u) => u.patientId)]),
        ];
        const visible = new Set(await deps.access.filterSearch(contextOf(request), patientIds, 'read'));
        const notifications = all.filter((n) => visible.has(n.patientId));
        const unread = unreadByPatient.reduce((sum, u) => sum + (visible.has(u.patientId) ? u.unread : 0), 0);
        return { unread, notifications };
      },
    );

    app.post(
      '/api/notifications/:id/read',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Mark a notification as read',
          params: Obj({ id: Type.String({ maxLength: 64 }) }),
        },
      },
      async (request, reply) => {
        const actor = requireStaff(request);
        if (!(await deps.notifications.markRead(actor.staffId, request.params.id)))
          throw new DomainError('not_found');
        return reply.status(204).send();
      },
    );
  };
}
