/**
 * An assessment at the patient's side as FHIR R4 Observations (read only): one per vital sign,
 * with LOINC codes and HL7's vital-signs profiles, the level of consciousness (ACVPU), and the
 * NEWS2 total derived from them. Ids are `<assessment id>-<suffix>`.
 * See: https://hl7.org/fhir/R4/observation-vitalsigns.html and docs/fhir.md (the mapping table).
 *
 * NEWS2 has no LOINC code that we could verify (88330-6, sometimes given for it, is a CMS
 * mobility item); the total is coded with SNOMED CT 1104051000000101 (UK edition, the code NHS
 * systems use) and our own code. ACVPU uses LOINC 67775-7 "Level of responsiveness" with the
 * UK SNOMED CT code of the ACVPU scale beside it; LOINC's answer list has no "new confusion", so
 * the value is our own ACVPU code.
 */
import { consciousnessLabels, news2Parts, news2RiskLabels, type News2Part } from '../domain/news2.ts';
import type { MobileCare } from '../services/enrolment-service.ts';
import { codeSystems, hsaReference, patientReference, type Reference } from './datatypes.ts';

type Assessment = MobileCare['assessments'][number];

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const UCUM = 'http://unitsofmeasure.org';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const PROFILE = 'http://hl7.org/fhir/StructureDefinition';

export const observationSuffixes = ['rr', 'spo2', 'pulse', 'bp', 'temp', 'acvpu', 'news2'] as const;
export type ObservationSuffix = (typeof observationSuffixes)[number];

export const news2ObservationId = (assessmentId: string): string => `${assessmentId}-news2`;

/** The assessment and the suffix an Observation id names, or null for an id of another shape. */
export function parseObservationId(id: string): { assessmentId: string; suffix: ObservationSuffix } | null {
  const match = /^(.+)-([a-z0-9]+)$/.exec(id);
  const suffix = match?.[2];
  if (!match || !observationSuffixes.some((s) => s === suffix)) return null;
  return { assessmentId: match[1]!, suffix: suffix as ObservationSuffix };
}

type Coding = { system: string; code: string; display?: string };

interface FhirObservation {
  resourceType: 'Observation';
  id: string;
  meta?: { profile: string[] };
  status: 'final';
  category: { coding: Coding[]; text?: string }[];
  code: { coding: Coding[]; text: string };
  subject: Reference;
  effectiveDateTime: string;
  performer: Reference[];
  [value: string]: unknown;
}

const quantity = (value: number, unit: string, code: string) => ({ value, unit, system: UCUM, code });
const coded = (system: string, code: string, display: string): Coding => ({ system, code, display });

const vitalSignsCategory = {
  coding: [coded(CATEGORY, 'vital-signs', 'Vital Signs')],
  text: 'Vitalparametrar',
};
const surveyCategory = { coding: [coded(CATEGORY, 'survey', 'Survey')], text: 'Bedömningsskala' };

const partLabels: Record<News2Part, string> = {
  respiratoryRate: 'Andningsfrekvens',
  spo2: 'Syremättnad',
  onOxygen: 'Extra syrgas',
  systolicBp: 'Systoliskt blodtryck',
  pulse: 'Puls',
  consciousness: 'Medvetandegrad',
  temperature: 'Temperatur',
};

