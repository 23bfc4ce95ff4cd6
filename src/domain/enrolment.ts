/**
 * Enrolment (inskrivning) of a patient in a mobile care team. Region Skåne's follow-up
 * (Uppföljning av handlingsplan för anpassning av modell för läkarstöd i kommunal hemsjukvård,
 * 2021) says the target groups "mest sjuka" and "tidvis sviktande" are not sharp: "de uppsatta
 * kriterierna kan vara till stöd, men läkarens och sjuksköterskans gemensamma kliniska bedömning
 * är det som ska avgöra". So the criteria are a checklist that supports, never a gate, and the
 * decision is two people's: one proposes, the other confirms, a physician and a nurse, both of the
 * team.
 *
 * Transitions: proposed → active (confirm); active ⇄ paused (an admission to hospital pauses, the
 * discharge resumes); proposed, active or paused → ended with a reason. A death ends the enrolment
 * and every open escalation of the patient (`closeOnDeath` in escalation.ts).
 */
import { DomainError } from './errors.ts';
import { swedishDayBounds } from './swedish-time.ts';
import { nurseProfessions, physicianProfessions } from './team.ts';

export const targetGroups = ['mest-sjuka', 'tidvis-sviktande'] as const;
export type TargetGroup = (typeof targetGroups)[number];
export const targetGroupLabels: Record<TargetGroup, string> = {
  'mest-sjuka': 'Mest sjuka',
  'tidvis-sviktande': 'Tidvis sviktande',
};

export const enrolmentStatuses = ['proposed', 'active', 'paused', 'ended'] as const;
export type EnrolmentStatus = (typeof enrolmentStatuses)[number];
export const enrolmentStatusLabels: Record<EnrolmentStatus, string> = {
  proposed: 'Föreslagen',
  active: 'Inskriven',
  paused: 'Vilande (inlagd på sjukhus)',
  ended: 'Utskriven',
};

export const endReasons = ['stable', 'moved', 'died', 'admitted-long-term', 'patient-wish'] as const;
export type EndReason = (typeof endReasons)[number];
export const endReasonLabels: Record<EndReason, string> = {
  stable: 'Stabil, behöver inte längre teamet',
  moved: 'Flyttat',
  died: 'Avliden',
  'admitted-long-term': 'Inlagd för längre tid',
  'patient-wish': 'Patientens önskan',
};

/** What happens to an enrolment; each event is kept in its history. */
export const enrolmentEventKinds = ['proposed', 'confirmed', 'paused', 'resumed', 'ended'] as const;
export type EnrolmentEventKind = (typeof enrolmentEventKinds)[number];
export const enrolmentEventLabels: Record<EnrolmentEventKind, string> = {
  proposed: 'Föreslogs för inskrivning',
  confirmed: 'Inskrivningen bekräftades',
  paused: 'Vilande vid inläggning på sjukhus',
  resumed: 'Återupptagen efter utskrivning från sjukhus',
  ended: 'Utskriven från teamet',
};

/** Who did a step, when and from which unit. */
export interface EnrolmentStep {
  staffId: string;
  unitId: string;
  at: string;
}

export interface Enrolment {
  id: string;
  patientId: string;
  teamId: string;
  targetGroup: TargetGroup;
  /** Codes of the criteria that supported the decision, from the checklist version below. */
  criteria: string[];
  criteriaVersion: { id: string; version: number };
  status: EnrolmentStatus;
  /** Swedish days, YYYY-MM-DD. */
  start: string;
  reviewDate: string;
  proposed: EnrolmentStep;
  confirmed?: EnrolmentStep | undefined;
  ended?: (EnrolmentStep & { reason: EndReason }) | undefined;
}

/** One criterion of the region's checklist. */
export interface EnrolmentCriterion {
  code: string;
  text: string;
  /** The target group it speaks for; absent when it supports either. */
  targetGroup?: TargetGroup | undefined;
}

/** The supporting criteria, versioned by the region like the question sets. */
export interface EnrolmentCriteriaSet {
  id: string;
  version: number;
  name: string;
  criteria: EnrolmentCriterion[];
}

/**
 * The built-in checklist: what the regions' documents describe the target groups by (several
 * care providers at once, repeated acute deterioration, medically unstable at home). A region
 * replaces it with its own version.
 */
