/**
 * NEWS2, the National Early Warning Score 2 of the Royal College of Physicians (RCP, "National
 * Early Warning Score (NEWS) 2: Standardising the assessment of acute-illness severity in the NHS",
 * London 2017), as the built-in default of the structured assessment a nurse makes at the patient's
 * side. The score is advice to the nurse, never the decision: she chooses the outcome.
 *
 * The bands are data (`AssessmentConfig`), not code: a region loads and versions its own checklist
 * (Region Skåne's "Uppföljning av handlingsplan för anpassning av modell för läkarstöd i kommunal
 * hemsjukvård", 2021, names its decision support ViSam), and `news2` scores from whichever config
 * it is given. The default equals the
 * RCP chart; news2.test.ts holds every band edge to that chart.
 *
 * SpO₂ scale 2 is for patients with hypercapnic respiratory failure whose target saturation is
 * 88–92 %, and only when a physician has said so (a care directive 'spo2-scale-2'); the caller
 * decides the scale. NEWS2 is not validated under 16 years: no score.
 */
import { DomainError } from './errors.ts';

export const consciousnessLevels = ['A', 'C', 'V', 'P', 'U'] as const;
/** ACVPU: Alert, new Confusion, responds to Voice, to Pain, Unresponsive. */
export type Consciousness = (typeof consciousnessLevels)[number];

export interface VitalSigns {
  /** Breaths per minute. */
  respiratoryRate: number;
  /** Oxygen saturation, %. */
  spo2: number;
  /** Supplemental oxygen at the time of measuring. */
  onOxygen: boolean;
  /** Systolic blood pressure, mmHg. */
  systolicBp: number;
  /** Beats per minute. */
  pulse: number;
  consciousness: Consciousness;
  /** °C with one decimal. */
  temperature: number;
}

export type Spo2Scale = 1 | 2;
export type News2Risk = 'low' | 'low-medium' | 'medium' | 'high';
export type News2Part =
  'respiratoryRate' | 'spo2' | 'onOxygen' | 'systolicBp' | 'pulse' | 'consciousness' | 'temperature';
export const news2Parts: readonly News2Part[] = [
  'respiratoryRate',
  'spo2',
  'onOxygen',
  'systolicBp',
  'pulse',
  'consciousness',
  'temperature',
];

export interface News2Score {
  total: number;
  parts: Record<News2Part, number>;
  scale: Spo2Scale;
  /** Some single parameter scored 3 (the RCP's "red score"). */
  singleParameterThree: boolean;
  /** RCP 2017: 0 and 1–4 → low; a single parameter scoring 3 → low-medium; 5–6 → medium; ≥ 7 → high. */
  risk: News2Risk;
  /** Which checklist scored it, so that a stored score can be read later. */
  config: { id: string; version: number };
}

/**
 * One band of a parameter: values up to and including `upTo` (after the previous band) score
 * `points`; the last band has no `upTo` and takes everything above. Bands are in ascending order.
 */
export interface Band {
  upTo?: number | undefined;
  points: number;
}

/** A checklist the region loads and versions; the default is the RCP's NEWS2. */
export interface AssessmentConfig {
  id: string;
  version: number;
  name: string;
  /** Below this age there is no score. */
  minAgeYears: number;
  bands: {
    respiratoryRate: Band[];
    spo2Scale1: Band[];
    /** Scale 2 breathing air: 88–92 and ≥ 93 both score 0. */
    spo2Scale2Air: Band[];
    /** Scale 2 on oxygen: above 92 scores again (hyperoxia). */
    spo2Scale2Oxygen: Band[];
    oxygen: { air: number; oxygen: number };
    systolicBp: Band[];
    pulse: Band[];
    consciousness: Record<Consciousness, number>;
    temperature: Band[];
  };
  /** The aggregate thresholds of the response levels. */
  thresholds: { singleParameter: number; medium: number; high: number };
}

