/**
 * The quick lane of a large visits file (docs/imports.md, "Rules"): plain CSV lines read as
 * bytes, checked and resolved against the register without making a string or an object per
 * row. A line takes it only when it is plainly valid by the same rules as `checkVisit`; any other
 * line (a quote, spaces, another time form, an unknown person, anything in doubt) goes to
 * `checkVisit`, which accepts it or names its errors. A property test holds the two to
 * the same answers (visit-bytes.test.ts).
 */
import { contactTypes } from './continuity.ts';
import { isDay, wallClockMs } from './swedish-calendar.ts';
import { swedishDayNumber, utcMs } from './swedish-time.ts';

/** The register and the numbering of what rows name, by bytes: an id, or −1 when unknown. */
export interface VisitLookup {
  person(buf: Buffer, start: number, length: number): number;
  unit(buf: Buffer, start: number, length: number): number;
  /** Numbers staff members and professions as they come. */
  staff(buf: Buffer, start: number, length: number): number;
  profession(buf: Buffer, start: number, length: number): number;
}

/** Where the resolved rows go. `soughtDay` is days since 1970 (negative before), or NaN for none. */
export interface VisitSink {
  add(
    person: number,
    at: number,
    staff: number,
    unit: number,
    profession: number,
    type: number,
    assessment: boolean,
    soughtDay: number,
  ): void;
}

/** The columns of the header a line's fields are read by (−1: not in the file). */
export interface VisitLayout {
  fields: number;
  personnummer: number;
  tidpunkt: number;
  enhet: number;
  personal: number;
  yrke: number;
  kontakttyp: number;
  medicinsk_bedomning: number;
  sokte_vard: number;
}

function visitLayout(header: readonly string[]): VisitLayout {
  const at = (name: string): number => header.indexOf(name);
  return {
    fields: header.length,
    personnummer: at('personnummer'),
    tidpunkt: at('tidpunkt'),
    enhet: at('enhet'),
    personal: at('personal'),
    yrke: at('yrke'),
    kontakttyp: at('kontakttyp'),
    medicinsk_bedomning: at('medicinsk_bedomning'),
    sokte_vard: at('sokte_vard'),
  };
}

/** How a file's lines are read: its columns, delimiter and line break, and the import's day. */
export interface VisitFile {
  layout: VisitLayout;
  /** The delimiter's byte. */
  delimiter: number;
  /** Lines end with \r\n (else \n). */
  crlf: boolean;
  nowMs: number;
  /** `todayNumber(now)`. */
  today: number;
  /** The calendar days the file's lines have named so far (`dayOf`). */
  days: Map<number, SwedishDay | null>;
}

export function visitFile(header: readonly string[], delimiter: string, crlf: boolean, now: Date): VisitFile {
  return {
    layout: visitLayout(header),
    delimiter: delimiter.charCodeAt(0),
    crlf,
    nowMs: now.getTime(),
    today: todayNumber(now),
    days: new Map(),
  };
}

/** A calendar day as a wall-clock time in Sweden is read against it. */
interface SwedishDay {
  /** Its midnight as if it were UTC (ms), and as days since 1970. */
  midnight: number;
  number: number;
  /** UTC's lag behind Swedish time all day (ms); 0 on the days summer time starts or ends. */
  offset: number;
}

/**
 * The day YYYY-MM-DD (month and day two digits each), or null when the calendar has no such day.
 * Remembered per file: `wallClockMs` and `Date.UTC` for every line cost a tenth of the reading.
 */
function dayOf(days: Map<number, SwedishDay | null>, y: number, mo: number, d: number): SwedishDay | null {
  const key = y * 10_000 + mo * 100 + d;
  let day = days.get(key);
  if (day === undefined) {
    if (days.size >= 1 << 16) days.clear();
    day = null;
    if (isDay(y, mo, d)) {
      const midnight = utcMs(y, mo - 1, d);
      const first = midnight - wallClockMs(y, mo, d, 0, 0, 0)!;
      const last = midnight + 86_399_000 - wallClockMs(y, mo, d, 23, 59, 59)!;
      day = { midnight, number: midnight / DAY_MS, offset: first === last ? first : 0 };
    }
    days.set(key, day);
  }
  return day;
}

const TYPES = contactTypes.map((t) => Buffer.from(t));
const DAY_MS = 86_400_000;

