/**
 * The organisation directory from the region's HSA data (docs/imports.md, "The organisation
 * directory"): care providers (vårdgivare), care units (vårdenheter), staff and their
 * assignments (medarbetaruppdrag). Pure: the parsers (directory-formats.ts) turn a file into a
 * `Directory`; `diffDirectory` compares it with what the database holds for the care providers
 * the file declares, and tells what a sync would add, change and end.
 *
 * - A file covers only the care providers it declares: one municipality's file never touches
 *   another provider's units, staff or assignments.
 * - What the file no longer holds is ended, never deleted: the history and the access log name
 *   staff and units, and they must still resolve.
 * - Ending more than a tenth of a provider's assignments at once is more likely a cut-off export
 *   than a reorganisation, so it needs an explicit confirmation (`--confirm-ends`).
 * - Only an assignment for the purpose "vård och behandling" gives access to patients (PDL 4 kap
 *   2 §: access for the purpose of the care given; the HSA catalogue's medarbetaruppdrag carries
 *   that purpose).
 * - The product's own roles (loggansvarig, uppföljning, verksamhetschef, systemförvaltare) are
 *   set in the product or through the file's role column; a sync never takes one away.
 */
import { productRoles, type ProductRole } from './access.ts';
import type { RowError } from './import-formats.ts';

/** The HSA-id system: urn:oid:1.2.752.29.4.19 (Inera, HSA-id). */
export const HSA_ID_SYSTEM = 'urn:oid:1.2.752.29.4.19';

export const providerKinds = ['region', 'kommun', 'privat'] as const;
export type ProviderKind = (typeof providerKinds)[number];

/** care_unit.kind. The file may write them in Swedish ("vårdcentral", "sjukhusklinik", "SÄBO"). */
export const unitKinds = [
  'vardcentral',
  'sjukhus',
  'specialistmottagning',
  'hemsjukvard',
  'sabo',
  'hemtjanst',
  'annan',
] as const;
export type UnitKind = (typeof unitKinds)[number];

/** The purposes (ändamål) of a medarbetaruppdrag in the HSA catalogue. */
export const assignmentPurposes = [
  'vard-och-behandling',
  'administration',
  'kvalitetssakring',
  'uppfoljning',
  'forskning',
  'statistik',
] as const;
export type AssignmentPurpose = (typeof assignmentPurposes)[number];

/** Only this purpose gives access to patients. */
export const CARE_PURPOSE: AssignmentPurpose = 'vard-och-behandling';

/** The role column: an ordinary member of staff, or one of the product's roles (the mapping). */
export const assignmentRoles = ['medarbetare', ...productRoles] as const;
export type AssignmentRole = (typeof assignmentRoles)[number];

/** Where a record came from in the file, for its errors: the line (CSV) or entry (FHIR). */
export interface Sourced {
  line: number;
}

export interface DirectoryProvider {
  id: string;
  name: string;
  kind: ProviderKind;
  huvudman: string;
}

export interface DirectoryUnit {
  id: string;
  providerId: string;
  name: string;
  kind: UnitKind;
  municipality: string | null;
}

export interface DirectoryStaff {
  id: string;
  givenName: string;
  familyName: string;
  title: string | null;
  profession: string;
}

/** A medarbetaruppdrag: one person at one unit for one purpose, with a role. */
export interface DirectoryAssignment {
  staffId: string;
  unitId: string;
  purpose: AssignmentPurpose;
  role: AssignmentRole;
}

/** A parsed file. Each record keeps its line for the errors found after parsing. */
export interface Directory {
  providers: (DirectoryProvider & Sourced)[];
  units: (DirectoryUnit & Sourced)[];
  staff: (DirectoryStaff & Sourced)[];
  assignments: (DirectoryAssignment & Sourced)[];
}

/** How a format names the fields the cross-record checks talk about. */
export interface FieldNames {
  providerId: string;
  unitId: string;
  unitProvider: string;
  staffId: string;
  assignmentUnit: string;
  assignmentStaff: string;
}

/**
 * A staff_unit row: the person's place and role at a unit, as the product reads it (the session
 * resolves only a place that has not ended).
 */
export interface StaffUnitPlace {
  staffId: string;
  unitId: string;
  role: string;
  isEnded: boolean;
}

