/**
 * Log review (loggkontroll, HSLF-FS 2016:40 4 kap 9 §; security.md 11): targeted and sample
 * checks of the access log, the queue of emergency accesses, and the reviewer's conclusions.
 * Only staff with the role `loggansvarig` at their unit, and only for their own care provider.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { StaffActor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import type { AccessService } from '../services/access-service.ts';
import type { AccessLogStore } from '../store/access-log-store.ts';
import type { ConsentStore } from '../store/consent-store.ts';
import type { Db } from '../store/db.ts';
import { contextOf, requireStaff } from './http.ts';
import { limitParam, pageSize } from './paging.ts';
import { DateTime, HsaId, Obj, OneOf, Uuid } from './schemas.ts';

export const LOG_REVIEWER_ROLE = 'loggansvarig';

const ENTRY_PAGE = { fallback: 200, max: 5000 };
const REVIEW_PAGE = { fallback: 200, max: 500 };
const EMERGENCY_PAGE = { fallback: 500, max: 500 };

export interface AuditRouteDeps {
  db: Db;
  accessLog: AccessLogStore;
  consents: ConsentStore;
  access: AccessService;
}

const Filter = Obj({
  userId: Type.Optional(HsaId),
  patientId: Type.Optional(Uuid),
  unitId: Type.Optional(HsaId),
  from: Type.Optional(DateTime),
  to: Type.Optional(DateTime),
  emergency: Type.Optional(OneOf(['true', 'false'] as const)),
  limit: limitParam(ENTRY_PAGE),
});

export function auditRoutes(deps: AuditRouteDeps): FastifyPluginAsyncTypebox {
  async function requireReviewer(actor: StaffActor): Promise<void> {
    const rows = await deps.db.query(
      'select 1 from staff_unit where staff_id = $1 and unit_id = $2 and role = $3',
      [actor.staffId, actor.unitId, LOG_REVIEWER_ROLE],
    );
    if (rows.length === 0) throw new DomainError('forbidden', 'Loggkontroll kräver rollen loggansvarig.');
  }

  return async (app) => {
    app.get(
      '/api/audit/entries',
      {
        schema: {
          tags: ['audit'],
          summary: 'Targeted log check: filter by user, patient, unit, period, emergency',
          querystring: Filter,
        },
      },
      async (request) => {
        const actor = requireStaff(request);
        const q = request.query;
        const limit = pageSize(q.limit, ENTRY_PAGE);
        await requireReviewer(actor);
        await deps.access.logAction(contextOf(request), q.patientId ?? null, 'log-review', JSON.stringify(q));
        const entries = await deps.accessLog.list({
          actorId: q.userId,
          patientId: q.patientId,
          unitId: q.unitId,
          providerId: actor.providerId,
          from: q.from,
          to: q.to,
          isEmergency: q.emergency === undefined ? undefined : q.emergency === 'true',
          limit,
        });
        return { entries };
      },
    );

    app.get(
      '/api/audit/sample',
      {
        schema: {
          tags: ['audit'],
          summary: 'Sample check: random allowed patient accesses',
          querystring: Obj({
            size: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
            unitId: Type.Optional(HsaId),
            from: Type.Optional(DateTime),
            to: Type.Optional(DateTime),
          }),
        },
      },
      async (request) => {
        const actor = requireStaff(request);
        await requireReviewer(actor);
        await deps.access.logAction(
          contextOf(request),
          null,
          'log-review',
          `stickprov ${JSON.stringify(request.query)}`,
        );
        const q = request.query;
        return {
          entries: await deps.accessLog.sample({
            providerId: actor.providerId,
            unitId: q.unitId,
            from: q.from,
            to: q.to,
            size: q.size ? Number(q.size) : 20,
          }),
        };
      },
    );

    app.post(
      '/api/audit/reviews',
      {
        schema: {
          tags: ['audit'],
          summary: "Record a log review's conclusion",
          body: Obj({
            kind: OneOf(['stickprov', 'riktad', 'nodatkomst'] as const),
            filter: Type.String({ maxLength: 2000 }),
            entrySeqs: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 1000 }),
            conclusion: Type.String({ minLength: 3, maxLength: 4000 }),
            isRemark: Type.Boolean({ description: 'True when the review found an access without a basis' }),
          }),
        },
      },
      async (request, reply) => {
        const actor = requireStaff(request);
        await requireReviewer(actor);
        const b = request.body;
        const rows = await deps.db.query<{ id: string }>(
          `insert into log_review (reviewer_id, reviewer_unit_id, kind, filter, entry_seqs, conclusion, is_remark)
           values ($1, $2, $3, $4, $5, $6, $7) returning id`,
          [actor.staffId, actor.unitId, b.kind, b.filter, b.entrySeqs, b.conclusion, b.isRemark],
        );
        return reply.status(201).send({ id: rows[0]!.id });
      },
    );

    app.get(
      '/api/audit/reviews',
      {
        schema: {
          tags: ['audit'],
          summary: 'Recorded log reviews of my care provider, newest first',
          querystring: Obj({ limit: limitParam(REVIEW_PAGE) }),
        },
      },
      async (request) => {
        const actor = requireStaff(request);
        const limit = pageSize(request.query.limit, REVIEW_PAGE);
        await requireReviewer(actor);
        const reviews = await deps.db.query(
          `select r.id, r.reviewer_id as "reviewerId", r.reviewed_at as "reviewedAt", r.kind, r.filter,
           r.entry_seqs as "entrySeqs", r.conclusion, r.is_remark as "isRemark"
         from log_review r join care_unit u on u.id = r.reviewer_unit_id
         where u.provider_id = $1 order by r.reviewed_at desc limit $2`,
          [actor.providerId, limit],
        );
        return { reviews };
      },
    );

    app.get(
      '/api/audit/emergencies',
      {
        schema: {
          tags: ['audit'],
          summary: 'Emergency accesses queued for review',
          querystring: Obj({
            unreviewed: Type.Optional(OneOf(['true', 'false'] as const)),
            limit: limitParam(EMERGENCY_PAGE),
          }),
        },
      },
      async (request) => {
        const actor = requireStaff(request);
        const limit = pageSize(request.query.limit, EMERGENCY_PAGE);
        await requireReviewer(actor);
        await deps.access.logAction(contextOf(request), null, 'log-review', 'nödåtkomster');
        return {
          emergencies: await deps.consents.listEmergencies(actor.providerId, {
            unreviewedOnly: request.query.unreviewed !== 'false',
            limit,
          }),
        };
      },
    );

    app.post(
      '/api/audit/emergencies/:id/review',
      {
        schema: {
          tags: ['audit'],
          summary: 'Record the review of an emergency access',
          params: Obj({ id: Type.String({ maxLength: 64 }) }),
          body: Obj({ conclusion: Type.String({ minLength: 3, maxLength: 4000 }) }),
        },
      },
      async (request, reply) => {
        const actor = requireStaff(request);
        await requireReviewer(actor);
        const ok = await deps.consents.reviewEmergency(
          actor.providerId,
          request.params.id,
          actor.staffId,
          request.body.conclusion,
        );
        if (!ok) throw new DomainError('not_found', 'Nödåtkomsten finns inte eller är redan granskad.');
        return reply.status(204).send();
      },
    );
  };
}
