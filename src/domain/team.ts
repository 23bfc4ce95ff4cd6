/**
 * Mobile care teams: a named unit of care with members from several care providers, region and
 * municipality alike: Region Dalarna's "Nulägesbeskrivning och handlingsplan i omställningen till
 * en mer nära vård" (2019) has närsjukvårdsteam from the hospitals for medically unstable patients
 * and hemsjukvårdsteam of vårdcentral physicians with the municipality's home care; Region Skåne's
 * "Uppföljning av handlingsplan för anpassning av modell för läkarstöd i kommunal hemsjukvård"
 * (2021) asks for teams with one name that patients and others recognise. Patients reach the team on one number "dygnet runt", whoever answers at that hour; the
 * team keeps a roster of the physician on call and a backup.
 *
 * Times of day are the Swedish wall clock (swedish-time.ts): "weekdays 08–17" means Swedish
 * office hours in winter and in summer, and a night row on the night clocks change still ends at
 * its wall-clock time.
 */
import { physicianProfessions } from './care-contact.ts';
import { swedishDayNumber, swedishOffsetMs } from './swedish-time.ts';

/** A code of the region's list of team kinds. */
export type TeamKind = string;

/** The kinds a region starts with; it keeps and extends the list itself. */
export const defaultTeamKinds: readonly { code: TeamKind; label: string }[] = [
  { code: 'narsjukvardsteam', label: 'Närsjukvårdsteam' },
  { code: 'hemsjukvardsteam', label: 'Hemsjukvårdsteam' },
  { code: 'psykiatri', label: 'Mobilt psykiatriteam' },
  { code: 'palliativ', label: 'Palliativt team' },
];

/** Professions that count as physicians and as nurses in a team (the enrolment rule). */
export { physicianProfessions };
export const nurseProfessions: readonly string[] = ['sjukskoterska', 'distriktsskoterska'];

/** Swedish weekday names, 1 = Monday … 7 = Sunday (ISO 8601). */
export const weekdayLabels: Record<number, string> = {
  1: 'måndag',
  2: 'tisdag',
  3: 'onsdag',
  4: 'torsdag',
  5: 'fredag',
  6: 'lördag',
  7: 'söndag',
};

export interface ReachabilityRow {
  /** ISO weekdays the row starts on: 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  /** 'HH:MM', Swedish wall clock. */
  from: string;
  /**
   * 'HH:MM' (or '24:00'). Earlier than `from`: the row crosses midnight and ends the next day.
   * Equal to `from`: round the clock, 24 hours from `from`.
   */
  to: string;
  phone: string;
  /** Who answers, in words: "Teamets sjuksköterska", "Jourläkare via växeln". */
  label: string;
}

/** When and where the team answers; the first row that covers an instant answers. */
export type Reachability = ReachabilityRow[];

export interface RosterEntry {
  /** HSA-id of the physician (or the backup). */
  staffId: string;
  /** ISO instants: the shift is [starts, ends). */
  starts: string;
  ends: string;
  backup: boolean;
}

const MINUTES_PER_DAY = 24 * 60;

/** The Swedish ISO weekday (1 = Monday) and minute of the day at an instant. */
export function swedishWallClock(now: Date): { weekday: number; minute: number; day: number } {
  const ms = now.getTime();
  const day = swedishDayNumber(ms);
  const wallMs = ms + swedishOffsetMs(ms);
  const minute = Math.floor((wallMs - day * 86_400_000) / 60_000);
  // 1970-01-01 (day 0) was a Thursday, ISO weekday 4.
  return { weekday: ((((day + 3) % 7) + 7) % 7) + 1, minute, day };
}

/** 'HH:MM' as minutes after midnight, or null when it is not a time (24:00 is allowed). */
export function minutesOf(hhmm: string): number | null {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes > MINUTES_PER_DAY ? null : minutes;
}

/** Whether a row covers a Swedish wall-clock moment. */
export function rowCovers(row: ReachabilityRow, at: { weekday: number; minute: number }): boolean {
  const from = minutesOf(row.from);
  const to = minutesOf(row.to);
  if (from === null || to === null) return false;
  const previousDay = at.weekday === 1 ? 7 : at.weekday - 1;
  if (from < to) return row.weekdays.includes(at.weekday) && at.minute >= from && at.minute < to;
  // Crosses midnight (or round the clock when from === to): the evening part on a listed day,
  // the morning part on the day after one.
  return (
    (row.weekdays.includes(at.weekday) && at.minute >= from) ||
    (row.weekdays.includes(previousDay) && at.minute < to)
  );
}

