/**
 * Swedish patient identifiers: personnummer, samordningsnummer and locally issued reservnummer
 * (two capital letters, the region's prefix, `PK` in the demo, then ten digits).
 *
 * Pure module: no I/O and no clock. The current date is always passed in as `today`, because the
 * century of a 10-digit number and the "not born in the future" rule both depend on it.
 *
 * Sources:
 * - Skatteverket SKV 704 "Personnummer": YYMMDD-NNNC, `+` separator from the year the person turns 100,
 *   check digit C computed with the Luhn algorithm over YYMMDDNNN.
 * - Skatteverket SKV 707 "Samordningsnummer": same structure, but 60 is added to the day of birth.
 * - Both: the birth number NNN runs from 001 to 999; 000 is never issued, so a number with it is
 *   refused even when its check digit fits (it would otherwise pass the Luhn check like any other).
 */

import { swedishToday } from './swedish-time.ts';

/** Which kind of identifier a {@link PatientId} is. */
export type PatientIdKind = 'personnummer' | 'samordningsnummer' | 'reservnummer';

/** A validated, normalised patient identifier. */
export interface PatientId {
  kind: PatientIdKind;
  /** 12 digits `YYYYMMDDNNNC` for personnummer/samordningsnummer, two letters + 10 digits for reservnummer. */
  value: string;
  /** Birth date `YYYY-MM-DD` (for samordningsnummer the real day, i.e. day - 60); null for reservnummer. */
  birthDate: string | null;
  /** SKV 704: the second-to-last digit is even for women and odd for men; null for reservnummer. */
  sex: 'female' | 'male' | null;
}

/** Result of {@link parsePatientId}: the identifier, or a Swedish message suitable for the user. */
export type ParsePatientIdResult = { ok: true; id: PatientId } | { ok: false; reason: string };

const REASON_EMPTY = 'Inget patient-id angivet.';
const REASON_FORMAT =
  'Okänt format. Ange personnummer eller samordningsnummer som ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN, ' +
  'eller reservnummer som två bokstäver (t.ex. PK) följda av 10 siffror.';
const REASON_CHECK_DIGIT = 'Kontrollsiffran stämmer inte.';
const REASON_DATE = 'Datumet finns inte.';
const REASON_FUTURE = 'Födelsedatumet ligger i framtiden.';
const REASON_SERIAL = 'Födelsenumret 000 delas inte ut.';
const REASON_RESERV_ZERO = 'Reservnummer med bara nollor (t.ex. PK0000000000) delas inte ut.';

/** SKV 707: a samordningsnummer has 60 added to the day of birth. */
const SAMORDNING_DAY_OFFSET = 60;