/** What the database holds for the care providers a file declares. */
export interface CurrentDirectory {
  providers: DirectoryProvider[];
  /** Units of the declared providers, with whether they have been ended. */
  units: (DirectoryUnit & { isEnded: boolean })[];
  /** The file's units that belong to a provider the file does not declare. */
  foreignUnits: { id: string; providerId: string }[];
  /** The people the file names, as they are now. */
  staff: DirectoryStaff[];
  /** Active assignments at the units of the declared providers. */
  assignments: DirectoryAssignment[];
  /**
   * staff_unit rows at the units of the declared providers: those a sync manages (an assignment
   * from the directory is or was behind them) and those of the people the file names.
   */
  places: (StaffUnitPlace & { isManaged: boolean })[];
}

export interface Change<T> {
  before: T;
  after: T;
}

export interface DirectoryDiff {
  providers: { added: DirectoryProvider[]; changed: Change<DirectoryProvider>[] };
  units: {
    added: DirectoryUnit[];
    changed: Change<DirectoryUnit>[];
    /** Ended (or reopened, in `changed`): never deleted. */
    ended: DirectoryUnit[];
  };
  staff: { added: DirectoryStaff[]; changed: Change<DirectoryStaff>[] };
  assignments: {
    added: DirectoryAssignment[];
    changed: Change<DirectoryAssignment>[];
    ended: DirectoryAssignment[];
  };
  /** The staff_unit rows to write (new, changed or ended), derived from the assignments. */
  places: StaffUnitPlace[];
}

/** The counts a dry run and a sync report. */
export interface DiffCounts {
  added: number;
  changed: number;
  ended: number;
}

/** Providers where the sync would end more than the threshold of their assignments. */
export interface EndsOverThreshold {
  providerId: string;
  ending: number;
  active: number;
}

/** More than this share of a provider's active assignments ended at once needs confirmation. */
export const CONFIRM_ENDS_SHARE = 0.1;

const fold = (text: string): string =>
  text.trim().toLowerCase().replace(/[åä]/g, 'a').replace(/ö/g, 'o').replace(/é/g, 'e').replace(/\s+/g, '-');

const unitKindAliases: Record<string, UnitKind> = {
  sjukhusklinik: 'sjukhus',
  klinik: 'sjukhus',
  'sarskilt-boende': 'sabo',
};

/** The unit kind a file's value names, or null. Swedish spellings and "sjukhusklinik" are fine. */
export function normaliseUnitKind(value: string): UnitKind | null {
  const folded = fold(value);
  if ((unitKinds as readonly string[]).includes(folded)) return folded as UnitKind;
  return unitKindAliases[folded] ?? null;
}

/** The purpose a file's value names ("Vård och behandling" → vard-och-behandling), or null. */
export function normalisePurpose(value: string): AssignmentPurpose | null {
  const folded = fold(value);
  return (assignmentPurposes as readonly string[]).includes(folded) ? (folded as AssignmentPurpose) : null;
}

/** The role a file's value names (empty: medarbetare), or null. */
export function normaliseRole(value: string): AssignmentRole | null {
  const folded = fold(value) || 'medarbetare';
  return (assignmentRoles as readonly string[]).includes(folded) ? (folded as AssignmentRole) : null;
}

/** A profession code (staff.profession: "lakare", "sjukskoterska"); Swedish words are folded. */
export function normaliseProfession(value: string): string | null {
  const folded = fold(value);
  return /^[a-z][a-z-]{1,39}$/.test(folded) ? folded : null;
}

export function normaliseProviderKind(value: string): ProviderKind | null {
  const folded = fold(value);
  return (providerKinds as readonly string[]).includes(folded) ? (folded as ProviderKind) : null;
}

const HSA_ID_RE = /^[A-Za-z0-9-]{3,64}$/;
/** Is this a plausible HSA-id (SE2321000000-P0001)? */
export function isHsaId(value: string): boolean {
  return HSA_ID_RE.test(value);
}

/** Does the purpose give access to patients? */
export function givesPatientAccess(purpose: AssignmentPurpose): boolean {
  return purpose === CARE_PURPOSE;
}

const assignmentKey = (a: { staffId: string; unitId: string; purpose: string }): string =>
  `${a.staffId}\u0000${a.unitId}\u0000${a.purpose}`;
const placeKey = (p: { staffId: string; unitId: string }): string => `${p.staffId}\u0000${p.unitId}`;

/**
 * Checks what no single record can: each id once (a repeat must say the same), every unit's
 * provider and every assignment's unit and person in the file. Errors name the line and field.
 */
