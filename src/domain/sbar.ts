/**
 * A draft SBAR (Situation, Bakgrund, Aktuellt tillstånd, Rekommendation), the communication model
 * the regions use with their decision support, written from the plan and the assessment in plain
 * Swedish for the nurse to edit before she sends it. It is what she says on the phone, written
 * down; it never replaces the call.
 */
import type { AssessmentOutcome } from './escalation.ts';
import type { News2Score, VitalSigns } from './news2.ts';
import { consciousnessLabels, news2RiskLabels } from './news2.ts';
import { swedishDayOf, swedishTimeOfDay } from './swedish-time.ts';

export interface SbarInput {
  patientName: string;
  age: number;
  /** Why the nurse was called or came ("andfådd sedan i morse"). */
  reason: string;
  diagnoses: string[];
  /** The plan in a sentence or two: goals, what is planned. */
  planSummary: string;
  /** What matters to the patient, in the patient's words. */
  whatMatters: string;
  /** The patient's own wishes about the level of care. */
  wishes: string[];
  /** The physicians' documented treatment limitations. */
  limitations: string[];
  vitals: VitalSigns;
  /** Null for a patient under 16, where NEWS2 is not used. */
  score: News2Score | null;
  /** Earlier NEWS2 totals, any order; the draft reads them newest first. */
  previous: { at: string; total: number }[];
  /** The nurse's own judgement. */
  judgement: string;
  outcome: AssessmentOutcome;
  /** Items under a spärr were left out (`sbarDraftSources`): the draft says that some exist, not what. */
  hasBlockedInformation?: boolean | undefined;
}

/** What a draft may be written from, each item with the unit that holds it. */
export interface SbarSourceItems {
  diagnoses: readonly { icd10: string; sourceUnitId?: string | null | undefined }[];
  directives: readonly { kind: string; text: string; unitId: string }[];
  previous: readonly { at: string; total: number; unitId: string }[];
  /** The plan, held by a unit (null: none recorded); null when there is no plan. */
  plan: { holderUnitId: string | null; summary: string; whatMatters: string } | null;
}

export type SbarDraftSources = Pick<
  SbarInput,
  'diagnoses' | 'wishes' | 'limitations' | 'previous' | 'planSummary' | 'whatMatters'
> & { hasBlockedInformation: boolean };

/**
 * The spärr rule for the SBAR (docs/security.md, "SBAR and spärr"): the SBAR leaves the nurse's
 * unit for a physician who may work at another care provider, and reaches them without consent as
 * a disclosure; so the product writes into its draft nothing held by a unit under a standing spärr
 * (of the unit, or of its care provider), whoever the nurse and the addressee are. Only the
 * assessment the SBAR is about (the values, the score, the nurse's judgement) is always in it:
 * without it the physician cannot act. The draft says that blocked information exists, never
 * what or where, as staff are told everywhere else.
 */
export function sbarDraftSources(
  items: SbarSourceItems,
  blockedUnitIds: ReadonlySet<string>,
): SbarDraftSources {
  const isBlocked = (unitId: string | null | undefined): boolean => !!unitId && blockedUnitIds.has(unitId);
  const diagnoses = items.diagnoses.filter((d) => !isBlocked(d.sourceUnitId));
  const directives = items.directives.filter((d) => !isBlocked(d.unitId));
  const previous = items.previous.filter((p) => !isBlocked(p.unitId));
  const plan = items.plan && !isBlocked(items.plan.holderUnitId) ? items.plan : null;
  return {
    diagnoses: diagnoses.map((d) => d.icd10),
    wishes: directives.filter((d) => d.kind === 'care-level-wish').map((d) => d.text),
    limitations: directives.filter((d) => d.kind === 'treatment-limitation').map((d) => d.text),
    previous: previous.map(({ at, total }) => ({ at, total })),
    planSummary: plan?.summary ?? '',
    whatMatters: plan?.whatMatters ?? '',
    hasBlockedInformation:
      diagnoses.length !== items.diagnoses.length ||
      directives.length !== items.directives.length ||
      previous.length !== items.previous.length ||
      (items.plan !== null && plan === null),
  };
}

export interface Sbar {
  situation: string;
  background: string;
  assessment: string;
  recommendation: string;
}

