/** The logged-in staff member's notifications. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../domain/errors.ts';
import type { NotificationStore } from '../store/notification-store.ts';
import { requireStaff } from './http.ts';
import { Obj } from './schemas.ts';

export function notificationRoutes(deps: { notifications: NotificationStore }): FastifyPluginAsyncTypebox {
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
        const [notifications, unread] = await Promise.all([
          deps.notifications.listForStaff(actor.staffId, { unreadOnly: request.query.unread === 'true' }),
          deps.notifications.countUnread(actor.staffId),
        ]);
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
