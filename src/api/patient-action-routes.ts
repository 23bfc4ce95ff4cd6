/**
 * What the patient does in their own plan (docs/patient-api.md): tick off their
 * responsibilities, answer the next contact, write their own words and propose goals, answer
 * the patient's question set. The rules are services/patient-action-service.ts's: only the
 * patient themselves (staff change the plan through PUT /api/patients/:id/contract, 403 here);
 * no If-Match, each action applies to the current version.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import {
  ambitionLevels,
  answerValues,
  nextContactResponses,
  type ContractContent,
} from '../domain/contract.ts';
import {
  proposeGoal,
  proposeWhatMatters,
  respondToNextContact,
  tickResponsibility,
  withdrawGoal,
  type PatientChange,
} from '../domain/patient-action.ts';
import type { PatientActionService } from '../services/patient-action-service.ts';
import { contextOf, etagOf } from './http.ts';
import { DateOnly, Obj, OneOf, PatientParams } from './schemas.ts';

export interface PatientActionRouteDeps {
  actions: PatientActionService;
}

const Id = Type.String({ maxLength: 64 });
const QuestionSetId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$' });

export function patientActionRoutes(deps: PatientActionRouteDeps): FastifyPluginAsyncTypebox {
  /** Answers with the plan as the patient's action left it. */
  async function act(
    request: FastifyRequest,
    reply: FastifyReply,
    patientId: string,
    detail: string,
    change: (content: ContractContent, now: string) => PatientChange | null,
  ): Promise<FastifyReply> {
    const contract = await deps.actions.act(contextOf(request), patientId, detail, change);
    return reply.header('etag', etagOf(contract.version)).send(contract);
  }

  return async (app) => {
    app.post(
      '/api/patients/:patientId/contract/responsibilities/:responsibilityId',
      {
        schema: {
          tags: ['patient'],
          summary: 'The patient ticks off (or unticks) one of their own responsibilities',
          params: Obj({ patientId: Id, responsibilityId: Id }),
          body: Obj({ done: Type.Boolean() }),
        },
      },
      async (request, reply) =>
        act(request, reply, request.params.patientId, 'eget ansvar', (content, now) =>
          tickResponsibility(content, request.params.responsibilityId, request.body.done, now),
        ),
    );

    app.post(
      '/api/patients/:patientId/contract/next-contact/response',
      {
        schema: {
          tags: ['patient'],
          summary: 'The patient confirms the next contact, or asks for another time',
          params: PatientParams,
          body: Obj({
            response: OneOf(nextContactResponses, 'confirmed eller wants-other'),
            at: Type.String({
              format: 'date-time',
              description: 'The time the patient answers (nextContact.at as shown)',
            }),
            message: Type.Optional(Type.String({ maxLength: 500 })),
          }),
        },
      },
      async (request, reply) =>
        act(
          request,
          reply,
          request.params.patientId,
          `nästa kontakt: ${request.body.response}`,
          (content, now) => respondToNextContact(content, request.body, now),
        ),
    );

    app.post(
      '/api/patients/:patientId/contract/proposals',
      {
        schema: {
          tags: ['patient'],
          summary:
            "The patient's own words on what matters, or a goal they propose (never merged into staff's text)",
          params: PatientParams,
          body: Type.Union([
            Obj({ whatMatters: Type.String({ maxLength: 4000 }) }),
            Obj({
              goal: Obj({
                text: Type.String({ minLength: 1, maxLength: 2000 }),
                ambition: OneOf(ambitionLevels, 'Ambitionsnivå'),
                targetDate: Type.Optional(DateOnly),
              }),
            }),
          ]),
        },
      },
      async (request, reply) => {
        const body = request.body;
        if ('whatMatters' in body)
          return act(
            request,
            reply,
            request.params.patientId,
            'eget förslag: vad som är viktigt',
            (content, now) => proposeWhatMatters(content, body.whatMatters, now),
          );
        const goalId = `p-${randomUUID().slice(0, 8)}`;
        return act(request, reply, request.params.patientId, 'eget förslag: mål', (content) =>
          proposeGoal(content, body.goal, goalId),
        );
      },
    );

    app.post(
      '/api/patients/:patientId/contract/proposals/goals/:goalId/withdraw',
      {
        schema: {
          tags: ['patient'],
          summary: 'The patient withdraws a goal they proposed that staff have not yet adopted',
          params: Obj({ patientId: Id, goalId: Id }),
        },
      },
      async (request, reply) =>
        act(request, reply, request.params.patientId, 'tar tillbaka förslag till mål', (content) =>
          withdrawGoal(content, request.params.goalId),
        ),
    );

    app.post(
      '/api/patients/:patientId/self-assessments',
      {
        schema: {
          tags: ['patient'],
          summary: "The patient answers a question set for patients (SKR's 7 questions) as a self-assessment",
          params: PatientParams,
          body: Obj({
            questionSetId: QuestionSetId,
            questionSetVersion: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
            items: Type.Array(Obj({ questionId: QuestionSetId, answer: OneOf(answerValues) }), {
              maxItems: 50,
            }),
          }),
        },
      },
      async (request, reply) => {
        const contract = await deps.actions.recordSelfAssessment(
          contextOf(request),
          request.params.patientId,
          request.body,
        );
        return reply.status(201).header('etag', etagOf(contract.version)).send(contract);
      },
    );
  };
}