/** A YYYYMMDD number of the Swedish day of `now`: a person born later is refused by checkVisit. */
function todayNumber(now: Date): number {
  const day = new Date(swedishDayNumber(now.getTime()) * DAY_MS);
  return day.getUTCFullYear() * 10_000 + (day.getUTCMonth() + 1) * 100 + day.getUTCDate();
}

/** What `scanVisitLines` read: lines, and where it stopped for the general reader (−1: it did not). */
export interface Scanned {
  lines: number;
  handOver: number;
}

/**
 * Reads the lines of `buf[from .. to)`, each ending with the file's line break (\n, or \r\n when
 * `crlf`), except perhaps the last. Plain lines go to `sink`; `other(start, end, line)` gets the
 * rest, blank lines excepted. A line with a quote or a stray \r or \n stops it: from there the
 * general CSV reader takes over (quoted fields may span lines).
 */
export function scanVisitLines(
  buf: Buffer,
  from: number,
  to: number,
  firstLine: number,
  file: VisitFile,
  lookup: VisitLookup,
  sink: VisitSink,
  other: (start: number, end: number, line: number) => void,
): Scanned {
  const starts = new Int32Array(file.layout.fields + 1);
  const ends = new Int32Array(file.layout.fields + 1);
  let line = firstLine;
  let at = from;
  while (at < to) {
    let end = buf.indexOf(10, at);
    if (end < 0 || end >= to) end = to;
    let stop = end;
    if (file.crlf && end < to) {
      if (stop === at || buf[stop - 1] !== 13) return { lines: line - firstLine, handOver: at };
      stop -= 1;
    }
    if (stop > at) {
      const taken = quick(buf, at, stop, starts, ends, file, lookup, sink);
      if (taken < 0) return { lines: line - firstLine, handOver: at };
      if (taken === 0) other(at, stop, line);
    }
    line += 1;
    at = end + 1;
  }
  return { lines: line - firstLine, handOver: -1 };
}

/** One line: 1 when plainly valid and known (to the sink), 0 for `checkVisit`, −1 to hand over. */
function quick(
  buf: Buffer,
  from: number,
  to: number,
  starts: Int32Array,
  ends: Int32Array,
  file: VisitFile,
  lookup: VisitLookup,
  sink: VisitSink,
): number {
  const { layout, delimiter } = file;
  // Fields: exactly as many as the header has; a quote or a \r hands over.
  let field = 0;
  let fits = true;
  starts[0] = from;
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if (c === delimiter) {
      ends[field] = i;
      if (field + 1 >= layout.fields) fits = false;
      else field += 1;
      starts[field] = i + 1;
    } else if (c === 34 || c === 13) return -1;
  }
  ends[field] = to;
  if (!fits || field + 1 !== layout.fields) return 0;
  return plain(buf, starts, ends, file, lookup, sink) ? 1 : 0;
}

/** A line's fields, if plainly valid and known: to the sink, and true. */
function plain(
  buf: Buffer,
  starts: Int32Array,
  ends: Int32Array,
  file: VisitFile,
  lookup: VisitLookup,
  sink: VisitSink,
): boolean {
  const { layout, nowMs, today } = file;
  const p = layout.personnummer;
  const personLength = ends[p]! - starts[p]!;
  // The register holds identifiers as checkVisit writes them (12 digits, or PK and 10 digits),
  // each checked when it was added; checkVisit also refuses a person born after today.
  if (personLength !== 12) return false;
  if (buf[starts[p]!] === 80 && buf[starts[p]! + 1] === 75) {
    if (number(buf, starts[p]! + 2, 10) < 0) return false;
  } else {
    const born = number(buf, starts[p]!, 8);
    if (born < 0 || born > today) return false;
  }
  const person = lookup.person(buf, starts[p]!, personLength);
  if (person < 0) return false;

  const t = layout.tidpunkt;
  const at = instant(buf, starts[t]!, ends[t]!, file.days);
  if (Number.isNaN(at) || at > nowMs) return false;

  const u = layout.enhet;
  if (!hsa(buf, starts[u]!, ends[u]!)) return false;
  const unit = lookup.unit(buf, starts[u]!, ends[u]! - starts[u]!);
  if (unit < 0) return false;
  const s = layout.personal;
  if (!hsa(buf, starts[s]!, ends[s]!)) return false;
  const y = layout.yrke;
  if (!profession(buf, starts[y]!, ends[y]!)) return false;
  const k = layout.kontakttyp;
  const type = contactType(buf, starts[k]!, ends[k]!);
  if (type < 0) return false;

  let assessment = false;
  const m = layout.medicinsk_bedomning;
  if (m >= 0) {
    const yes = yesNo(buf, starts[m]!, ends[m]!);
    if (yes < 0) return false;
    assessment = yes === 1;
  }
  let sought = NaN;
  const d = layout.sokte_vard;
  if (d >= 0 && ends[d]! > starts[d]!) {
    sought = day(buf, starts[d]!, ends[d]!, file.days);
    // The Swedish day of `at` is the day its wall-clock time names.
    if (Number.isNaN(sought) || sought > day(buf, starts[t]!, starts[t]! + 10, file.days)) return false;
  }
  if (assessment && Number.isNaN(sought)) return false;

  sink.add(
    person,
    at,
    lookup.staff(buf, starts[s]!, ends[s]! - starts[s]!),
    unit,
    lookup.profession(buf, starts[y]!, ends[y]! - starts[y]!),
    type,
    assessment,
    sought,
  );
  return true;
}