export function checkDirectory(directory: Directory, names: FieldNames): RowError[] {
  const errors: RowError[] = [];
  const once = <T extends Sourced>(
    records: T[],
    key: (r: T) => string,
    field: string,
    what: string,
  ): Map<string, T> => {
    const seen = new Map<string, T>();
    for (const record of records) {
      const first = seen.get(key(record));
      if (first === undefined) seen.set(key(record), record);
      else if (!sameRecord(first, record))
        errors.push({
          line: record.line,
          field,
          message: `${what} finns redan på rad ${first.line} med andra uppgifter.`,
        });
    }
    return seen;
  };
  const providers = once(directory.providers, (p) => p.id, names.providerId, 'Vårdgivaren');
  const units = once(directory.units, (u) => u.id, names.unitId, 'Enheten');
  const staff = once(directory.staff, (s) => s.id, names.staffId, 'Personen');
  once(directory.assignments, assignmentKey, names.assignmentUnit, 'Uppdraget (person, enhet, ändamål)');
  for (const unit of units.values())
    if (!providers.has(unit.providerId))
      errors.push({
        line: unit.line,
        field: names.unitProvider,
        message:
          'Vårdgivaren finns inte i filen. En fil tar bara upp enheter hos vårdgivare den själv anger.',
      });
  for (const assignment of directory.assignments) {
    if (!units.has(assignment.unitId))
      errors.push({
        line: assignment.line,
        field: names.assignmentUnit,
        message: 'Enheten finns inte i filen.',
      });
    if (!staff.has(assignment.staffId))
      errors.push({
        line: assignment.line,
        field: names.assignmentStaff,
        message: 'Personen finns inte i filen.',
      });
  }
  return errors.sort((a, b) => a.line - b.line);
}

