import {
  swedishDayOf,
  swedishDayOfDateOrInstant,
  swedishOffsetMs,
  swedishTimeOfDay,
  swedishToday,
  swedishWallClockMs,
} from '../../../src/domain/swedish-time.ts';
import { localeOf } from '../i18n/index.ts';

/**
 * A day (YYYY-MM-DD) or an instant as a Date whose UTC fields are the Swedish wall clock, for
 * `Intl.DateTimeFormat` with `timeZone: 'UTC'`: the care is Swedish, so a time reads the same on
 * every device whatever its own time zone (swedish-time.ts is the one rule). Null when invalid.
 */
export function swedishWallClock(value: string | Date): Date | null {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = new Date(`${value}T12:00:00Z`);
    return Number.isNaN(day.getTime()) ? null : day;
  }
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms + swedishOffsetMs(ms));
}

/** A date (YYYY-MM-DD or ISO instant) as people read it: "12 mars 2026". */
export function formatDate(value: string | null | undefined, lng: string): string {
  if (!value) return '';
  const date = swedishWallClock(value);
  if (!date) return value;
  return new Intl.DateTimeFormat(localeOf(lng), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

/** A date with weekday and Swedish time when it has one: "tisdag 12 mars 2026 kl. 09:00". */
export function formatDateTime(value: string | null | undefined, lng: string): string {
  if (!value) return '';
  if (value.length === 10) return formatDate(value, lng);
  const date = swedishWallClock(value);
  if (!date) return value;
  return new Intl.DateTimeFormat(localeOf(lng), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
  }).format(date);
}

/** The Swedish time of day of an instant as people read it: "09:00". */
export function formatTime(value: Date | string, lng: string): string {
  const date = swedishWallClock(value);
  if (!date) return String(value);
  return new Intl.DateTimeFormat(localeOf(lng), {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
  }).format(date);
}

/** A personnummer as 19380312-9182; other identifiers as they are. */
export function formatIdentifier(identifier: string): string {
  return /^\d{12}$/.test(identifier) ? `${identifier.slice(0, 8)}-${identifier.slice(8)}` : identifier;
}

/** Today as YYYY-MM-DD in Swedish time, whatever the browser's time zone (as the server counts it). */
export function todayIso(): string {
  return swedishToday(new Date());
}

/** The Swedish day (YYYY-MM-DD) of a day or an instant, e.g. an activity's `when`. */
export const swedishDayOfWhen = swedishDayOfDateOrInstant;

/** An ISO instant as the value of <input type="datetime-local">: the Swedish wall clock. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  return `${swedishDayOf(ms)}T${swedishTimeOfDay(ms)}`;
}

/** The value of <input type="datetime-local">, a Swedish wall-clock time, as an ISO instant. */
export function fromLocalInput(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  return new Date(swedishWallClockMs(y, mo, d, h, mi)).toISOString();
}

/** A short random id for new items in a contract's lists. */
export function newItemId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}
