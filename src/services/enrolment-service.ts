/**
 * Enrolment in a mobile care team (inskrivning): "läkarens och sjuksköterskans gemensamma kliniska
 * bedömning" decides (Region Skåne, uppföljning av handlingsplanen för HS-avtalet 2021), so a
 * physician and a nurse of the team decide together, one proposing and the other confirming.
 * Enrolment is part of the coordinated plan: each step is a change event in its timeline, and it
 * gives the team's members a care relationship (store/access-facts-store.ts), while consent and
 * spärr across care providers hold as for the rest of the plan. A death ends the enrolment and
 * every open escalation.
 */
import type { StaffActor } from '../domain/actor.ts';
import {
  assertMayConfirm,
  assertMayPropose,
  DEFAULT_ENROLMENT_CRITERIA,
  enrolmentProposalProblems,
  eventOf,
  nextEnrolmentStatus,
  type EndReason,
  type EnrolmentAction,
  type TargetGroup,
} from '../domain/enrolment.ts';
import { endReasonLabels } from '../domain/enrolment.ts';
import { DomainError } from '../domain/errors.ts';
import type { EnrolmentView, MobileCare } from '../domain/mobile-care-view.ts';
import type { ChangeEvent } from '../domain/notification.ts';
import { swedishToday } from '../domain/swedish-time.ts';
import type { Db } from '../store/db.ts';
import type { EnrolmentStore } from '../store/enrolment-store.ts';
import { recordChangeEvent, type StoredEvent } from '../store/event-store.ts';
import type { AssessmentStore } from '../store/assessment-store.ts';
import type { CareDirectiveStore } from '../store/care-directive-store.ts';
import type { TeamStore } from '../store/team-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';
import type { ChangeFeed } from './change-feed.ts';
import type { EscalationService } from './escalation-service.ts';
import type { TeamService } from './team-service.ts';

export interface EnrolmentServiceDeps {
  db: Db;
  enrolments: EnrolmentStore;
  teams: TeamStore;
  escalations: EscalationService;
  teamService: TeamService;
  directives: CareDirectiveStore;
  assessments: AssessmentStore;
  access: AccessService;
  feed: ChangeFeed;
  clock: () => Date;
}

export interface EnrolmentProposal {
  teamId: string;
  targetGroup: TargetGroup;
  criteria: string[];
  criteriaVersion: number;
  start: string;
  reviewDate: string;
}

export type { MobileCare };

const LIST_MAX = 50;

function staffOf(ctx: RequestContext): StaffActor {
  if (ctx.actor.kind !== 'staff') throw new DomainError('forbidden');
  return ctx.actor;
}

const notFound = () => new DomainError('not_found', 'Inskrivningen finns inte.');

