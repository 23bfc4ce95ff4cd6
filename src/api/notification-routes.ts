/** The logged-in staff member's notifications, about the patients they may read. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../domain/errors.ts';
import type { NotificationStore } from '../store/notification-store.ts';
import type { AccessService } from '../services/access-service.ts';
import { contextOf, requireStaff } from './http.ts';
import { limitParam, pageSize } from './paging.ts';
import { Obj } from './schemas.ts';

const PAGE = { fallback: 100, max: 500 };

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
          querystring: Obj({ unread: Type.Optional(Type.Enum(['true', 'false'])), limit: limitParam(PAGE) }),
        },
      },
      async (request) => {
        const actor = requireStaff(request);
        const limit = pageSize(request.query.limit, PAGE);
        const [all, unreadByPatient] = await Promise.all([
          deps.notifications.listForStaff(actor.staffId, {
            unreadOnly: request.query.unread === 'true',
            limit,
          }),
          deps.notifications.countUnreadByPatient(actor.staffId),
        ]);
        // A notification tells about a patient (their name, who changed what): it is read like
        // the plan, so only patients the recipient may read now are shown or counted, each one
        // shown is logged, and a change made from a unit hidden by a spärr is left out
        // (security.md 3, 5, 8). Access may have ended since it was sent.
        const grants = await deps.access.grantsFor(
          contextOf(request),
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