/** The row that answers at `now` (Swedish wall clock), or null when none covers it. */
export function whoAnswersNow<R extends ReachabilityRow>(rows: readonly R[], now: Date): R | null {
  const at = swedishWallClock(now);
  return rows.find((row) => rowCovers(row, at)) ?? null;
}

/**
 * Who is on call at `now`: the primary physician and the backup whose shifts cover it. When shifts
 * overlap (a swap entered on top of the plan) the one that started last is on call.
 */
export function onCallAt(
  roster: readonly RosterEntry[],
  now: Date,
): { primary?: RosterEntry; backup?: RosterEntry } {
  const t = now.getTime();
  const covering = roster
    .filter((e) => Date.parse(e.starts) <= t && t < Date.parse(e.ends))
    .sort((a, b) => Date.parse(b.starts) - Date.parse(a.starts));
  const primary = covering.find((e) => !e.backup);
  const backup = covering.find((e) => e.backup);
  return { ...(primary ? { primary } : {}), ...(backup ? { backup } : {}) };
}

/** A phone number as people write it: digits, spaces, hyphens, an optional leading +. */
const PHONE = /^\+?[0-9][0-9 -]{3,22}[0-9]$/;

/** What is wrong with a reachability table, per row, in Swedish. Empty when it is valid. */
export function reachabilityProblems(rows: unknown): { path: string; message: string }[] {
  if (!Array.isArray(rows)) return [{ path: '/reachability', message: 'Tiderna ska vara en lista.' }];
  const problems: { path: string; message: string }[] = [];
  rows.forEach((row: unknown, i) => {
    const at = `/reachability/${i}`;
    if (typeof row !== 'object' || row === null) return problems.push({ path: at, message: 'Raden är tom.' });
    const r = row as Record<string, unknown>;
    if (
      !Array.isArray(r.weekdays) ||
      r.weekdays.length === 0 ||
      !r.weekdays.every((d) => Number.isInteger(d) && (d as number) >= 1 && (d as number) <= 7)
    )
      problems.push({ path: `${at}/weekdays`, message: 'Välj minst en veckodag (måndag–söndag).' });
    for (const key of ['from', 'to'] as const)
      if (typeof r[key] !== 'string' || minutesOf(r[key]) === null || (key === 'from' && r[key] === '24:00'))
        problems.push({ path: `${at}/${key}`, message: 'Ange tiden som TT:MM, till exempel 08:00.' });
    if (typeof r.phone !== 'string' || !PHONE.test(r.phone.trim()))
      problems.push({ path: `${at}/phone`, message: 'Ange ett telefonnummer.' });
    if (typeof r.label !== 'string' || r.label.trim() === '')
      problems.push({ path: `${at}/label`, message: 'Ange vem som svarar.' });
  });
  return problems;
}

/** What is wrong with a roster, per entry, in Swedish. Empty when it is valid. */
export function rosterProblems(roster: unknown): { path: string; message: string }[] {
  if (!Array.isArray(roster)) return [{ path: '/roster', message: 'Jourlistan ska vara en lista.' }];
  const problems: { path: string; message: string }[] = [];
  roster.forEach((entry: unknown, i) => {
    const at = `/roster/${i}`;
    if (typeof entry !== 'object' || entry === null)
      return problems.push({ path: at, message: 'Raden är tom.' });
    const e = entry as Record<string, unknown>;
    if (typeof e.staffId !== 'string' || e.staffId.trim() === '')
      problems.push({ path: `${at}/staffId`, message: 'Välj vem som har jouren.' });
    const starts = typeof e.starts === 'string' ? Date.parse(e.starts) : NaN;
    const ends = typeof e.ends === 'string' ? Date.parse(e.ends) : NaN;
    if (Number.isNaN(starts)) problems.push({ path: `${at}/starts`, message: 'Ange när passet börjar.' });
    if (Number.isNaN(ends)) problems.push({ path: `${at}/ends`, message: 'Ange när passet slutar.' });
    else if (!Number.isNaN(starts) && ends <= starts)
      problems.push({ path: `${at}/ends`, message: 'Passet ska sluta efter att det börjat.' });
    if (typeof e.backup !== 'boolean')
      problems.push({ path: `${at}/backup`, message: 'Ange om passet är bakjour.' });
  });
  return problems;
}