/** `length` digits at `at` as a number, or −1. */
function number(buf: Buffer, at: number, length: number): number {
  let n = 0;
  for (let i = at; i < at + length; i++) {
    const c = buf[i]! - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Swedish wall-clock time, YYYY-MM-DD HH:MM[:SS] (or T for the space), as ms; else NaN. */
function instant(buf: Buffer, from: number, to: number, days: Map<number, SwedishDay | null>): number {
  const n = to - from;
  if (n !== 16 && n !== 19) return NaN;
  if (buf[from + 4] !== 45 || buf[from + 7] !== 45 || buf[from + 13] !== 58) return NaN;
  const sep = buf[from + 10];
  if (sep !== 32 && sep !== 84) return NaN;
  if (n === 19 && buf[from + 16] !== 58) return NaN;
  const y = number(buf, from, 4);
  const mo = number(buf, from + 5, 2);
  const d = number(buf, from + 8, 2);
  const h = number(buf, from + 11, 2);
  const mi = number(buf, from + 14, 2);
  const s = n === 19 ? number(buf, from + 17, 2) : 0;
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0 || h > 23 || mi > 59 || s > 59) return NaN;
  const day = dayOf(days, y, mo, d);
  if (day === null) return NaN;
  return day.offset === 0
    ? wallClockMs(y, mo, d, h, mi, s)!
    : day.midnight + h * 3_600_000 + mi * 60_000 + s * 1000 - day.offset;
}

/** YYYY-MM-DD as days since 1970, or NaN. */
function day(buf: Buffer, from: number, to: number, days: Map<number, SwedishDay | null>): number {
  if (to - from !== 10 || buf[from + 4] !== 45 || buf[from + 7] !== 45) return NaN;
  const y = number(buf, from, 4);
  const mo = number(buf, from + 5, 2);
  const d = number(buf, from + 8, 2);
  if (y < 0 || mo < 0 || d < 0) return NaN;
  return dayOf(days, y, mo, d)?.number ?? NaN;
}

/** An HSA-id: 3–64 letters (A–Z), digits and hyphens. */
function hsa(buf: Buffer, from: number, to: number): boolean {
  const n = to - from;
  if (n < 3 || n > 64) return false;
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45)) return false;
  }
  return true;
}

/** A profession code: a–z, then 1–39 of a–z and hyphens. */
function profession(buf: Buffer, from: number, to: number): boolean {
  const n = to - from;
  if (n < 2 || n > 40) return false;
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if (!((c >= 97 && c <= 122) || (c === 45 && i > from))) return false;
  }
  return true;
}

function contactType(buf: Buffer, from: number, to: number): number {
  next: for (let k = 0; k < TYPES.length; k++) {
    const t = TYPES[k]!;
    if (t.length !== to - from) continue;
    for (let i = 0; i < t.length; i++) if (t[i] !== buf[from + i]) continue next;
    return k;
  }
  return -1;
}

/** 1 for ja or 1, 0 for nothing, nej or 0, −1 for anything else. */
function yesNo(buf: Buffer, from: number, to: number): number {
  const n = to - from;
  if (n === 0) return 0;
  if (n === 1) return buf[from] === 49 ? 1 : buf[from] === 48 ? 0 : -1;
  if (n === 2) return buf[from] === 106 && buf[from + 1] === 97 ? 1 : -1;
  if (n === 3) return buf[from] === 110 && buf[from + 1] === 101 && buf[from + 2] === 106 ? 0 : -1;
  return -1;
}
