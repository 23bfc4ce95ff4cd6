/**
 * Patient experience and team function in the section 'mobila-team' (Region Skåne's assignment
 * 15: "mjukare mått på patientupplevelse och teamfunktion", "Uppföljning av handlingsplan för
 * anpassning av modell för läkarstöd i kommunal hemsjukvård", 2021). For the region, each
 * sub-region, municipality and team with answers in the period: the filled-in forms per
 * respondent group, and per question the answers, the share at each step of the scale, the share
 * positive and the median. Fewer than SURVEY_MIN_RESPONSES answers are never shown.
 */
import type { Cell, Column, Table } from '../../domain/followup-report.ts';
import type { Period } from '../../domain/followup.ts';
import type { MunicipalitySubregion } from '../../domain/subregion.ts';
import {
  respondentLabels,
  respondentsOf,
  shownCount,
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

const SMALL_NUMBERS = `Färre än ${SURVEY_MIN_RESPONSES} svar visas inte.`;
const keyColumns: Column[] = [
  { key: 'niva', label: 'Nivå', kind: 'text' },
  { key: 'id', label: 'Id', kind: 'text' },
  { key: 'namn', label: 'Namn', kind: 'text' },
];
const keysOf = (g: Group): Record<string, Cell> => ({ niva: g.level, id: g.id, namn: g.name });
const versionKey = (id: string, version: number) => `${id}@${version}`;

/** The survey tables: the responses, and one table per survey version answered in the period. */
export function surveyTables(
  rows: SurveyRows | undefined,
  period: Period,
  subregions: readonly MunicipalitySubregion[] = [],
): Table[] {
  const definitions = new Map((rows?.definitions ?? []).map((d) => [versionKey(d.id, d.version), d]));
  const responses = rows?.responses ?? [];
  const counts = rows?.counts ?? [];
  const answered = [...definitions.values()].filter((d) =>
    responses.some((r) => r.surveyId === d.id && r.version === d.version),
  );
  const groups = groupsOf(responses, subregions);
  const responseTable: Table = {
    id: 'mobila-team-enkatsvar',
    section: 'mobila-team',
    title: `Enkätsvar om patientupplevelse och teamfunktion ${period.from} – ${period.to}`,
    note: `Antal ifyllda enkäter per svarande. ${SMALL_NUMBERS}`,
    columns: [
      ...keyColumns,
      { key: 'enkat', label: 'Enkät', kind: 'text' },
      { key: 'slag', label: 'Slag', kind: 'text' },
      ...Object.entries(respondentLabels).map(([key, label]): Column => ({
        key: `svar_${key}`,
        label,
        kind: 'count',
      })),
      { key: 'svar', label: 'Svar totalt', kind: 'count' },
    ],
    rows: answered.flatMap((d) =>
      groups.flatMap((g) => {
        const mine = responses.filter(
          (r) => r.surveyId === d.id && r.version === d.version && g.has(r.teamId),
        );
        if (mine.length === 0) return [];
        const cells: Record<string, Cell> = {
          ...keysOf(g),
          enkat: `${d.name} (version ${d.version})`,
          slag: surveyKindLabels[d.kind],
        };
        for (const key of Object.keys(respondentLabels)) {
          const n = mine.filter((r) => r.respondent === key).reduce((s, r) => s + r.responses, 0);
          cells[`svar_${key}`] = (respondentsOf[d.kind] as readonly string[]).includes(key)
            ? shownCount(n)
            : null;
        }
        cells.svar = shownCount(mine.reduce((s, r) => s + r.responses, 0));
        return [cells];
      }),
    ),
  };

  const questionTables = answered.map((d): Table => {
    const { scale } = d;
    const steps = d.scale.labels.map((label, i) => ({ value: scale.min + i, label }));
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
      rows: groups.flatMap((g) => {
        if (!responses.some((r) => r.surveyId === d.id && r.version === d.version && g.has(r.teamId)))
          return [];
        return d.questions.map((q) => {
          const tally = steps.map(() => 0);
          for (const c of counts)
            if (
              c.surveyId === d.id &&
              c.version === d.version &&
              c.questionId === q.id &&
              g.has(c.teamId) &&
              c.answer >= scale.min &&
              c.answer <= scale.max
            )
              tally[c.answer - scale.min]! += c.answers;
          const summary = summariseAnswers(tally, scale);
          return {
            ...keysOf(g),
            fraga_id: q.id,
            fraga: q.text,
            svar: summary.answers,
            ...Object.fromEntries(steps.map((s, i) => [`andel_${s.value}`, summary.shares[i] ?? null])),
            andel_positiva: summary.positive,
            median: summary.median,
          };
        });
      }),
    };
  });
  return [responseTable, ...questionTables];
}
