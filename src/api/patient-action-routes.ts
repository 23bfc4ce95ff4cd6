/**
 * What the patient does in their own plan (issue 5, docs/patient-api.md): tick off their
 * responsibilities, answer the next contact, write their own words and propose goals, answer
 * the patient's question set. Only the patient themselves: staff change the plan through
 * PUT /api/patients/:id/contract (403 here); a närstående may only read (404, like anyone the
 * plan is foreign to). No If-Match: each action applies to the current version.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import type { PatientActor } from '../domain/actor.ts';
import {
  ambitionLevels,
  answerValues,
  nextContactResponses,
  type ContractContent,
} from '../domain/contract.ts';
import { DomainError } from '../domain/errors.ts';
import {
  proposeGoal,
  proposeWhatMatters,
  recordSelfAssessment,
  respondToNextContact,
  tickResponsibility,
  withdrawGoal,
  type PatientChange,
} from '../domain/patient-action.ts';
import type { AccessService } from '../services/access-service.ts';
import type { ChangeFeed } from '../services/change-feed.ts';
import type { PatientActionStore } from '../store/patient-action-store.ts';
import type { QuestionSetStore } from '../store/question-set-store.ts';
import { contextOf, etagOf, requireActor } from './http.ts';
import { DateOnly, Obj, OneOf, PatientParams } from './schemas.ts';

export interface PatientActionRouteDeps {
  actions: PatientActionStore;
  questionSets: QuestionSetStore;
  access: AccessService;
  feed: ChangeFeed;
  clock: () => Date;
}

const Id = Type.String({ maxLength: 64 });
const QuestionSetId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$' });

/** The logged-in patient; staff are told to use their own view (the answer does not depend on the id). */
function requirePatient(request: FastifyRequest): PatientActor {
  const actor = requireActor(request);
  if (actor.kind !== 'patient')
    throw new DomainError(
      'forbidden',
      'Det här gör patienten själv. Personal ändrar planen i personalens vy.',
    );
  return actor;
}

export function patientActionRoutes(deps: PatientActionRouteDeps): FastifyPluginAsyncTypebox {
  /**
   * The patient acting on their own plan: the access decision is made and logged first (a
   * närstående or anyone else gets 404), then the change runs on the locked current version.
   */
  async function act(
    request: FastifyRequest,
    reply: FastifyReply,
    patientId: string,
    detail: string,
    change: (content: ContractContent, now: string) => PatientChange | null,
    options: { status?: number; before?: () => Promise<void> } = {},
  ): Promise<FastifyReply> {
    const actor = requirePatient(request);
    await deps.access.require(contextOf(request), patientId, 'patient-action', detail);
    await options.before?.();
    const now = deps.clock().toISOString();
    const { contract, event } = await deps.actions.apply(patientId, actor, (content) => change(content, now));
    if (event) deps.feed.publish(event);
    return reply
      .status(options.status ?? 200)
      .header('etag', etagOf(contract.version))
      .send(contract);
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
        const body = request.body;
        let questionIds: string[] = [];
        let audience = '';
        return act(
          request,
          reply,
          request.params.patientId,
          `självskattning ${body.questionSetId}`,
          (content, now) =>
            recordSelfAssessment(
              content,
              { id: body.questionSetId, version: body.questionSetVersion, audience, questionIds },
              body.items,
              now,
            ),
          {
            status: 201,
            before: async () => {
              const set = await deps.questionSets.find(body.questionSetId, body.questionSetVersion);
              if (!set)
                throw new DomainError('invalid_input', 'Frågeformuläret finns inte.', [
                  { path: '/questionSetId', message: 'Okänt formulär eller version.' },
                ]);
              audience = set.audience;
              questionIds = set.questions.map((q) => q.id);
            },
          },
        );
      },
    );
  };
}
