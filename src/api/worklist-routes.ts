/** The staff worklist ("Mina patienter"): services/worklist-service.ts decides and ranks. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { WorklistService } from '../services/worklist-service.ts';
import { contextOf, requireStaff } from './http.ts';
import { limitParam, pageSize } from './paging.ts';
import { Obj } from './schemas.ts';

export interface WorklistRouteDeps {
  worklist: WorklistService;
}

const PAGE = { fallback: 500, max: 500 };

export function worklistRoutes(deps: WorklistRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/worklist',
      {
        schema: {
          tags: ['worklist'],
          summary:
            'My patients: where I hold a fixed contact or treating role, most urgent first (tier: waiting for my reply, overdue, today, later; oldest first within a tier)',
          querystring: Obj({
            days: Type.Optional(
              Type.String({ pattern: '^\\d{1,2}$', description: 'Next contacts within this many days (7)' }),
            ),
            limit: limitParam(PAGE),
          }),
        },
      },
      async (request) => {
        const actor = requireStaff(request);
        const limit = pageSize(request.query.limit, PAGE);
        const days = Math.min(Math.max(Number(request.query.days ?? '7'), 1), 60);
        return deps.worklist.listMine(contextOf(request), actor, { days, limit });
      },
    );
  };
}
