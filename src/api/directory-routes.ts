/** The directory (units, staff) and the question sets: reference data for the screens. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DirectoryService } from '../services/directory-service.ts';
import { requireActor } from './http.ts';
import { limitParam, pageSize } from './paging.ts';
import { HsaId, Obj } from './schemas.ts';
import { Type } from 'typebox';

const STAFF_PAGE = { fallback: 500, max: 500 };

export function directoryRoutes(deps: { directory: DirectoryService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/units', { schema: { tags: ['directory'], summary: 'Care units' } }, async (request) => {
      requireActor(request);
      return { units: await deps.directory.listUnits() };
    });

    app.get(
      '/api/staff',
      {
        schema: {
          tags: ['directory'],
          summary: 'Staff, optionally at one unit, by name',
          querystring: Obj({ unitId: Type.Optional(HsaId), limit: limitParam(STAFF_PAGE) }),
        },
      },
      async (request) => {
        requireActor(request);
        const limit = pageSize(request.query.limit, STAFF_PAGE);
        return { staff: await deps.directory.listStaff({ unitId: request.query.unitId, limit }) };
      },
    );

    app.get(
      '/api/question-sets',
      { schema: { tags: ['directory'], summary: 'Question sets, newest versions' } },
      async (request) => {
        requireActor(request);
        return { questionSets: await deps.directory.listQuestionSets() };
      },
    );
  };
}
