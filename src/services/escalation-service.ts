/**
 * The SBAR escalation (Region Skåne, uppföljning av handlingsplanen för HS-avtalet 2021, assignment
 * 7: a physician "ska kunna nås via telefon omgående" when the municipal nurse, after a structured
 * assessment, judges so). The nurse sends; the physician who answers for this patient now
 * (routeEscalation, from data) sees it at once on the live stream and in the list, acknowledges
 * and decides; the decision can add an activity to the plan. Unanswered after the configured
 * minutes, it goes to the team's backup and is flagged, by a timer on the injected clock.
 *
 * Access: sending is a write in the plan (consent and spärr as everywhere). The SBAR itself
 * reaches its addressee even without the patient's consent to their unit, a disclosure logged
 * with the basis 'sbar-disclosure'; the rest of the plan still needs consent or nödåtkomst, and
 * adding the decision to the plan is a write that needs them too.
 */
import type { StaffActor } from '../domain/actor.ts';
import type { PlannedActivity } from '../domain/contract.ts';
import { DomainError } from '../domain/errors.ts';
import {
  assertDecision,
  assertPlanTarget,
  backupCutoff,
  backupDue,
  contactsPhysician,
  decisionKindLabels,
  nextContactOfDecision,
  nextEscalationStatus,
  routeEscalation,
  type DecisionPlanTarget,
  type EscalationDecision,
  type Route,
  type RoutingFacts,
} from '../domain/escalation.ts';
import type { Escalation, EscalationListItem } from '../domain/mobile-care-view.ts';
import type { ChangeEvent, ChangeEventKind } from '../domain/notification.ts';
import type { Sbar } from '../domain/sbar.ts';
import { swedishDayOf } from '../domain/swedish-time.ts';
import type { Reachability } from '../domain/team.ts';
import type { AssessmentStore } from '../store/assessment-store.ts';
import type { Db, Queryable } from '../store/db.ts';
import type { EnrolmentStore } from '../store/enrolment-store.ts';
import type { EscalationStore } from '../store/escalation-store.ts';
import type { StoredEvent } from '../store/event-store.ts';
import { isUniqueViolation } from '../store/pg-errors.ts';
import type { TeamStore } from '../store/team-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';
import type { ChangeFeed } from './change-feed.ts';
import type { ContractService } from './contract-service.ts';
import type { TeamService } from './team-service.ts';

export interface EscalationServiceDeps {
  db: Db;
  escalations: EscalationStore;
  assessments: AssessmentStore;
  enrolments: EnrolmentStore;
  teams: TeamStore;
  teamService: TeamService;
  contracts: ContractService;
  access: AccessService;
  feed: ChangeFeed;
  clock: () => Date;
  settings: {
    regionalOnCall: { phone: string; label: string };
    backupMinutes: number;
    webhookUrl: string | undefined;
  };
  /** Where a failed webhook call is reported (the server's log). */
  onWebhookError?: (error: unknown) => void;
}

/**
 * A vårdcentral answers its telephone on weekdays in office hours; without opening hours of its
 * own in the directory, these stand for them.
 */
const OFFICE_HOURS: Omit<Reachability[number], 'phone' | 'label'> = {
  weekdays: [1, 2, 3, 4, 5],
  from: '08:00',
  to: '17:00',
};

const OPEN_LIST_MAX = 100;

const summaries: Record<Extract<ChangeEventKind, `escalation.${string}`>, string> = {
  'escalation.sent': 'Akut ärende: SBAR skickad till läkare',
  'escalation.acknowledged': 'Läkaren har tagit emot SBAR',
  'escalation.answered': 'Läkaren har svarat på SBAR',
  'escalation.backup': 'Inte besvarad i tid: skickad till bakjouren',
  'escalation.closed': 'Det akuta ärendet är avslutat',
};

function staffOf(ctx: RequestContext): StaffActor {
  if (ctx.actor.kind !== 'staff') throw new DomainError('forbidden');
  return ctx.actor;
}

const notFound = () => new DomainError('not_found', 'Ärendet finns inte.');

/**
 * Closes every open escalation of the patient in `tx` (the patient died) and returns the events
 * for the caller to publish after commit: each tells the nurse who sent it, its addressee and the
 * backup (not the actor). The enrolment service (a death recorded on an enrolment) and the person
 * status service (a death from the register or care) both close through it.
 */
