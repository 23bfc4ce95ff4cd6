/**
 * Swedish time: the one place that turns an instant into a Swedish calendar day ("today", the day
 * a thing happened) and a day into the instants it spans. Everything that records or compares a
 * day uses this module, never the UTC date (`toISOString().slice(0, 10)`) nor the database's
 * `current_date` (the session's time zone): between midnight and 01:00 (02:00 in summer) Swedish
 * time those are still yesterday.
 *
 * Europe/Stockholm is CET (UTC+1), and CEST (UTC+2) from the last Sunday of March 01:00 UTC to the
 * last Sunday of October 01:00 UTC (the EU rule, Directive 2000/84/EC, in force in Sweden since
 * 1996; earlier years are not calendar days this application records). Arithmetic rather than
 * `Intl.DateTimeFormat`, which costs about a microsecond a call and depends on the ICU data the
 * runtime was built with; `swedish-time.test.ts` holds the arithmetic to `Intl` as the oracle.
 * Pure: the instant is always passed in.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** `Date.UTC` for every year: `Date.UTC` itself reads the years 0–99 as 1900–1999. Month 0–11. */
export function utcMs(year: number, month0: number, day: number, hour = 0, minute = 0, second = 0): number {
  if (year >= 100) return Date.UTC(year, month0, day, hour, minute, second);
  const t = new Date(Date.UTC(2000, 0, 1, hour, minute, second));
  t.setUTCFullYear(year, month0, day);
  return t.getTime();
}

const summerTimes = new Map<number, readonly [number, number]>();

/** The summer time of a year as UTC milliseconds: [start, end). */
export function summerTimeOf(year: number): readonly [number, number] {
  let range = summerTimes.get(year);
  if (!range) {
    const lastSundayAt0100 = (month: number): number => {
      const last = new Date(utcMs(year, month, 0));
      return utcMs(year, month - 1, last.getUTCDate() - last.getUTCDay(), 1);
    };
    range = [lastSundayAt0100(3), lastSundayAt0100(10)];
    summerTimes.set(year, range);
  }
  return range;
}

/** How far Swedish time is ahead of UTC at an instant (ms): one hour, two in summer time. */
export function swedishOffsetMs(ms: number): number {
  const [start, end] = summerTimeOf(new Date(ms).getUTCFullYear());
  return ms >= start && ms < end ? 2 * HOUR_MS : HOUR_MS;
}

/** The Swedish calendar day of an instant (ms) as days since 1970-01-01. */
export function swedishDayNumber(ms: number): number {
  return Math.floor((ms + swedishOffsetMs(ms)) / DAY_MS);
}

/** A day number (days since 1970-01-01) as YYYY-MM-DD. */
export function isoDayOfNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The Swedish calendar day (YYYY-MM-DD) of an instant: a Date, an ISO string or milliseconds. */
export function swedishDayOf(instant: Date | string | number): string {
  const ms =
    instant instanceof Date ? instant.getTime() : typeof instant === 'string' ? Date.parse(instant) : instant;
  if (Number.isNaN(ms)) throw new RangeError('not a valid instant');
  return isoDayOfNumber(swedishDayNumber(ms));
}

/** Today in Sweden (YYYY-MM-DD) at the instant `now`. */
export function swedishToday(now: Date): string {
  return swedishDayOf(now);
}

/**
 * The UTC instant (ms) of a Swedish wall-clock time. A time in the hour skipped in spring is read
 * as winter time (02:30 → 03:30 CEST); one in the hour repeated in autumn as its first, summer-time
 * occurrence. The date is not checked (2024-02-30 is 2024-03-01).
 */
export function swedishWallClockMs(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number {
  const wall = utcMs(year, month - 1, day, hour, minute, second);
  const summer = wall - 2 * HOUR_MS;
  const [start, end] = summerTimeOf(year);
  return summer >= start && summer < end ? summer : wall - HOUR_MS;
}

/** The instants a Swedish day (YYYY-MM-DD) spans, as ISO strings in UTC: [start, end). */
export function swedishDayBounds(day: string): { start: string; end: string } {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || isoDayOfNumber(utcMs(y, m - 1, d) / DAY_MS) !== day)
    throw new RangeError(`not a calendar day: ${day}`);
  return {
    start: new Date(swedishWallClockMs(y, m, d)).toISOString(),
    end: new Date(swedishWallClockMs(y, m, d + 1)).toISOString(),
  };
}

/**
 * The Swedish day of a value that is a day (YYYY-MM-DD, returned as it is) or an instant (an ISO
 * string with a time, whose UTC date can be the day before): an activity's `when`. Anything else
 * is returned as it is, for a display to show rather than fail on.
 */
export function swedishDayOfDateOrInstant(value: string): string {
  const ms = value.length === 10 ? NaN : Date.parse(value);
  return Number.isNaN(ms) ? value : swedishDayOf(ms);
}

/** The Swedish wall-clock time (HH:MM) of an instant: a Date, an ISO string or milliseconds. */
export function swedishTimeOfDay(instant: Date | string | number): string {
  const ms =
    instant instanceof Date ? instant.getTime() : typeof instant === 'string' ? Date.parse(instant) : instant;
  if (Number.isNaN(ms)) throw new RangeError('not a valid instant');
  const minute = Math.floor((ms + swedishOffsetMs(ms) - swedishDayNumber(ms) * DAY_MS) / 60_000);
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}
