/**
 * Escalation of an acute deterioration at home: after her structured assessment the nurse chooses
 * the outcome, and when she contacts a physician the SBAR goes to the physician who answers for
 * this patient now. Region Skåne's follow-up (Uppföljning av handlingsplan för anpassning av
 * modell för läkarstöd i kommunal hemsjukvård, 2021, assignment 7) requires that a physician "ska
 * kunna nås via telefon omgående" when the municipal nurse judges so; the message never replaces
 * that call. Unanswered after a set time (default 10 minutes) it goes to the team's backup.
 */
import type { NextContact } from './contract.ts';
import { DomainError } from './errors.ts';
import type { Reachability } from './team.ts';
import { whoAnswersNow } from './team.ts';

/** The outcomes the nurse chooses, following the structure of the regions' decision support. */
export const assessmentOutcomes = [
  'stay-home',
  'contact-physician',
  'emergency-department',
  'ambulance',
  'increased-home-care',
] as const;
export type AssessmentOutcome = (typeof assessmentOutcomes)[number];
export const assessmentOutcomeLabels: Record<AssessmentOutcome, string> = {
  'stay-home': 'Stanna hemma, vård på primärvårdsnivå',
  'contact-physician': 'Kontakta läkare nu',
  'emergency-department': 'Akutmottagning eller direktinläggning',
  ambulance: 'Ambulans – ring 112 först',
  'increased-home-care': 'Tillfälligt utökat stöd från hemtjänsten',
};

/** Outcomes that contact a physician: the screen shows whom to call and drafts an SBAR. */
export function contactsPhysician(outcome: AssessmentOutcome): boolean {
  return outcome === 'contact-physician' || outcome === 'emergency-department' || outcome === 'ambulance';
}

/** Outcomes after which the nurse calls 112 before anything else. */
export function callsEmergencyFirst(outcome: AssessmentOutcome): boolean {
  return outcome === 'ambulance';
}

export const decisionKinds = [
  'home-visit',
  'plan-change',
  'emergency-department',
  'ambulance',
  'reassess',
] as const;
export type DecisionKind = (typeof decisionKinds)[number];
export const decisionKindLabels: Record<DecisionKind, string> = {
  'home-visit': 'Hembesök av teamet',
  'plan-change': 'Ändring i planen',
  'emergency-department': 'Till akutmottagningen',
  ambulance: 'Ambulans',
  reassess: 'Ny bedömning',
};

/** The physician's answer. A home visit and a reassessment have a time (`at`, an ISO instant). */
export interface EscalationDecision {
  kind: DecisionKind;
  at?: string | undefined;
  text: string;
}

export const escalationStatuses = ['sent', 'acknowledged', 'answered', 'closed'] as const;
export type EscalationStatus = (typeof escalationStatuses)[number];
export const escalationStatusLabels: Record<EscalationStatus, string> = {
  sent: 'Skickad',
  acknowledged: 'Mottagen av läkare',
  answered: 'Besvarad',
  closed: 'Avslutad',
};

/** Open: still waiting for a physician's answer. */
export function isOpenEscalation(e: { status: EscalationStatus }): boolean {
  return e.status === 'sent' || e.status === 'acknowledged';
}

export interface Person {
  staffId: string;
  name: string;
  phone: string;
}

export interface RoutingFacts {
  now: Date;
  /** The team the patient is enrolled in (active), with who is on call now. */
  team?: { teamId: string; name: string; onCall?: Person; backup?: Person };
  fastLakarkontakt?: Person & { unitId: string; unitName: string; hours: Reachability };
  listedUnit?: { unitId: string; name: string; phone: string; hours: Reachability };
  regionalOnCall: { phone: string; label: string };
}

export type RouteVia =
  'team-on-call' | 'team-backup' | 'fast-lakarkontakt' | 'listed-vardcentral' | 'regional-on-call';
export const routeViaLabels: Record<RouteVia, string> = {
  'team-on-call': 'Teamets jourhavande läkare',
  'team-backup': 'Teamets bakjour (ingen jourhavande läkare just nu)',
  'fast-lakarkontakt': 'Fast läkarkontakt via vårdcentralen',
  'listed-vardcentral': 'Vårdcentralen där patienten är listad',
  'regional-on-call': 'Regionens jourlinje',
};

export interface Route {
  via: RouteVia;
  staffId?: string | undefined;
  unitId?: string | undefined;
  teamId?: string | undefined;
  name: string;
  phone: string;
}

/**
 * Who answers for this patient now: the enrolled team's physician on call; else, when the roster
 * has no physician on call now, the team's backup on call (the team still knows the patient
 * best, and the backup is there for exactly this); else, during its hours, the vårdcentral of the
 * patient's fast läkarkontakt (the physician named, the unit's number); else the listed
 * vårdcentral during its hours; else the on-call number the region configures. Opening hours are
 * Swedish wall-clock time (team.ts).
 */
