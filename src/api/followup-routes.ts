/**
 * Follow-up (uppföljning): `GET /api/followup/report` (every section) and
 * `GET /api/followup/{section}`, as JSON, CSV (`format=csv`, one `table` or the whole report in
 * long form) or a printable page (`format=html`). Aggregates only, with small cells suppressed.
 * Staff with the role `uppfoljning` see the region; a verksamhetschef their own care provider's
 * units beside the region's totals. Every request is written to the access log.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { contactTypes, type ContinuitySettings } from '../domain/continuity.ts';
import { DomainError } from '../domain/errors.ts';
import { addMonths, followupScopeOf, periodProblem, scopeAllows } from '../domain/followup.ts';
import { swedishToday } from '../domain/swedish-time.ts';
import type { AccessService } from '../services/access-service.ts';
import { REPORT_CSP, renderCsv, renderHtml } from '../services/followup-render.ts';
import { sections } from '../domain/followup-report.ts';
import type { PhysicianRates } from '../domain/mobile-team-followup.ts';
import { buildFollowupReport } from '../services/followup-service.ts';
import type { DirectoryStore } from '../store/directory-store.ts';
import type { FollowupStore } from '../store/followup-store.ts';
import { contextOf, requireStaff } from './http.ts';
import { DateOnly, HsaId, Obj, OneOf } from './schemas.ts';

export interface FollowupRouteDeps {
  directory: DirectoryStore;
  followup: FollowupStore;
  access: AccessService;
  clock: () => Date;
  settings: { continuity: ContinuitySettings; minCell: number; physicianRates?: PhysicianRates };
}

const Query = Obj({
  from: Type.Optional(DateOnly),
  to: Type.Optional(DateOnly),
  baseline: Type.Optional(DateOnly),
  unitId: Type.Optional(HsaId),
  providerId: Type.Optional(HsaId),
  format: Type.Optional(OneOf(['json', 'csv', 'html'] as const)),
  table: Type.Optional(Type.String({ pattern: '^[a-z-]{1,40}$', description: 'With format=csv: one table' })),
  trend: Type.Optional(OneOf(['true', 'false'] as const)),
  windowMonths: Type.Optional(Type.String({ pattern: '^[1-9][0-9]?$' })),
  minVisits: Type.Optional(Type.String({ pattern: '^[2-9]$|^[1-9][0-9]$' })),
  professions: Type.Optional(Type.String({ pattern: '^[a-z-]+(,[a-z-]+)*$', maxLength: 200 })),
  contactTypes: Type.Optional(
    Type.String({ pattern: `^(${contactTypes.join('|')})(,(${contactTypes.join('|')}))*$` }),
  ),
});

export function followupRoutes(deps: FollowupRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/followup/:section',
      {
        schema: {
          tags: ['follow-up'],
          summary: 'Follow-up figures: report (all) or one section; JSON, CSV or printable HTML',
          params: Obj({ section: OneOf(['report', ...sections] as const) }),
          querystring: Query,
        },
      },
      async (request, reply) => {
        const actor = requireStaff(request);
        const q = request.query;
        const scope = followupScopeOf(actor.role, actor.unitId, actor.providerId);
        if (scope.kind === 'none')
          throw new DomainError('forbidden', 'Uppföljning kräver rollen uppfoljning eller verksamhetschef.');
        const unitProvider = q.unitId
          ? ((await deps.directory.findUnit(q.unitId))?.providerId ?? null)
          : null;
        if (q.unitId && unitProvider === null) throw new DomainError('not_found', 'Vårdenheten finns inte.');
        if (!scopeAllows(scope, { unitId: q.unitId, providerId: q.providerId, unitProviderId: unitProvider }))
          throw new DomainError('forbidden', 'Du kan följa upp din egen vårdgivares enheter.');
        const providerId = q.providerId ?? (scope.kind === 'own' && !q.unitId ? scope.providerId : undefined);

        const today = swedishToday(deps.clock());
        const to = q.to ?? today;
        const period = { from: q.from ?? addMonths(`${to.slice(0, 7)}-01`, -11), to };
        const problem = periodProblem(period);
        if (problem) throw new DomainError('invalid_input', problem);
        const base = deps.settings.continuity;
        const settings: ContinuitySettings = {
          ...base,
          ...(q.windowMonths ? { windowMonths: Number(q.windowMonths) } : {}),
          ...(q.minVisits ? { minVisits: Number(q.minVisits) } : {}),
          ...(q.professions ? { professions: q.professions.split(',') } : {}),
          ...(q.contactTypes
            ? { contactTypes: q.contactTypes.split(',') as ContinuitySettings['contactTypes'][number][] }
            : {}),
        };
        const section = request.params.section;
        await deps.access.logAction(
          contextOf(request),
          null,
          'export',
          `uppföljning ${section} ${JSON.stringify({ ...q, ...period, providerId })}`,
        );
        const report = await buildFollowupReport(deps.followup, {
          period,
          ...(q.baseline ? { baseline: q.baseline } : {}),
          settings,
          minCell: deps.settings.minCell,
          ...(deps.settings.physicianRates ? { physicianRates: deps.settings.physicianRates } : {}),
          ...(q.unitId ? { unitId: q.unitId } : {}),
          ...(providerId ? { providerId } : {}),
          ...(section === 'report' ? {} : { sections: [section] }),
          trend: q.trend !== 'false',
        });
        const name = `uppfoljning-${section}-${period.from}-${period.to}`;
        if (q.format === 'csv') {
          if (q.table && !report.tables.some((t) => t.id === q.table))
            throw new DomainError('not_found', 'Tabellen finns inte i rapporten.');
          return reply
            .header('content-type', 'text/csv; charset=utf-8')
            .header(
              'content-disposition',
              `attachment; filename="${name}${q.table ? `-${q.table}` : ''}.csv"`,
            )
            .send(`\uFEFF${renderCsv(report, q.table)}`);
        }
        if (q.format === 'html') {
          return reply
            .header('content-type', 'text/html; charset=utf-8')
            .header('content-security-policy', REPORT_CSP)
            .send(renderHtml(report, deps.clock()));
        }
        return report;
      },
    );
  };
}
