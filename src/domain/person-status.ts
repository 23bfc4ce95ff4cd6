/**
 * What the population register (folkbokföringen) says about a person beyond the name, and what
 * follows from it: a protection marker, a death, a move out of the region. Pure rules; the
 * register's facts are written and their consequences carried out by
 * services/person-status-service.ts.
 *
 * Protection: sekretessmarkering (Offentlighets- och sekretesslagen 2009:400, 22 kap 1 §) and
 * skyddad folkbokföring (Folkbokföringslag 1991:481, 16 §). The person keeps their care; the
 * address never leaves the server; the name is shown only where care needs it (the patient's own
 * page and plan, to staff with access), and nowhere that another person or a list would see it.
 */
import { DomainError } from './errors.ts';

export const protections = ['none', 'sekretessmarkering', 'skyddad-folkbokforing'] as const;
export type Protection = (typeof protections)[number];

export const registerSources = ['import', 'personuppgiftstjansten', 'manual', 'demo'] as const;
export type RegisterSource = (typeof registerSources)[number];

/** Where a status event came from: the register, or care reporting a death before it. */
export type StatusSource = RegisterSource | 'care';

/** The words a list shows instead of a protected person's name. */
export const PROTECTED_NAME = 'Skyddad identitet';

/**
 * What a notification about a protected person says in a list: its own summary may name a team,
 * a unit or a person around them, which can tell where they live. The plan itself says what.
 */
export const PROTECTED_SUMMARY = 'Ändring i planen. Öppna patientens sida för att se vad.';

/** Whether the person's identity is protected (either marker). */
export function isProtected(protection: Protection | null | undefined): boolean {
  return protection !== undefined && protection !== null && protection !== 'none';
}

/**
 * The stronger of two protections (none < sekretessmarkering < skyddad folkbokföring). An earlier
 * version of a person is labelled with the stronger of then and now: a person protected today
 * is protected in every version a reader is shown, and one protected then stays so.
 */
export function strongerProtection(a: Protection, b: Protection): Protection {
  return protections.indexOf(a) >= protections.indexOf(b) ? a : b;
}

/** The name a list, notification or live event shows: the name, or "Skyddad identitet". */
export function listedName(name: string, protection: Protection | null | undefined): string {
  return isProtected(protection) ? PROTECTED_NAME : name;
}

/**
 * Units whose name tells where a person lives (their home care, their särskilt boende), and the
 * neutral label a list shows instead for a protected person.
 */
export const homeUnitLabels: Readonly<Record<string, string>> = {
  hemsjukvard: 'Hemsjukvård',
  sabo: 'Särskilt boende',
  hemtjanst: 'Hemtjänst',
};

/**
 * A person as a list shows them (a search hit): a protected person's name is "Skyddad identitet";
 * their own page (and plan) shows the name to staff with access.
 */
export function asListed<T extends { givenName: string; familyName: string; protection: Protection }>(
  person: T,
): T {
  return isProtected(person.protection) ? { ...person, givenName: PROTECTED_NAME, familyName: '' } : person;
}

/** The register's address of a person. */
export interface RegisterAddress {
  line: string | null;
  postalCode: string | null;
  city: string | null;
  /** The municipality (kommunkod, four digits). */
  municipalityCode: string | null;
}

/** What the product holds about a person from the register. */
export interface PersonStatus {
  protection: Protection;
  deceasedOn: string | null;
  movedOutOn: string | null;
  address: RegisterAddress;
}

/**
 * Facts from the register, as an import or a look-up gives them. A property left out is not
 * known to the caller and is kept as it is; `null` says the register holds none.
 */
export interface RegisterFacts {
  protection?: Protection | undefined;
  deceasedOn?: string | null | undefined;
  movedOutOn?: string | null | undefined;
  address?: RegisterAddress | null | undefined;
}

const noAddress: RegisterAddress = { line: null, postalCode: null, city: null, municipalityCode: null };
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The status after the facts are applied. A death is never undone by the register's silence
 * (care may have reported it first, and the register may lag); a person with skyddad
 * folkbokföring has no address kept (the register's is not the person's real one). A person
 * whose municipality is outside the region without a move-out day from the register gets the
 * day the product learned it (`today`), kept until they live in the region again, so that the
 * plan can say since when.
 */