/** The RCP 2017 chart. */
export const NEWS2_DEFAULT_CONFIG: AssessmentConfig = {
  id: 'news2-rcp-2017',
  version: 1,
  name: 'NEWS2 (Royal College of Physicians 2017)',
  minAgeYears: 16,
  bands: {
    respiratoryRate: [
      { upTo: 8, points: 3 },
      { upTo: 11, points: 1 },
      { upTo: 20, points: 0 },
      { upTo: 24, points: 2 },
      { points: 3 },
    ],
    spo2Scale1: [{ upTo: 91, points: 3 }, { upTo: 93, points: 2 }, { upTo: 95, points: 1 }, { points: 0 }],
    spo2Scale2Air: [{ upTo: 83, points: 3 }, { upTo: 85, points: 2 }, { upTo: 87, points: 1 }, { points: 0 }],
    spo2Scale2Oxygen: [
      { upTo: 83, points: 3 },
      { upTo: 85, points: 2 },
      { upTo: 87, points: 1 },
      { upTo: 92, points: 0 },
      { upTo: 94, points: 1 },
      { upTo: 96, points: 2 },
      { points: 3 },
    ],
    oxygen: { air: 0, oxygen: 2 },
    systolicBp: [
      { upTo: 90, points: 3 },
      { upTo: 100, points: 2 },
      { upTo: 110, points: 1 },
      { upTo: 219, points: 0 },
      { points: 3 },
    ],
    pulse: [
      { upTo: 40, points: 3 },
      { upTo: 50, points: 1 },
      { upTo: 90, points: 0 },
      { upTo: 110, points: 1 },
      { upTo: 130, points: 2 },
      { points: 3 },
    ],
    consciousness: { A: 0, C: 3, V: 3, P: 3, U: 3 },
    temperature: [
      { upTo: 35.0, points: 3 },
      { upTo: 36.0, points: 1 },
      { upTo: 38.0, points: 0 },
      { upTo: 39.0, points: 1 },
      { points: 2 },
    ],
  },
  thresholds: { singleParameter: 3, medium: 5, high: 7 },
};

/** The points of a value in a band list. */
export function pointsIn(bands: readonly Band[], value: number): number {
  for (const band of bands) if (band.upTo === undefined || value <= band.upTo) return band.points;
  // A valid config ends with an open band; this is only reached with one that was not checked.
  throw new RangeError('the bands do not cover the value');
}

/**
 * The NEWS2 of a set of vital signs, or null for a patient under the config's minimum age (16):
 * the RCP does not validate NEWS2 for children or young people.
 */
export function news2(
  v: VitalSigns,
  opts: { scale: Spo2Scale; ageYears: number; config?: AssessmentConfig },
): News2Score | null {
  const config = opts.config ?? NEWS2_DEFAULT_CONFIG;
  if (!(opts.ageYears >= config.minAgeYears)) return null;
  const b = config.bands;
  const spo2Bands = opts.scale === 1 ? b.spo2Scale1 : v.onOxygen ? b.spo2Scale2Oxygen : b.spo2Scale2Air;
  const parts: Record<News2Part, number> = {
    respiratoryRate: pointsIn(b.respiratoryRate, v.respiratoryRate),
    spo2: pointsIn(spo2Bands, v.spo2),
    onOxygen: v.onOxygen ? b.oxygen.oxygen : b.oxygen.air,
    systolicBp: pointsIn(b.systolicBp, v.systolicBp),
    pulse: pointsIn(b.pulse, v.pulse),
    consciousness: b.consciousness[v.consciousness],
    temperature: pointsIn(b.temperature, v.temperature),
  };
  const total = news2Parts.reduce((sum, part) => sum + parts[part], 0);
  const singleParameterThree = news2Parts.some((part) => parts[part] >= config.thresholds.singleParameter);
  return {
    total,
    parts,
    scale: opts.scale,
    singleParameterThree,
    risk: riskOf(total, singleParameterThree, config),
    config: { id: config.id, version: config.version },
  };
}

function riskOf(total: number, singleParameterThree: boolean, config: AssessmentConfig): News2Risk {
  if (total >= config.thresholds.high) return 'high';
  if (total >= config.thresholds.medium) return 'medium';
  if (singleParameterThree) return 'low-medium';
  return 'low';
}

export type News2AdviceCode = 'zero' | 'low' | 'low-medium' | 'medium' | 'high';

/**
 * The RCP's clinical response to a score, as advice in Swedish for the nurse at the patient's
 * home. The RCP's levels are hospital wording (ward monitoring, the medical team); here they are
 * said as what they mean at home, and always as support for her own judgement.
 */
export function news2Advice(score: News2Score): { code: News2AdviceCode; text: string } {
  if (score.risk === 'high')
    return {
      code: 'high',
      text: 'NEWS2 7 eller mer: akut nivå. Kontakta läkare omedelbart; överväg ambulans (ring 112). Övervaka patienten fortlöpande tills hjälp finns på plats.',
    };
  if (score.risk === 'medium')
    return {
      code: 'medium',
      text: 'NEWS2 5–6: brådskande. Kontakta läkare omedelbart för bedömning. Kontrollera värdena igen minst varje timme.',
    };
  if (score.risk === 'low-medium')
    return {
      code: 'low-medium',
      text: 'Ett enskilt värde ger 3 poäng: kontakta läkare som bedömer om vården behöver ändras. Kontrollera värdena igen inom en timme.',
    };
  if (score.total === 0)
    return { code: 'zero', text: 'NEWS2 0: inga avvikande värden. Fortsätt som planerat.' };
  return {
    code: 'low',
    text: 'NEWS2 1–4: låg nivå. Sjuksköterskan bedömer om värdena ska kontrolleras oftare eller om läkare ska kontaktas.',
  };
}

