/**
 * The Patientkontrakt: the patient's own plan, an umbrella over all care and social care
 * (Gävleborg, "Handlingsplan för patientkontrakt", 2021; Region Jämtland Härjedalen, handlingsplan
 * Patientmiljarden 2018; Region Östergötland, handlingsplan Patientkontrakt 2021). Four parts: sammanhållen planering (activities, linked plans),
 * fast kontakt (src/domain/care-contact.ts), överenskommen tid (nextContact) and gemensam
 * överenskommelse (whatMatters, goals, patientResponsibilities).
 */
import { DomainError } from './errors.ts';

export const contractStatuses = ['draft', 'active', 'ended'] as const;
export type ContractStatus = (typeof contractStatuses)[number];

/**
 * Why the product (not staff in the plan) ended a contract: the patient died. A move out of the
 * region does not end the plan (docs/operations.md); `moved` is kept for a region that decides so.
 */
export const contractEndReasons = ['died', 'moved'] as const;
export type ContractEndReason = (typeof contractEndReasons)[number];

/** Ambition levels for a shared goal ("vilken ambitionsnivå ska vi ha för din vård?", the Gävleborg plan). */
export const ambitionLevels = ['bota', 'forbattra', 'bibehalla', 'bromsa', 'lindra'] as const;
export type AmbitionLevel = (typeof ambitionLevels)[number];

export const goalStatuses = ['pagaende', 'uppnatt', 'delvis-uppnatt', 'ej-uppnatt', 'avslutat'] as const;
export const activityStatuses = ['planerad', 'bokad', 'genomford', 'installd'] as const;
export const contactModes = ['besok', 'telefon', 'video', 'hembesok'] as const;
export type ContactMode = (typeof contactModes)[number];
/** "Från erbjuden tid, via kallelse, till överenskommen tid". */
export const nextContactAgreements = ['overenskommen', 'erbjuden'] as const;
export const linkedPlanTypes = [
  'sip',
  'min-vardplan',
  'min-vardplan-cancer',
  'rehabiliteringsplan',
  'vardplan-kol',
  'vardplan-diabetes',
  'vardplan-hjartsvikt',
  'halsoplan',
  'genomforandeplan',
  'samordnad-utskrivningsplan',
  'annan',
] as const;
export const answerValues = ['ja', 'nej', 'vet-inte'] as const;

export interface Goal {
  id: string;
  text: string;
  ambition: AmbitionLevel;
  targetDate?: string | undefined;
  status: (typeof goalStatuses)[number];
  /** True when the patient wrote the goal and staff have not yet adopted it. */
  proposedByPatient?: boolean | undefined;
}

export interface Responsibility {
  id: string;
  text: string;
  isDone?: boolean | undefined;
  doneAt?: string | undefined;
}

export interface PlannedActivity {
  id: string;
  what: string;
  /** HSA-id of the unit that performs it: region or municipality alike. */
  unitId: string;
  /** HSA-id of the responsible person, when one is named. */
  responsibleStaffId?: string | undefined;
  /** Date (YYYY-MM-DD) or date-time (ISO 8601). */
  when: string;
  status: (typeof activityStatuses)[number];
  note?: string | undefined;
}

export interface NextContact {
  at: string;
  unitId: string;
  withStaffId?: string | undefined;
  mode: ContactMode;
  agreement: (typeof nextContactAgreements)[number];
  /**
   * How long the contact is expected to take, in minutes, as agreed when it was booked. Absent in
   * contracts written before it was asked for: then `defaultDurationMinutes` of the mode stands in.
   */
  durationMinutes?: number | undefined;
  /** The patient asked for another time; cleared when a new time is set. */
  patientRequestedChange?: boolean | undefined;
  /** The patient's own answer to this time; staff cannot change it, a new time clears it. */
  patientResponse?: NextContactResponse | undefined;
  note?: string | undefined;
}

/**
 * The expected length of a contact of each mode when none was agreed: what such a booking
 * commonly takes in primary care (a return visit, a telephone follow-up, a video call, a home
 * visit with travel at the patient's). The editor offers it as the preselected duration.
 */
export const defaultDurationMinutes: Readonly<Record<ContactMode, number>> = {
  besok: 30,
  telefon: 15,
  video: 20,
  hembesok: 45,
};
export const MIN_DURATION_MINUTES = 5;
export const MAX_DURATION_MINUTES = 480;

/** The expected length of the next contact: as agreed, else the default of its mode. */
export function durationOf(next: Pick<NextContact, 'mode' | 'durationMinutes'>): {
  minutes: number;
  isAgreed: boolean;
} {
  return next.durationMinutes !== undefined
    ? { minutes: next.durationMinutes, isAgreed: true }
    : { minutes: defaultDurationMinutes[next.mode], isAgreed: false };
}

