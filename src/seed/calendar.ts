/**
 * Calendar arithmetic for the demo generator, on whole days (days since 1970-01-01) so that
 * a million patients cost no Date parsing. Appointment times are Swedish local time.
 */
import { isoDayOfNumber, summerTimeOf, swedishDayNumber } from '../domain/swedish-time.ts';

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 for `YYYY-MM-DD`. */
export function dayOf(iso: string): number {
  return Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / MS_PER_DAY);
}

// A million patients format the same few thousand days over and over.
const isoCache = new Map<number, string>();

/** `YYYY-MM-DD` of a day number. */
export function isoOf(day: number): string {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    iso = isoDayOfNumber(day);
    if (isoCache.size < 100_000) isoCache.set(day, iso);
  }
  return iso;
}

/** Monday = 1 … Sunday = 7. */
export function weekdayOf(day: number): number {
  return ((day + 3) % 7) + 1;
}

/** The Swedish calendar date of an instant, as a day number. */
export function swedishDayOf(instant: Date): number {
  if (Number.isNaN(instant.getTime())) throw new RangeError('today must be a valid Date');
  return swedishDayNumber(instant.getTime());
}

/** Full years between a birth date and a day. */
export function ageOn(birthIso: string, day: number): number {
  const today = isoOf(day);
  const years = Number(today.slice(0, 4)) - Number(birthIso.slice(0, 4));
  return today.slice(5) < birthIso.slice(5, 10) ? years - 1 : years;
}

/**
 * An ISO instant for a Swedish wall-clock time: CET (UTC+1), summer time (UTC+2) from the last
 * Sunday of March to the last Sunday of October (EU rule; the switch hour itself never matters
 * for appointments during office hours).
 */
export function swedishInstant(day: number, hour: number, minute: number): string {
  const iso = isoOf(day);
  const year = Number(iso.slice(0, 4));
  const [start, end] = summerTimeOf(year);
  const isSummer = day >= Math.floor(start / MS_PER_DAY) && day < Math.floor(end / MS_PER_DAY);
  const utcHour = hour - (isSummer ? 2 : 1);
  if (utcHour < 0 || utcHour > 23 || minute < 0 || minute > 59) {
    return new Date(day * MS_PER_DAY + (utcHour * 60 + minute) * 60_000).toISOString();
  }
  return `${iso}T${String(utcHour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00.000Z`;
}

/** Easter Sunday of a year (Gregorian; the anonymous algorithm), as a day number. */
function easterOf(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const date = ((h + l - 7 * m + 114) % 31) + 1;
  return Math.floor(Date.UTC(year, month - 1, date) / MS_PER_DAY);
}

const holidayCache = new Map<number, ReadonlySet<number>>();

/**
 * The days a Swedish health centre is closed besides weekends: the public holidays on weekdays
 * (Lag 1989:253) and the eves that are days off in practice (midsommarafton, julafton, nyårsafton).
 */
function holidaysOf(year: number): ReadonlySet<number> {
  let days = holidayCache.get(year);
  if (days === undefined) {
    const date = (month: number, d: number): number => Math.floor(Date.UTC(year, month - 1, d) / MS_PER_DAY);
    const easter = easterOf(year);
    // Midsommarafton: the Friday between 19 and 25 June.
    const june19 = date(6, 19);
    days = new Set([
      date(1, 1),
      date(1, 6),
      easter - 2,
      easter + 1,
      date(5, 1),
      easter + 39,
      date(6, 6),
      june19 + ((5 - weekdayOf(june19) + 7) % 7),
      date(12, 24),
      date(12, 25),
      date(12, 26),
      date(12, 31),
    ]);
    holidayCache.set(year, days);
  }
  return days;
}

/** True on Saturdays, Sundays and Swedish holidays (holidaysOf). */
export function isDayOff(day: number): boolean {
  return weekdayOf(day) > 5 || holidaysOf(new Date(day * MS_PER_DAY).getUTCFullYear()).has(day);
}

/** The next working day (not a weekend or a holiday) on or after `day`. */
export function workdayFrom(day: number): number {
  let d = day;
  while (isDayOff(d)) d += 1;
  return d;
}

/** The last working day on or before `day`: plans are made at work. */
export function workdayBefore(day: number): number {
  let d = day;
  while (isDayOff(d)) d -= 1;
  return d;
}
