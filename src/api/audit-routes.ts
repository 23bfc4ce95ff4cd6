/**
 * The access log as people read it (services/audit-service.ts): log review (loggkontroll,
 * HSLF-FS 2016:40 4 kap 9 §; security.md 11) — targeted and sample checks, the queue of
 * emergency accesses, the reviewer's conclusions, the SMART launches from journal systems — for
 * staff with the role `loggansvarig`, for their own care provider; and for a patient, who looked
 * at their data.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../domain/errors.ts';
import type { AuditService } from '../services/audit-service.ts';
import { contextOf, requireStaff, staffContextOf } from './http.ts';
import { limitParam, pageSize } from './paging.ts';
import { DateTime, HsaId, Obj, OneOf, Uuid } from './schemas.ts';

const ENTRY_PAGE = { fallback: 200, max: 5000 };
const REVIEW_PAGE = { fallback: 200, max: 500 };
const EMERGENCY_PAGE = { fallback: 500, max: 500 };
const ACCESS_LOG_PAGE = { fallback: 500, max: 500 };
const LAUNCH_PAGE = { fallback: 200, max: 500 };

export interface AuditRouteDeps {
  audit: AuditService;
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
        const ctx = staffContextOf(request);
        const q = request.query;
        const entries = await deps.audit.entries(
          ctx,
          {
            actorId: q.userId,
            patientId: q.patientId,
            unitId: q.unitId,
            from: q.from,
            to: q.to,
            isEmergency: q.emergency === undefined ? undefined : q.emergency === 'true',
            limit: pageSize(q.limit, ENTRY_PAGE),
          },
          JSON.stringify(q),
        );
        return { entries };
      },
    );

    app.get(
      '/api/audit/launches',
      {
        schema: {
          tags: ['audit'],
          summary:
            'SMART launches from journal systems, opened and refused: by journal system, user, period, outcome',
          querystring: Obj({
            ehrSystemId: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' })),
            userId: Type.Optional(HsaId),
            from: Type.Optional(DateTime),
            to: Type.Optional(DateTime),
            outcome: Type.Optional(OneOf(['opened', 'choose-unit', 'refused'] as const)),
            limit: limitParam(LAUNCH_PAGE),
          }),
        },
      },
      async (request) => {
        const q = request.query;
        return deps.audit.launches(
          staffContextOf(request),
          {
            ehrSystemId: q.ehrSystemId,
            staffId: q.userId,
            from: q.from,
            to: q.to,
            outcome: q.outcome,
            limit: pageSize(q.limit, LAUNCH_PAGE),
          },
          JSON.stringify(q),
        );
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
        const q = request.query;
        return {
          entries: await deps.audit.sample(
            staffContextOf(request),
            { unitId: q.unitId, from: q.from, to: q.to, size: q.size ? Number(q.size) : 20 },
            `stickprov ${JSON.stringify(q)}`,
          ),
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
        const id = await deps.audit.record(requireStaff(request), request.body);
        return reply.status(201).send({ id });
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
        return { reviews: await deps.audit.list(actor, pageSize(request.query.limit, REVIEW_PAGE)) };
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
        const ctx = staffContextOf(request);
        return {
          emergencies: await deps.audit.emergencies(ctx, {
            unreviewedOnly: request.query.unreviewed !== 'false',
            limit: pageSize(request.query.limit, EMERGENCY_PAGE),
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
        await deps.audit.reviewEmergency(requireStaff(request), request.params.id, request.body.conclusion);
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/me/access-log',
      {
        schema: {
          tags: ['access'],
          summary: 'For a patient: which units looked at my data, and when (newest first)',
          querystring: Obj({ limit: limitParam(ACCESS_LOG_PAGE) }),
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const { actor } = ctx;
        if (actor.kind !== 'patient') throw new DomainError('forbidden');
        const limit = pageSize(request.query.limit, ACCESS_LOG_PAGE);
        return { entries: await deps.audit.ownLog({ ...ctx, actor }, limit) };
      },
    );
  };
}
