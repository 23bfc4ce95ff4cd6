/**
 * Patient experience and team function of the mobile care teams, measured by surveys: Region
 * Skåne's follow-up model shall hold "såväl produktionsdata som mjukare mått på patientupplevelse
 * och teamfunktion" (assignment 15), and the patient's experience of the "teamkvaliteten" the
 * region and the municipality deliver together shall be evaluated (proposal d to assignments 3–5)
 * — "Uppföljning av handlingsplan för anpassning av modell för läkarstöd i kommunal
 * hemsjukvård", Region Skåne, 2021. The document names no questionnaire: the region loads its
 * own as a versioned definition (questions and the answer scale), and imports the answers as
 * anonymous rows (docs/imports.md). Pure: the counts come from the store.
 */

/** Patient experience (patients and their närstående) or team function (the staff of region and municipality). */
export const surveyKinds = ['patientupplevelse', 'teamfunktion'] as const;
export type SurveyKind = (typeof surveyKinds)[number];

export const respondentGroups = ['patient', 'narstaende', 'personal-region', 'personal-kommun'] as const;
export type RespondentGroup = (typeof respondentGroups)[number];

/** Who answers each kind of survey. */
export const respondentsOf: Record<SurveyKind, readonly RespondentGroup[]> = {
  patientupplevelse: ['patient', 'narstaende'],
  teamfunktion: ['personal-region', 'personal-kommun'],
};

export const surveyKindLabels: Record<SurveyKind, string> = {
  patientupplevelse: 'Patientupplevelse',
  teamfunktion: 'Teamfunktion',
};

export const respondentLabels: Record<RespondentGroup, string> = {
  patient: 'Patienter',
  narstaende: 'Närstående',
  'personal-region': 'Personal, region',
  'personal-kommun': 'Personal, kommun',
};

/**
 * Fewer responses than this are never shown, neither as a count nor as a share or median: a
 * team's few patients or its four nurses would otherwise be recognisable in their answers.
 */
export const SURVEY_MIN_RESPONSES = 5;

/** An ordinal scale of whole numbers `min`…`max`, a label per step; `positiveFrom` and above count as positive. */
export interface SurveyScale {
  min: number;
  max: number;
  labels: string[];
  positiveFrom: number;
}

export interface SurveyQuestion {
  id: string;
  text: string;
}

/** One version of a survey as the region loaded it; a version once loaded never changes. */
export interface SurveyDefinition {
  id: string;
  version: number;
  kind: SurveyKind;
  name: string;
  scale: SurveyScale;
  questions: SurveyQuestion[];
}

/** The message for a value or column that names a person. */
export const ANONYMOUS_MESSAGE =
  'Enkätsvar är anonyma: ett personnummer, samordningsnummer eller reservnummer får inte finnas i filen.';

/** Column names that would carry who answered: the whole file is refused (checkHeader). */
export const personalColumns = ['personnummer', 'samordningsnummer', 'reservnummer', 'pnr', 'patient_id'];

/** Survey ids and question ids: keys in the database and in every imported row. */
export const SURVEY_KEY_PATTERN = /^[a-z0-9-]{2,60}$/;
const MAX_QUESTIONS = 60;
const MAX_STEPS = 11;
const MAX_TEXT = 300;

type Problem = { path: string; message: string };
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max = MAX_TEXT): v is string =>
  typeof v === 'string' && v.trim() !== '' && v.length <= max;

/**
 * Checks a survey definition as the region writes it (JSON) and returns it, or every problem
 * with its path, in Swedish. The scale is 2–11 whole-number steps with a label each.
 */
