/**
 * Follow-up (uppföljning) rules: the targets the regions report against, shares with small-cell
 * suppression, patient groups, periods and who may see what. Pure: the figures come from
 * src/store/followup-store.ts, the report is put together in src/services/followup-report.ts.
 *
 * Sources: Region Östergötland, handlingsplan Patientkontrakt 2021, sections 3.2–3.4 and 6.2:
 * fast läkarkontakt ≥ 55 % of listed inhabitants, ≥ 80 % of SÄBO residents, continuity index
 * +20 %, one fast läkarkontakt per 1,300 inhabitants by 2028 (today about 1 per 2,000).
 */

import { isoDayOfNumber } from './swedish-time.ts';

export const targets = {
  /** Share of listed inhabitants with a named fast läkarkontakt (003, 3.2). */
  fastLakarkontaktListed: 0.55,
  /** Share of SÄBO residents with a fast läkarkontakt (003, 3.2). */
  fastLakarkontaktSabo: 0.8,
  /** Relative increase of the continuity index against the baseline (003, 3.4). */
  continuityIncrease: 0.2,
  /** Listed inhabitants per fast läkarkontakt (003, 6.2: one per 1,300 by 2028). */
  listedPerGp: 1300,
  /** The förstärkt vårdgaranti: a medical assessment within this many days (001, 002). */
  assessmentDays: 3,
} as const;

/** The roles at a unit that may see follow-up: region-wide, or their own unit and care provider. */
export const FOLLOWUP_ROLE = 'uppfoljning';
export const UNIT_CHIEF_ROLE = 'verksamhetschef';

/** Aggregates over fewer patients than this are suppressed (they could point at a person). */
export const DEFAULT_MIN_CELL = 5;

/** A patient group (the Gävleborg plan: chronic illness and complex needs first). ICD-10 codes by prefix. */
export interface PatientGroup {
  id: string;
  label: string;
  icd10Prefixes: readonly string[];
}

export const diagnosisGroups: readonly PatientGroup[] = [
  { id: 'kol', label: 'KOL (J44)', icd10Prefixes: ['J44'] },
  { id: 'diabetes', label: 'Diabetes (E10–E14)', icd10Prefixes: ['E10', 'E11', 'E12', 'E13', 'E14'] },
  { id: 'hjartsvikt', label: 'Hjärtsvikt (I50)', icd10Prefixes: ['I50'] },
  { id: 'formaksflimmer', label: 'Förmaksflimmer (I48)', icd10Prefixes: ['I48'] },
  { id: 'njursvikt', label: 'Kronisk njursjukdom (N18)', icd10Prefixes: ['N18'] },
  { id: 'demens', label: 'Demens (F00–F03, G30)', icd10Prefixes: ['F00', 'F01', 'F02', 'F03', 'G30'] },
  { id: 'cancer', label: 'Cancer (C00–C97)', icd10Prefixes: ['C'] },
  { id: 'astma', label: 'Astma (J45)', icd10Prefixes: ['J45'] },
  { id: 'depression', label: 'Depression (F32–F33)', icd10Prefixes: ['F32', 'F33'] },
];

/** The groups by living situation, from the municipalities' register. */
export const careGroups = [
  { id: 'sabo', label: 'Bor på SÄBO' },
  { id: 'hemsjukvard', label: 'Inskriven i hemsjukvård' },
] as const;

/** A share with its numerator and denominator; null values when suppressed or empty. */
export interface Share {
  numerator: number | null;
  denominator: number | null;
  share: number | null;
  /** True when the denominator was below the minimum cell size (and above 0). */
  suppressed: boolean;
}

/** numerator / denominator, suppressed when 0 < denominator < minCell. */
export function shareOf(numerator: number, denominator: number, minCell: number = DEFAULT_MIN_CELL): Share {
  if (denominator > 0 && denominator < minCell)
    return { numerator: null, denominator: null, share: null, suppressed: true };
  return {
    numerator,
    denominator,
    share: denominator > 0 ? numerator / denominator : null,
    suppressed: false,
  };
}

/** A count, suppressed when 0 < count < minCell. */
export function countOf(count: number, minCell: number = DEFAULT_MIN_CELL): number | null {
  return count > 0 && count < minCell ? null : count;
}

/** How a value stands against its target. `distance` is what is missing (≤ 0 when met). */
export interface TargetStatus {
  target: number;
  distance: number | null;
  isMet: boolean | null;
}

export function againstTarget(value: number | null, target: number): TargetStatus {
  if (value === null) return { target, distance: null, isMet: null };
  return { target, distance: target - value, isMet: value >= target };
}