export const nextContactResponses = ['confirmed', 'wants-other'] as const;

/** The patient confirmed the next contact, or asked for another time, perhaps with a short message. */
export interface NextContactResponse {
  response: (typeof nextContactResponses)[number];
  message?: string | undefined;
  respondedAt: string;
}

/** Text the patient wrote themselves, kept apart from staff's text until staff adopt it. */
export interface PatientWords {
  text: string;
  writtenAt: string;
}

export interface LinkedPlan {
  id: string;
  type: (typeof linkedPlanTypes)[number];
  title?: string | undefined;
  unitId: string;
  date: string;
  reference: string;
}

export interface QuestionAnswers {
  questionSetId: string;
  questionSetVersion: number;
  answeredAt: string;
  items: {
    questionId: string;
    answer?: (typeof answerValues)[number] | undefined;
    text?: string | undefined;
  }[];
}

export interface ContractContent {
  whatMatters: string;
  /**
   * What matters, in the patient's own words. Written only by the patient; staff read
   * it as the patient's, adopt it into `whatMatters` by editing, and may then clear it.
   */
  whatMattersPatientWords?: PatientWords | null | undefined;
  goals: Goal[];
  patientResponsibilities: Responsibility[];
  activities: PlannedActivity[];
  nextContact: NextContact | null;
  linkedPlans: LinkedPlan[];
  answers: QuestionAnswers | null;
  /**
   * The patient's own answers to a question set for patients (SKR's 7 questions), recorded for
   * follow-up. Written only by the patient, never mixed with staff's `answers`.
   */
  selfAssessment?: QuestionAnswers | null | undefined;
  /** What the patient does if they get worse (whom to call, when to seek urgent care). */
  ifWorse: string;
  /** When the contract is to be reviewed together with the patient. */
  reviewDate: string | null;
  /**
   * Why no next contact is agreed (for instance "Patienten hör av sig själv"), in place of a
   * time: an active contract states one or the other. Cleared when a time is set.
   */
  noNextContactReason?: string | null | undefined;
  /**
   * What was decided about a fast vårdkontakt when none is appointed: the patient declined, or
   * one is not needed now (the region appoints one on request or when needed). Who recorded it
   * and when is in the version history.
   */
  fastVardkontaktDecision?: FastVardkontaktDecision | null | undefined;
}

export const fastVardkontaktDecisions = ['not-needed-now', 'declined'] as const;
export type FastVardkontaktDecision = (typeof fastVardkontaktDecisions)[number];

