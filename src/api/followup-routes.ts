/**
 * Follow-up (uppföljning): `GET /api/followup/report` (every section) and
 * `GET /api/followup/{section}`, as JSON, CSV (`format=csv`, one `table` or the whole report in
 * long form) or a printable page (`format=html`). Aggregates only, with small cells suppressed.
 * Staff with the role `uppfoljning` see the region; a verksamhetschef their own care provider's
 * units beside the region's totals. Every request is written to the access log.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { contactTypes } from '../domain/continuity.ts';
import { DomainError } from '../domain/errors.ts';
import { REPORT_CSP, renderCsv, renderHtml } from '../services/followup-render.ts';
import { sections } from '../domain/followup-report.ts';
import type { FollowupService } from '../services/followup-service.ts';
import { contextOf, requireStaff } from './http.ts';
import { DateOnly, HsaId, Obj, OneOf } from './schemas.ts';

export interface FollowupRouteDeps {
  followup: FollowupService;
  clock: () => Date;
}

const Query = Obj({
  from: Type.Optional(DateOnly),
  to: Type.Optional(DateOnly),
  baseline: Type.Optional(DateOnly),
  unitId: Type.Optional(HsaId),
  providerId: Type.Optional(HsaId),
  format: Type.Optional(OneOf(['json', 'csv', 'html'] as const)),
  // Table ids carry a survey's id and version (mobila-team-enkat-<id>-v<version>): digits, up to 100.
  table: Type.Optional(
    Type.String({ pattern: '^[a-z0-9-]{1,100}$', description: 'With format=csv: one table' }),
  ),
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
        const section = request.params.section;
        const { report, period } = await deps.followup.report(contextOf(request), actor, section, q);
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
