/**
 * What the patient does in their own plan: tick off their responsibilities, answer the next
 * contact, write their own words and propose goals, answer a question set. Only the patient
 * themselves: staff change the plan through the contract service (403 here); a närstående may
 * only read (404, like anyone the plan is foreign to). No If-Match: each action applies to the
 * current version, so a patient ticking a box never meets a 412.
 */
import type { PatientActor } from '../domain/actor.ts';
import { diffContent, type answerValues, type Contract, type ContractContent } from '../domain/contract.ts';
import { DomainError } from '../domain/errors.ts';
import { recordSelfAssessment, type PatientChange } from '../domain/patient-action.ts';
import type { PatientActionStore } from '../store/patient-action-store.ts';
import type { QuestionSetStore } from '../store/question-set-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';
import type { ChangeFeed } from './change-feed.ts';

export interface PatientActionServiceDeps {
  actions: PatientActionStore;
  questionSets: QuestionSetStore;
  access: AccessService;
  feed: ChangeFeed;
  clock: () => Date;
}

/** The patient's answers to a question set for patients. */
export interface SelfAssessmentInput {
  questionSetId: string;
  questionSetVersion: number;
  items: readonly { questionId: string; answer: (typeof answerValues)[number] }[];
}

export function createPatientActionService(deps: PatientActionServiceDeps) {
  /**
   * The patient acting on their own plan: the access decision is made and logged first (a
   * närstående or anyone else gets 404), then `prepare` (a lookup the change needs), then the
   * pure `change` (src/domain/patient-action.ts) runs on the locked current version. A change
   * that turns out to change nothing writes no version and no event.
   */
  async function act(
    ctx: RequestContext,
    patientId: string,
    detail: string,
    change: (content: ContractContent, now: string) => PatientChange | null,
    prepare?: () => Promise<void>,
  ): Promise<Contract> {
    const actor = requirePatient(ctx);
    await deps.access.require(ctx, patientId, 'patient-action', detail);
    await prepare?.();
    const now = deps.clock().toISOString();
    const { contract, event } = await deps.actions.apply(patientId, actor, (current) => {
      const result = change(current.content, now);
      if (result === null) return null;
      const changes = diffContent(current.content, result.content, current.status, current.status);
      // The same content again (an action that turns out to change nothing) is no new version.
      return changes.length === 0 ? null : { ...result, changes };
    });
    if (event) deps.feed.publish(event);
    return contract;
  }

  return {
    act,

    /** The patient answers a question set for patients, as a self-assessment in their plan. */
    async recordSelfAssessment(
      ctx: RequestContext,
      patientId: string,
      input: SelfAssessmentInput,
    ): Promise<Contract> {
      let questionIds: string[] = [];
      let audience = '';
      return act(
        ctx,
        patientId,
        `självskattning ${input.questionSetId}`,
        (content, now) =>
          recordSelfAssessment(
            content,
            { id: input.questionSetId, version: input.questionSetVersion, audience, questionIds },
            input.items,
            now,
          ),
        async () => {
          const set = await deps.questionSets.find(input.questionSetId, input.questionSetVersion);
          if (!set)
            throw new DomainError('invalid_input', 'Frågeformuläret finns inte.', [
              { path: '/questionSetId', message: 'Okänt formulär eller version.' },
            ]);
          audience = set.audience;
          questionIds = set.questions.map((q) => q.id);
        },
      );
    },
  };
}

export type PatientActionService = ReturnType<typeof createPatientActionService>;

/** The logged-in patient; staff are told to use their own view (the answer does not depend on the id). */
function requirePatient(ctx: RequestContext): PatientActor {
  if (ctx.actor.kind !== 'patient')
    throw new DomainError(
      'forbidden',
      'Det här gör patienten själv. Personal ändrar planen i personalens vy.',
    );
  return ctx.actor;
}
