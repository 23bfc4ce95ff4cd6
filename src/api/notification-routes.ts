/** The logged-in staff member's notifications, about the patients they may read. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { NotificationService } from '../services/notification-service.ts';
import { contextOf, requireStaff } from './http.ts';
import { limitParam, pageSize } from './paging.ts';
import { Obj } from './schemas.ts';

const PAGE = { fallback: 100, max: 500 };

export function notificationRoutes(deps: { notifications: NotificationService }): FastifyPluginAsyncTypebox {
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
        return deps.notifications.listMine(contextOf(request), actor, {
          unreadOnly: request.query.unread === 'true',
          limit,
        });
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
        await deps.notifications.markRead(actor, request.params.id);
        return reply.status(204).send();
      },
    );
  };
}