/** Fast läkarkontakter needed for one per `perGp` listed inhabitants (003, 6.2). */
export function gpsNeeded(listed: number, perGp: number = targets.listedPerGp): number {
  return Math.ceil(listed / perGp);
}

/** The continuity target: the baseline raised by 20 % (003, 3.4: 0.28 → "knappt 0,34"). */
export function continuityTarget(baseline: number): number {
  return baseline * (1 + targets.continuityIncrease);
}

/** Relative change from a baseline; null without a baseline. */
export function changeFrom(baseline: number | null, value: number | null): number | null {
  if (baseline === null || value === null || baseline === 0) return null;
  return (value - baseline) / baseline;
}

/** The spread of a figure across units (the Östergötland plan: "spridning från 0,48 till 0,18"). */
export interface Spread {
  units: number;
  /** The unweighted mean of the units' values ("medelindex för länets 44 vårdcentraler"). */
  mean: number | null;
  min: number | null;
  q1: number | null;
  median: number | null;
  q3: number | null;
  max: number | null;
}

/** Mean, min, quartiles (linear interpolation between order statistics) and max. */
export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0)
    return { units: 0, mean: null, min: null, q1: null, median: null, q3: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => {
    const pos = (sorted.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
  };
  return {
    units: sorted.length,
    mean: sorted.reduce((s, v) => s + v, 0) / sorted.length,
    min: sorted[0]!,
    q1: at(0.25),
    median: at(0.5),
    q3: at(0.75),
    max: sorted[sorted.length - 1]!,
  };
}

/** A period of whole days, both ends included (YYYY-MM-DD). */
export interface Period {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number): string => isoDayOfNumber(ms / DAY_MS);

/** Adds days to a YYYY-MM-DD date. */
export function addDays(day: string, days: number): string {
  return isoDay(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/** The same day `months` months earlier (or later), clamped to the month's end. */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return isoDay(Date.UTC(year, month, Math.min(d, last)));
}

/** The continuity window ending on `to`: `months` months back, both ends included. */
export function windowEnding(to: string, months: number): Period {
  return { from: addDays(addMonths(to, -months), 1), to };
}

/** The calendar months that a period touches, each clipped to the period. */
export function monthsOf(period: Period): Period[] {
  const months: Period[] = [];
  let start = period.from;
  while (start <= period.to) {
    const monthEnd = addDays(addMonths(`${start.slice(0, 7)}-01`, 1), -1);
    const end = monthEnd < period.to ? monthEnd : period.to;
    months.push({ from: start, to: end });
    start = addDays(monthEnd, 1);
  }
  return months;
}

/** The whole calendar year. */
export function yearPeriod(year: number): Period {
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/** Checks a period: real dates, from ≤ to, at most `maxDays` long. Returns a Swedish reason or null. */
export function periodProblem(period: Period, maxDays = 3700): string | null {
  const ok = (d: string): boolean =>
    /^\d{4}-\d{2}-\d{2}$/.test(d) && isoDay(Date.parse(`${d}T00:00:00Z`)) === d;
  if (!ok(period.from) || !ok(period.to)) return 'Ange datum som ÅÅÅÅ-MM-DD.';
  if (period.from > period.to) return 'Periodens början ligger efter dess slut.';
  if ((Date.parse(period.to) - Date.parse(period.from)) / DAY_MS > maxDays) return 'Perioden är för lång.';
  return null;
}

/** Which figures an actor may see. */
export type FollowupScope =
  { kind: 'region' } | { kind: 'own'; unitId: string; providerId: string } | { kind: 'none' };

/**
 * Follow-up is aggregates only. Staff with the role `uppfoljning` see the whole region; a
 * verksamhetschef sees their own unit and care provider (and the region's totals to compare
 * with); everyone else nothing.
 */
export function followupScopeOf(role: string | null, unitId: string, providerId: string): FollowupScope {
  if (role === FOLLOWUP_ROLE) return { kind: 'region' };
  if (role === UNIT_CHIEF_ROLE) return { kind: 'own', unitId, providerId };
  return { kind: 'none' };
}

/** May this scope see a unit's or a provider's figures? (The region's totals are open to both.) */
export function scopeAllows(
  scope: FollowupScope,
  filter: { unitId?: string | undefined; providerId?: string | undefined; unitProviderId?: string | null },
): boolean {
  if (scope.kind === 'region') return true;
  if (scope.kind === 'none') return false;
  if (filter.unitId !== undefined) return filter.unitProviderId === scope.providerId;
  if (filter.providerId !== undefined) return filter.providerId === scope.providerId;
  return true;
}
