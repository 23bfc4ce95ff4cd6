import { swedishDayOfDateOrInstant, swedishToday } from '../../../src/domain/swedish-time.ts';
import { localeOf } from '../i18n/index.ts';

/** A date (YYYY-MM-DD or ISO instant) as people read it: "12 mars 2026". */
export function formatDate(value: string | null | undefined, lng: string): string {
  if (!value) return '';
  const date = value.length === 10 ? new Date(`${value}T12:00:00`) : new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(localeOf(lng), { day: 'numeric', month: 'long', year: 'numeric' }).format(
    date,
  );
}

/** A date with weekday and time when it has one: "tisdag 12 mars 2026 kl. 09:00". */
export function formatDateTime(value: string | null | undefined, lng: string): string {
  if (!value) return '';
  if (value.length === 10) return formatDate(value, lng);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(localeOf(lng), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
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

/** An ISO instant as the value of <input type="datetime-local"> (local time). */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The value of <input type="datetime-local"> as an ISO instant. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** A short random id for new items in a contract's lists. */
export function newItemId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}