export function createEnrolmentService(deps: EnrolmentServiceDeps) {
  const { enrolments, teams, clock } = deps;

  const event = (patientId: string, actor: StaffActor, summary: string): ChangeEvent => ({
    patientId,
    contractId: null,
    kind: 'enrolment-changed',
    actor,
    summary,
  });

  /** The enrolment, after the access decision about its patient (a denial answers like a missing one). */
  async function findForWrite(ctx: RequestContext, id: string): Promise<EnrolmentView> {
    const e = await enrolments.find(id);
    if (!e) {
      await deps.access.logDenied(ctx, null, 'write', 'no-patient', `inskrivning ${id}`);
      throw notFound();
    }
    // A denial answers exactly like an enrolment that does not exist.
    await deps.access.require(ctx, e.patientId, 'write', `inskrivning ${e.id}`).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === 'not_found' ? notFound() : error;
    });
    return e;
  }

  /** Applies a step to an enrolment; a death also ends every open escalation of the patient. */
  async function step(ctx: RequestContext, id: string, action: EnrolmentAction): Promise<EnrolmentView> {
    const actor = staffOf(ctx);
    const e = await findForWrite(ctx, id);
    const now = clock();
    const today = swedishToday(now);
    if (action.kind === 'confirm') {
      const proposer = await teams.membership(e.teamId, e.proposed.staffId, today);
      const confirmer = await teams.membership(e.teamId, actor.staffId, today);
      assertMayConfirm(
        {
          staffId: e.proposed.staffId,
          profession: proposer?.profession ?? '',
          isTeamMember: proposer !== null,
        },
        { staffId: actor.staffId, profession: actor.profession, isTeamMember: confirmer !== null },
      );
    }
    const to = nextEnrolmentStatus(e.status, action);
    const at = now.toISOString();
    const summary =
      action.kind === 'confirm'
        ? `Inskrivning i ${e.teamName} bekräftad`
        : action.kind === 'pause'
          ? `Inskrivningen i ${e.teamName} vilar`
          : action.kind === 'resume'
            ? `Inskrivningen i ${e.teamName} återupptagen`
            : `Inskrivningen i ${e.teamName} avslutad: ${endReasonLabels[action.reason]}`;
    const events = await deps.db.transaction(async (tx) => {
      const written: StoredEvent[] = [];
      if (action.kind === 'end' && action.reason === 'died') {
        // A death ends every open enrolment of the patient, in any team, and every open escalation.
        await enrolments.endAllForPatient(tx, e.patientId, 'died', actor, at);
        written.push(
          ...(await deps.escalations.closeOpenForPatient(
            tx,
            e.patientId,
            actor,
            at,
            'Patienten har avlidit',
          )),
        );
      } else {
        await enrolments.transition(
          tx,
          e.id,
          {
            from: e.status,
            to,
            action: eventOf(action),
            ...(action.kind === 'end' ? { reason: action.reason } : {}),
          },
          actor,
          at,
        );
      }
      written.push(await recordChangeEvent(tx, event(e.patientId, actor, summary)));
      return written;
    });
    await deps.escalations.publishAll(events);
    return (await enrolments.find(e.id))!;
  }

  return {
    /**
     * The patient's mobile care: enrolments, the team that answers now, directives, assessments
     * (newest first) and escalations. The patient and those they gave access get the team's public
     * name and the number that answers now, nothing else. Items held by a unit hidden from the
     * reader (spärr) are left out.
     */
    async mobileCareOf(ctx: RequestContext, patientId: string): Promise<MobileCare> {
      const grant = await deps.access.require(ctx, patientId, 'read', 'mobilt team');
      const now = clock();
      const current = await enrolments.currentForPatient(patientId);
      const team =
        current && !grant.isHidden(current.proposed.unitId) ? await teams.find(current.teamId) : null;
      const reach = team ? await deps.teamService.reachNow(team.id, now) : null;
      const publicTeam =
        team && reach
          ? {
              publicName: team.publicName,
              kind: team.kind,
              kindLabel: team.kindLabel,
              answersNow: reach.answersNow,
            }
          : null;
      if (ctx.actor.kind === 'patient')
        return { enrolments: [], team: publicTeam, directives: [], assessments: [], escalations: [] };
      const [all, directives, assessments, escalations] = await Promise.all([
        enrolments.listForPatient(patientId, LIST_MAX),
        deps.directives.listForPatient(patientId, LIST_MAX),
        deps.assessments.listForPatient(patientId, LIST_MAX),
        deps.escalations.listForPatient(patientId, LIST_MAX),
      ]);
      return {
        enrolments: all.filter((e) => !grant.isHidden(e.proposed.unitId)),
        team:
          team && publicTeam && reach
            ? {
                id: team.id,
                name: team.name,
                ...publicTeam,
                onCall: reach.onCall.primary ? { primary: { name: reach.onCall.primary.name } } : {},
              }
            : null,
        directives: directives.filter((d) => !grant.isHidden(d.recordedBy.unitId)),
        assessments: assessments.filter((a) => !grant.isHidden(a.unit.unitId)),
        escalations: escalations.filter((e) => !grant.isHidden(e.from.unitId)),
      };
    },

    /** Proposes an enrolment: a physician or a nurse of the team. */
    async propose(ctx: RequestContext, patientId: string, input: EnrolmentProposal): Promise<EnrolmentView> {
      const actor = staffOf(ctx);
      await deps.access.require(ctx, patientId, 'write', 'inskrivning i mobilt team');
      const checklist = DEFAULT_ENROLMENT_CRITERIA;
      const problems = enrolmentProposalProblems(input, checklist);
      if (input.criteriaVersion !== checklist.version)
        problems.push({ path: '/criteriaVersion', message: 'Checklistans version finns inte.' });
      if (problems.length > 0) throw new DomainError('enrolment_invalid', undefined, problems);
      const team = await teams.find(input.teamId);
      if (!team) throw new DomainError('not_found', 'Teamet finns inte.');
      const now = clock();
      const membership = await teams.membership(team.id, actor.staffId, swedishToday(now));
      assertMayPropose({
        staffId: actor.staffId,
        profession: actor.profession,
        isTeamMember: membership !== null,
      });
      const at = now.toISOString();
      const { id, stored } = await deps.db.transaction(async (tx) => {
        const id = await enrolments.propose(
          tx,
          {
            patientId,
            teamId: team.id,
            targetGroup: input.targetGroup,
            criteria: input.criteria,
            criteriaVersion: { id: checklist.id, version: checklist.version },
            start: input.start,
            reviewDate: input.reviewDate,
          },
          actor,
          at,
        );
        const stored = await recordChangeEvent(
          tx,
          event(patientId, actor, `Föreslog inskrivning i ${team.name}`),
        );
        return { id, stored };
      });
      deps.feed.publish(stored);
      return (await enrolments.find(id))!;
    },

    confirm: (ctx: RequestContext, id: string) => step(ctx, id, { kind: 'confirm' }),
    pause: (ctx: RequestContext, id: string) => step(ctx, id, { kind: 'pause' }),
    resume: (ctx: RequestContext, id: string) => step(ctx, id, { kind: 'resume' }),
    end: (ctx: RequestContext, id: string, reason: EndReason) => step(ctx, id, { kind: 'end', reason }),
  };
}

export type EnrolmentService = ReturnType<typeof createEnrolmentService>;