/** Swedish labels of the response levels, for lists and the trend. */
export const news2RiskLabels: Record<News2Risk, string> = {
  low: 'Låg',
  'low-medium': 'Låg–medel (ett värde ger 3)',
  medium: 'Medel',
  high: 'Hög',
};

/**
 * The physiological limits a measured value must lie within: outside them it is a typing or
 * measuring error, not a patient, and is refused rather than scored. Wide on purpose: a very sick
 * patient must never be refused. A respiratory rate or pulse of 0 is a cardiac arrest, for 112 and
 * not for a form; SpO₂ below 50 % cannot be read reliably by a pulse oximeter.
 */
export const vitalSignLimits = {
  respiratoryRate: { min: 1, max: 80, decimals: 0, unit: 'andetag/min', label: 'Andningsfrekvens' },
  spo2: { min: 50, max: 100, decimals: 0, unit: '%', label: 'Syremättnad (SpO₂)' },
  systolicBp: { min: 40, max: 300, decimals: 0, unit: 'mmHg', label: 'Systoliskt blodtryck' },
  pulse: { min: 20, max: 250, decimals: 0, unit: 'slag/min', label: 'Puls' },
  temperature: { min: 30.0, max: 44.0, decimals: 1, unit: '°C', label: 'Temperatur' },
} as const;

const numericFields = Object.keys(vitalSignLimits) as (keyof typeof vitalSignLimits)[];

/**
 * What is wrong with a set of vital signs, per field, in Swedish: a missing field, a wrong type,
 * a value outside the physiological limits or with more decimals than is measured. Empty when the
 * input is a valid `VitalSigns`. Unknown fields are not this function's concern (the route schema).
 */
export function vitalSignProblems(input: unknown): { field: string; message: string }[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return [{ field: 'vitals', message: 'Mätvärdena saknas.' }];
  const v = input as Record<string, unknown>;
  const problems: { field: string; message: string }[] = [];
  for (const field of numericFields) {
    const limit = vitalSignLimits[field];
    const value = v[field];
    if (value === undefined || value === null || value === '') {
      problems.push({ field, message: `${limit.label} saknas.` });
    } else if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push({ field, message: `${limit.label} ska vara ett tal.` });
    } else if (value < limit.min || value > limit.max) {
      problems.push({
        field,
        message: `${limit.label} ${formatValue(value)} ${limit.unit} är inte möjligt. Ange ett värde mellan ${formatValue(limit.min, limit.decimals)} och ${formatValue(limit.max, limit.decimals)} ${limit.unit}.`,
      });
    } else if (!hasAtMostDecimals(value, limit.decimals)) {
      problems.push({
        field,
        message:
          limit.decimals === 0
            ? `${limit.label} anges i hela tal.`
            : `${limit.label} anges med högst ${limit.decimals} decimal.`,
      });
    }
  }
  if (v.onOxygen === undefined || v.onOxygen === null)
    problems.push({ field: 'onOxygen', message: 'Ange om patienten får syrgas.' });
  else if (typeof v.onOxygen !== 'boolean')
    problems.push({ field: 'onOxygen', message: 'Syrgas ska anges som ja eller nej.' });
  if (v.consciousness === undefined || v.consciousness === null || v.consciousness === '')
    problems.push({ field: 'consciousness', message: 'Medvetandegrad (ACVPU) saknas.' });
  else if (!consciousnessLevels.includes(v.consciousness as Consciousness))
    problems.push({ field: 'consciousness', message: 'Medvetandegrad ska vara A, C, V, P eller U (ACVPU).' });
  return problems;
}

/** Throws `vital_signs_invalid` with the per-field problems, or returns the typed values. */
export function assertVitalSigns(input: unknown): VitalSigns {
  const problems = vitalSignProblems(input);
  if (problems.length > 0)
    throw new DomainError(
      'vital_signs_invalid',
      undefined,
      problems.map((p) => ({ path: `/vitals/${p.field}`, message: p.message })),
    );
  return input as VitalSigns;
}

function hasAtMostDecimals(value: number, decimals: number): boolean {
  const scaled = value * 10 ** decimals;
  return Math.abs(scaled - Math.round(scaled)) < 1e-9;
}

