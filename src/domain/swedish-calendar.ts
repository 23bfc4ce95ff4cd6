/**
 * Days and Swedish wall-clock instants read from text, as import files and forms write them:
 * whether YYYY-MM-DD names a day of the calendar, an instant with a zone or in Swedish wall-clock
 * time (the summer-time rule itself is src/domain/swedish-time.ts's), and a day as a number.
 */
import { swedishWallClockMs, utcMs } from './swedish-time.ts';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const ZONED_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether `value` is YYYY-MM-DD and names a day of the calendar. */
export function isRealDate(value: string): boolean {
  return DATE_RE.test(value) && isDay(digits(value, 0, 4), digits(value, 5, 7), digits(value, 8, 10));
}

/** Whether year, month (1–12) and day name a day of the calendar. */
export function isDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0);
}

/**
 * An instant: ISO 8601 with a zone, or Swedish wall-clock time without one ("2025-03-04 09:30"),
 * which is CET, or CEST between the last Sundays of March and October (EU rule). Null when invalid.
 */
export function parseInstant(value: string): string | null {
  const ms = parseInstantMs(value);
  return ms === null ? null : new Date(ms).toISOString();
}

/** The digit at `i` of `value`, or −1 for any other character. */
function digit(value: string, i: number): number {
  const c = value.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** Digits `from`…`to` (exclusive) of `value` as a number, or −1 when one is not a digit. */
function digits(value: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = digit(value, i);
    if (d < 0) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * `parseInstant` as milliseconds since 1970 UTC. The wall-clock form, which journal exports use,
 * is read character by character: a visit file has millions of them, and a regular expression,
 * its match array and an ISO string per row would cost a third of reading one.
 */
export function parseInstantMs(value: string): number | null {
  if (ZONED_RE.test(value)) {
    if (!isRealDate(value.slice(0, 10))) return null;
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  const n = value.length;
  if ((n !== 16 && n !== 19) || value[4] !== '-' || value[7] !== '-' || value[13] !== ':') return null;
  if (value[10] !== ' ' && value[10] !== 'T') return null;
  if (n === 19 && value[16] !== ':') return null;
  const y = digits(value, 0, 4);
  const mo = digits(value, 5, 7);
  const d = digits(value, 8, 10);
  const h = digits(value, 11, 13);
  const mi = digits(value, 14, 16);
  const s = n === 19 ? digits(value, 17, 19) : 0;
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return null;
  return wallClockMs(y, mo, d, h, mi, s);
}

/**
 * Swedish wall-clock time as milliseconds since 1970 UTC (CET, or CEST in summer time), or null
 * when the fields name no time of the calendar. Month 1–12.
 */
export function wallClockMs(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
): number | null {
  if (!isDay(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  return swedishWallClockMs(y, mo, d, h, mi, s);
}

/** A checked YYYY-MM-DD as days since 1970-01-01. */
export function dayNumber(date: string): number {
  return utcMs(digits(date, 0, 4), digits(date, 5, 7) - 1, digits(date, 8, 10)) / 86_400_000;
}