export function parseSurveyDefinition(
  input: unknown,
): { ok: true; definition: SurveyDefinition } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const fail = (path: string, message: string) => void problems.push({ path, message });
  if (!isRecord(input))
    return { ok: false, problems: [{ path: '', message: 'Definitionen ska vara ett objekt.' }] };
  const allowed = ['id', 'version', 'kind', 'name', 'scale', 'questions'];
  for (const key of Object.keys(input))
    if (!allowed.includes(key)) fail(`/${key.slice(0, 60)}`, `Okänt fält. Tillåtna: ${allowed.join(', ')}.`);
  const { id, version, kind, name, scale, questions } = input;
  if (typeof id !== 'string' || !SURVEY_KEY_PATTERN.test(id))
    fail('/id', 'Id:t ska vara 2–60 tecken: små bokstäver a–z, siffror och bindestreck.');
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > 10_000)
    fail('/version', 'Versionen ska vara ett heltal, 1 eller högre.');
  if (typeof kind !== 'string' || !(surveyKinds as readonly string[]).includes(kind))
    fail('/kind', `Ska vara en av ${surveyKinds.join(', ')}.`);
  if (!isText(name, 200)) fail('/name', 'Ange ett namn (högst 200 tecken).');

  if (!isRecord(scale)) fail('/scale', 'Skalan saknas: min, max, labels och positiveFrom.');
  else {
    const { min, max, labels, positiveFrom } = scale;
    const whole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
    if (!whole(min) || min < 0) fail('/scale/min', 'Ska vara ett heltal, 0 eller högre.');
    if (!whole(max)) fail('/scale/max', 'Ska vara ett heltal.');
    if (whole(min) && whole(max)) {
      const steps = max - min + 1;
      if (steps < 2 || steps > MAX_STEPS) fail('/scale/max', `Skalan ska ha 2–${MAX_STEPS} steg.`);
      else if (!Array.isArray(labels) || labels.length !== steps)
        fail('/scale/labels', `Ange en etikett för vart och ett av de ${steps} stegen, lägst först.`);
      else
        labels.forEach(
          (l, i) => isText(l, 80) || fail(`/scale/labels/${i}`, 'Ange en etikett (högst 80 tecken).'),
        );
      if (!whole(positiveFrom) || positiveFrom <= min || positiveFrom > max)
        fail(
          '/scale/positiveFrom',
          `Ska vara ett steg över det lägsta, ${min + 1}–${max}: svar från det och uppåt räknas som positiva.`,
        );
    }
    for (const key of Object.keys(scale))
      if (!['min', 'max', 'labels', 'positiveFrom'].includes(key))
        fail(`/scale/${key.slice(0, 60)}`, 'Okänt fält.');
  }

  if (!Array.isArray(questions) || questions.length === 0 || questions.length > MAX_QUESTIONS)
    fail('/questions', `Ange 1–${MAX_QUESTIONS} frågor.`);
  else {
    const seen = new Set<string>();
    questions.forEach((q: unknown, i) => {
      if (!isRecord(q)) return fail(`/questions/${i}`, 'Frågan ska vara ett objekt med id och text.');
      if (typeof q.id !== 'string' || !SURVEY_KEY_PATTERN.test(q.id))
        fail(`/questions/${i}/id`, 'Id:t ska vara 2–60 tecken: små bokstäver a–z, siffror och bindestreck.');
      else if (seen.has(q.id)) fail(`/questions/${i}/id`, `Frågan ${q.id} finns två gånger.`);
      else seen.add(q.id);
      if (!isText(q.text)) fail(`/questions/${i}/text`, `Ange frågans text (högst ${MAX_TEXT} tecken).`);
      for (const key of Object.keys(q))
        if (key !== 'id' && key !== 'text') fail(`/questions/${i}/${key.slice(0, 60)}`, 'Okänt fält.');
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  const s = scale as Record<string, unknown>;
  return {
    ok: true,
    definition: {
      id: id as string,
      version: version as number,
      kind: kind as SurveyKind,
      name: (name as string).trim(),
      scale: {
        min: s.min as number,
        max: s.max as number,
        labels: (s.labels as string[]).map((l) => l.trim()),
        positiveFrom: s.positiveFrom as number,
      },
      questions: (questions as { id: string; text: string }[]).map((q) => ({
        id: q.id,
        text: q.text.trim(),
      })),
    },
  };
}

/** How many answered each step of the scale (index 0 is `scale.min`). */
export type StepCounts = readonly number[];

export interface AnswerSummary {
  /** Answers to the question; null when fewer than SURVEY_MIN_RESPONSES (then everything is null). */
  answers: number | null;
  /** The share of the answers at each step, 0–1. */
  shares: (number | null)[];
  /** The share at `positiveFrom` or above. */
  positive: number | null;
  /** The median step (the mean of the two middle answers when their number is even). */
  median: number | null;
}

/**
 * Summarises the answers to one question: their number, the share at each step, the share
 * positive and the median. Fewer than `minResponses` answers show nothing at all.
 */
export function summariseAnswers(
  counts: StepCounts,
  scale: SurveyScale,
  minResponses = SURVEY_MIN_RESPONSES,
): AnswerSummary {
  const n = counts.reduce((s, c) => s + c, 0);
  if (n < minResponses)
    return { answers: null, shares: counts.map(() => null), positive: null, median: null };
  const positive = counts.reduce((s, c, i) => (scale.min + i >= scale.positiveFrom ? s + c : s), 0);
  return {
    answers: n,
    shares: counts.map((c) => round3(c / n)),
    positive: round3(positive / n),
    median: medianOfCounts(counts, scale.min),
  };
}

/** The median of answers given as counts per step, `min` the first step; null for none. */
export function medianOfCounts(counts: StepCounts, min: number): number | null {
  const n = counts.reduce((s, c) => s + c, 0);
  if (n === 0) return null;
  const at = (rank: number): number => {
    let seen = 0;
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i]!;
      if (seen >= rank) return min + i;
    }
    return min + counts.length - 1;
  };
  return n % 2 === 1 ? at((n + 1) / 2) : (at(n / 2) + at(n / 2 + 1)) / 2;
}

