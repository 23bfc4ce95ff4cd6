/**
 * The import formats of follow-up (docs/imports.md): visits and contacts from the journal
 * systems, and the population register (listing, named fast läkarkontakt, SÄBO residence,
 * home-care enrolment), and admissions to hospital (vårdtillfällen). The same field names in CSV (header row) and NDJSON (one object per
 * line). Pure: each record is checked on its own and every problem is named by line and field,
 * in Swedish, for the person who exported the file.
 */
import { contactTypes, type ContactType } from './continuity.ts';
import { normaliseIcd10 } from './diagnosis.ts';
import { boundedError, excerpt } from './import-bounds.ts';
import { protections, type Protection } from './person-status.ts';
import { parsePatientId } from './personnummer.ts';
import { ANONYMOUS_MESSAGE, personalColumns } from './survey.ts';
import { dayNumber, isRealDate, parseInstantMs } from './swedish-calendar.ts';
import { swedishDayNumber, swedishToday } from './swedish-time.ts';

export const importKinds = ['visits', 'population', 'admissions', 'surveys', 'diagnoses'] as const;
export type ImportKind = (typeof importKinds)[number];

/** One problem in a file: the line (1 = the CSV header or the first NDJSON line), the field, what is wrong. */
export interface RowError {
  line: number;
  field: string | null;
  message: string;
}

/** What reading found besides the valid rows. */
export class ReadTally {
  rowsRead = 0;
  errorCount = 0;
  /** True when the file could not be read to its end (broken CSV, a wrong header). */
  isUnreadable = false;
  private kept: RowError[] = [];

  constructor(readonly maxErrors = 1000) {}

  /**
   * Errors come nearly in line order: a later step (the register lookup) may report a line after
   * the reader has reported later ones. The list keeps the first lines either way. Each error is
   * kept bounded (import-bounds.ts): whatever the file holds, the answer stays small.
   */
  add(...errors: RowError[]): void {
    this.errorCount += errors.length;
    for (const error of errors) this.kept.push(boundedError(error));
    if (this.kept.length >= 2 * this.maxErrors) this.kept = this.errors;
  }

  /** The errors of the first lines, at most `maxErrors`, in line order. */
  get errors(): RowError[] {
    return this.kept.sort((a, b) => a.line - b.line).slice(0, this.maxErrors);
  }
}

export type Checked<T> = { ok: true; row: T } | { ok: false; errors: RowError[] };

/** A visit or contact, checked and normalised. */
export interface VisitRecord {
  line: number;
  /** Normalised identifier: 12 digits, or PK + 10 digits. */
  identifier: string;
  /** The instant, milliseconds since 1970 UTC. */
  at: number;
  unitId: string;
  staffId: string;
  profession: string;
  contactType: ContactType;
  isAssessment: boolean;
  /** YYYY-MM-DD: the day the patient sought care (förstärkt vårdgaranti). */
  soughtOn: string | null;
}

export const registerKinds = ['listning', 'fast-lakarkontakt', 'sabo', 'hemsjukvard', 'person'] as const;
export type RegisterKind = (typeof registerKinds)[number];

/** What a `person` row of the population register says beside the name (migration 018). */
export interface PersonFacts {
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  municipalityCode: string | null;
  protection: Protection;
  deceasedOn: string | null;
  movedOutOn: string | null;
}

/** A period in the population register, or (kind `person`) a person, checked and normalised. */
export interface PopulationRecord {
  line: number;
  kind: RegisterKind;
  identifier: string;
  identifierKind: 'personnummer' | 'samordningsnummer' | 'reservnummer';
  birthDate: string | null;
  sex: 'female' | 'male' | null;
  /** Null only for kind `person`. */
  unitId: string | null;
  /** The physician, for kind fast-lakarkontakt. */
  staffId: string | null;
  /** Null only for kind `person`. */
  from: string | null;
  /** Last day (inclusive); null while it lasts. */
  to: string | null;
  givenName: string | null;
  familyName: string | null;
  /** For kind `person`: address, protection, death, move-out; null for a period. */
  person: PersonFacts | null;
}

/** A period in hospital (vårdtillfälle), checked and normalised. */
export interface AdmissionRecord {
  line: number;
  identifier: string;
  /** The ward or clinic's HSA-id. */
  unitId: string;
  /** Milliseconds since 1970 UTC. */
  admittedAt: number;
  /** Null while the patient is still in hospital. */
  dischargedAt: number | null;
}