export interface Contract {
  id: string;
  patientId: string;
  status: ContractStatus;
  version: number;
  content: ContractContent;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface ContractVersion {
  contractId: string;
  version: number;
  status: ContractStatus;
  content: ContractContent;
  changedAt: string;
  actor: { kind: 'staff' | 'patient' | 'system'; id: string; name: string; unitId: string | null };
  changes: ContractChange[];
}

/** One part that changed between two versions, for history and notifications. */
export interface ContractChange {
  part: ContractPart;
  kind: 'added' | 'removed' | 'changed';
  /** The id of the item within a list part, when the part is a list. */
  itemId?: string;
}

export type ContractPart = keyof ContractContent | 'status';

/** An empty contract: the starting point for drawing one up with the patient. */
export function emptyContractContent(): ContractContent {
  return {
    whatMatters: '',
    goals: [],
    patientResponsibilities: [],
    activities: [],
    nextContact: null,
    linkedPlans: [],
    answers: null,
    ifWorse: '',
    reviewDate: null,
  };
}

const allowedTransitions: Record<ContractStatus, readonly ContractStatus[]> = {
  draft: ['draft', 'active', 'ended'],
  active: ['active', 'ended'],
  ended: [],
};

/** Throws unless a contract in status `from` may be saved with status `to`. An ended contract is history. */
export function assertTransition(from: ContractStatus, to: ContractStatus): void {
  if (!allowedTransitions[from].includes(to)) {
    throw new DomainError(
      'invalid_transition',
      from === 'ended'
        ? 'Kontraktet är avslutat och kan inte ändras. Upprätta ett nytt kontrakt.'
        : 'Ett aktivt kontrakt kan inte bli utkast igen.',
    );
  }
}

/**
 * Checks the rules a schema cannot express: unique ids within each list, dates in order, and
 * no item without its text (an emptied goal is an error on that goal, never a deletion).
 */
export function validateContent(content: ContractContent): void {
  const details: { path: string; message: string }[] = [];
  const blank = (value: string) => value.trim() === '';
  content.goals.forEach((g, i) => {
    if (blank(g.text)) details.push({ path: `/goals/${i}/text`, message: 'Målet saknar text.' });
  });
  content.patientResponsibilities.forEach((r, i) => {
    if (blank(r.text))
      details.push({ path: `/patientResponsibilities/${i}/text`, message: 'Ansvaret saknar text.' });
  });
  content.activities.forEach((a, i) => {
    if (blank(a.what))
      details.push({ path: `/activities/${i}/what`, message: 'Aktiviteten saknar beskrivning.' });
  });
  const lists = ['goals', 'patientResponsibilities', 'activities', 'linkedPlans'] as const;
  for (const list of lists) {
    const seen = new Set<string>();
    content[list].forEach((item, i) => {
      if (seen.has(item.id))
        details.push({ path: `/${list}/${i}/id`, message: 'Samma id förekommer två gånger.' });
      seen.add(item.id);
    });
  }
  const dateLike = (path: string, value: string | undefined | null): void => {
    if (value != null && Number.isNaN(Date.parse(value)))
      details.push({ path, message: 'Datumet är inte giltigt.' });
  };
  content.activities.forEach((a, i) => dateLike(`/activities/${i}/when`, a.when));
  content.goals.forEach((g, i) => dateLike(`/goals/${i}/targetDate`, g.targetDate));
  content.linkedPlans.forEach((p, i) => dateLike(`/linkedPlans/${i}/date`, p.date));
  dateLike('/reviewDate', content.reviewDate);
  dateLike('/nextContact/at', content.nextContact?.at);
  if (details.length > 0) throw new DomainError('invalid_input', 'Kontraktet innehåller fel.', details);
}

/** A part an active contract must hold (what the Patientkontrakt promises the patient). */
export const activationParts = ['nextContact', 'fastVardkontakt', 'reviewDate'] as const;
export type ActivationPart = (typeof activationParts)[number];

export interface ActivationProblem {
  part: ActivationPart;
  /** JSON Pointer into the request's `content`, so that the message can be shown at the field. */
  path: string;
  message: string;
}

/** What the contract itself does not hold: whether the patient has a fast vårdkontakt. */
export interface ActivationFacts {
  /** The patient's fast vårdkontakt: appointed ('active'), declined, or none recorded. */
  fastVardkontakt: 'active' | 'declined' | null;
}

const activationMessages: Record<ActivationPart, string> = {
  nextContact: 'Nästa överenskomna kontakt saknas. Ange en tid, eller skriv varför ingen tid bokas nu.',
  fastVardkontakt:
    'Fast vårdkontakt saknas. Utse en, eller ange att patienten avböjt eller att det inte behövs nu.',
  reviewDate: 'Datum för uppföljning saknas.',
};

/**
 * What an active contract lacks: the next contact (or why there is none), a fast vårdkontakt
 * (or a recorded decline, or "not needed now"), and a follow-up date. A draft may lack them.
 */
export function activationProblems(content: ContractContent, facts: ActivationFacts): ActivationProblem[] {
  const missing: ActivationPart[] = [];
  if (!content.nextContact && !content.noNextContactReason?.trim()) missing.push('nextContact');
  if (facts.fastVardkontakt === null && !content.fastVardkontaktDecision) missing.push('fastVardkontakt');
  if (!content.reviewDate) missing.push('reviewDate');
  return missing.map((part) => ({ part, path: `/${part}`, message: activationMessages[part] }));
}

/**
 * Throws unless a contract saved with status `after` holds what an active contract must. A
 * contract that becomes active must hold every part; one that stays active may not lose a part
 * it held (a contract activated before the rule existed can still be edited, and completed).
 */
export function assertActivatable(
  before: { status: ContractStatus; content: ContractContent } | null,
  after: { status: ContractStatus; content: ContractContent },
  facts: ActivationFacts,
): void {
  if (after.status !== 'active') return;
  const had =
    before?.status === 'active'
      ? new Set(activationProblems(before.content, facts).map((p) => p.part))
      : new Set<ActivationPart>();
  const problems = activationProblems(after.content, facts).filter((p) => !had.has(p.part));
  if (problems.length > 0)
    throw new DomainError(
      'contract_incomplete',
      `Kontraktet kan inte vara aktivt: ${problems.map((p) => activationNames[p.part]).join(', ')} saknas.`,
      problems.map(({ path, message }) => ({ path, message })),
    );
}

/** All units a contract refers to, so that the store can check that they exist. */
export function referencedUnitIds(content: ContractContent): string[] {
  const ids = [
    ...content.activities.map((a) => a.unitId),
    ...content.linkedPlans.map((p) => p.unitId),
    ...(content.nextContact ? [content.nextContact.unitId] : []),
  ];
  return [...new Set(ids)];
}

/** All staff a contract refers to, so that the store can check that they exist. */
export function referencedStaffIds(content: ContractContent): string[] {
  const ids = [
    ...content.activities.flatMap((a) => (a.responsibleStaffId ? [a.responsibleStaffId] : [])),
    ...(content.nextContact?.withStaffId ? [content.nextContact.withStaffId] : []),
  ];
  return [...new Set(ids)];
}

/** Throws unknown_unit / unknown_staff when a unit or person the contract names does not exist. */
export function assertReferencesFound(missing: { units: readonly string[]; staff: readonly string[] }): void {
  if (missing.units.length > 0) {
    throw new DomainError(
      'unknown_unit',
      `Vårdenheten finns inte: ${missing.units.join(', ')}.`,
      missing.units.map((id) => ({ path: 'unitId', message: `Okänd vårdenhet ${id}` })),
    );
  }
  if (missing.staff.length > 0) {
    throw new DomainError(
      'unknown_staff',
      `Medarbetaren finns inte: ${missing.staff.join(', ')}.`,
      missing.staff.map((id) => ({ path: 'staffId', message: `Okänd medarbetare ${id}` })),
    );
  }
}

/** What changed between two versions, part by part, and item by item within lists. */
export function diffContent(
  before: ContractContent | null,
  after: ContractContent,
  statusBefore?: ContractStatus,
  statusAfter?: ContractStatus,
): ContractChange[] {
  const changes: ContractChange[] = [];
  if (statusBefore !== statusAfter && statusAfter !== undefined)
    changes.push({ part: 'status', kind: 'changed' });
  const base = before ?? emptyContractContent();
  // Both sides' keys: an optional part (the patient's words, a self-assessment) can disappear.
  const parts = new Set([...Object.keys(base), ...Object.keys(after)] as (keyof ContractContent)[]);
  for (const part of parts) {
    const a: unknown = base[part] ?? null;
    const b: unknown = after[part] ?? null;
    if (Array.isArray(a) && Array.isArray(b)) {
      changes.push(...diffList(part, a as { id: string }[], b as { id: string }[]));
    } else if (!isDeepEqual(a, b)) {
      const kind = a == null || a === '' ? 'added' : b == null || b === '' ? 'removed' : 'changed';
      changes.push({ part, kind });
    }
  }
  return changes;
}

function diffList(part: ContractPart, before: { id: string }[], after: { id: string }[]): ContractChange[] {
  const old = new Map(before.map((i) => [i.id, i]));
  const now = new Map(after.map((i) => [i.id, i]));
  const changes: ContractChange[] = [];
  for (const [id, item] of now) {
    const prev = old.get(id);
    if (!prev) changes.push({ part, kind: 'added', itemId: id });
    else if (!isDeepEqual(prev, item)) changes.push({ part, kind: 'changed', itemId: id });
  }
  for (const id of old.keys()) if (!now.has(id)) changes.push({ part, kind: 'removed', itemId: id });
  return changes;
}

/** Structural equality of JSON values (key order does not matter). */
export function isDeepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => isDeepEqual(x, b[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => isDeepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const partNames: Record<ContractPart, string> = {
  status: 'status',
  whatMatters: 'vad som är viktigt',
  whatMattersPatientWords: 'vad som är viktigt med patientens egna ord',
  goals: 'mål',
  patientResponsibilities: 'patientens eget ansvar',
  activities: 'planerade kontakter och aktiviteter',
  nextContact: 'nästa överenskomna kontakt',
  linkedPlans: 'kopplade planer',
  answers: 'svar på frågorna',
  selfAssessment: 'patientens egna svar på frågorna',
  ifWorse: 'om du blir sämre',
  reviewDate: 'datum för uppföljning',
  noNextContactReason: 'varför ingen tid är bokad',
  fastVardkontaktDecision: 'beslut om fast vårdkontakt',
};
const activationNames: Record<ActivationPart, string> = {
  nextContact: 'nästa överenskomna kontakt',
  fastVardkontakt: 'fast vårdkontakt',
  reviewDate: 'datum för uppföljning',
};

/** A one-line Swedish summary of a change, for notifications and history lists. */
export function summarizeChanges(changes: readonly ContractChange[]): string {
  if (changes.length === 0) return 'Inga ändringar i innehållet';
  const parts = [...new Set(changes.map((c) => partNames[c.part]))];
  return `Ändrade ${parts.join(', ')}`;
}
