/**
 * One demo patient: identity, listing, chronic diagnoses (ICD-10, rates rising with age) and
 * the municipal care they get. Drawn from the patient's own PRNG stream, so patient n is the
 * same whatever the batch size.
 */
import { ageOn, dayOf, isoOf } from './calendar.ts';
import type { ContactPlan } from './contacts.ts';
import type { Directory, Municipality, Unit, Vardcentral } from './directory.ts';
import type { Identity } from './identity.ts';
import {
  familyNames,
  femaleNamesOlder,
  femaleNamesYounger,
  maleNamesOlder,
  maleNamesYounger,
} from './names.ts';
import type { Rng } from './random.ts';
import type { DiagnosisRow } from './write.ts';

export type Condition =
  | 'diabetes1'
  | 'diabetes2'
  | 'astma'
  | 'kol'
  | 'hjartsvikt'
  | 'flimmer'
  | 'njure'
  | 'demens'
  | 'cancer'
  | 'depression';
export type CareLevel = 'none' | 'hemtjanst' | 'hemsjukvard' | 'sabo';

export interface Diagnosis {
  condition: Condition;
  code: string;
  sinceDay: number;
}

export interface Person {
  index: number;
  id: string;
  identity: Identity;
  age: number;
  givenName: string;
  familyName: string;
  phone: string | null;
  vc: Vardcentral | null;
  listedSinceDay: number | null;
  municipality: Municipality;
  diagnoses: Diagnosis[];
  care: CareLevel;
  /** The municipal unit that cares for the patient (SÄBO, hemsjukvård or hemtjänst). */
  careUnit: Unit | null;
  contacts: ContactPlan[];
}

/** What every generator function needs: the directory and the seeding day. */
export interface GenContext {
  dir: Directory;
  /** Today as a day number (Swedish calendar). */
  today: number;
}

/** Prevalence per age band (<18, 18–44, 45–64, 65–79, 80+) before the person's frailty factor. */
const prevalence: readonly (readonly [Condition, readonly number[]])[] = [
  ['diabetes1', [0.004, 0.006, 0.006, 0.005, 0.004]],
  ['diabetes2', [0, 0.015, 0.07, 0.15, 0.16]],
  ['astma', [0.07, 0.07, 0.06, 0.06, 0.05]],
  ['kol', [0, 0.003, 0.03, 0.08, 0.1]],
  ['hjartsvikt', [0, 0.001, 0.008, 0.04, 0.13]],
  ['flimmer', [0, 0.002, 0.015, 0.07, 0.15]],
  ['njure', [0, 0.002, 0.01, 0.05, 0.12]],
  ['demens', [0, 0, 0.002, 0.03, 0.14]],
  ['cancer', [0.001, 0.003, 0.015, 0.03, 0.035]],
  ['depression', [0.02, 0.06, 0.05, 0.04, 0.04]],
];
const minor: ReadonlySet<Condition> = new Set(['astma', 'depression']);

export const hasCondition = (p: Person, c: Condition): boolean => p.diagnoses.some((d) => d.condition === c);
export const hasDiabetes = (p: Person): boolean =>
  hasCondition(p, 'diabetes1') || hasCondition(p, 'diabetes2');
/** Conditions that make care complex (everything but asthma and depression alone). */
export const majorCount = (p: Person): number => p.diagnoses.filter((d) => !minor.has(d.condition)).length;
export const fullName = (s: { givenName: string; familyName: string }): string =>
  `${s.givenName} ${s.familyName}`;

const BORN_1965 = dayOf('1965-01-01');
const BORN_1995 = dayOf('1995-01-01');
const bandOf = (age: number): number => (age < 18 ? 0 : age < 45 ? 1 : age < 65 ? 2 : age < 80 ? 3 : 4);

function icd10(rng: Rng, condition: Condition, sex: Identity['sex']): string {
  switch (condition) {
    case 'diabetes1':
      return 'E10';
    case 'diabetes2':
      return 'E11';
    case 'astma':
      return 'J45';
    case 'kol':
      return 'J44';
    case 'hjartsvikt':
      return 'I50';
    case 'flimmer':
      return 'I48';
    case 'njure':
      return 'N18';
    case 'demens':
      return rng.chance(0.4) ? 'G30' : 'F03';
    case 'cancer':
      return sex === 'female'
        ? rng.weighted([
            ['C50', 40],
            ['C18', 20],
            ['C34', 15],
            ['C43', 15],
            ['C25', 10],
          ])
        : rng.weighted([
            ['C61', 45],
            ['C18', 20],
            ['C34', 20],
            ['C43', 15],
          ]);
    case 'depression':
      return 'F32';
  }
}

