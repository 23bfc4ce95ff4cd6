/**
 * The import format of survey answers (docs/imports.md, kind `surveys`): one row per answer to
 * one question, grouped into a response by `svar_id`, the survey tool's own number for one filled-in
 * form. Answers are anonymous aggregates: a row never names a person, and a row that carries
 * something that reads as a personnummer, samordningsnummer or reservnummer, in any field, is
 * refused. Whether the survey, its version, the question and the step on its scale exist is
 * checked against the loaded definition in SQL (store/survey-import-store.ts).
 */
import { Fields, unknownFields, type Checked } from './import-formats.ts';
import { parsePatientId } from './personnummer.ts';
import {
  ANONYMOUS_MESSAGE,
  personalColumns,
  respondentGroups,
  SURVEY_KEY_PATTERN,
  type RespondentGroup,
} from './survey.ts';
import { swedishToday } from './swedish-time.ts';

/** One answer, checked and normalised. */
export interface SurveyRecord {
  line: number;
  surveyId: string;
  version: number;
  responseId: string;
  teamId: string;
  respondent: RespondentGroup;
  /** YYYY-MM-DD: the day the form was filled in. */
  answeredOn: string;
  questionId: string;
  answer: number;
}

const RESPONSE_ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A date of birth (6 or 8 digits) and four digits, or PK and ten: what a person's number looks like. */
const PERSON_NUMBER_RE = /(?:\d{8}|\d{6})[-+]?\d{4}|PK\d{10}/gi;

/** Whether `value` holds something that parses as a personnummer, samordningsnummer or reservnummer. */
export function carriesPersonNumber(value: string, now: Date): boolean {
  for (const match of value.matchAll(PERSON_NUMBER_RE)) if (parsePatientId(match[0], now).ok) return true;
  return false;
}

/** Checks one survey answer. `checkFields` reports unknown fields (NDJSON). */
export function checkSurvey(
  record: Record<string, unknown>,
  line: number,
  now: Date,
  checkFields = false,
): Checked<SurveyRecord> {
  const f = new Fields(record, line);
  for (const [field, raw] of Object.entries(record)) {
    if (personalColumns.includes(field.trim().toLowerCase())) f.fail(field, ANONYMOUS_MESSAGE);
    else if ((typeof raw === 'string' || typeof raw === 'number') && carriesPersonNumber(String(raw), now))
      f.fail(field, ANONYMOUS_MESSAGE);
  }
  if (f.errors.length > 0) return { ok: false, errors: f.errors };
  if (checkFields) unknownFields('surveys', record, f);
  const key = (field: string): string | null => {
    const value = f.text(field, true);
    if (value === null) return null;
    return SURVEY_KEY_PATTERN.test(value)
      ? value
      : f.fail(field, 'Ska vara 2–60 tecken: små bokstäver a–z, siffror och bindestreck.');
  };
  const whole = (field: string, min: number, max: number): number | null => {
    const value = f.text(field, true);
    if (value === null) return null;
    const n = Number(value);
    return /^-?\d{1,6}$/.test(value) && n >= min && n <= max
      ? n
      : f.fail(field, `Ska vara ett heltal ${min}–${max}.`);
  };
  const surveyId = key('enkat');
  const version = whole('version', 1, 10_000);
  const responseIdText = f.text('svar_id', true);
  const responseId =
    responseIdText === null || RESPONSE_ID_RE.test(responseIdText)
      ? responseIdText
      : f.fail(
          'svar_id',
          'Ska vara enkätverktygets nummer för svaret: 1–64 tecken, bokstäver, siffror och _ . : -.',
        );
  const teamText = f.text('team', true);
  const teamId =
    teamText === null || UUID_RE.test(teamText)
      ? (teamText?.toLowerCase() ?? null)
      : f.fail('team', 'Ska vara teamets id (som i uppföljningen och på teamets sida).');
  const respondent = f.text('svarande', true);
  if (respondent !== null && !(respondentGroups as readonly string[]).includes(respondent))
    f.fail('svarande', `Ska vara en av ${respondentGroups.join(', ')}.`);
  const answeredOn = f.date('datum', true);
  if (answeredOn !== null && answeredOn > swedishToday(now)) f.fail('datum', 'Datumet ligger i framtiden.');
  const questionId = key('fraga');
  const answer = whole('svar', 0, 100);
  if (f.errors.length > 0) return { ok: false, errors: f.errors };
  return {
    ok: true,
    row: {
      line,
      surveyId: surveyId!,
      version: version!,
      responseId: responseId!,
      teamId: teamId!,
      respondent: respondent as RespondentGroup,
      answeredOn: answeredOn!,
      questionId: questionId!,
      answer: answer!,
    },
  };
}
