/** Mobile care teams: my teams, one team (members only), and its on-call roster. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TeamService } from '../services/team-service.ts';
import { contextOf, requireStaff } from './http.ts';
import { RosterSchema, TeamParams } from './mobile-care-schemas.ts';
import { limitParam, pageSize } from './paging.ts';
import { Obj } from './schemas.ts';

const TEAM_PAGE = { fallback: 50, max: 100 };

export function teamRoutes(deps: { teams: TeamService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/teams',
      {
        schema: {
          tags: ['mobile-care'],
          summary: 'The mobile care teams I belong to',
          querystring: Obj({ limit: limitParam(TEAM_PAGE) }),
        },
      },
      async (request) => {
        requireStaff(request);
        const limit = pageSize(request.query.limit, TEAM_PAGE);
        return { teams: await deps.teams.listMine(contextOf(request), limit) };
      },
    );

    app.get(
      '/api/teams/:teamId',
      {
        schema: {
          tags: ['mobile-care'],
          summary:
            'One team (members only): members, reachability and the number that answers now, who is on call, the roster, the enrolled patients I may see',
          params: TeamParams,
        },
      },
      async (request) => {
        requireStaff(request);
        return { team: await deps.teams.get(contextOf(request), request.params.teamId) };
      },
    );

    app.put(
      '/api/teams/:teamId/roster',
      {
        schema: {
          tags: ['mobile-care'],
          summary: "Replace the team's on-call roster from now on (members only)",
          params: TeamParams,
          body: RosterSchema,
        },
      },
      async (request) => {
        requireStaff(request);
        const roster = await deps.teams.replaceRoster(
          contextOf(request),
          request.params.teamId,
          request.body.roster,
        );
        return { roster };
      },
    );
  };
}