export async function closeOpenEscalations(
  escalations: Pick<EscalationStore, 'closeOpenForPatient' | 'recordEvent'>,
  tx: Queryable,
  patientId: string,
  actor: StaffActor,
  at: string,
  reason: string,
): Promise<StoredEvent[]> {
  const closed = await escalations.closeOpenForPatient(tx, patientId, reason, at);
  const events: StoredEvent[] = [];
  for (const c of closed) {
    const to = [c.fromStaffId, c.addresseeStaffId, c.backupStaffId].filter(
      (s): s is string => s !== null && s !== actor.staffId,
    );
    events.push(
      await escalations.recordEvent(
        tx,
        {
          patientId,
          contractId: null,
          kind: 'escalation.closed',
          actor,
          summary: summaries['escalation.closed'],
        },
        to,
        at,
      ),
    );
  }
  return events;
}

export function createEscalationService(deps: EscalationServiceDeps) {
  const { escalations, clock } = deps;

  /** Tells a configured webhook that an escalation waits for someone, without patient data. */
  function wake(
    kind: 'escalation.sent' | 'escalation.backup',
    escalationId: string,
    staffId: string | null,
    at: string,
  ): void {
    const url = deps.settings.webhookUrl;
    if (!url) return;
    const body = JSON.stringify({ kind, escalationId, addresseeStaffId: staffId, at, path: '/larm' });
    void fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(5000),
    })
      .then((res) => {
        if (!res.ok) throw new Error(`webhook answered ${res.status}`);
      })
      .catch((error: unknown) => deps.onWebhookError?.(error));
  }

  function eventOf(
    kind: keyof typeof summaries,
    patientId: string,
    actor: StaffActor,
    extra = '',
  ): ChangeEvent {
    return { patientId, contractId: null, kind, actor, summary: `${summaries[kind]}${extra}` };
  }

  /** May the staff member answer this escalation: the addressee, the backup, or the addressed unit. */
  function isAddressee(actor: StaffActor, e: Escalation): boolean {
    if (e.addresseeStaffId === actor.staffId || e.backupStaffId === actor.staffId) return true;
    return e.addresseeStaffId === null && e.addresseeUnitId === actor.unitId;
  }

  /** The facts routeEscalation decides from: the enrolled team's on-call, the fast läkarkontakt, the listed unit. */
  async function routingFactsOf(patientId: string, now: Date): Promise<RoutingFacts> {
    const enrolment = await deps.enrolments.currentForPatient(patientId);
    const facts: RoutingFacts = { now, regionalOnCall: deps.settings.regionalOnCall };
    if (enrolment?.status === 'active') {
      const reach = await deps.teamService.reachNow(enrolment.teamId, now);
      facts.team = {
        teamId: enrolment.teamId,
        name: enrolment.teamName,
        ...(reach.onCall.primary ? { onCall: reach.onCall.primary } : {}),
        ...(reach.onCall.backup ? { backup: reach.onCall.backup } : {}),
      };
    }
    const directory = await escalations.routingFacts(patientId);
    const flk = directory.fastLakarkontakt;
    if (flk) {
      const phone = flk.phone ?? flk.unitPhone ?? '';
      const hours: Reachability =
        flk.reachable.length > 0
          ? flk.reachable.map((r) => ({
              weekdays: [r.weekday],
              from: r.from,
              to: r.to,
              phone,
              label: flk.name,
            }))
          : [{ ...OFFICE_HOURS, phone: flk.unitPhone ?? phone, label: flk.unitName }];
      facts.fastLakarkontakt = {
        staffId: flk.staffId,
        name: flk.name,
        phone,
        unitId: flk.unitId,
        unitName: flk.unitName,
        hours,
      };
    }
    const listed = directory.listedUnit;
    if (listed?.phone)
      facts.listedUnit = {
        unitId: listed.unitId,
        name: listed.name,
        phone: listed.phone,
        hours: [{ ...OFFICE_HOURS, phone: listed.phone, label: listed.name }],
      };
    return facts;
  }

  /**
   * Adds the physician's decision to the plan as an activity, through the contract's own update
   * path (access, version, the activation rule, the event): the one place to change when the plan
   * learns other kinds of entries.
   */
  async function addDecisionToPlan(
    ctx: RequestContext,
    actor: StaffActor,
    patientId: string,
    decision: EscalationDecision,
    planAs: DecisionPlanTarget,
    now: Date,
  ): Promise<void> {
    const { contract } = await deps.contracts.readCurrent(ctx, patientId);
    if (planAs === 'next-contact' && decision.at) {
      // Through the contract service, so the activation rule, the version history and the
      // notification of the fast vårdkontakt hold as for any new time.
      const nextContact = nextContactOfDecision({ ...decision, at: decision.at }, actor);
      await deps.contracts.update(ctx, patientId, {
        expectedVersion: () => contract.version,
        input: (current) => ({ status: current.status, content: { ...current.content, nextContact } }),
        isAsSeen: false,
      });
      return;
    }
    const activity: PlannedActivity = {
      id: `akut-${now.getTime().toString(36)}`,
      what: `${decisionKindLabels[decision.kind]}${decision.text.trim() ? `: ${decision.text.trim()}` : ''}`.slice(
        0,
        2000,
      ),
      unitId: actor.unitId,
      responsibleStaffId: actor.staffId,
      when: decision.at ?? swedishDayOf(now),
      status: 'planerad',
    };
    await deps.contracts.update(ctx, patientId, {
      expectedVersion: () => contract.version,
      input: (current) => ({
        status: current.status,
        content: { ...current.content, activities: [...current.content.activities, activity] },
      }),
      isAsSeen: false,
    });
  }

  async function publishAll(events: readonly StoredEvent[]): Promise<void> {
    for (const event of events) deps.feed.publish(event);
  }

  return {
    /** Who answers for this patient now (the assessment shows it before anything is sent). */
    async routeFor(patientId: string): Promise<Route> {
      const now = clock();
      return routeEscalation(await routingFactsOf(patientId, now));
    },

    /** Sends the SBAR of an assessment to the physician who answers now. */
    async send(
      ctx: RequestContext,
      patientId: string,
      input: { assessmentId: string; sbar: Sbar },
    ): Promise<Escalation> {
      const actor = staffOf(ctx);
      await deps.access.require(ctx, patientId, 'write', 'SBAR');
      const assessment = await deps.assessments.find(input.assessmentId);
      if (!assessment || assessment.patientId !== patientId)
        throw new DomainError('not_found', 'Bedömningen finns inte.');
      if (!contactsPhysician(assessment.outcome))
        throw new DomainError(
          'escalation_transition',
          'Bedömningens utfall är inte att kontakta läkare. Välj det utfallet innan du skickar SBAR.',
        );
      const now = clock();
      const at = now.toISOString();
      const route = routeEscalation(await routingFactsOf(patientId, now));
      let created: { id: string; event: StoredEvent };
      try {
        created = await deps.db.transaction(async (tx) => {
          const id = await escalations.create(
            tx,
            { patientId, assessmentId: assessment.id, sbar: input.sbar, route },
            actor,
            at,
          );
          const recipients = route.staffId ? [route.staffId] : [];
          const event = await escalations.recordEvent(
            tx,
            eventOf('escalation.sent', patientId, actor),
            recipients,
            at,
          );
          return { id, event };
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw new DomainError('escalation_transition', 'SBAR för den här bedömningen är redan skickad.');
        throw error;
      }
      deps.feed.publish(created.event);
      wake('escalation.sent', created.id, route.staffId ?? null, at);
      return (await escalations.find(created.id))!;
    },

    /** The escalations addressed to me, newest first; each SBAR shown is a logged disclosure. */
    async listMine(
      ctx: RequestContext,
      options: { open: boolean; limit: number },
    ): Promise<EscalationListItem[]> {
      const actor = staffOf(ctx);
      const list = await escalations.listAddressedTo(
        actor.staffId,
        actor.unitId,
        options.open,
        Math.min(options.limit, OPEN_LIST_MAX),
      );
      for (const e of list) await deps.access.logDisclosure(ctx, e.patientId, 'read', `SBAR ${e.id}`);
      return list;
    },

    async acknowledge(ctx: RequestContext, id: string): Promise<Escalation> {
      const actor = staffOf(ctx);
      const e = await escalations.find(id);
      if (!e || !isAddressee(actor, e)) throw notFound();
      nextEscalationStatus(e.status, { kind: 'acknowledge' });
      await deps.access.logDisclosure(ctx, e.patientId, 'read', `SBAR ${e.id} mottagen`);
      const at = clock().toISOString();
      const event = await deps.db.transaction(async (tx) => {
        if (!(await escalations.acknowledge(tx, e.id, actor, at)))
          throw new DomainError('escalation_transition');
        return escalations.recordEvent(
          tx,
          eventOf('escalation.acknowledged', e.patientId, actor),
          [e.from.staffId],
          at,
        );
      });
      deps.feed.publish(event);
      return (await escalations.find(e.id))!;
    },

    /**
     * The physician's decision, which the nurse sees at once. With `addToPlan` it also becomes an
     * activity in the plan, or with `planAs: 'next-contact'` (a home visit or a new assessment,
     * with its time) the plan's next contact, which needs write access to the plan (consent or nödåtkomst across
     * care providers): without it nothing is written and the answer is the missing patient's.
     */
    async decide(
      ctx: RequestContext,
      id: string,
      input: EscalationDecision & { addToPlan: boolean; planAs?: DecisionPlanTarget | undefined },
    ): Promise<Escalation> {
      const actor = staffOf(ctx);
      const e = await escalations.find(id);
      if (!e || !isAddressee(actor, e)) throw notFound();
      const decision: EscalationDecision = {
        kind: input.kind,
        text: input.text,
        ...(input.at ? { at: input.at } : {}),
      };
      assertDecision(decision);
      const planAs = input.planAs ?? 'activity';
      if (input.addToPlan) assertPlanTarget(decision, planAs);
      nextEscalationStatus(e.status, { kind: 'decide', decision });
      await deps.access.logDisclosure(ctx, e.patientId, 'write', `SBAR ${e.id} besvarad`);
      const now = clock();
      if (input.addToPlan) await addDecisionToPlan(ctx, actor, e.patientId, decision, planAs, now);
      const at = now.toISOString();
      const stored = { ...decision, addToPlan: input.addToPlan, ...(input.addToPlan ? { planAs } : {}) };
      const event = await deps.db.transaction(async (tx) => {
        if (!(await escalations.decide(tx, e.id, stored, actor, at)))
          throw new DomainError('escalation_transition');
        return escalations.recordEvent(
          tx,
          eventOf('escalation.answered', e.patientId, actor, `: ${decisionKindLabels[decision.kind]}`),
          [e.from.staffId],
          at,
        );
      });
      deps.feed.publish(event);
      return (await escalations.find(e.id))!;
    },

    /** The patient's escalations (the mobile-care view), newest first. */
    listForPatient: (patientId: string, limit: number) => escalations.listForPatient(patientId, limit),

    /**
     * Closes every open escalation of the patient in `tx` (the patient died) and returns the
     * events for the caller to publish after commit.
     */
    closeOpenForPatient: (tx: Queryable, patientId: string, actor: StaffActor, at: string, reason: string) =>
      closeOpenEscalations(escalations, tx, patientId, actor, at, reason),

    publishAll,

    /**
     * Moves every escalation left unacknowledged for the configured minutes to its team's backup
     * on call now, flags it and tells the backup and the nurse. Returns how many moved.
     */
    async moveDueToBackup(): Promise<number> {
      const now = clock();
      // The store reads the candidates sent by the domain's cutoff; backupDue decides each.
      const cutoff = backupCutoff(now, deps.settings.backupMinutes).toISOString();
      const due = await escalations.dueForBackup(cutoff, 50);
      let moved = 0;
      for (const d of due) {
        if (
          !backupDue(
            { status: 'sent', sentAt: d.sentAt, escalatedToBackupAt: null },
            now,
            deps.settings.backupMinutes,
          )
        )
          continue;
        const reach = await deps.teamService.reachNow(d.teamId, now);
        const backup = reach.onCall.backup ?? null;
        const at = now.toISOString();
        const system: StaffActor = {
          kind: 'staff',
          staffId: 'system',
          name: 'Larmtimern',
          profession: 'system',
          unitId: '',
          providerId: '',
          role: 'system',
        };
        const event = await deps.db.transaction(async (tx) => {
          if (!(await escalations.moveToBackup(tx, d.id, backup?.staffId ?? null, at))) return null;
          const to = [d.fromStaffId, ...(backup ? [backup.staffId] : [])];
          // Sent to the backup from the start (nobody was on call): flagged, with the same addressee.
          const extra = !backup
            ? ''
            : backup.staffId === d.addresseeStaffId
              ? ` (${backup.name}, som redan har ärendet)`
              : ` (${backup.name})`;
          const ev = eventOf('escalation.backup', d.patientId, system, extra);
          return escalations.recordEvent(tx, ev, to, at);
        });
        if (!event) continue;
        moved += 1;
        deps.feed.publish(event);
        wake('escalation.backup', d.id, backup?.staffId ?? null, at);
      }
      return moved;
    },
  };
}

export type EscalationService = ReturnType<typeof createEscalationService>;
