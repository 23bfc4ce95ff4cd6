/**
 * Fixed contacts around the patient (Region Gävleborg, handlingsplan Patientkontrakt 2021):
 * exactly one fast vårdkontakt (any profession), a fast läkarkontakt (a physician in primary
 * care), a fast omsorgskontakt (municipal), and any number of treating roles.
 * Patientlagen 6 kap 2 §; HSL 7 kap 3 §.
 */
import { DomainError } from './errors.ts';

export const careContactRoles = [
  'fast-vardkontakt',
  'fast-lakarkontakt',
  'fast-omsorgskontakt',
  'behandlande-roll',
] as const;
export type CareContactRole = (typeof careContactRoles)[number];

export const careContactStatuses = ['active', 'ended', 'declined'] as const;
export type CareContactStatus = (typeof careContactStatuses)[number];

/** Why a fast vårdkontakt is appointed: the patient asked, or the care need requires it. */
export const appointmentReasons = ['patientens-begaran', 'behov'] as const;
export type AppointmentReason = (typeof appointmentReasons)[number];

export const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;

/** When the contact answers the phone (Inera's draft model: weekday, from, to). */
export interface ReachableHours {
  weekday: number;
  from: string;
  to: string;
}

export interface CareContact {
  id: string;
  patientId: string;
  role: CareContactRole;
  /** e.g. "Diabetessjuksköterska" for a treating role. */
  roleTitle: string | null;
  staffId: string | null;
  unitId: string;
  /** No direct route: the patient reaches the contact through the team. */
  viaTeam: boolean;
  phone: string | null;
  reachable: ReachableHours[];
  reason: AppointmentReason | null;
  status: CareContactStatus;
  startDate: string | null;
  reviewDate: string | null;
  endDate: string | null;
  endReason: string | null;
  note: string | null;
  version: number;
}

/** Roles of which a patient has at most one active at a time. */
export const singleHolderRoles: readonly CareContactRole[] = [
  'fast-vardkontakt',
  'fast-lakarkontakt',
  'fast-omsorgskontakt',
];

/** Professions that count as physicians for a fast läkarkontakt. */
export const physicianProfessions: readonly string[] = ['lakare'];

export interface AssignmentFacts {
  role: CareContactRole;
  status: CareContactStatus;
  staffProfession: string | null;
  unitProviderKind: 'region' | 'kommun' | 'privat';
  reason: AppointmentReason | null;
  startDate: string | null;
  reviewDate: string | null;
}

/**
 * Checks the rules for appointing a contact that do not need the database. The one-holder rule
 * is the database's (a partial unique index), so that concurrent appointments cannot both win.
 */
export function validateAssignment(facts: AssignmentFacts): void {
  if (facts.role === 'fast-lakarkontakt' && facts.status === 'active') {
    if (facts.staffProfession === null || !physicianProfessions.includes(facts.staffProfession)) {
      throw new DomainError('not_a_physician');
    }
  }
  if (facts.role === 'fast-omsorgskontakt' && facts.unitProviderKind !== 'kommun') {
    throw new DomainError('not_municipal');
  }
  if (facts.role === 'fast-vardkontakt' && facts.status === 'active' && facts.reason === null) {
    throw new DomainError(
      'invalid_input',
      'Ange varför en fast vårdkontakt utses: patientens begäran eller behov.',
      [{ path: '/reason', message: 'Saknas.' }],
    );
  }
  if (facts.startDate && facts.reviewDate && facts.reviewDate < facts.startDate) {
    throw new DomainError('invalid_input', 'Datum för omprövning kan inte ligga före startdatum.', [
      { path: '/reviewDate', message: 'Före startdatum.' },
    ]);
  }
}

/** Checks the reachable hours: weekday 1–7 (Monday = 1), from before to. */
export function validateReachable(hours: readonly ReachableHours[]): void {
  const details = hours.flatMap((h, i) =>
    h.from >= h.to ? [{ path: `/reachable/${i}`, message: 'Sluttiden måste vara efter starttiden.' }] : [],
  );
  if (details.length > 0) throw new DomainError('invalid_input', 'Telefontiderna är inte giltiga.', details);
}

/** The conflict error for a second holder of a one-holder role. */
export function secondHolderError(role: CareContactRole): DomainError {
  switch (role) {
    case 'fast-vardkontakt':
      return new DomainError('fast_vardkontakt_exists');
    case 'fast-lakarkontakt':
      return new DomainError('fast_lakarkontakt_exists');
    case 'fast-omsorgskontakt':
      return new DomainError('fast_omsorgskontakt_exists');
    case 'behandlande-roll':
      return new DomainError('invalid_input');
  }
}

/** Swedish names of the roles, for people. */
export const roleNames: Record<CareContactRole, string> = {
  'fast-vardkontakt': 'Fast vårdkontakt',
  'fast-lakarkontakt': 'Fast läkarkontakt',
  'fast-omsorgskontakt': 'Fast omsorgskontakt',
  'behandlande-roll': 'Behandlande roll',
};

/**
 * A contact as its history records it: everything a person can appoint, change or read about it,
 * with the names it had then (a renamed unit does not rewrite the history).
 */
export interface CareContactState extends Omit<CareContact, 'id' | 'patientId' | 'version'> {
  staffName: string | null;
  unitName: string;
}

/** What a change did to a contact; `replaced` ends it by a change of holder. */
export const careContactActions = ['appointed', 'declined', 'changed', 'ended', 'replaced'] as const;
export type CareContactAction = (typeof careContactActions)[number];

/** One change to a contact: who, when, and the contact before (null when appointed) and after. */
export interface CareContactHistoryEntry {
  /** The order of writing, across the patient's contacts: the cursor of a page. */
  seq: number;
  contactId: string;
  version: number;
  action: CareContactAction;
  before: CareContactState | null;
  after: CareContactState;
  changedAt: string;
  actor: { kind: 'staff' | 'patient' | 'system'; id: string; name: string; unitId: string | null };
  /** The fields whose value differs between before and after (all of them when appointed). */
  changedFields: (keyof CareContactState)[];
}

/** The state of a contact as `CareContactState`. */
export function careContactStateOf(
  c: CareContact & { staffName: string | null; unitName: string },
): CareContactState {
  return {
    role: c.role,
    roleTitle: c.roleTitle,
    staffId: c.staffId,
    staffName: c.staffName,
    unitId: c.unitId,
    unitName: c.unitName,
    viaTeam: c.viaTeam,
    phone: c.phone,
    reachable: c.reachable,
    reason: c.reason,
    status: c.status,
    startDate: c.startDate,
    reviewDate: c.reviewDate,
    endDate: c.endDate,
    endReason: c.endReason,
    note: c.note,
  };
}

/** The fields that differ between two states; every field that has a value when `before` is null. */
export function changedCareContactFields(
  before: CareContactState | null,
  after: CareContactState,
): (keyof CareContactState)[] {
  const fields = Object.keys(after) as (keyof CareContactState)[];
  return fields.filter((f) =>
    before === null
      ? after[f] !== null && !(Array.isArray(after[f]) && after[f].length === 0)
      : JSON.stringify(comparable(f, before[f])) !== JSON.stringify(comparable(f, after[f])),
  );
}

/** A value with its key order fixed: jsonb gives the reachable hours' keys in an order of its own. */
function comparable(field: keyof CareContactState, value: unknown): unknown {
  return field === 'reachable' ? (value as ReachableHours[]).map((h) => [h.weekday, h.from, h.to]) : value;
}