/** A count of responses, or null below the small-number rule. */
export function shownCount(n: number, minResponses = SURVEY_MIN_RESPONSES): number | null {
  return n >= minResponses ? n : null;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** A figure in a hierarchy (team → municipality → sub-region → region): its key, its parent's, its count. */
export interface CountNode {
  key: string;
  parent: string | null;
  n: number;
}

/**
 * The keys whose figures must not be shown: every count from 1 to `minResponses` − 1, and
 * (complementary suppression) as many more as it takes that no parent, less the children it shows,
 * gives away a hidden count below `minResponses`: while the hidden children of a parent add up to
 * fewer than that, the smallest child still shown is hidden too. A count of 0 is no one's answer
 * and stays shown.
 */
export function hiddenCounts(nodes: readonly CountNode[], minResponses = SURVEY_MIN_RESPONSES): Set<string> {
  const hidden = new Set(nodes.filter((x) => x.n > 0 && x.n < minResponses).map((x) => x.key));
  const parents = [...new Set(nodes.map((x) => x.parent).filter((p): p is string => p !== null))];
  for (let changed = true; changed;) {
    changed = false;
    for (const parent of parents) {
      const children = nodes.filter((x) => x.parent === parent && x.n > 0);
      const residual = children.filter((x) => hidden.has(x.key)).reduce((sum, x) => sum + x.n, 0);
      if (residual === 0 || residual >= minResponses) continue;
      const next = children.filter((x) => !hidden.has(x.key)).sort((a, b) => a.n - b.n)[0];
      if (next) {
        hidden.add(next.key);
        changed = true;
      } else if (!hidden.has(parent)) {
        hidden.add(parent);
        changed = true;
      }
    }
  }
  return hidden;
}

/**
 * Example definitions for the demo and as a starting point: the product's own wording, not the
 * region's (the Skåne document names no questionnaire). A region loads its own under its own id.
 */
export const EXAMPLE_SURVEYS: readonly SurveyDefinition[] = [
  {
    id: 'exempel-patientupplevelse',
    version: 1,
    kind: 'patientupplevelse',
    name: 'Exempel: upplevelse av det mobila teamet',
    scale: {
      min: 1,
      max: 5,
      labels: ['Inte alls', 'I liten grad', 'Delvis', 'I stor grad', 'Helt och hållet'],
      positiveFrom: 4,
    },
    questions: [
      { id: 'trygghet', text: 'Känner du dig trygg med vården du får hemma?' },
      { id: 'na-teamet', text: 'Får du tag på teamet när du behöver, dygnet runt?' },
      { id: 'samordning', text: 'Upplever du att region och kommun arbetar som ett team kring dig?' },
      { id: 'delaktighet', text: 'Är du delaktig i planeringen av din vård?' },
    ],
  },
  {
    id: 'exempel-teamfunktion',
    version: 1,
    kind: 'teamfunktion',
    name: 'Exempel: hur teamet fungerar',
    scale: {
      min: 1,
      max: 5,
      labels: ['Stämmer inte alls', 'Stämmer dåligt', 'Stämmer delvis', 'Stämmer ganska bra', 'Stämmer helt'],
      positiveFrom: 4,
    },
    questions: [
      { id: 'nar-lakaren', text: 'Jag når teamets läkare omgående vid en akut försämring.' },
      { id: 'gemensam-bild', text: 'Region och kommun har en gemensam bild av patientens plan.' },
      { id: 'roller', text: 'Det är tydligt vem i teamet som gör vad.' },
    ],
  },
];
