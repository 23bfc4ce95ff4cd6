/**
 * The follow-up page's filters and their place in the address: what is shown (the region, a
 * care provider or a unit) and for which period (the last twelve months, a calendar year, or a
 * range of months). The address carries them in Swedish (`?enhet=…&ar=2025`,
 * `?vardgivare=…&fran=2025-01&till=2025-06`), so a view can be bookmarked and shared; the API
 * gets days (`from`, `to`, `unitId`, `providerId`). Pure: today is passed in.
 */
import { addDays, addMonths, type Period } from '../../../../src/domain/followup.ts';

export type Place = { kind: 'region' } | { kind: 'provider'; id: string } | { kind: 'unit'; id: string };

export type PeriodChoice =
  { kind: 'last12' } | { kind: 'year'; year: number } | { kind: 'months'; from: string; to: string };

export interface FollowupFilter {
  place: Place;
  period: PeriodChoice;
}

const HSA_ID = /^[A-Za-z0-9-]{3,64}$/;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** The first year the figures can reach back to (the continuity window is 18 months). */
export const FIRST_YEAR = 2015;

/** The last day of a month (YYYY-MM). */
const lastDayOf = (month: string): string => addDays(addMonths(`${month}-01`, 1), -1);

/** Reads the filter from the address; anything malformed falls back to the default. */
export function parseFilter(params: URLSearchParams, today: string): FollowupFilter {
  const unit = params.get('enhet');
  const provider = params.get('vardgivare');
  const place: Place =
    unit && HSA_ID.test(unit)
      ? { kind: 'unit', id: unit }
      : provider && HSA_ID.test(provider)
        ? { kind: 'provider', id: provider }
        : { kind: 'region' };
  const thisYear = Number(today.slice(0, 4));
  const year = Number(params.get('ar'));
  const from = params.get('fran') ?? '';
  const to = params.get('till') ?? '';
  let period: PeriodChoice = { kind: 'last12' };
  if (Number.isInteger(year) && year >= FIRST_YEAR && year <= thisYear) period = { kind: 'year', year };
  else if (MONTH.test(from) && MONTH.test(to)) {
    const [first, last] = from <= to ? [from, to] : [to, from];
    const now = today.slice(0, 7);
    if (first <= now) period = { kind: 'months', from: first, to: last < now ? last : now };
  }
  return { place, period };
}

/** The filter as the page's query string (without "?"); the default is empty. */
export function searchOf(filter: FollowupFilter): string {
  const params = new URLSearchParams();
  if (filter.place.kind === 'unit') params.set('enhet', filter.place.id);
  if (filter.place.kind === 'provider') params.set('vardgivare', filter.place.id);
  if (filter.period.kind === 'year') params.set('ar', String(filter.period.year));
  if (filter.period.kind === 'months') {
    params.set('fran', filter.period.from);
    params.set('till', filter.period.to);
  }
  return params.toString();
}

/** The days a period choice covers, never past today (a stock is counted on the last day). */
export function periodOf(choice: PeriodChoice, today: string): Period {
  const clamp = (day: string): string => (day < today ? day : today);
  switch (choice.kind) {
    case 'last12':
      return { from: addMonths(`${today.slice(0, 7)}-01`, -11), to: today };
    case 'year':
      return { from: `${choice.year}-01-01`, to: clamp(`${choice.year}-12-31`) };
    case 'months':
      return { from: `${choice.from}-01`, to: clamp(lastDayOf(choice.to)) };
  }
}

/** The API's query for a filter: `from`, `to` and the unit or care provider. */
export function apiQuery(filter: FollowupFilter, today: string, extra: Record<string, string> = {}): string {
  const { from, to } = periodOf(filter.period, today);
  const params = new URLSearchParams({ from, to });
  if (filter.place.kind === 'unit') params.set('unitId', filter.place.id);
  if (filter.place.kind === 'provider') params.set('providerId', filter.place.id);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params.toString();
}

/** The calendar year the printable yearly report covers: the chosen year, else the period's last. */
export function reportYearOf(choice: PeriodChoice, today: string): number {
  return choice.kind === 'year' ? choice.year : Number(periodOf(choice, today).to.slice(0, 4));
}