/** A diagnosis of a patient (ICD-10), checked and normalised. */
export interface DiagnosisRecord {
  line: number;
  identifier: string;
  /** The code in its one form, with the dot (domain/diagnosis.ts). */
  icd10: string;
  /** YYYY-MM-DD: since when the patient has it. */
  since: string;
  /** The HSA-id of the unit that made the diagnosis. */
  unitId: string;
  /** YYYY-MM-DD: the last day it was current; null while it is. */
  endedOn: string | null;
}

/** The fields of each format: name → required. */
export const formatFields: Record<ImportKind, Record<string, boolean>> = {
  visits: {
    personnummer: true,
    tidpunkt: true,
    enhet: true,
    personal: true,
    yrke: true,
    kontakttyp: true,
    medicinsk_bedomning: false,
    sokte_vard: false,
  },
  population: {
    typ: true,
    personnummer: true,
    // Required on the rows of a period; a file of `person` rows only may leave them out.
    enhet: false,
    personal: false,
    fran: false,
    till: false,
    fornamn: false,
    efternamn: false,
    // The `person` rows (folkbokföringen's extract).
    adress: false,
    postnummer: false,
    ort: false,
    kommun: false,
    skydd: false,
    avliden: false,
    utflyttad: false,
  },
  admissions: {
    personnummer: true,
    enhet: true,
    inskriven: true,
    utskriven: false,
  },
  // The patients' diagnoses (ICD-10) from the region's data.
  diagnoses: {
    personnummer: true,
    diagnos: true,
    fran: true,
    enhet: true,
    till: false,
  },
  // Anonymous survey answers (domain/survey-format.ts): no personnummer, ever.
  surveys: {
    enkat: true,
    version: true,
    svar_id: true,
    team: true,
    svarande: true,
    datum: true,
    fraga: true,
    svar: true,
  },
};

/** Problems with a CSV header: unknown, repeated or missing columns (all on line 1). */
export function checkHeader(kind: ImportKind, header: readonly string[]): RowError[] {
  const fields = formatFields[kind];
  const errors: RowError[] = [];
  const seen = new Set<string>();
  for (const name of header) {
    if (kind === 'surveys' && personalColumns.includes(name))
      errors.push({ line: 1, field: name, message: ANONYMOUS_MESSAGE });
    else if (!(name in fields))
      errors.push({
        line: 1,
        field: excerpt(name),
        message: `Okänd kolumn. Tillåtna: ${Object.keys(fields).join(', ')}.`,
      });
    else if (seen.has(name)) errors.push({ line: 1, field: name, message: 'Kolumnen finns två gånger.' });
    seen.add(name);
  }
  for (const [name, required] of Object.entries(fields)) {
    if (required && !seen.has(name)) errors.push({ line: 1, field: name, message: 'Kolumnen saknas.' });
  }
  return errors;
}

const HSA_RE = /^[A-Za-z0-9-]{3,64}$/;
/** C0 control characters (tab included) and DEL, and a UTF-16 surrogate without its pair. */
// eslint-disable-next-line no-control-regex
const UNSTORABLE_RE = /[\u0000-\u001f\u007f]|\p{Surrogate}/u;
const PROFESSION_RE = /^[a-z][a-z-]{1,39}$/;
const NAME_MAX = 100;

/** Reads the fields of one record: strings are trimmed, empty means absent. */
export class Fields {
  readonly errors: RowError[] = [];
  constructor(
    private readonly record: Record<string, unknown>,
    private readonly line: number,
  ) {}

  fail(field: string | null, message: string): null {
    this.errors.push({ line: this.line, field, message });
    return null;
  }

  text(field: string, required: boolean): string | null {
    const raw = this.record[field];
    if (raw === undefined || raw === null || raw === '')
      return required ? this.fail(field, 'Värde saknas.') : null;
    if (typeof raw !== 'string' && typeof raw !== 'number') return this.fail(field, 'Ska vara text.');
    const value = String(raw).trim();
    if (value === '') return required ? this.fail(field, 'Värde saknas.') : null;
    // PostgreSQL stores no NUL and no lone surrogate; a control character has no place in a field.
    if (UNSTORABLE_RE.test(value))
      return this.fail(field, 'Otillåtet tecken (ett styrtecken eller ogiltig teckenkodning).');
    return value;
  }

