/**
 * Section 'mobila-team': per team and municipality, the enrolled patients by target group and
 * days enrolled, the assessments and their outcome (stayed at home: no admission within 72 hours),
 * the escalations and the time from sending to the physician's answer (median and 90th
 * percentile), and the physician posts the enrolled patients need at the rates the region sets
 * (Region Skåne, uppföljning av handlingsplanen för läkarstöd i kommunal hemsjukvård, 2021), per
 * municipality and sub-region (delregion, the list the region loads); the surveys of patient
 * experience and team function are in mobila-team-surveys.ts.
 * Emergency visits are the imported visits of contact type `akutbesok`; admissions are hospital stays.
 */
import { targetGroupLabels, targetGroups, type TargetGroup } from '../../domain/enrolment.ts';
import type { Cell, Table } from '../../domain/followup-report.ts';
import {
  daysEnrolled,
  EXAMPLE_PHYSICIAN_RATES,
  percentile,
  physicianPosts,
  stayedHome,
  type PhysicianRates,
} from '../../domain/mobile-team-followup.ts';
import { subregionOf, type MunicipalitySubregion } from '../../domain/subregion.ts';
import { swedishDayOf } from '../../domain/swedish-time.ts';
import type {
  AcuteEventRow,
  AssessmentRow,
  EnrolmentRow,
  EscalationRow,
} from '../../store/mobile-team-followup-store.ts';
import { surveyTables, type SurveyRows } from './mobila-team-surveys.ts';
import type { SectionScope } from './scope.ts';

export interface MobileTeamRows {
  enrolments: readonly EnrolmentRow[];
  assessments: readonly AssessmentRow[];
  escalations: readonly EscalationRow[];
  acute: readonly AcuteEventRow[];
  /** The region's sub-regions (empty: none loaded). */
  subregions?: readonly MunicipalitySubregion[];
  surveys?: SurveyRows;
}

export interface Group {
  level: 'region' | 'delregion' | 'kommun' | 'team';
  id: string | null;
  name: string;
  /** The sub-region a municipality belongs to (with a list loaded). */
  subregion?: string;
  /** Unique within the groups; and the key of the group this one is part of (null: the region). */
  key: string;
  parent: string | null;
  has: (teamId: string | null) => boolean;
}

const NO_MUNICIPALITY = 'Utan kommun';
const NO_SUBREGION = 'Utan delregion';
const keyColumns = [
  { key: 'niva', label: 'Nivå', kind: 'text' as const },
  { key: 'id', label: 'Id', kind: 'text' as const },
  { key: 'namn', label: 'Namn', kind: 'text' as const },
];
const keysOf = (g: Group): Record<string, Cell> => ({ niva: g.level, id: g.id, namn: g.name });

/**
 * The region, each sub-region (when the region has loaded its list), each municipality and each
 * team of `teamRows` (the teams with enrolled patients in the period, or with survey answers).
 */
export function groupsOf(
  teamRows: readonly { teamId: string; teamName: string; municipality: string | null }[],
  subregions: readonly MunicipalitySubregion[] = [],
): Group[] {
  const teams = new Map<string, { name: string; municipality: string }>();
  for (const e of teamRows)
    teams.set(e.teamId, { name: e.teamName, municipality: e.municipality ?? NO_MUNICIPALITY });
  const municipalities = [...new Set([...teams.values()].map((t) => t.municipality))].sort();
  const subregion = subregionOf(subregions);
  const subregionOfTeam = (teamId: string | null) => {
    const m = teamId === null ? undefined : teams.get(teamId)?.municipality;
    return m === undefined ? null : (subregion(m) ?? NO_SUBREGION);
  };
  const subregionNames =
    subregions.length === 0
      ? []
      : [...new Set(municipalities.map((m) => subregion(m) ?? NO_SUBREGION))].sort((a, b) =>
          a.localeCompare(b, 'sv'),
        );
  return [
    { level: 'region', id: null, name: 'Regionen', key: 'region', parent: null, has: () => true },
    ...subregionNames.map((d): Group => ({
      level: 'delregion',
      id: null,
      name: d,
      key: `delregion:${d}`,
      parent: 'region',
      has: (teamId) => subregionOfTeam(teamId) === d,
    })),
    ...municipalities.map((m): Group => ({
      level: 'kommun',
      id: null,
      name: m,
      ...(subregions.length > 0 ? { subregion: subregion(m) ?? NO_SUBREGION } : {}),
      key: `kommun:${m}`,
      parent: subregions.length > 0 ? `delregion:${subregion(m) ?? NO_SUBREGION}` : 'region',
      has: (teamId) => teamId !== null && teams.get(teamId)?.municipality === m,
    })),
    ...[...teams]
      .sort((a, b) => a[1].name.localeCompare(b[1].name, 'sv'))
      .map(([id, t]): Group => ({
        level: 'team',
        id,
        name: t.name,
        key: `team:${id}`,
        parent: `kommun:${t.municipality}`,
        has: (teamId) => teamId === id,
      })),
  ];
}

const minutesBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 60_000;
const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

export function mobilaTeamTables(
  rows: MobileTeamRows,
  scope: SectionScope,
  rates: PhysicianRates = EXAMPLE_PHYSICIAN_RATES,
): Table[] {
  const { period, share } = scope;
  const groups = groupsOf(rows.enrolments, rows.subregions);
  const endOf = (e: EnrolmentRow) => {
    const ended = e.endedAt === null ? period.to : swedishDayOf(e.endedAt);
    return ended < period.to ? ended : period.to;
  };
  const startOf = (e: EnrolmentRow) => (e.start > period.from ? e.start : period.from);
  const openOnLastDay = (e: EnrolmentRow) => e.endedAt === null || swedishDayOf(e.endedAt) >= period.to;
  const acuteOf = new Map<string, AcuteEventRow[]>();
  for (const a of rows.acute) acuteOf.set(a.patientId, [...(acuteOf.get(a.patientId) ?? []), a]);
  /** The teams a patient was enrolled in on the Swedish day of `at`. */
  const teamsAt = (patientId: string, at: string): Set<string> => {
    const day = swedishDayOf(at);
    return new Set(
      rows.enrolments
        .filter(
          (e) =>
            e.patientId === patientId &&
            e.start <= day &&
            (e.endedAt === null || swedishDayOf(e.endedAt) >= day),
        )
        .map((e) => e.teamId),
    );
  };
  const inPeriod = (at: string) => swedishDayOf(at) >= period.from && swedishDayOf(at) <= period.to;

  const enrolled: Table = {
    id: 'mobila-team-inskrivna',
    section: 'mobila-team',
    title: `Inskrivna i mobilt team ${period.from} – ${period.to}`,
    note: 'Dagar inskriven räknas inom perioden, första och sista dagen medräknade.',
    columns: [
      ...keyColumns,
      ...targetGroups.flatMap((g) => [
        { key: `inskrivna_${g}`, label: `Inskrivna: ${targetGroupLabels[g]}`, kind: 'count' as const },
        { key: `dagar_${g}`, label: `Median dagar: ${targetGroupLabels[g]}`, kind: 'number' as const },
      ]),
    ],
    rows: groups.map((g) => {
      const mine = rows.enrolments.filter((e) => g.has(e.teamId));
      const cells: Record<string, Cell> = keysOf(g);
      for (const tg of targetGroups) {
        const of = mine.filter((e) => e.targetGroup === tg);
        cells[`inskrivna_${tg}`] = new Set(of.map((e) => e.patientId)).size;
        cells[`dagar_${tg}`] = percentile(
          of.map((e) => daysEnrolled(startOf(e), endOf(e))),
          0.5,
        );
      }
      return cells;
    }),
  };

  const care: Table = {
    id: 'mobila-team-bedomningar',
    section: 'mobila-team',
    title: `Bedömningar, SBAR och utfall ${period.from} – ${period.to}`,
    note: 'Svarstid: från skickad SBAR till läkarens beslut. Stannade hemma: varken akutbesök eller inläggning på sjukhus inom 72 timmar efter bedömningen. Akutbesök och inläggningar: bland inskrivna, under inskrivningen i teamet.',
    columns: [
      ...keyColumns,
      { key: 'bedomningar', label: 'Bedömningar', kind: 'count' },
      { key: 'sbar', label: 'SBAR till läkare', kind: 'count' },
      { key: 'besvarade', label: 'Besvarade', kind: 'count' },
      { key: 'svarstid_median', label: 'Svarstid, median (min)', kind: 'number' },
      { key: 'svarstid_p90', label: 'Svarstid, 90:e percentil (min)', kind: 'number' },
      { key: 'stannade_hemma', label: 'Stannade hemma 72 h', kind: 'share' },
      { key: 'akutbesok', label: 'Akutbesök', kind: 'count' },
      { key: 'inlaggningar', label: 'Inläggningar', kind: 'count' },
    ],
    rows: groups.map((g) => {
      const assessed = rows.assessments.filter((a) => g.has(a.teamId));
      const sent = rows.escalations.filter((e) => g.has(e.teamId));
      const answered = sent.filter((e) => e.decidedAt !== null);
      const times = answered.map((e) => minutesBetween(e.sentAt, e.decidedAt!));
      const home = share(
        assessed.filter((a) =>
          stayedHome(
            a.at,
            (acuteOf.get(a.patientId) ?? []).map((x) => x.at),
          ),
        ).length,
        assessed.length,
      );
      return {
        ...keysOf(g),
        bedomningar: assessed.length,
        sbar: sent.length,
        besvarade: answered.length,
        svarstid_median: round1(percentile(times, 0.5)),
        svarstid_p90: round1(percentile(times, 0.9)),
        stannade_hemma: home.share,
        ...Object.fromEntries(
          (['akutbesok', 'inlaggning'] as const).map((kind) => [
            kind === 'akutbesok' ? 'akutbesok' : 'inlaggningar',
            rows.acute.filter(
              (x) =>
                x.kind === kind && inPeriod(x.at) && [...teamsAt(x.patientId, x.at)].some((t) => g.has(t)),
            ).length,
          ]),
        ),
      };
    }),
  };

  const municipalities = groups.filter((g) => g.level !== 'team');
  const dimensioning: Table = {
    id: 'mobila-team-lakartjanster',
    section: 'mobila-team',
    title: `Läkartjänster som behövs för inskrivna ${period.to}`,
    note: `Tjänster = inskrivna × regionens takt per 100 inskrivna (${targetGroups
      .map((g) => `${targetGroupLabels[g]}: ${rates[g]}`)
      .join(', ')}). ${
      (rows.subregions ?? []).length > 0
        ? 'En delregion är summan av sina kommuner (regionens lista över delregioner).'
        : 'Regionen har inte laddat sin lista över delregioner: bara kommuner visas.'
    }`,
    columns: [
      ...keyColumns,
      { key: 'delregion', label: 'Delregion', kind: 'text' },
      { key: 'malgrupp', label: 'Målgrupp', kind: 'text' },
      { key: 'inskrivna', label: 'Inskrivna', kind: 'count' },
      // One decimal: a municipality's few patients need a fraction of a post, not 0.
      { key: 'takt', label: 'Tjänster per 100', kind: 'decimal' },
      { key: 'tjanster', label: 'Läkartjänster', kind: 'decimal' },
    ],
    rows: municipalities.flatMap((g) =>
      targetGroups.map((tg: TargetGroup) => {
        const n = new Set(
          rows.enrolments
            .filter((e) => g.has(e.teamId) && e.targetGroup === tg && openOnLastDay(e))
            .map((e) => e.patientId),
        ).size;
        return {
          ...keysOf(g),
          delregion: g.level === 'delregion' ? g.name : (g.subregion ?? null),
          malgrupp: targetGroupLabels[tg],
          inskrivna: n,
          takt: rates[tg],
          tjanster: physicianPosts(n, rates[tg]),
        };
      }),
    ),
  };
  return [enrolled, care, dimensioning, ...surveyTables(rows.surveys, period, rows.subregions)];
}