export const DEFAULT_ENROLMENT_CRITERIA: EnrolmentCriteriaSet = {
  id: 'mobilt-team-kriterier',
  version: 1,
  name: 'Stöd för inskrivning i mobilt team',
  criteria: [
    { code: 'samtidiga-insatser', text: 'Har samtidiga hälso- och sjukvårdsinsatser från region och kommun' },
    { code: 'hemsjukvard', text: 'Har kommunal hemsjukvård' },
    { code: 'svart-att-ta-sig', text: 'Har svårt att ta sig till mottagningen' },
    {
      code: 'flera-diagnoser',
      text: 'Har flera kroniska sjukdomar med stort vårdbehov',
      targetGroup: 'mest-sjuka',
    },
    {
      code: 'medicinskt-instabil',
      text: 'Är medicinskt instabil och behöver tät läkarkontakt i hemmet',
      targetGroup: 'mest-sjuka',
    },
    {
      code: 'upprepade-akutbesok',
      text: 'Har sökt akut eller varit inlagd flera gånger det senaste halvåret',
      targetGroup: 'tidvis-sviktande',
    },
    {
      code: 'tidvis-svikt',
      text: 'Försämras tidvis men är stabil däremellan',
      targetGroup: 'tidvis-sviktande',
    },
  ],
};

/** A person deciding on an enrolment: their profession and whether they belong to the team. */
export interface EnrolmentDecider {
  staffId: string;
  profession: string;
  isTeamMember: boolean;
}

function kindOf(profession: string): 'physician' | 'nurse' | null {
  if (physicianProfessions.includes(profession)) return 'physician';
  if (nurseProfessions.includes(profession)) return 'nurse';
  return null;
}

/** The proposer may propose: a physician or a nurse of the team. Throws otherwise. */
export function assertMayPropose(proposer: EnrolmentDecider): void {
  if (!proposer.isTeamMember) throw new DomainError('enrolment_not_team_member');
  if (kindOf(proposer.profession) === null) throw new DomainError('enrolment_professions');
}

/**
 * The confirmer may confirm what the proposer proposed: another person, a member of the team,
 * and of the other profession (a physician confirms a nurse's proposal and the other way round).
 */
export function assertMayConfirm(proposer: EnrolmentDecider, confirmer: EnrolmentDecider): void {
  if (proposer.staffId === confirmer.staffId) throw new DomainError('enrolment_same_person');
  if (!confirmer.isTeamMember || !proposer.isTeamMember) throw new DomainError('enrolment_not_team_member');
  const a = kindOf(proposer.profession);
  const b = kindOf(confirmer.profession);
  if (a === null || b === null || a === b) throw new DomainError('enrolment_professions');
}

export type EnrolmentAction =
  { kind: 'confirm' } | { kind: 'pause' } | { kind: 'resume' } | { kind: 'end'; reason: EndReason };

/** The status after an action, or `enrolment_transition` when the action is not allowed now. */
export function nextEnrolmentStatus(status: EnrolmentStatus, action: EnrolmentAction): EnrolmentStatus {
  switch (action.kind) {
    case 'confirm':
      if (status === 'proposed') return 'active';
      break;
    case 'pause':
      if (status === 'active') return 'paused';
      break;
    case 'resume':
      if (status === 'paused') return 'active';
      break;
    case 'end':
      if (status !== 'ended') return 'ended';
      break;
  }
  throw new DomainError('enrolment_transition');
}

/** The history event an action writes. */
export function eventOf(action: EnrolmentAction): EnrolmentEventKind {
  switch (action.kind) {
    case 'confirm':
      return 'confirmed';
    case 'pause':
      return 'paused';
    case 'resume':
      return 'resumed';
    case 'end':
      return 'ended';
  }
}

/** Enrolments that still hold (a patient is enrolled in a team while proposed, active or paused). */
export function isOpenEnrolment(e: Pick<Enrolment, 'status'>): boolean {
  return e.status !== 'ended';
}

/**
 * What is wrong with a proposal, in Swedish, per field: a known target group, criteria from the
 * checklist, a start day and a review day not before it. Criteria are support, so none is required.
 */
export function enrolmentProposalProblems(
  input: { targetGroup: unknown; criteria: unknown; start: unknown; reviewDate: unknown },
  checklist: EnrolmentCriteriaSet = DEFAULT_ENROLMENT_CRITERIA,
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (!targetGroups.includes(input.targetGroup as TargetGroup))
    problems.push({ path: '/targetGroup', message: 'Välj målgrupp: mest sjuka eller tidvis sviktande.' });
  const known = new Set(checklist.criteria.map((c) => c.code));
  if (!Array.isArray(input.criteria) || !input.criteria.every((c) => typeof c === 'string' && known.has(c)))
    problems.push({ path: '/criteria', message: 'Kriterierna ska komma från regionens checklista.' });
  if (!isDay(input.start)) problems.push({ path: '/start', message: 'Ange startdatum (ÅÅÅÅ-MM-DD).' });
  if (!isDay(input.reviewDate))
    problems.push({ path: '/reviewDate', message: 'Ange datum för uppföljning (ÅÅÅÅ-MM-DD).' });
  else if (isDay(input.start) && input.reviewDate < input.start)
    problems.push({ path: '/reviewDate', message: 'Uppföljningen kan inte vara före startdatum.' });
  return problems;
}

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
function isDay(d: unknown): d is string {
  if (typeof d !== 'string') return false;
  try {
    swedishDayBounds(d);
    return true;
  } catch {
    return false;
  }
}