export function nextPersonStatus(
  before: PersonStatus,
  facts: RegisterFacts,
  regionMunicipalities: readonly string[],
  today: string,
): PersonStatus {
  for (const day of [facts.deceasedOn, facts.movedOutOn])
    if (typeof day === 'string' && !DAY.test(day))
      throw new DomainError('invalid_input', 'Datumet är ogiltigt.');
  const given = facts.address?.municipalityCode;
  if (typeof given === 'string' && !/^\d{4}$/.test(given))
    throw new DomainError('invalid_input', 'Kommunkoden ska vara fyra siffror.');
  const protection = facts.protection ?? before.protection;
  const address =
    protection === 'skyddad-folkbokforing'
      ? noAddress
      : facts.address === undefined
        ? before.address
        : (facts.address ?? noAddress);
  const after: PersonStatus = {
    protection,
    deceasedOn: before.deceasedOn ?? facts.deceasedOn ?? null,
    movedOutOn: facts.movedOutOn === undefined ? before.movedOutOn : facts.movedOutOn,
    address,
  };
  // A new address in one of the region's municipalities is a move back, unless the register
  // itself says the person moved out.
  const code = address.municipalityCode;
  if (facts.movedOutOn === undefined && facts.address && code !== null && regionMunicipalities.includes(code))
    after.movedOutOn = null;
  if (after.movedOutOn === null && isOutsideRegion(after, regionMunicipalities))
    after.movedOutOn = before.movedOutOn ?? today;
  return after;
}

/**
 * Whether the person lives outside the region: the register says they moved out (`movedOutOn`),
 * or their municipality is not one of the region's (when the region has named its municipalities;
 * REGION_MUNICIPALITIES). A person without a known municipality is not taken to have moved.
 */
export function isOutsideRegion(status: PersonStatus, regionMunicipalities: readonly string[]): boolean {
  if (status.movedOutOn !== null) return true;
  const code = status.address.municipalityCode;
  return code !== null && regionMunicipalities.length > 0 && !regionMunicipalities.includes(code);
}

export type StatusChange =
  | { kind: 'died'; on: string }
  | { kind: 'moved-out'; on: string | null }
  | { kind: 'moved-back' }
  | { kind: 'protection-changed'; from: Protection; to: Protection };

/**
 * What changed between two statuses, in the order it is carried out. Computed from the stored
 * status under the patient row's lock, so that applying the same facts again yields nothing: a
 * death is told once, a move once (until the person moves back and out again).
 */
export function statusChanges(
  before: PersonStatus,
  after: PersonStatus,
  regionMunicipalities: readonly string[],
): StatusChange[] {
  const changes: StatusChange[] = [];
  if (before.protection !== after.protection)
    changes.push({ kind: 'protection-changed', from: before.protection, to: after.protection });
  if (before.deceasedOn === null && after.deceasedOn !== null)
    changes.push({ kind: 'died', on: after.deceasedOn });
  // A move matters only for the living: a death ends the plan already.
  if (after.deceasedOn === null) {
    const wasOut = isOutsideRegion(before, regionMunicipalities);
    const isOut = isOutsideRegion(after, regionMunicipalities);
    if (!wasOut && isOut) changes.push({ kind: 'moved-out', on: after.movedOutOn });
    if (wasOut && !isOut) changes.push({ kind: 'moved-back' });
  }
  return changes;
}

/** The line the plan shows about a move: "Utflyttad från regionen 2026-03-01". */
export function movedOutLabel(on: string | null): string {
  return on === null ? 'Utflyttad från regionen' : `Utflyttad från regionen ${on}`;
}

/** The summary of the change event (and the fast vårdkontakt's notification) of a status change. */
export function statusChangeSummary(change: StatusChange): string {
  switch (change.kind) {
    case 'died':
      return `Patienten har avlidit (${change.on}). Patientkontraktet, inskrivningar i mobila team och öppna larm är avslutade.`;
    case 'moved-out':
      return `${movedOutLabel(change.on)}. Planen följs upp av fast vårdkontakt: lämna över och avsluta den.`;
    case 'moved-back':
      return 'Patienten är åter folkbokförd i regionen.';
    case 'protection-changed':
      return isProtected(change.to)
        ? 'Patienten har skyddade personuppgifter. Adressen visas inte och namnet visas inte i listor.'
        : 'Patientens skyddade personuppgifter har upphört.';
  }
}

/** A death reported by care: the day may not be in the future (Swedish calendar day `today`). */
export function assertReportableDeath(deceasedOn: string, today: string): void {
  if (!DAY.test(deceasedOn)) throw new DomainError('invalid_input', 'Datumet är ogiltigt.');
  if (deceasedOn > today)
    throw new DomainError('invalid_input', 'Dödsdatumet kan inte ligga i framtiden.', [
      { path: '/deceasedOn', message: 'Dödsdatumet kan inte ligga i framtiden.' },
    ]);
}
