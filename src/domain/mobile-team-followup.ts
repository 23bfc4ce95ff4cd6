/**
 * Rules of the mobile-team follow-up (Region Skåne, "Uppföljning av handlingsplan för anpassning
 * av modell för läkarstöd i kommunal hemsjukvård", 2021: a follow-up model with production data
 * and softer measures, and a dimensioning of physician posts per target group, municipality and
 * sub-region). Pure: the rows come from store/mobile-team-followup-store.ts.
 */
import type { TargetGroup } from './enrolment.ts';

/** A patient "stayed at home" when no emergency visit or admission began within this many hours of the assessment. */
export const STAYED_HOME_HOURS = 72;

/**
 * Physician posts per 100 enrolled patients, per target group: the region sets them. The default
 * is an example to be replaced, not a figure from any source.
 */
export type PhysicianRates = Record<TargetGroup, number>;
export const EXAMPLE_PHYSICIAN_RATES: PhysicianRates = { 'mest-sjuka': 1, 'tidvis-sviktande': 0.5 };

/** The p-th percentile (0 < p ≤ 1) by nearest rank; null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/** Whether no emergency visit or admission began within `hours` after the assessment at `at` (ISO instants). */
export function stayedHome(at: string, acute: readonly string[], hours = STAYED_HOME_HOURS): boolean {
  const start = Date.parse(at);
  const end = start + hours * 3600_000;
  return !acute.some((a) => {
    const t = Date.parse(a);
    return t >= start && t <= end;
  });
}

/** Physician posts for `enrolled` patients at `rate` posts per 100, to two decimals. */
export function physicianPosts(enrolled: number, rate: number): number {
  return Math.round(enrolled * rate) / 100;
}

/** Whole days from `start` (YYYY-MM-DD) to `end` (YYYY-MM-DD), counting both. */
export function daysEnrolled(start: string, end: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * The rates from a setting like `mest-sjuka=1.2,tidvis-sviktande=0.6` (posts per 100 enrolled);
 * a target group left out keeps the example rate. Throws on an unknown group or a bad number.
 */
export function parsePhysicianRates(value: string | undefined): PhysicianRates {
  const rates: PhysicianRates = { ...EXAMPLE_PHYSICIAN_RATES };
  if (!value) return rates;
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [group, number] = part.split('=').map((p) => p.trim());
    const rate = Number(number);
    if (group !== 'mest-sjuka' && group !== 'tidvis-sviktande')
      throw new Error(`not a target group: ${group ?? ''} (mest-sjuka, tidvis-sviktande)`);
    if (!Number.isFinite(rate) || rate < 0 || number === '') throw new Error(`not a rate: ${part}`);
    rates[group] = rate;
  }
  return rates;
}
