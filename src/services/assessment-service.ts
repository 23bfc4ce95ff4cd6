/**
 * The structured assessment at the patient's side: vital signs, NEWS2 (or the region's own
 * checklist) as advice, the nurse's own judgement and the outcome she chooses. When the outcome
 * contacts a physician the answer also carries whom to call now and a draft SBAR for her to edit;
 * an ambulance tells her to call 112 first. Values that are physiologically impossible are refused
 * before anything is written.
 */
import type { StaffActor } from '../domain/actor.ts';
import { spo2ScaleFor } from '../domain/care-directive.ts';
import { DomainError } from '../domain/errors.ts';
import { callsEmergencyFirst, contactsPhysician, type AssessmentOutcome } from '../domain/escalation.ts';
import { news2, news2Advice, vitalSignProblems, type VitalSigns } from '../domain/news2.ts';
import type { AssessmentResult } from '../domain/mobile-care-view.ts';
import { draftSbar, sbarDraftSources } from '../domain/sbar.ts';
import { swedishToday } from '../domain/swedish-time.ts';
import type { AssessmentStore } from '../store/assessment-store.ts';
import type { BlockStore } from '../store/block-store.ts';
import type { CareDirectiveStore } from '../store/care-directive-store.ts';
import type { Db } from '../store/db.ts';
import type { EnrolmentStore } from '../store/enrolment-store.ts';
import { recordChangeEvent } from '../store/event-store.ts';
import type { PatientStore } from '../store/patient-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';
import type { AssessmentConfigService } from './assessment-config-service.ts';
import type { ChangeFeed } from './change-feed.ts';
import type { ContractService } from './contract-service.ts';
import type { EscalationService } from './escalation-service.ts';

export interface AssessmentServiceDeps {
  db: Db;
  assessments: AssessmentStore;
  /** The units a standing spärr covers, which the SBAR draft leaves out. */
  blocks: Pick<BlockStore, 'blockedUnits'>;
  directives: CareDirectiveStore;
  enrolments: EnrolmentStore;
  patients: PatientStore;
  contracts: ContractService;
  escalations: EscalationService;
  /** The checklist in force (the region's newest loaded version, else NEWS2 by RCP 2017). */
  configs: Pick<AssessmentConfigService, 'active'>;
  access: AccessService;
  feed: ChangeFeed;
  clock: () => Date;
}

export interface AssessmentInput {
  vitals: VitalSigns;
  reason: string;
  judgement: string;
  outcome: AssessmentOutcome;
}

/** Whole years from a birth date to a Swedish day (both YYYY-MM-DD). */
function ageOn(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

function staffOf(ctx: RequestContext): StaffActor {
  if (ctx.actor.kind !== 'staff') throw new DomainError('forbidden');
  return ctx.actor;
}

export function createAssessmentService(deps: AssessmentServiceDeps) {
  const { assessments, clock } = deps;

  return {
    async create(ctx: RequestContext, patientId: string, input: AssessmentInput): Promise<AssessmentResult> {
      const actor = staffOf(ctx);
      const grant = await deps.access.require(ctx, patientId, 'write', 'bedömning');
      const problems = vitalSignProblems(input.vitals);
      if (problems.length > 0)
        throw new DomainError(
          'vital_signs_invalid',
          undefined,
          problems.map((p) => ({ path: `/vitals/${p.field}`, message: p.message })),
        );
      if (input.reason.trim() === '')
        throw new DomainError('invalid_input', 'Ange orsaken till kontakten.', [
          { path: '/reason', message: 'Ange orsaken till kontakten.' },
        ]);
      const patient = await deps.patients.findById(patientId);
      if (!patient) throw new DomainError('not_found', 'Patienten finns inte eller så saknar du behörighet.');
      const now = clock();
      const today = swedishToday(now);
      // What a spärr hides from the nurse is not hers to use, for the score either.
      const allDirectives = await deps.directives.listForPatient(patientId, 50);
      const scale = spo2ScaleFor(
        allDirectives.filter((d) => !grant.isHidden(d.recordedBy.unitId)),
        now,
      );
      const age = patient.birthDate ? ageOn(patient.birthDate, today) : Number.NaN;
      const config = await deps.configs.active();
      const score = news2(input.vitals, { scale, ageYears: age, config });
      const enrolment = await deps.enrolments.currentForPatient(patientId);
      // Every unit the nurse may not see is under a standing spärr: the draft's rule below covers both.
      const previous = (await assessments.listForPatient(patientId, 5)).flatMap((a) =>
        a.score === null ? [] : [{ at: a.at, total: a.score, unitId: a.unit.unitId }],
      );
      const at = now.toISOString();
      const { id, event } = await deps.db.transaction(async (tx) => {
        const id = await assessments.create(
          tx,
          {
            patientId,
            enrolmentId: enrolment?.id ?? null,
            vitals: input.vitals,
            score: score?.total ?? null,
            parts: score?.parts ?? null,
            scale,
            risk: score?.risk ?? null,
            config: { id: config.id, version: config.version },
            reason: input.reason,
            judgement: input.judgement,
            outcome: input.outcome,
          },
          actor,
          at,
        );
        const event = await recordChangeEvent(tx, {
          patientId,
          contractId: null,
          kind: 'assessment-recorded',
          actor,
          summary: score ? `Bedömning med NEWS2 ${score.total}` : 'Bedömning',
        });
        return { id, event };
      });
      deps.feed.publish(event);
      const assessment = (await assessments.find(id))!;
      const result: AssessmentResult = { assessment, score, advice: score ? news2Advice(score) : null };
      if (!contactsPhysician(input.outcome)) return result;
      const plan = await deps.contracts.readCurrent(ctx, patientId).catch((error: unknown) => {
        if (error instanceof DomainError && error.code === 'not_found') return null;
        throw error;
      });
      const content = plan?.contract.content;
      const blocked = await deps.blocks.blockedUnits(patientId);
      // The SBAR leaves the unit: nothing held under a spärr goes into its draft (domain/sbar.ts).
      const sources = sbarDraftSources(
        {
          diagnoses: patient.diagnoses,
          directives: allDirectives
            .filter((d) => !d.endedAt)
            .map((d) => ({ kind: d.kind, text: d.text, unitId: d.recordedBy.unitId })),
          previous,
          plan: content
            ? {
                holderUnitId: blocked.planHolderUnitId,
                summary: content.goals.map((g) => g.text).join('; '),
                whatMatters: content.whatMatters,
              }
            : null,
        },
        new Set(blocked.unitIds),
      );
      return {
        ...result,
        route: await deps.escalations.routeFor(patientId),
        sbarDraft: draftSbar({
          patientName: `${patient.givenName} ${patient.familyName}`,
          age,
          reason: input.reason,
          ...sources,
          vitals: input.vitals,
          score,
          judgement: input.judgement,
          outcome: input.outcome,
        }),
        ...(callsEmergencyFirst(input.outcome) ? { callFirst: '112' as const } : {}),
      };
    },
  };
}

export type AssessmentService = ReturnType<typeof createAssessmentService>;