  hsa(field: string, required: boolean): string | null {
    const value = this.text(field, required);
    if (value === null) return null;
    return HSA_RE.test(value)
      ? value
      : this.fail(field, 'Ska vara ett HSA-id (bokstäver, siffror och bindestreck).');
  }

  /** An instant, not in the future. */
  instant(field: string, required: boolean, now: Date): number | null {
    const value = this.text(field, required);
    if (value === null) return null;
    const at = parseInstantMs(value);
    if (at === null)
      return this.fail(
        field,
        'Ska vara datum och tid, t.ex. 2025-03-04T09:30:00+01:00 eller 2025-03-04 09:30 (svensk tid).',
      );
    return at > now.getTime() ? this.fail(field, 'Tidpunkten ligger i framtiden.') : at;
  }

  date(field: string, required: boolean): string | null {
    const value = this.text(field, required);
    if (value === null) return null;
    return isRealDate(value) ? value : this.fail(field, 'Ska vara ett datum ÅÅÅÅ-MM-DD.');
  }
}

export function unknownFields(kind: ImportKind, record: Record<string, unknown>, f: Fields): void {
  for (const key of Object.keys(record)) {
    if (!(key in formatFields[kind])) f.fail(excerpt(key), 'Okänt fält.');
  }
}

function yesNo(f: Fields, field: string, raw: unknown): boolean | null {
  if (raw === undefined || raw === null || raw === '') return false;
  if (typeof raw === 'boolean') return raw;
  if (typeof raw !== 'string' && typeof raw !== 'number') return f.fail(field, 'Ska vara ja eller nej.');
  const value = String(raw).trim().toLowerCase();
  if (['ja', 'true', '1'].includes(value)) return true;
  if (['nej', 'false', '0', ''].includes(value)) return false;
  return f.fail(field, 'Ska vara ja eller nej.');
}

/** Checks one visit. `now` rejects contacts in the future; `checkFields` reports unknown fields (NDJSON). */
export function checkVisit(
  record: Record<string, unknown>,
  line: number,
  now: Date,
  checkFields = false,
): Checked<VisitRecord> {
  const f = new Fields(record, line);
  if (checkFields) unknownFields('visits', record, f);
  const identifier = patientIdentifier(f, now);
  const atText = f.text('tidpunkt', true);
  let at: number | null = null;
  if (atText !== null) {
    at = parseInstantMs(atText);
    if (at === null)
      f.fail(
        'tidpunkt',
        'Ska vara datum och tid, t.ex. 2025-03-04T09:30:00+01:00 eller 2025-03-04 09:30 (svensk tid).',
      );
    else if (at > now.getTime()) at = f.fail('tidpunkt', 'Tidpunkten ligger i framtiden.');
  }
  const unitId = f.hsa('enhet', true);
  const staffId = f.hsa('personal', true);
  const profession = f.text('yrke', true);
  if (profession !== null && !PROFESSION_RE.test(profession))
    f.fail('yrke', 'Ska vara en yrkeskod med små bokstäver, t.ex. lakare eller sjukskoterska.');
  const type = f.text('kontakttyp', true);
  if (type !== null && !(contactTypes as readonly string[]).includes(type))
    f.fail('kontakttyp', `Ska vara en av ${contactTypes.join(', ')}.`);
  const isAssessment = yesNo(f, 'medicinsk_bedomning', record.medicinsk_bedomning);
  const soughtOn = f.date('sokte_vard', false);
  if (isAssessment === true && soughtOn === null && !f.errors.some((e) => e.field === 'sokte_vard'))
    f.fail('sokte_vard', 'Ange dagen patienten sökte vård när kontakten är en medicinsk bedömning.');
  if (soughtOn !== null && at !== null && dayNumber(soughtOn) > swedishDayNumber(at))
    f.fail('sokte_vard', 'Dagen patienten sökte vård ligger efter kontakten.');
  if (f.errors.length > 0) return { ok: false, errors: f.errors };
  return {
    ok: true,
    row: {
      line,
      identifier: identifier!.value,
      at: at!,
      unitId: unitId!,
      staffId: staffId!,
      profession: profession!,
      contactType: type as ContactType,
      isAssessment: isAssessment === true,
      soughtOn,
    },
  };
}

function patientIdentifier(f: Fields, now: Date) {
  const text = f.text('personnummer', true);
  if (text === null) return null;
  const parsed = parsePatientId(text, now);
  return parsed.ok ? parsed.id : f.fail('personnummer', parsed.reason);
}

