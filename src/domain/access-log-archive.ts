/**
 * When access-log entries may leave the live log for the archive. HSLF-FS 2016:40 keeps the log
 * at least five years; the region may keep it live longer (ACCESS_LOG_RETENTION_YEARS). Whole
 * months of Swedish time move, and only months that ended at least that many years ago. The
 * archive keeps every entry, verifiable and visible; nothing here deletes.
 */
import { DomainError } from './errors.ts';
import { swedishDayBounds, swedishToday } from './swedish-time.ts';

/** A calendar month, `YYYY-MM`. */
export type Month = string;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The month `text` names, or an error in Swedish. */
export function parseMonth(text: string): Month {
  if (!MONTH.test(text)) throw new DomainError('invalid_input', `"${text}" är ingen månad (ÅÅÅÅ-MM).`);
  return text;
}

/** The month after `month`. */
export function nextMonth(month: Month): Month {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The month an ISO day or instant's Swedish day lies in. */
export function monthOfDay(day: string): Month {
  return day.slice(0, 7);
}

/** The instant a month begins in Swedish time (ISO, UTC). */
export function monthStart(month: Month): string {
  return swedishDayBounds(`${month}-01`).start;
}

/**
 * The first month that must stay live: entries of every earlier month are at least
 * `retentionYears` old today (Swedish calendar).
 */
export function firstMonthKept(now: Date, retentionYears: number): Month {
  const today = swedishToday(now);
  const year = Number(today.slice(0, 4)) - retentionYears;
  return `${String(year).padStart(4, '0')}-${today.slice(5, 7)}`;
}

/**
 * Refuses to archive up to `before` (exclusive) when that would move entries younger than the
 * retention: the error says which month is the latest allowed.
 */
export function assertArchivable(before: Month, now: Date, retentionYears: number): void {
  const limit = firstMonthKept(now, retentionYears);
  if (before > limit)
    throw new DomainError(
      'invalid_input',
      `Åtkomstloggen behålls i ${retentionYears} år (ACCESS_LOG_RETENTION_YEARS): månader före ${limit} kan arkiveras, inte före ${before}.`,
    );
}

/** The months from `first` up to, not including, `before`. */
export function monthsBetween(first: Month, before: Month): Month[] {
  const months: Month[] = [];
  for (let m = first; m < before; m = nextMonth(m)) months.push(m);
  return months;
}
