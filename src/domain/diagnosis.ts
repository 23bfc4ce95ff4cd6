/**
 * A patient's diagnoses as ICD-10 codes (the Swedish edition, ICD-10-SE, as Socialstyrelsen
 * publishes it): a letter, two digits, and optionally a dot and one or two more characters
 * (`I50`, `I50.9`, `S72.00`). Registers and journal exports write the same code with or without
 * the dot and in either case (`I509`, `i50.9`); one form is kept, with the dot, so that "the
 * patient has I50.9" is one fact whoever sent it, and follow-up's patient groups (by prefix,
 * domain/followup.ts) find it.
 */

const ICD10_RE = /^([A-Z])(\d{2})(?:\.?([0-9A-Z]{1,2}))?$/;

/** The code in its one form (`I50.9`), or null when it is not an ICD-10 code. */
export function normaliseIcd10(text: string): string | null {
  const compact = text.trim().toUpperCase().replace(/\s+/g, '');
  const match = ICD10_RE.exec(compact);
  if (!match) return null;
  const [, letter, digits, rest] = match;
  return rest ? `${letter}${digits}.${rest}` : `${letter}${digits}`;
}

/** A diagnosis as the plan's background and the akutblad show it. */
export interface PatientDiagnosis {
  icd10: string;
  since: string | null;
  /** The unit that made the diagnosis (HSA-id and name), when the region's data says. */
  sourceUnitId?: string | null | undefined;
  sourceUnitName?: string | null | undefined;
}

/** A diagnosis with its whole period, current or ended (FHIR Condition). */
export interface RecordedDiagnosis extends PatientDiagnosis {
  patientId: string;
  /** The last day it was current; null while it is. */
  endedOn: string | null;
}
