/**
 * Patient experience and team function in the section 'mobila-team' (Region Skåne's assignment
 * 15: "mjukare mått på patientupplevelse och teamfunktion", "Uppföljning av handlingsplan för
 * anpassning av modell för läkarstöd i kommunal hemsjukvård", 2021). For the region, each
 * sub-region, municipality and team with answers in the period: the filled-in forms, and per
 * question the answers, the share at each step of the scale, the share positive and the median.
 * Fewer than SURVEY_MIN_RESPONSES are never shown, nor a figure that would give such a count away
 * by subtraction from the level above (domain/survey.ts#hiddenCounts).
 */
import type { Cell, Column, Table } from '../../domain/followup-report.ts';
import type { Period } from '../../domain/followup.ts';
import type { MunicipalitySubregion } from '../../domain/subregion.ts';
import {
  hiddenCounts,
  respondentLabels,
  summariseAnswers,
  SURVEY_MIN_RESPONSES,
  surveyKindLabels,
  type SurveyDefinition,
} from '../../domain/survey.ts';
import type { SurveyCountRow, SurveyResponseRow } from '../../store/mobile-team-followup-store.ts';
import { groupsOf, type Group } from './mobila-team.ts';

export interface SurveyRows {
  definitions: readonly SurveyDefinition[];
  counts: readonly SurveyCountRow[];
  responses: readonly SurveyResponseRow[];
}

const SMALL_NUMBERS = `Färre än ${SURVEY_MIN_RESPONSES} svar visas inte, inte heller ett tal som skulle avslöja dem (nivån ovanför minus de som visas).`;
const keyColumns: Column[] = [
  { key: 'niva', label: 'Nivå', kind: 'text' },
  { key: 'id', label: 'Id', kind: 'text' },
  { key: 'namn', label: 'Namn', kind: 'text' },
];
const keysOf = (g: Group): Record<string, Cell> => ({ niva: g.level, id: g.id, namn: g.name });

/** The survey tables: the forms filled in, and one table per survey version answered in the period. */
export function surveyTables(
  rows: SurveyRows | undefined,
  period: Period,
  subregions: readonly MunicipalitySubregion[] = [],
): Table[] {
  const responses = rows?.responses ?? [];
  const counts = rows?.counts ?? [];
  const answered = (rows?.definitions ?? []).filter((d) =>
    responses.some((r) => r.surveyId === d.id && r.version === d.version),
  );
  const groups = groupsOf(responses, subregions);
  const of = (d: SurveyDefinition) => (r: { surveyId: string; version: number }) =>
    r.surveyId === d.id && r.version === d.version;

  const responseTable: Table = {
    id: 'mobila-team-enkatsvar',
    section: 'mobila-team',
    title: `Enkätsvar om patientupplevelse och teamfunktion ${period.from} – ${period.to}`,
    note: `Antal ifyllda enkäter. ${SMALL_NUMBERS}`,
    columns: [
      ...keyColumns,
      { key: 'enkat', label: 'Enkät', kind: 'text' },
      { key: 'slag', label: 'Slag', kind: 'text' },
      { key: 'svarande', label: 'Svarande', kind: 'text' },
      { key: 'enkater', label: 'Ifyllda enkäter', kind: 'count' },
    ],
    rows: answered.flatMap((d) => {
      const mine = responses.filter(of(d));
      const total = (g: Group) => mine.filter((r) => g.has(r.teamId)).reduce((s, r) => s + r.responses, 0);
      const present = groups.filter((g) => total(g) > 0);
      const hidden = hiddenCounts(present.map((g) => ({ key: g.key, parent: g.parent, n: total(g) })));
      // Who answered is said only beside a count that is shown: "närstående" beside 2 forms would tell.
      return present.map((g) => ({
        ...keysOf(g),
        enkat: `${d.name} (version ${d.version})`,
        slag: surveyKindLabels[d.kind],
        svarande: hidden.has(g.key)
          ? null
          : Object.entries(respondentLabels)
              .filter(([key]) => mine.some((r) => r.respondent === key && g.has(r.teamId)))
              .map(([, label]) => label.toLowerCase())
              .join(', '),
        enkater: hidden.has(g.key) ? null : total(g),
      }));
    }),
  };

  const questionTables = answered.map((d): Table => {
    const { scale } = d;
    const steps = scale.labels.map((label, i) => ({ value: scale.min + i, label }));
    const present = groups.filter((g) => responses.some((r) => of(d)(r) && g.has(r.teamId)));
    const tallies = new Map<string, number[]>();
    const tallyOf = (g: Group, questionId: string): number[] => {
      const key = `${g.key}|${questionId}`;
      let tally = tallies.get(key);
      if (!tally) {
        tally = steps.map(() => 0);
        for (const c of counts)
          if (
            of(d)(c) &&
            c.questionId === questionId &&
            g.has(c.teamId) &&
            c.answer >= scale.min &&
            c.answer <= scale.max
          )
            tally[c.answer - scale.min]! += c.answers;
        tallies.set(key, tally);
      }
      return tally;
    };
    const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
    const hiddenByQuestion = new Map(
      d.questions.map((q) => [
        q.id,
        hiddenCounts(present.map((g) => ({ key: g.key, parent: g.parent, n: sum(tallyOf(g, q.id)) }))),
      ]),
    );
    return {
      id: `mobila-team-enkat-${d.id}-v${d.version}`,
      section: 'mobila-team',
      title: `${d.name} (version ${d.version}), ${surveyKindLabels[d.kind].toLowerCase()}: svar per fråga ${period.from} – ${period.to}`,
      note: `Skala ${scale.min}–${scale.max}; positiva svar: ${scale.positiveFrom} och högre (${scale.labels
        .slice(scale.positiveFrom - scale.min)
        .join(
          ', ',
        )}). Median: mittersta svaret (medelvärdet av de två mittersta vid jämnt antal). ${SMALL_NUMBERS}`,
      columns: [
        ...keyColumns,
        { key: 'fraga_id', label: 'Fråge-id', kind: 'text' },
        { key: 'fraga', label: 'Fråga', kind: 'text' },
        { key: 'svar', label: 'Svar', kind: 'count' },
        ...steps.map((s): Column => ({
          key: `andel_${s.value}`,
          label: `${s.value} ${s.label}`,
          kind: 'share',
        })),
        { key: 'andel_positiva', label: 'Andel positiva', kind: 'share' },
        { key: 'median', label: 'Median', kind: 'number' },
      ],
      rows: present.flatMap((g) =>
        d.questions.map((q) => {
          const tally = tallyOf(g, q.id);
          // A count hidden by the rule shows nothing; otherwise the summary's own rule (≥ 5) applies.
          const summary = summariseAnswers(
            hiddenByQuestion.get(q.id)!.has(g.key) ? tally.map(() => 0) : tally,
            scale,
          );
          return {
            ...keysOf(g),
            fraga_id: q.id,
            fraga: q.text,
            svar: summary.answers,
            ...Object.fromEntries(steps.map((s, i) => [`andel_${s.value}`, summary.shares[i] ?? null])),
            andel_positiva: summary.positive,
            median: summary.median,
          };
        }),
      ),
    };
  });
  return [responseTable, ...questionTables];
}