function sameRecord(a: Sourced, b: Sourced): boolean {
  const { line: _a, ...restA } = a;
  const { line: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}

/** The records without their lines, each once. */
function distinct<T extends Sourced>(records: T[], key: (r: T) => string): Omit<T, 'line'>[] {
  const byKey = new Map<string, Omit<T, 'line'>>();
  for (const { line: _line, ...record } of records) {
    const k = key(record as unknown as T);
    if (!byKey.has(k)) byKey.set(k, record);
  }
  return [...byKey.values()];
}

const equal = (a: object, b: object): boolean =>
  Object.entries(a).every(([k, v]) => (b as Record<string, unknown>)[k] === v);

/**
 * What a sync of `file` would do to `current`: added, changed and ended, scoped to the providers
 * the file declares. Errors (a unit that belongs to another provider) come back with the lines
 * that named it; a diff with errors must not be written.
 */
export function diffDirectory(
  file: Directory,
  current: CurrentDirectory,
): { diff: DirectoryDiff; errors: RowError[] } {
  const errors: RowError[] = [];
  const foreign = new Map(current.foreignUnits.map((u) => [u.id, u.providerId]));
  for (const unit of file.units)
    if (foreign.has(unit.id))
      errors.push({
        line: unit.line,
        field: null,
        message: `Enheten hör till en annan vårdgivare (${foreign.get(unit.id)}) som filen inte anger.`,
      });

  const providers = distinct(file.providers, (p) => p.id);
  const units = distinct(file.units, (u) => u.id);
  const staff = distinct(file.staff, (s) => s.id);
  const assignments = distinct(file.assignments, assignmentKey);

  const nowProviders = new Map(current.providers.map((p) => [p.id, p]));
  const nowUnits = new Map(current.units.map((u) => [u.id, u]));
  const nowStaff = new Map(current.staff.map((s) => [s.id, s]));
  const nowAssignments = new Map(current.assignments.map((a) => [assignmentKey(a), a]));
  const fileUnitIds = new Set(units.map((u) => u.id));
  const fileAssignmentKeys = new Set(assignments.map(assignmentKey));

  const diff: DirectoryDiff = {
    providers: { added: [], changed: [] },
    units: { added: [], changed: [], ended: [] },
    staff: { added: [], changed: [] },
    assignments: { added: [], changed: [], ended: [] },
    places: [],
  };
  for (const p of providers) {
    const before = nowProviders.get(p.id);
    if (!before) diff.providers.added.push(p);
    else if (!equal(p, before)) diff.providers.changed.push({ before, after: p });
  }
  for (const u of units) {
    const now = nowUnits.get(u.id);
    if (!now) diff.units.added.push(u);
    else {
      const { isEnded, ...before } = now;
      if (isEnded || !equal(u, before)) diff.units.changed.push({ before, after: u });
    }
  }
  for (const now of current.units) {
    const { isEnded, ...unit } = now;
    if (!isEnded && !fileUnitIds.has(unit.id)) diff.units.ended.push(unit);
  }
  for (const s of staff) {
    const before = nowStaff.get(s.id);
    if (!before) diff.staff.added.push(s);
    else if (!equal(s, before)) diff.staff.changed.push({ before, after: s });
  }
  for (const a of assignments) {
    const before = nowAssignments.get(assignmentKey(a));
    if (!before) diff.assignments.added.push(a);
    else if (before.role !== a.role) diff.assignments.changed.push({ before, after: a });
  }
  for (const a of current.assignments)
    if (!fileAssignmentKeys.has(assignmentKey(a))) diff.assignments.ended.push(a);

  diff.places = placesAfter(assignments, current);
  return { diff, errors };
}

/**
 * The staff_unit rows that must change so that the product reads the file's assignments: a
 * place per person and unit with an active assignment (access to patients only through one for
 * vård och behandling), ended where none is left. A product role already held is kept; a
 * product role in the file's role column is given.
 */
function placesAfter(assignments: DirectoryAssignment[], current: CurrentDirectory): StaffUnitPlace[] {
  const byPlace = new Map<string, DirectoryAssignment[]>();
  for (const a of assignments) {
    const list = byPlace.get(placeKey(a)) ?? [];
    list.push(a);
    byPlace.set(placeKey(a), list);
  }
  const nowPlaces = new Map(current.places.map((p) => [placeKey(p), p]));
  const out: StaffUnitPlace[] = [];
  for (const [key, here] of byPlace) {
    const { isManaged: _isManaged, ...now } = nowPlaces.get(key) ?? { isManaged: false };
    const place: StaffUnitPlace = {
      staffId: here[0]!.staffId,
      unitId: here[0]!.unitId,
      role: roleAt('role' in now ? now.role : null, here),
      isEnded: false,
    };
    if (!equal(place, now)) out.push(place);
  }
  // A place the product set up itself (no assignment was ever behind it) is the product's to end.
  for (const [key, { isManaged, ...now }] of nowPlaces)
    if (isManaged && !byPlace.has(key) && !now.isEnded) out.push({ ...now, isEnded: true });
  return out;
}

/**
 * The role at a unit: a product role named in the file, else a product role already held, else
 * `medarbetare` when an assignment there is for vård och behandling, else `administrativ` (a
 * role without access to patients: `careRoles` does not hold it).
 */
export function roleAt(
  currentRole: string | null,
  assignments: readonly Pick<DirectoryAssignment, 'role' | 'purpose'>[],
): string {
  const named = productRoles.find((r) => assignments.some((a) => a.role === r));
  if (named !== undefined) return named;
  if (currentRole !== null && (productRoles as readonly string[]).includes(currentRole)) return currentRole;
  return assignments.some((a) => givesPatientAccess(a.purpose)) ? 'medarbetare' : NON_CARE_ROLE;
}

/** The role of a person whose assignments at a unit are none of them for vård och behandling. */
export const NON_CARE_ROLE = 'administrativ';

/** Providers where the diff ends more than `CONFIRM_ENDS_SHARE` of their active assignments. */
export function endsOverThreshold(
  diff: DirectoryDiff,
  current: CurrentDirectory,
  share: number = CONFIRM_ENDS_SHARE,
): EndsOverThreshold[] {
  const providerOf = new Map(current.units.map((u) => [u.id, u.providerId]));
  const count = (list: readonly DirectoryAssignment[]): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const a of list) {
      const provider = providerOf.get(a.unitId);
      if (provider !== undefined) counts.set(provider, (counts.get(provider) ?? 0) + 1);
    }
    return counts;
  };
  const active = count(current.assignments);
  const ending = count(diff.assignments.ended);
  return [...ending]
    .filter(([provider, n]) => n > share * (active.get(provider) ?? 0))
    .map(([providerId, n]) => ({ providerId, ending: n, active: active.get(providerId) ?? 0 }))
    .sort((a, b) => a.providerId.localeCompare(b.providerId));
}

/** The counts of a diff per kind of record. */
export function countDiff(
  diff: DirectoryDiff,
): Record<'providers' | 'units' | 'staff' | 'assignments', DiffCounts> {
  return {
    providers: { added: diff.providers.added.length, changed: diff.providers.changed.length, ended: 0 },
    units: {
      added: diff.units.added.length,
      changed: diff.units.changed.length,
      ended: diff.units.ended.length,
    },
    staff: { added: diff.staff.added.length, changed: diff.staff.changed.length, ended: 0 },
    assignments: {
      added: diff.assignments.added.length,
      changed: diff.assignments.changed.length,
      ended: diff.assignments.ended.length,
    },
  };
}

/** True when the diff changes nothing. */
export function isEmptyDiff(diff: DirectoryDiff): boolean {
  const counts = countDiff(diff);
  return (
    diff.places.length === 0 &&
    Object.values(counts).every((c) => c.added === 0 && c.changed === 0 && c.ended === 0)
  );
}

export type { ProductRole };