const recommendations: Record<AssessmentOutcome, string> = {
  'contact-physician':
    'Jag vill att du bedömer patienten nu och säger vad vi gör: hembesök, ändring i planen eller annan vårdnivå.',
  'emergency-department':
    'Jag bedömer att patienten behöver akutmottagning eller direktinläggning. Jag vill att du tar ställning till det och säger vart patienten ska.',
  ambulance:
    'Jag har ringt 112 för ambulans. Jag vill att du får veta det och tar ställning till om något mer behövs.',
  'stay-home':
    'Jag bedömer att patienten kan stanna hemma med vård på primärvårdsnivå. Jag vill att du bekräftar planen.',
  'increased-home-care':
    'Jag bedömer att patienten kan stanna hemma med tillfälligt utökat stöd från hemtjänsten. Jag vill att du bekräftar det.',
};

/** A number in Swedish: decimal comma. */
function sv(n: number): string {
  return String(n).replace('.', ',');
}

function when(at: string): string {
  return `${swedishDayOf(at)} ${swedishTimeOfDay(at)}`;
}

/** The trend sentence: the earlier totals, newest first, and the change since the last one. */
export function trendText(total: number | null, previous: readonly { at: string; total: number }[]): string {
  if (previous.length === 0) return 'Ingen tidigare NEWS2 att jämföra med.';
  const sorted = [...previous].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  const shown = sorted.slice(0, 3).map((p) => `${p.total} (${when(p.at)})`);
  const last = sorted[0]!.total;
  const change =
    total === null
      ? ''
      : total > last
        ? ` Det är ${total - last} poäng högre än förra gången.`
        : total < last
          ? ` Det är ${last - total} poäng lägre än förra gången.`
          : ' Det är oförändrat sedan förra gången.';
  return `Tidigare NEWS2: ${shown.join(', ')}.${change}`;
}

/** The values as they are read out on the phone. */
export function vitalsText(v: VitalSigns): string {
  return [
    `Andningsfrekvens ${v.respiratoryRate}/min`,
    `saturation ${v.spo2} % ${v.onOxygen ? 'med syrgas' : 'utan syrgas'}`,
    `blodtryck ${v.systolicBp} systoliskt`,
    `puls ${v.pulse}/min`,
    `temperatur ${sv(v.temperature)} °C`,
    `medvetandegrad ${consciousnessLabels[v.consciousness]}`,
  ].join(', ');
}

/** The draft, each part a few plain sentences. Empty parts of the plan are left out, not invented. */
export function draftSbar(input: SbarInput): Sbar {
  const situation = `${input.patientName}, ${input.age} år. ${sentence(input.reason)}`;

  const background = [
    input.diagnoses.length > 0
      ? `Diagnoser: ${input.diagnoses.join(', ')}.`
      : 'Inga diagnoser angivna i planen.',
    input.planSummary.trim() ? `Planen: ${sentence(input.planSummary)}` : '',
    input.whatMatters.trim() ? `Det här är viktigt för patienten: ${sentence(input.whatMatters)}` : '',
    input.wishes.length > 0 ? `Patientens önskemål om vårdnivå: ${input.wishes.map(sentence).join(' ')}` : '',
    input.limitations.length > 0
      ? `Behandlingsbegränsning: ${input.limitations.map(sentence).join(' ')}`
      : '',
    input.hasBlockedInformation ? 'Det finns spärrad information om patienten som inte tas med här.' : '',
  ]
    .filter(Boolean)
    .join(' ');

  const score = input.score;
  const scoreText =
    score === null
      ? 'NEWS2 används inte för patienter under 16 år.'
      : `NEWS2 ${score.total} (${news2RiskLabels[score.risk].toLowerCase()} risk${score.scale === 2 ? ', SpO₂ skala 2' : ''}${score.singleParameterThree && score.risk === 'low-medium' ? '' : score.singleParameterThree ? ', minst ett värde ger 3 poäng' : ''}).`;
  const assessment = [
    `${vitalsText(input.vitals)}.`,
    scoreText,
    trendText(score?.total ?? null, input.previous),
    input.judgement.trim() ? `Min bedömning: ${sentence(input.judgement)}` : '',
  ]
    .filter(Boolean)
    .join(' ');

  return { situation, background, assessment, recommendation: recommendations[input.outcome] };
}

/** A fragment as a sentence: trimmed, ending with a full stop. */
function sentence(text: string): string {
  const t = text.trim();
  if (t === '') return '';
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