/** Draws who the patient is, their diagnoses and municipal care; contacts come from contacts.ts. */
export function drawPerson(ctx: GenContext, rng: Rng, index: number, id: string, identity: Identity): Person {
  const birthDay = dayOf(identity.birthDate);
  const age = ageOn(identity.birthDate, ctx.today);
  const female = identity.sex === 'female';
  // Names follow the generation: the younger lists end with names given to children today.
  const older = birthDay < BORN_1965;
  const young = (female ? femaleNamesYounger : maleNamesYounger).slice(birthDay < BORN_1995 ? 0 : 10);
  const given = older ? (female ? femaleNamesOlder : maleNamesOlder) : young.slice(0, 20);
  const vc = rng.chance(0.96) ? rng.weighted(ctx.dir.vardcentraler.map((v) => [v, v.weight] as const)) : null;
  const municipality =
    ctx.dir.municipalities.find((m) => m.name === vc?.unit.municipality) ?? rng.pick(ctx.dir.municipalities);
  const adultDay = Math.max(birthDay + 365, ctx.today - 20 * 365);
  const listedSinceDay = vc ? rng.int(Math.min(adultDay, ctx.today - 30), ctx.today - 30) : null;

  const frailty = rng.weighted([
    [0.6, 5],
    [1, 3],
    [2, 2],
  ] as const);
  const diagnoses: Diagnosis[] = [];
  for (const [condition, rates] of prevalence) {
    if (condition === 'diabetes2' && diagnoses.some((d) => d.condition === 'diabetes1')) continue;
    if (!rng.chance((rates[bandOf(age)] ?? 0) * frailty)) continue;
    const sinceDay = rng.int(Math.min(birthDay + 180, ctx.today - 60), ctx.today - 60);
    diagnoses.push({
      condition,
      code: icd10(rng, condition, identity.sex),
      sinceDay: Math.max(sinceDay, adultDay - 3650),
    });
  }

  const person: Person = {
    index,
    id,
    identity,
    age,
    givenName: rng.pick(given),
    familyName: rng.pick(familyNames),
    phone: null,
    vc,
    listedSinceDay,
    municipality,
    diagnoses,
    care: 'none',
    careUnit: null,
    contacts: [],
  };
  person.care = drawCare(rng, person);
  person.careUnit =
    person.care === 'sabo'
      ? rng.pick(municipality.sabo)
      : person.care === 'hemsjukvard'
        ? municipality.hemsjukvard
        : person.care === 'hemtjanst'
          ? municipality.hemtjanst
          : null;
  // Post- och telestyrelsen keeps 070-174 06 05…99 for fiction: no real person answers.
  person.phone = rng.chance(person.care === 'sabo' ? 0.4 : 0.9)
    ? `070-174 06 ${String(rng.int(5, 99)).padStart(2, '0')}`
    : null;
  return person;
}

function drawCare(rng: Rng, p: Person): CareLevel {
  const demens = hasCondition(p, 'demens');
  const weights = (sabo: number, hemsjukvard: number, hemtjanst: number): CareLevel =>
    rng.weighted<CareLevel>([
      ['sabo', sabo],
      ['hemsjukvard', hemsjukvard],
      ['hemtjanst', hemtjanst],
      ['none', 1 - sabo - hemsjukvard - hemtjanst],
    ]);
  if (p.age >= 80) return demens ? weights(0.35, 0.2, 0.2) : weights(0.05, 0.12, 0.15);
  if (p.age >= 65)
    return demens
      ? weights(0.15, 0.15, 0.2)
      : majorCount(p) >= 2
        ? weights(0.02, 0.06, 0.08)
        : weights(0.005, 0.02, 0.04);
  return hasCondition(p, 'cancer') ? weights(0, 0.1, 0) : 'none';
}

/** The patient_diagnosis rows of a person. */
export function diagnosisRows(p: Person): DiagnosisRow[] {
  return p.diagnoses.map((d) => ({ patient_id: p.id, icd10: d.code, since: isoOf(d.sinceDay) }));
}