/** Checks one period, or one person, of the population register. */
export function checkPopulation(
  record: Record<string, unknown>,
  line: number,
  now: Date,
  checkFields = false,
): Checked<PopulationRecord> {
  const f = new Fields(record, line);
  if (checkFields) unknownFields('population', record, f);
  const kind = f.text('typ', true);
  if (kind !== null && !(registerKinds as readonly string[]).includes(kind))
    f.fail('typ', `Ska vara en av ${registerKinds.join(', ')}.`);
  if (kind === 'person') return checkPerson(f, line, now);
  for (const field of personOnlyFields)
    if (f.text(field, false) !== null) f.fail(field, 'Används bara på rader av typen person.');
  const id = patientIdentifier(f, now);
  const unitId = f.hsa('enhet', true);
  const staffId = f.hsa('personal', false);
  if (kind === 'fast-lakarkontakt' && staffId === null && !f.errors.some((e) => e.field === 'personal'))
    f.fail('personal', 'Ange läkarens HSA-id för en fast läkarkontakt.');
  if (kind !== null && kind !== 'fast-lakarkontakt' && staffId !== null)
    f.fail('personal', `Används bara för fast-lakarkontakt, inte för ${excerpt(kind)}.`);
  const from = f.date('fran', true);
  const to = f.date('till', false);
  if (from !== null && to !== null && to < from) f.fail('till', 'Slutet ligger före början.');
  const today = swedishToday(now);
  if (from !== null && from > today) f.fail('fran', 'Datumet ligger i framtiden.');
  const givenName = f.text('fornamn', false);
  const familyName = f.text('efternamn', false);
  if (givenName !== null && givenName.length > NAME_MAX) f.fail('fornamn', 'Namnet är för långt.');
  if (familyName !== null && familyName.length > NAME_MAX) f.fail('efternamn', 'Namnet är för långt.');
  if ((givenName === null) !== (familyName === null))
    f.fail(
      givenName === null ? 'fornamn' : 'efternamn',
      'Ange både förnamn och efternamn, eller inget av dem.',
    );
  if (f.errors.length > 0) return { ok: false, errors: f.errors };
  return {
    ok: true,
    row: {
      line,
      kind: kind as RegisterKind,
      identifier: id!.value,
      identifierKind: id!.kind,
      birthDate: id!.birthDate,
      sex: id!.sex,
      unitId: unitId!,
      staffId,
      from: from!,
      to,
      givenName,
      familyName,
      person: null,
    },
  };
}

/** The fields only a `person` row uses. */
const personOnlyFields = ['adress', 'postnummer', 'ort', 'kommun', 'skydd', 'avliden', 'utflyttad'] as const;
const POSTAL_CODE_RE = /^\d{3} ?\d{2}$/;

/**
 * Checks one person of folkbokföringen's extract: the name, the address, the protection marker
 * (empty: none), death and move-out. With skyddad folkbokföring the address is not kept
 * (domain/person-register.ts#keptOf): the registered one is not where the person lives.
 */