/** A reservnummer: the region's two letters (RESERVNUMMER_PREFIX; PK in the demo) and ten digits. */
const RESERV_RE = /^([A-Z]{2})(\d{10})$/i;
const LONG_RE = /^(\d{4})(\d{2})(\d{2})-?(\d{3})(\d)$/;
const SHORT_RE = /^(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$/;

/**
 * Luhn check digit for the nine digits YYMMDDNNN (SKV 704): weights 2,1,2,1,… from the left,
 * digits of each product summed, check digit = (10 - sum mod 10) mod 10.
 * @throws RangeError unless given exactly nine digits.
 */
export function luhnCheckDigit(nineDigits: string): number {
  if (!/^\d{9}$/.test(nineDigits)) throw new RangeError('luhnCheckDigit expects exactly nine digits');
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const product = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}

/** Gregorian leap year, including the 400-year rule (1900 is not a leap year, 2000 is). */
function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth =
    [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= daysInMonth;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

// Swedish identifiers are issued on the Swedish calendar date, so "today" is the Swedish day
// rather than the server's local zone or UTC (just after midnight they can be a day apart).
let cachedTodayTime = NaN;
let cachedTodayIso = '';

/** `swedishToday`, memoised: a bulk validation passes the same instant for millions of rows. */
function swedishIsoDate(today: Date): string {
  const time = today.getTime();
  if (time !== cachedTodayTime) {
    cachedTodayIso = swedishToday(today);
    cachedTodayTime = time;
  }
  return cachedTodayIso;
}

/**
 * SKV 704: a 10-digit number belongs to the most recent century in which the person is not born in
 * the future; the `+` separator (used from the year the person turns 100) moves it one century back.
 */
function resolveYear(yy: number, month: number, birthDay: number, plus: boolean, todayIso: string): number {
  const todayYear = Number(todayIso.slice(0, 4));
  let year = todayYear - (todayYear % 100) + yy;
  if (`${pad(year, 4)}-${pad(month, 2)}-${pad(birthDay, 2)}` > todayIso) year -= 100;
  return plus ? year - 100 : year;
}

/**
 * Parses and validates a personnummer (SKV 704), samordningsnummer (SKV 707) or reservnummer.
 * Accepts `YYMMDD-NNNC`, `YYMMDDNNNC`, `YYMMDD+NNNC`, `YYYYMMDD-NNNC`, `YYYYMMDDNNNC` and `PK` + 10 digits,
 * with optional surrounding whitespace. `today` decides the century of 10-digit numbers and rejects
 * birth dates in the future.
 */
export function parsePatientId(input: string, today: Date): ParsePatientIdResult {
  const text = input.trim();
  if (text === '') return { ok: false, reason: REASON_EMPTY };

  const reserv = RESERV_RE.exec(text);
  if (reserv) {
    // Reservnummer are numbered from 1 (makeReservnummer): all zeros is a placeholder, not a person.
    if (/^0+$/.test(reserv[2]!)) return { ok: false, reason: REASON_RESERV_ZERO };
    const value = `${reserv[1]!.toUpperCase()}${reserv[2]}`;
    return { ok: true, id: { kind: 'reservnummer', value, birthDate: null, sex: null } };
  }

  const todayIso = swedishIsoDate(today);
  let year: number;
  let month: number;
  let dayField: number;
  let serial: string;
  let check: string;
  const long = LONG_RE.exec(text);
  const short = long ? null : SHORT_RE.exec(text);
  if (long) {
    const [, yyyy = '', mm = '', dd = '', nnn = '', c = ''] = long;
    [year, month, dayField, serial, check] = [Number(yyyy), Number(mm), Number(dd), nnn, c];
  } else if (short) {
    const [, yy = '', mm = '', dd = '', sep = '', nnn = '', c = ''] = short;
    [month, dayField, serial, check] = [Number(mm), Number(dd), nnn, c];
    const birthDay = dayField > SAMORDNING_DAY_OFFSET ? dayField - SAMORDNING_DAY_OFFSET : dayField;
    year = resolveYear(Number(yy), month, birthDay, sep === '+', todayIso);
  } else {
    return { ok: false, reason: REASON_FORMAT };
  }

  const nine = `${pad(year % 100, 2)}${pad(month, 2)}${pad(dayField, 2)}${serial}`;
  if (luhnCheckDigit(nine) !== Number(check)) return { ok: false, reason: REASON_CHECK_DIGIT };
  if (serial === '000') return { ok: false, reason: REASON_SERIAL };

  const samordning = dayField > SAMORDNING_DAY_OFFSET;
  const day = samordning ? dayField - SAMORDNING_DAY_OFFSET : dayField;
  if (!isRealDate(year, month, day)) return { ok: false, reason: REASON_DATE };

  const birthDate = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  if (birthDate > todayIso) return { ok: false, reason: REASON_FUTURE };

  return {
    ok: true,
    id: {
      kind: samordning ? 'samordningsnummer' : 'personnummer',
      value: `${pad(year, 4)}${nine.slice(2)}${check}`,
      birthDate,
      sex: Number(serial[2]) % 2 === 0 ? 'female' : 'male',
    },
  };
}

/** True if {@link parsePatientId} accepts the input. */
export function isValidPatientId(input: string, today: Date): boolean {
  return parsePatientId(input, today).ok;
}

/**
 * Display form `YYYYMMDD-NNNC` of a normalised 12-digit personnummer/samordningsnummer.
 * Anything else (notably a reservnummer) is returned unchanged.
 */
export function formatPersonnummer(value12: string): string {
  return /^\d{12}$/.test(value12) ? `${value12.slice(0, 8)}-${value12.slice(8)}` : value12;
}

/**
 * Builds a reservnummer: `prefix` (the region's two capital letters, `PK` by default) + `n`
 * zero-padded to 10 digits. The letters guarantee it can never collide with a personnummer or
 * samordningsnummer.
 * @throws RangeError unless `n` is an integer in 1..9 999 999 999 (all zeros is never issued), or
 * the prefix is not two capital letters.
 */
export function makeReservnummer(n: number, prefix = 'PK'): string {
  if (!Number.isSafeInteger(n) || n < 1 || n > 9_999_999_999) {
    throw new RangeError('makeReservnummer expects an integer between 1 and 9999999999');
  }
  if (!/^[A-Z]{2}$/.test(prefix))
    throw new RangeError('makeReservnummer expects a prefix of two capital letters');
  return `${prefix}${pad(n, 10)}`;
}
