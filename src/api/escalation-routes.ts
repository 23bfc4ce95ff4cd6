/** SBAR escalations: send, the physician's list, acknowledge, decide. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { EscalationService } from '../services/escalation-service.ts';
import { contextOf, requireStaff } from './http.ts';
import { DecisionSchema, EscalationParams, EscalationSchema } from './mobile-care-schemas.ts';
import { limitParam, pageSize } from './paging.ts';
import { Obj, OneOf, PatientParams } from './schemas.ts';

const LIST_PAGE = { fallback: 50, max: 100 };

export function escalationRoutes(deps: { escalations: EscalationService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/patients/:patientId/escalations',
      {
        schema: {
          tags: ['mobile-care'],
          summary: 'Send the SBAR of an assessment to the physician who answers for the patient now',
          params: PatientParams,
          body: EscalationSchema,
        },
      },
      async (request, reply) => {
        requireStaff(request);
        const e = await deps.escalations.send(contextOf(request), request.params.patientId, request.body);
        return reply.status(201).send(e);
      },
    );

    app.get(
      '/api/escalations',
      {
        schema: {
          tags: ['mobile-care'],
          summary:
            'Escalations addressed to me (on call, backup, my unit), newest first; status=open: unanswered',
          querystring: Obj({
            status: Type.Optional(OneOf(['open', 'all'] as const)),
            limit: limitParam(LIST_PAGE),
          }),
        },
      },
      async (request) => {
        requireStaff(request);
        const limit = pageSize(request.query.limit, LIST_PAGE);
        const escalations = await deps.escalations.listMine(contextOf(request), {
          open: request.query.status !== 'all',
          limit,
        });
        return { escalations };
      },
    );

    app.post(
      '/api/escalations/:escalationId/acknowledge',
      {
        schema: {
          tags: ['mobile-care'],
          summary: 'Acknowledge an escalation addressed to me',
          params: EscalationParams,
        },
      },
      async (request) => {
        requireStaff(request);
        return deps.escalations.acknowledge(contextOf(request), request.params.escalationId);
      },
    );

    app.post(
      '/api/escalations/:escalationId/decision',
      {
        schema: {
          tags: ['mobile-care'],
          summary:
            "Answer an escalation with a decision; addToPlan adds it to the patient's plan as an activity, or with planAs next-contact (home-visit, reassess) as the plan's next contact",
          params: EscalationParams,
          body: DecisionSchema,
        },
      },
      async (request) => {
        requireStaff(request);
        return deps.escalations.decide(contextOf(request), request.params.escalationId, request.body);
      },
    );
  };
}