function checkPerson(f: Fields, line: number, now: Date): Checked<PopulationRecord> {
  const id = patientIdentifier(f, now);
  if (id !== null && id.kind === 'reservnummer')
    f.fail('personnummer', 'Ett reservnummer finns inte i folkbokföringen.');
  for (const field of ['enhet', 'personal', 'fran', 'till'])
    if (f.text(field, false) !== null) f.fail(field, 'Används inte på rader av typen person.');
  const givenName = f.text('fornamn', true);
  const familyName = f.text('efternamn', true);
  if (givenName !== null && givenName.length > NAME_MAX) f.fail('fornamn', 'Namnet är för långt.');
  if (familyName !== null && familyName.length > NAME_MAX) f.fail('efternamn', 'Namnet är för långt.');
  const addressLine = f.text('adress', false);
  if (addressLine !== null && addressLine.length > 200) f.fail('adress', 'Adressen är för lång.');
  const postalCode = f.text('postnummer', false);
  if (postalCode !== null && !POSTAL_CODE_RE.test(postalCode))
    f.fail('postnummer', 'Ska vara fem siffror, t.ex. 581 85.');
  const city = f.text('ort', false);
  if (city !== null && city.length > NAME_MAX) f.fail('ort', 'Orten är för lång.');
  const municipalityCode = f.text('kommun', false);
  if (municipalityCode !== null && !/^\d{4}$/.test(municipalityCode))
    f.fail('kommun', 'Ska vara kommunkoden, fyra siffror (t.ex. 0580).');
  const protection = (f.text('skydd', false) ?? 'none') as Protection;
  if (!(protections as readonly string[]).includes(protection))
    f.fail('skydd', `Ska vara tomt, ${protections.filter((p) => p !== 'none').join(' eller ')}.`);
  const today = swedishToday(now);
  const deceasedOn = f.date('avliden', false);
  if (deceasedOn !== null && deceasedOn > today) f.fail('avliden', 'Datumet ligger i framtiden.');
  const movedOutOn = f.date('utflyttad', false);
  if (movedOutOn !== null && movedOutOn > today) f.fail('utflyttad', 'Datumet ligger i framtiden.');
  if (addressLine === null && (postalCode !== null || city !== null))
    f.fail('adress', 'Ange gatuadressen när postnummer eller ort är angivna.');
  if (f.errors.length > 0) return { ok: false, errors: f.errors };
  const isHidden = protection === 'skyddad-folkbokforing';
  return {
    ok: true,
    row: {
      line,
      kind: 'person',
      identifier: id!.value,
      identifierKind: id!.kind,
      birthDate: id!.birthDate,
      sex: id!.sex,
      unitId: null,
      staffId: null,
      from: null,
      to: null,
      givenName,
      familyName,
      person: {
        addressLine: isHidden ? null : addressLine,
        postalCode: isHidden || postalCode === null ? null : postalCode.replace(' ', ''),
        city: isHidden ? null : city,
        municipalityCode: isHidden ? null : municipalityCode,
        protection,
        deceasedOn,
        movedOutOn,
      },
    },
  };
}

/**
 * Checks one admission. A discharge left empty means the patient is still in hospital: an
 * admission pauses the enrolment in a mobile team, and the discharge resumes it.
 */
export function checkAdmission(
  record: Record<string, unknown>,
  line: number,
  now: Date,
  checkFields = false,
): Checked<AdmissionRecord> {
  const f = new Fields(record, line);
  if (checkFields) unknownFields('admissions', record, f);
  const id = patientIdentifier(f, now);
  const unitId = f.hsa('enhet', true);
  const admittedAt = f.instant('inskriven', true, now);
  const dischargedAt = f.instant('utskriven', false, now);
  if (admittedAt !== null && dischargedAt !== null && dischargedAt < admittedAt)
    f.fail('utskriven', 'Utskrivningen ligger före inskrivningen.');
  if (f.errors.length > 0) return { ok: false, errors: f.errors };
  return {
    ok: true,
    row: { line, identifier: id!.value, unitId: unitId!, admittedAt: admittedAt!, dischargedAt },
  };
}

/**
 * Checks one diagnosis: the person, the ICD-10 code (with or without its dot, any case: kept as
 * `I50.9`), since when, the unit that made it, and the day it stopped being current (empty while
 * it is). Neither day may lie in the future; the end not before the start.
 */
export function checkDiagnosis(
  record: Record<string, unknown>,
  line: number,
  now: Date,
  checkFields = false,
): Checked<DiagnosisRecord> {
  const f = new Fields(record, line);
  if (checkFields) unknownFields('diagnoses', record, f);
  const id = patientIdentifier(f, now);
  const code = f.text('diagnos', true);
  const icd10 = code === null ? null : normaliseIcd10(code);
  if (code !== null && icd10 === null)
    f.fail(
      'diagnos',
      'Ska vara en ICD-10-kod: en bokstav och två siffror, ev. punkt och mer (t.ex. I50.9 eller I509).',
    );
  const since = f.date('fran', true);
  const unitId = f.hsa('enhet', true);
  const endedOn = f.date('till', false);
  const today = swedishToday(now);
  if (since !== null && since > today) f.fail('fran', 'Datumet ligger i framtiden.');
  if (endedOn !== null && endedOn > today) f.fail('till', 'Datumet ligger i framtiden.');
  if (since !== null && endedOn !== null && endedOn < since) f.fail('till', 'Slutet ligger före början.');
  if (f.errors.length > 0) return { ok: false, errors: f.errors };
  return {
    ok: true,
    row: { line, identifier: id!.value, icd10: icd10!, since: since!, unitId: unitId!, endedOn },
  };
}
