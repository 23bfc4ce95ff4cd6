/**
 * FHIR Encounter = a stay in hospital (`hospital_stay`: imported admissions and those staff
 * record), read only, and the `date` search on its period.
 * See: https://hl7.org/fhir/R4/encounter.html and docs/fhir.md, "Encounter".
 */
import type { HospitalStay } from '../domain/hospital-stay.ts';
import { swedishDayBounds } from '../domain/swedish-time.ts';
import { hsaReference, patientReference } from './datatypes.ts';
import { FhirError } from './outcome.ts';

/** See: https://terminology.hl7.org/CodeSystem-v3-ActCode.html (IMP, inpatient encounter). */
export const ACT_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

export type EncounterStatus = 'in-progress' | 'finished';

export const encounterStatusOf = (s: Pick<HospitalStay, 'dischargedAt'>): EncounterStatus =>
  s.dischargedAt === null ? 'in-progress' : 'finished';

export function encounterToFhir(s: HospitalStay) {
  return {
    resourceType: 'Encounter' as const,
    id: s.id,
    status: encounterStatusOf(s),
    class: { system: ACT_CODE_SYSTEM, code: 'IMP', display: 'inpatient encounter' },
    subject: patientReference(s.patientId),
    period: { start: s.admittedAt, ...(s.dischargedAt ? { end: s.dischargedAt } : {}) },
    ...(s.unitId ? { serviceProvider: hsaReference('Organization', s.unitId, s.unitName) } : {}),
  };
}

export type FhirEncounter = ReturnType<typeof encounterToFhir>;

/** One `date` condition: the prefix and the instants [start, end) its value spans. */
export interface DateCondition {
  prefix: 'eq' | 'ge' | 'gt' | 'le' | 'lt';
  start: number;
  end: number;
}

const DATE_RE =
  /^(eq|ge|gt|le|lt)?(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A `date` value: a prefix (eq when none) and a Swedish day (`2026-03-01`: the day in Swedish
 * time) or an instant with its zone. Anything else is refused (400).
 */
export function parseDateParam(value: string): DateCondition {
  const match = DATE_RE.exec(value);
  const fail = () =>
    new FhirError(
      400,
      'value',
      'date ska skrivas [eq|ge|gt|le|lt]<datum>, t.ex. date=ge2026-01-01 eller date=lt2026-02-01T00:00:00Z.',
    );
  if (!match) throw fail();
  const prefix = (match[1] ?? 'eq') as DateCondition['prefix'];
  if (match[3] !== undefined) {
    const at = Date.parse(`${match[2]}${match[3]}`);
    if (Number.isNaN(at)) throw fail();
    return { prefix, start: at, end: at + 1 };
  }
  try {
    const day = swedishDayBounds(match[2]!);
    return { prefix, start: Date.parse(day.start), end: Date.parse(day.end) };
  } catch {
    throw fail();
  }
}

/**
 * Does the stay's period (admission to discharge, still going while open) meet the condition?
 * As R4 compares ranges (https://hl7.org/fhir/R4/search.html#prefix): `ge`/`gt`/`le`/`lt` when the
 * period reaches past the value's start or end on that side, `eq` when the value's range holds
 * the whole period (an open stay is in none).
 */
export function matchesDate(s: Pick<HospitalStay, 'admittedAt' | 'dischargedAt'>, c: DateCondition): boolean {
  const start = Date.parse(s.admittedAt);
  const end = s.dischargedAt === null ? Infinity : Date.parse(s.dischargedAt);
  switch (c.prefix) {
    case 'ge':
      return end >= c.start;
    case 'gt':
      return end >= c.end;
    case 'le':
      return start < c.end;
    case 'lt':
      return start < c.start;
    case 'eq':
      return start >= c.start && end < c.end;
  }
}
