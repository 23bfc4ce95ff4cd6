/**
 * FHIR Condition = one of the patient's diagnoses (ICD-10, `patient_diagnosis`), read only.
 * See: https://hl7.org/fhir/R4/condition.html and docs/fhir.md, "Condition".
 */
import type { RecordedDiagnosis } from '../domain/diagnosis.ts';
import { normaliseIcd10 } from '../domain/diagnosis.ts';
import { hsaReference, patientReference } from './datatypes.ts';

/**
 * ICD-10 as HL7 names it. The codes are ICD-10-SE (Socialstyrelsen's Swedish edition); no URI
 * for that edition is in use here, so the international system is named and the code is sent as
 * the region's data has it.
 */
export const ICD10_SYSTEM = 'http://hl7.org/fhir/sid/icd-10';
/** See: https://hl7.org/fhir/R4/codesystem-condition-clinical.html */
export const CLINICAL_STATUS_SYSTEM = 'http://terminology.hl7.org/CodeSystem/condition-clinical';

export type ClinicalStatus = 'active' | 'resolved';

/**
 * The unit that made the diagnosis, as an extension: R4 types `asserter` and `recorder` as
 * Practitioner, PractitionerRole, Patient or RelatedPerson, never Organization, and the region's
 * data names the unit only.
 */
export const DIAGNOSING_UNIT_EXTENSION =
  'https://patientkontrakt.se/fhir/StructureDefinition/diagnosing-unit';

/** A Condition's id: `<patient id>-<ICD-10 code>` (a diagnosis is keyed by patient and code). */
export function conditionIdOf(d: Pick<RecordedDiagnosis, 'patientId' | 'icd10'>): string {
  return `${d.patientId}-${d.icd10}`;
}

const ID_RE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-(.{3,6})$/i;

/** The patient and code a Condition id names; null when it is none of ours. */
export function parseConditionId(id: string): { patientId: string; icd10: string } | null {
  const match = ID_RE.exec(id);
  const icd10 = match ? normaliseIcd10(match[2]!) : null;
  return match && icd10 === match[2] ? { patientId: match[1]!.toLowerCase(), icd10 } : null;
}

/** Active while current; resolved once it has an end (the last day it was current, never in the future). */
export function clinicalStatusOf(d: Pick<RecordedDiagnosis, 'endedOn'>): ClinicalStatus {
  return d.endedOn === null ? 'active' : 'resolved';
}

export function conditionToFhir(d: RecordedDiagnosis) {
  const status = clinicalStatusOf(d);
  return {
    resourceType: 'Condition' as const,
    id: conditionIdOf(d),
    ...(d.sourceUnitId
      ? {
          extension: [
            {
              url: DIAGNOSING_UNIT_EXTENSION,
              valueReference: hsaReference('Organization', d.sourceUnitId, d.sourceUnitName),
            },
          ],
        }
      : {}),
    clinicalStatus: {
      coding: [
        {
          system: CLINICAL_STATUS_SYSTEM,
          code: status,
          display: status === 'active' ? 'Active' : 'Resolved',
        },
      ],
    },
    code: { coding: [{ system: ICD10_SYSTEM, code: d.icd10 }], text: d.icd10 },
    subject: patientReference(d.patientId),
    ...(d.since ? { onsetDateTime: d.since, recordedDate: d.since } : {}),
    ...(d.endedOn ? { abatementDateTime: d.endedOn } : {}),
  };
}

export type FhirCondition = ReturnType<typeof conditionToFhir>;

/**
 * Does the Condition match the search's tokens? `code`: `system|code` or `code` (ICD-10 in any
 * of its written forms, `I509` finds `I50.9`); `clinical-status`: `active` or `resolved`, with or
 * without the system. Several values of one parameter widen the search (OR).
 */
export function matchesConditionTokens(
  d: RecordedDiagnosis,
  tokens: { code?: string[]; clinicalStatus?: string[] },
): boolean {
  const split = (w: string): [string | null, string] => {
    const bar = w.indexOf('|');
    return bar === -1 ? [null, w] : [w.slice(0, bar), w.slice(bar + 1)];
  };
  const codeHit = (w: string) => {
    const [system, code] = split(w);
    return (system === null || system === '' || system === ICD10_SYSTEM) && normaliseIcd10(code) === d.icd10;
  };
  const statusHit = (w: string) => {
    const [system, code] = split(w);
    return (
      (system === null || system === '' || system === CLINICAL_STATUS_SYSTEM) && code === clinicalStatusOf(d)
    );
  };
  return (
    (tokens.code === undefined || tokens.code.some(codeHit)) &&
    (tokens.clinicalStatus === undefined || tokens.clinicalStatus.some(statusHit))
  );
}