/** The Observations of one assessment: six values and, from 16 years, the NEWS2 total. */
export function observationsOf(a: Assessment): FhirObservation[] {
  const v = a.vitals;
  const head = (suffix: ObservationSuffix, profile: string | null) => ({
    resourceType: 'Observation' as const,
    id: `${a.id}-${suffix}`,
    ...(profile ? { meta: { profile: [`${PROFILE}/${profile}`] } } : {}),
    status: 'final' as const,
    subject: patientReference(a.patientId),
    effectiveDateTime: a.at,
    performer: [
      hsaReference('Practitioner', a.by.staffId, a.by.name),
      hsaReference('Organization', a.unit.unitId, a.unit.name),
    ],
  });
  const vital = (suffix: ObservationSuffix, profile: string, code: Coding[], text: string) => ({
    ...head(suffix, profile),
    category: [vitalSignsCategory],
    code: { coding: code, text },
  });
  const derivedFrom = observationSuffixes
    .filter((s) => s !== 'news2')
    .map((s) => ({ reference: `Observation/${a.id}-${s}`, type: 'Observation' }));
  const observations: FhirObservation[] = [
    {
      ...vital('rr', 'resprate', [coded(LOINC, '9279-1', 'Respiratory rate')], 'Andningsfrekvens'),
      valueQuantity: quantity(v.respiratoryRate, '/min', '/min'),
    },
    {
      ...vital(
        'spo2',
        'oxygensat',
        [
          coded(LOINC, '2708-6', 'Oxygen saturation in Arterial blood'),
          coded(LOINC, '59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'),
        ],
        'Syremättnad (SpO₂)',
      ),
      valueQuantity: quantity(v.spo2, '%', '%'),
      component: [
        {
          code: { coding: [coded(codeSystems.observation, 'supplemental-oxygen', 'Extra syrgas')] },
          valueBoolean: v.onOxygen,
        },
      ],
    },
    {
      ...vital('pulse', 'heartrate', [coded(LOINC, '8867-4', 'Heart rate')], 'Puls'),
      valueQuantity: quantity(v.pulse, '/min', '/min'),
    },
    {
      // Only the systolic pressure is measured: the panel says the diastolic was not.
      ...vital(
        'bp',
        'bp',
        [coded(LOINC, '85354-9', 'Blood pressure panel with all children optional')],
        'Blodtryck',
      ),
      component: [
        {
          code: { coding: [coded(LOINC, '8480-6', 'Systolic blood pressure')] },
          valueQuantity: quantity(v.systolicBp, 'mmHg', 'mm[Hg]'),
        },
        {
          code: { coding: [coded(LOINC, '8462-4', 'Diastolic blood pressure')] },
          dataAbsentReason: {
            coding: [
              coded(
                'http://terminology.hl7.org/CodeSystem/data-absent-reason',
                'not-performed',
                'Not Performed',
              ),
            ],
          },
        },
      ],
    },
    {
      ...vital('temp', 'bodytemp', [coded(LOINC, '8310-5', 'Body temperature')], 'Temperatur'),
      valueQuantity: quantity(v.temperature, 'Cel', 'Cel'),
    },
    {
      ...head('acvpu', null),
      category: [surveyCategory],
      code: {
        coding: [
          coded(LOINC, '67775-7', 'Level of responsiveness'),
          coded(SNOMED, '1104441000000107', 'ACVPU (Alert Confusion Voice Pain Unresponsive) scale score'),
        ],
        text: 'Medvetandegrad (ACVPU)',
      },
      valueCodeableConcept: {
        coding: [coded(codeSystems.acvpu, v.consciousness, consciousnessLabels[v.consciousness])],
        text: consciousnessLabels[v.consciousness],
      },
    },
  ];
  if (a.score !== null && a.parts !== null && a.risk !== null) {
    const parts = a.parts;
    observations.push({
      ...head('news2', null),
      category: [surveyCategory],
      code: {
        coding: [
          coded(
            SNOMED,
            '1104051000000101',
            'Royal College of Physicians NEWS2 (National Early Warning Score 2) total score',
          ),
          coded(codeSystems.observation, 'news2-total', 'NEWS2 totalpoäng'),
        ],
        text: 'NEWS2',
      },
      method: { text: `Checklista ${a.config.id}, version ${a.config.version}` },
      valueInteger: a.score,
      interpretation: [
        {
          coding: [coded(codeSystems.news2Risk, a.risk, news2RiskLabels[a.risk])],
          text: news2RiskLabels[a.risk],
        },
      ],
      component: [
        ...news2Parts.map((part) => ({
          code: { coding: [coded(codeSystems.observation, `news2-${part}`, `Poäng: ${partLabels[part]}`)] },
          valueInteger: parts[part],
        })),
        {
          code: { coding: [coded(codeSystems.observation, 'spo2-scale', 'SpO₂-skala')] },
          valueInteger: a.scale,
        },
      ],
      derivedFrom,
    });
  }
  return observations;
}

/**
 * Whether an Observation matches the `code` and `category` search tokens (`system|code` or
 * `code`, several values with comma: any may match).
 */
export function matchesTokens(o: FhirObservation, tokens: { code?: string[]; category?: string[] }): boolean {
  const hits = (codings: Coding[], wanted: string[] | undefined) =>
    wanted === undefined ||
    wanted.some((w) => {
      const bar = w.indexOf('|');
      const [system, code] = bar === -1 ? [null, w] : [w.slice(0, bar), w.slice(bar + 1)];
      return codings.some(
        (c) => c.code === code && (system === null || system === '' || c.system === system),
      );
    });
  return (
    hits(o.code.coding, tokens.code) &&
    hits(
      o.category.flatMap((c) => c.coding),
      tokens.category,
    )
  );
}