function formatValue(value: number, decimals?: number): string {
  return (decimals === undefined ? String(value) : value.toFixed(decimals)).replace('.', ',');
}

export const consciousnessLabels: Record<Consciousness, string> = {
  A: 'A – vaken och alert',
  C: 'C – nytillkommen förvirring',
  V: 'V – reagerar på tilltal',
  P: 'P – reagerar på smärta',
  U: 'U – reagerar inte',
};

/**
 * A config the region loads (JSON), checked before it is used: every band list ascending and
 * ending with an open band, points whole numbers 0–3, every ACVPU level scored, thresholds in
 * order. Throws `assessment_config_invalid` with what is wrong where.
 */
export function parseAssessmentConfig(input: unknown): AssessmentConfig {
  const problems: { path: string; message: string }[] = [];
  const fail = (path: string, message: string) => problems.push({ path, message });
  const o = isRecord(input) ? input : {};
  if (!isRecord(input)) fail('', 'Konfigurationen ska vara ett objekt.');
  if (typeof o.id !== 'string' || o.id.trim() === '') fail('/id', 'Ange ett id.');
  if (typeof o.version !== 'number' || !Number.isInteger(o.version) || o.version < 1)
    fail('/version', 'Versionen ska vara ett heltal, 1 eller högre.');
  if (typeof o.name !== 'string' || o.name.trim() === '') fail('/name', 'Ange ett namn.');
  if (typeof o.minAgeYears !== 'number' || !(o.minAgeYears >= 0))
    fail('/minAgeYears', 'Ange en lägsta ålder.');
  const bands = isRecord(o.bands) ? o.bands : {};
  if (!isRecord(o.bands)) fail('/bands', 'Intervallen saknas.');
  for (const key of [
    'respiratoryRate',
    'spo2Scale1',
    'spo2Scale2Air',
    'spo2Scale2Oxygen',
    'systolicBp',
    'pulse',
    'temperature',
  ] as const)
    checkBands(bands[key], `/bands/${key}`, fail);
  const oxygen = isRecord(bands.oxygen) ? bands.oxygen : {};
  for (const key of ['air', 'oxygen'] as const)
    if (!isPoints(oxygen[key])) fail(`/bands/oxygen/${key}`, 'Poängen ska vara ett heltal 0–3.');
  const consciousness = isRecord(bands.consciousness) ? bands.consciousness : {};
  for (const level of consciousnessLevels)
    if (!isPoints(consciousness[level]))
      fail(`/bands/consciousness/${level}`, 'Poängen ska vara ett heltal 0–3.');
  const t = isRecord(o.thresholds) ? o.thresholds : {};
  const single = t.singleParameter;
  const medium = t.medium;
  const high = t.high;
  if (typeof single !== 'number' || !Number.isInteger(single) || single < 1)
    fail('/thresholds/singleParameter', 'Ange ett heltal, 1 eller högre.');
  if (typeof medium !== 'number' || !Number.isInteger(medium) || medium < 1)
    fail('/thresholds/medium', 'Ange ett heltal, 1 eller högre.');
  if (typeof high !== 'number' || !Number.isInteger(high) || typeof medium !== 'number' || high <= medium)
    fail('/thresholds/high', 'Gränsen för hög ska vara ett heltal större än gränsen för medel.');
  if (problems.length > 0) throw new DomainError('assessment_config_invalid', undefined, problems);
  return input as AssessmentConfig;
}

function checkBands(value: unknown, path: string, fail: (path: string, message: string) => void): void {
  if (!Array.isArray(value) || value.length === 0) return fail(path, 'Ange minst ett intervall.');
  let previous = -Infinity;
  value.forEach((band: unknown, i) => {
    const last = i === value.length - 1;
    if (!isRecord(band)) return fail(`${path}/${i}`, 'Intervallet ska vara ett objekt.');
    if (!isPoints(band.points)) fail(`${path}/${i}/points`, 'Poängen ska vara ett heltal 0–3.');
    if (last) {
      if (band.upTo !== undefined)
        fail(`${path}/${i}/upTo`, 'Det sista intervallet ska vara öppet uppåt (utan upTo).');
    } else if (typeof band.upTo !== 'number' || !Number.isFinite(band.upTo)) {
      fail(`${path}/${i}/upTo`, 'Ange intervallets övre gräns.');
    } else if (band.upTo <= previous) {
      fail(`${path}/${i}/upTo`, 'Intervallen ska stå i stigande ordning.');
    } else previous = band.upTo;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPoints(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 3;
}
