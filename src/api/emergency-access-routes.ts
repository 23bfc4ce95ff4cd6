/**
 * Nödåtkomst in two deliberate steps (services/emergency-access-service.ts): ask for a
 * confirmation, then confirm with a reason; access lasts a few minutes, is marked in the log and
 * reviewed afterwards (security.md 6).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { EmergencyAccessService } from '../services/emergency-access-service.ts';
import { staffContextOf } from './http.ts';
import { Obj } from './schemas.ts';

export interface EmergencyAccessRouteDeps {
  emergencies: EmergencyAccessService;
}

export function emergencyAccessRoutes(deps: EmergencyAccessRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/access/emergency/intent',
      {
        schema: {
          tags: ['access'],
          summary: 'Emergency access, step 1 of 2: ask for a confirmation',
          body: Obj({ identifier: Type.String({ minLength: 1, maxLength: 20 }) }),
        },
      },
      async (request) => deps.emergencies.intent(staffContextOf(request), request.body.identifier),
    );

    app.post(
      '/api/access/emergency',
      {
        schema: {
          tags: ['access'],
          summary: 'Emergency access, step 2 of 2: confirm with a reason',
          body: Obj({
            identifier: Type.String({ minLength: 1, maxLength: 20 }),
            confirmationToken: Type.String({ maxLength: 200 }),
            reason: Type.String({ minLength: 10, maxLength: 2000 }),
          }),
        },
      },
      async (request, reply) => {
        const opened = await deps.emergencies.open(staffContextOf(request), request.body);
        return reply.status(201).send(opened);
      },
    );
  };
}