export function routeEscalation(f: RoutingFacts): Route {
  const onCall = f.team?.onCall;
  if (f.team && onCall)
    return {
      via: 'team-on-call',
      staffId: onCall.staffId,
      teamId: f.team.teamId,
      name: onCall.name,
      phone: onCall.phone,
    };
  const backup = f.team?.backup;
  if (f.team && backup)
    return {
      via: 'team-backup',
      staffId: backup.staffId,
      teamId: f.team.teamId,
      name: backup.name,
      phone: backup.phone,
    };
  const flk = f.fastLakarkontakt;
  if (flk) {
    const open = whoAnswersNow(flk.hours, f.now);
    if (open)
      return {
        via: 'fast-lakarkontakt',
        staffId: flk.staffId,
        unitId: flk.unitId,
        name: `${flk.name}, ${flk.unitName}`,
        phone: open.phone || flk.phone,
      };
  }
  const listed = f.listedUnit;
  if (listed) {
    const open = whoAnswersNow(listed.hours, f.now);
    if (open)
      return {
        via: 'listed-vardcentral',
        unitId: listed.unitId,
        name: listed.name,
        phone: open.phone || listed.phone,
      };
  }
  return { via: 'regional-on-call', name: f.regionalOnCall.label, phone: f.regionalOnCall.phone };
}

/** The state of an escalation that the backup timer reads. */
export interface EscalationTimer {
  status: EscalationStatus;
  sentAt: string;
  escalatedToBackupAt?: string | null | undefined;
}

export const DEFAULT_BACKUP_MINUTES = 10;

/**
 * The latest instant an escalation may have been sent and be due for the backup at `now`: sent
 * `minutes` ago or earlier. The one place the time rule is written; the store selects the
 * candidates sent by this instant (escalation-store.ts#dueForBackup) and `backupDue` decides.
 */
export function backupCutoff(now: Date, minutes = DEFAULT_BACKUP_MINUTES): Date {
  return new Date(now.getTime() - minutes * 60_000);
}

/**
 * Whether an escalation should now go to the team's backup: still only sent (nobody has
 * acknowledged it), not already moved, and `minutes` have passed since it was sent. The timer
 * covers an unanswered call; it is not how a physician is reached.
 */
export function backupDue(escalation: EscalationTimer, now: Date, minutes = DEFAULT_BACKUP_MINUTES): boolean {
  if (escalation.status !== 'sent' || escalation.escalatedToBackupAt) return false;
  return Date.parse(escalation.sentAt) <= backupCutoff(now, minutes).getTime();
}

export type EscalationAction =
  { kind: 'acknowledge' } | { kind: 'decide'; decision: EscalationDecision } | { kind: 'close' };

/**
 * The status after an action: sent → acknowledged → answered → closed. A physician may answer
 * without acknowledging first (the answer implies it); anything open may be closed (the patient
 * died, or the nurse withdrew it). Throws `escalation_transition` otherwise.
 */
export function nextEscalationStatus(status: EscalationStatus, action: EscalationAction): EscalationStatus {
  switch (action.kind) {
    case 'acknowledge':
      if (status === 'sent') return 'acknowledged';
      break;
    case 'decide':
      if (status === 'sent' || status === 'acknowledged') {
        assertDecision(action.decision);
        return 'answered';
      }
      break;
    case 'close':
      if (status !== 'closed') return 'closed';
      break;
  }
  throw new DomainError('escalation_transition');
}

/** A decision is complete: a known kind, a time for a home visit or reassessment. */
export function assertDecision(d: EscalationDecision): void {
  const problems: { path: string; message: string }[] = [];
  if (!decisionKinds.includes(d.kind)) problems.push({ path: '/kind', message: 'Välj ett beslut.' });
  if ((d.kind === 'home-visit' || d.kind === 'reassess') && (!d.at || Number.isNaN(Date.parse(d.at))))
    problems.push({ path: '/at', message: 'Ange tiden för hembesöket eller den nya bedömningen.' });
  if (d.kind === 'plan-change' && d.text.trim() === '')
    problems.push({ path: '/text', message: 'Beskriv ändringen i planen.' });
  if (problems.length > 0) throw new DomainError('escalation_decision_invalid', undefined, problems);
}

/**
 * Where a decision goes in the plan: an activity, or, for a decision with a time (a home visit, a
 * new assessment), the plan's next contact, which the plan's activation rule counts.
 */
export const decisionPlanTargets = ['activity', 'next-contact'] as const;
export type DecisionPlanTarget = (typeof decisionPlanTargets)[number];

/** Whether a decision of this kind may become the plan's next contact: one with a time. */
export const mayBeNextContact = (kind: DecisionKind): boolean => kind === 'home-visit' || kind === 'reassess';

/** Refuses a decision that should be the next contact but has no time to be one. */
export function assertPlanTarget(d: EscalationDecision, target: DecisionPlanTarget): void {
  if (target === 'next-contact' && (!mayBeNextContact(d.kind) || !d.at))
    throw new DomainError('escalation_decision_invalid', undefined, [
      { path: '/planAs', message: 'Bara ett hembesök eller en ny bedömning med tid kan bli nästa kontakt.' },
    ]);
}

/**
 * The plan's next contact a decision sets: a home visit at the patient's, a new assessment by
 * telephone, with the deciding physician at their unit; offered (erbjuden) until the patient has
 * agreed to the time.
 */
export function nextContactOfDecision(
  d: EscalationDecision & { at: string },
  physician: { staffId: string; unitId: string },
): NextContact {
  const note = d.text.trim();
  return {
    at: d.at,
    unitId: physician.unitId,
    withStaffId: physician.staffId,
    mode: d.kind === 'home-visit' ? 'hembesok' : 'telefon',
    agreement: 'erbjuden',
    ...(note ? { note: note.slice(0, 2000) } : {}),
  };
}

/**
 * The patient's death ends every open escalation: the ones to close now (each then takes
 * `nextEscalationStatus(status, { kind: 'close' })`), leaving answered ones for their history.
 */
export function closeOnDeath<E extends { status: EscalationStatus }>(escalations: readonly E[]): E[] {
  return escalations.filter(isOpenEscalation);
}
