/**
 * Puts the follow-up figures together: counts per unit from src/store/followup-store.ts, summed
 * to care providers and the region, turned into shares, means, spreads and distances to targets
 * with the pure rules in src/domain/. The result is a list of tables, the same for the JSON API,
 * the CSV download, the printable page and `npm run report` (src/services/followup-render.ts).
 */
import {
  defaultContinuitySettings,
  indexNames,
  meanIndices,
  type ContinuitySettings,
  type TallyGroup,
} from '../domain/continuity.ts';
import {
  againstTarget,
  careGroups,
  changeFrom,
  continuityTarget,
  countOf,
  DEFAULT_MIN_CELL,
  diagnosisGroups,
  gpsNeeded,
  monthsOf,
  shareOf,
  spreadOf,
  targets,
  windowEnding,
  addDays,
  type Period,
} from '../domain/followup.ts';
import type { ContinuityRow, FollowupStore, UnitInfo } from '../store/followup-store.ts';
import {
  sections,
  type Cell,
  type Column,
  type FollowupReport,
  type Section,
  type Table,
} from '../domain/followup-report.ts';

export interface FollowupOptions {
  period: Period;
  /** The continuity baseline: the window ending on this day (default: the day before the period). */
  baseline?: string;
  settings?: ContinuitySettings;
  /** Aggregates over fewer patients are suppressed. */
  minCell?: number;
  /** Narrow the per-unit rows: one unit, or one care provider's units. */
  unitId?: string;
  providerId?: string;
  /** Which sections to compute; all by default. */
  sections?: readonly Section[];
  /** Monthly trend tables. Default true. */
  trend?: boolean;
}

type Level = 'region' | 'vardgivare' | 'enhet';
interface Entity {
  level: Level;
  id: string | null;
  name: string;
  units: ReadonlySet<string> | null;
}

const keyColumns: Column[] = [
  { key: 'niva', label: 'Nivå', kind: 'text' },
  { key: 'id', label: 'HSA-id', kind: 'text' },
  { key: 'namn', label: 'Namn', kind: 'text' },
];

const sum = <T>(rows: readonly T[], pick: (r: T) => number): number => rows.reduce((s, r) => s + pick(r), 0);

/** The region, the providers and the units a table has rows for, given the filter. */
function entitiesOf(
  units: readonly UnitInfo[],
  kinds: readonly string[],
  options: FollowupOptions,
): Entity[] {
  const inFilter = units.filter(
    (u) =>
      kinds.includes(u.kind) &&
      (options.unitId === undefined || u.id === options.unitId) &&
      (options.providerId === undefined || u.providerId === options.providerId),
  );
  const providers = new Map<string, { name: string; units: Set<string> }>();
  for (const u of units.filter((x) => kinds.includes(x.kind))) {
    if (!inFilter.some((f) => f.providerId === u.providerId)) continue;
    const p = providers.get(u.providerId) ?? { name: u.providerName, units: new Set<string>() };
    p.units.add(u.id);
    providers.set(u.providerId, p);
  }
  return [
    { level: 'region', id: null, name: 'Regionen', units: null },
    ...[...providers].map(([id, p]): Entity => ({ level: 'vardgivare', id, name: p.name, units: p.units })),
    ...inFilter.map((u): Entity => ({ level: 'enhet', id: u.id, name: u.name, units: new Set([u.id]) })),
  ];
}

/** The entity a trend follows: the unit or provider filtered on, else the region. */
function focusOf(entities: readonly Entity[], options: FollowupOptions): Entity {
  const level: Level = options.unitId ? 'enhet' : options.providerId ? 'vardgivare' : 'region';
  return entities.find((e) => e.level === level) ?? entities[0]!;
}

const keysOf = (e: Entity): Record<string, Cell> => ({ niva: e.level, id: e.id, namn: e.name });
const inEntity = (e: Entity, unitId: string | null): boolean =>
  e.units === null ? true : unitId !== null && e.units.has(unitId);

/** Builds the follow-up report (all sections, or the ones asked for). */
export async function buildFollowupReport(
  store: FollowupStore,
  options: FollowupOptions,
): Promise<FollowupReport> {
  const settings = options.settings ?? defaultContinuitySettings;
  const minCell = options.minCell ?? DEFAULT_MIN_CELL;
  const wanted = new Set(options.sections ?? sections);
  const trend = options.trend ?? true;
  const { period } = options;
  const baseline = options.baseline ?? addDays(period.from, -1);
  const monthEnds = trend ? monthsOf(period).map((m) => m.to) : [];
  const days = [...new Set([period.to, ...monthEnds])];
  const window = windowEnding(period.to, settings.windowMonths);
  const baseWindow = windowEnding(baseline, settings.windowMonths);
  // Every section's query starts at once: they are independent scans, and on PostgreSQL each
  // runs on a connection of its own (one after the other they would use one core of several).
  const when = <T>(section: Section, fetch: () => Promise<T>): Promise<T> | undefined => {
    if (!wanted.has(section)) return undefined;
    const pending = fetch();
    pending.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
    return pending;
  };
  const fetched = {
    listings: when('fast-lakarkontakt', () => store.listings(days)),
    residents: when('sabo', () => store.residents([period.to])),
    continuity: when('kontinuitet', () => store.continuityWindows([window, baseWindow], settings)),
    guarantee: when('vardgaranti', () => store.guarantee(period, targets.assessmentDays)),
    contracts: when('kontrakt', () => store.contracts(days)),
    newContracts: when('kontrakt', () => store.newContracts(period)),
    answers: when('fragor', () => store.answers(period)),
  };
  const units = await store.units();
  const tables: Table[] = [];
  const share = (n: number, d: number) => shareOf(n, d, minCell);

  if (wanted.has('fast-lakarkontakt')) {
    const rows = (await fetched.listings)!;
    const entities = entitiesOf(units, ['vardcentral'], options);
    const atEnd = rows.filter((r) => r.day === period.to);
    const physiciansOf = (e: Entity): number =>
      sum(
        units.filter((u) => u.kind === 'vardcentral' && inEntity(e, u.id)),
        (u) => u.physicians,
      );
    tables.push({
      id: 'fast-lakarkontakt',
      section: 'fast-lakarkontakt',
      title: `Fast läkarkontakt bland listade invånare ${period.to}`,
      note: `Mål: minst ${Math.round(targets.fastLakarkontaktListed * 100)} % med namngiven fast läkarkontakt; en fast läkarkontakt per ${targets.listedPerGp.toLocaleString('sv-SE')} listade (Region Östergötland, handlingsplan Patientkontrakt 2021).`,
      columns: [
        ...keyColumns,
        { key: 'listade', label: 'Listade', kind: 'count' },
        { key: 'med_fast_lakarkontakt', label: 'Med fast läkarkontakt', kind: 'count' },
        { key: 'andel', label: 'Andel', kind: 'share' },
        { key: 'mal', label: 'Mål', kind: 'share' },
        { key: 'avstand', label: 'Kvar till målet', kind: 'share' },
        { key: 'namngivna_lakare', label: 'Namngivna läkare', kind: 'count' },
        { key: 'lakare', label: 'Läkare i dag', kind: 'count' },
        { key: 'lakare_behov', label: `Läkare som behövs (1/${targets.listedPerGp})`, kind: 'count' },
        { key: 'listade_per_lakare', label: 'Listade per läkare i dag', kind: 'number' },
      ],
      rows: entities.map((e) => {
        const mine = atEnd.filter((r) => inEntity(e, r.unitId));
        const listed = sum(mine, (r) => r.listed);
        const s = share(
          sum(mine, (r) => r.withGp),
          listed,
        );
        const t = againstTarget(s.share, targets.fastLakarkontaktListed);
        const physicians = physiciansOf(e);
        return {
          ...keysOf(e),
          listade: countOf(listed, minCell),
          med_fast_lakarkontakt: s.numerator,
          andel: s.share,
          mal: t.target,
          avstand: t.distance,
          namngivna_lakare: e.level === 'enhet' ? sum(mine, (r) => r.namedGps) : null,
          lakare: physicians,
          lakare_behov: gpsNeeded(listed),
          listade_per_lakare: physicians > 0 ? Math.round(listed / physicians) : null,
        };
      }),
    });
    if (trend) {
      const focus = focusOf(entities, options);
      tables.push(
        trendTable(
          'fast-lakarkontakt-trend',
          'fast-lakarkontakt',
          `Fast läkarkontakt per månad (${focus.name})`,
          monthEnds,
          (day) => {
            const mine = rows.filter((r) => r.day === day && inEntity(focus, r.unitId));
            return share(
              sum(mine, (r) => r.withGp),
              sum(mine, (r) => r.listed),
            ).share;
          },
        ),
      );
    }
  }

  if (wanted.has('sabo')) {
    const rows = (await fetched.residents)!.filter((r) => r.day === period.to);
    const table = (kind: 'sabo' | 'hemsjukvard', title: string, target: number | null): Table => {
      const entities = entitiesOf(units, [kind], options);
      return {
        id: kind,
        section: 'sabo',
        title,
        ...(target === null
          ? {}
          : {
              note: `Mål: minst ${Math.round(target * 100)} % med fast läkarkontakt (Region Östergötland, handlingsplan Patientkontrakt 2021).`,
            }),
        columns: [
          ...keyColumns,
          { key: 'boende', label: kind === 'sabo' ? 'Boende' : 'Inskrivna', kind: 'count' },
          { key: 'med_fast_lakarkontakt', label: 'Med fast läkarkontakt', kind: 'count' },
          { key: 'andel', label: 'Andel', kind: 'share' },
          ...(target === null
            ? []
            : [
                { key: 'mal', label: 'Mål', kind: 'share' } as Column,
                { key: 'avstand', label: 'Kvar till målet', kind: 'share' } as Column,
              ]),
        ],
        rows: entities.map((e) => {
          const mine = rows.filter((r) => r.kind === kind && inEntity(e, r.unitId));
          const s = share(
            sum(mine, (r) => r.withGp),
            sum(mine, (r) => r.residents),
          );
          const t = target === null ? null : againstTarget(s.share, target);
          return {
            ...keysOf(e),
            boende: s.denominator,
            med_fast_lakarkontakt: s.numerator,
            andel: s.share,
            ...(t ? { mal: t.target, avstand: t.distance } : {}),
          };
        }),
      };
    };
    tables.push(
      table('sabo', `Boende på SÄBO med fast läkarkontakt ${period.to}`, targets.fastLakarkontaktSabo),
    );
    tables.push(table('hemsjukvard', `Inskrivna i hemsjukvård med fast läkarkontakt ${period.to}`, null));
  }

  if (wanted.has('kontinuitet'))
    tables.push(
      ...continuityTables(
        (await fetched.continuity)!,
        { window, baseline },
        units,
        options,
        settings,
        minCell,
      ),
    );

  if (wanted.has('vardgaranti')) {
    const rows = (await fetched.guarantee)!;
    const entities = entitiesOf(units, [...new Set(units.map((u) => u.kind))], options).filter(
      (e) => e.level === 'region' || rows.some((r) => inEntity(e, r.unitId)),
    );
    tables.push({
      id: 'vardgaranti',
      section: 'vardgaranti',
      title: `Förstärkt vårdgaranti: medicinsk bedömning inom ${targets.assessmentDays} dagar, ${period.from}–${period.to}`,
      note: 'Dagar räknas från dagen patienten sökte vård till bedömningens dag (svensk tid).',
      columns: [
        ...keyColumns,
        { key: 'bedomningar', label: 'Medicinska bedömningar', kind: 'count' },
        { key: 'inom_3_dagar', label: `Inom ${targets.assessmentDays} dagar`, kind: 'count' },
        { key: 'andel', label: 'Andel', kind: 'share' },
      ],
      rows: entities.map((e) => {
        const mine = rows.filter((r) => inEntity(e, r.unitId));
        const s = share(
          sum(mine, (r) => r.withinDays),
          sum(mine, (r) => r.assessments),
        );
        return { ...keysOf(e), bedomningar: s.denominator, inom_3_dagar: s.numerator, andel: s.share };
      }),
    });
    if (trend) {
      const region = focusOf(entities, options);
      tables.push(
        trendTable(
          'vardgaranti-trend',
          'vardgaranti',
          `Vårdgarantin per månad (${region.name})`,
          monthsOf(period).map((m) => m.to),
          (day) => {
            const mine = rows.filter((r) => r.month === day.slice(0, 7) && inEntity(region, r.unitId));
            return share(
              sum(mine, (r) => r.withinDays),
              sum(mine, (r) => r.assessments),
            ).share;
          },
        ),
      );
    }
  }

  if (wanted.has('kontrakt')) {
    const rows = (await fetched.contracts)!;
    const created = (await fetched.newContracts)!;
    const entities = entitiesOf(units, [...new Set(units.map((u) => u.kind))], options).filter(
      (e) => e.level === 'region' || rows.some((r) => inEntity(e, r.unitId)),
    );
    const groups: { id: string; label: string }[] = [
      { id: 'alla', label: 'Alla' },
      ...diagnosisGroups.map((g) => ({ id: g.id, label: g.label })),
      ...careGroups,
    ];
    tables.push({
      id: 'kontrakt',
      section: 'kontrakt',
      title: `Patientkontrakt ${period.to}, per patientgrupp`,
      note: 'Aktiva kontrakt i den version som gällde dagen. Försenat: uppföljningsdatum eller nästa kontakt har passerat.',
      columns: [
        ...keyColumns,
        { key: 'grupp', label: 'Patientgrupp', kind: 'text' },
        { key: 'kontrakt', label: 'Kontrakt', kind: 'count' },
        { key: 'nya_under_perioden', label: 'Nya under perioden', kind: 'count' },
        { key: 'andel_fast_vardkontakt', label: 'Andel med fast vårdkontakt', kind: 'share' },
        { key: 'andel_overenskommen_tid', label: 'Andel med överenskommen nästa kontakt', kind: 'share' },
        { key: 'andel_forsenade', label: 'Andel försenade', kind: 'share' },
      ],
      rows: entities.flatMap((e) =>
        groups.flatMap((g) => {
          const mine = rows.filter((r) => r.day === period.to && r.groupId === g.id && inEntity(e, r.unitId));
          const n = sum(mine, (r) => r.contracts);
          if (n === 0 && g.id !== 'alla') return [];
          return [
            {
              ...keysOf(e),
              grupp: g.label,
              kontrakt: countOf(n, minCell),
              nya_under_perioden:
                g.id === 'alla'
                  ? countOf(
                      sum(
                        created.filter((c) => inEntity(e, c.unitId)),
                        (c) => c.contracts,
                      ),
                      minCell,
                    )
                  : null,
              andel_fast_vardkontakt: share(
                sum(mine, (r) => r.withFastVardkontakt),
                n,
              ).share,
              andel_overenskommen_tid: share(
                sum(mine, (r) => r.withAgreedNextContact),
                n,
              ).share,
              andel_forsenade: share(
                sum(mine, (r) => r.overdue),
                n,
              ).share,
            },
          ];
        }),
      ),
    });
    if (trend) {
      const region = focusOf(entities, options);
      tables.push({
        id: 'kontrakt-trend',
        section: 'kontrakt',
        title: `Patientkontrakt per månad (${region.name})`,
        columns: [
          { key: 'manad', label: 'Månad', kind: 'text' },
          { key: 'kontrakt', label: 'Kontrakt vid månadens slut', kind: 'count' },
          { key: 'nya', label: 'Nya under månaden', kind: 'count' },
          { key: 'andel_fast_vardkontakt', label: 'Andel med fast vårdkontakt', kind: 'share' },
          { key: 'andel_overenskommen_tid', label: 'Andel med överenskommen nästa kontakt', kind: 'share' },
        ],
        rows: monthEnds.map((day) => {
          const mine = rows.filter(
            (r) => r.day === day && r.groupId === 'alla' && inEntity(region, r.unitId),
          );
          const n = sum(mine, (r) => r.contracts);
          return {
            manad: day.slice(0, 7),
            kontrakt: countOf(n, minCell),
            nya: countOf(
              sum(
                created.filter((c) => c.month === day.slice(0, 7) && inEntity(region, c.unitId)),
                (c) => c.contracts,
              ),
              minCell,
            ),
            andel_fast_vardkontakt: share(
              sum(mine, (r) => r.withFastVardkontakt),
              n,
            ).share,
            andel_overenskommen_tid: share(
              sum(mine, (r) => r.withAgreedNextContact),
              n,
            ).share,
          };
        }),
      });
    }
  }

  if (wanted.has('fragor')) {
    const rows = (await fetched.answers)!;
    const region: Entity = { level: 'region', id: null, name: 'Regionen', units: null };
    const scoped = entitiesOf(units, [...new Set(units.map((u) => u.kind))], options).filter(
      (e) => e.level !== 'region',
    );
    const scope =
      options.unitId || options.providerId
        ? scoped.find((e) => e.level === (options.unitId ? 'enhet' : 'vardgivare'))
        : undefined;
    const entities = scope ? [region, scope] : [region];
    const keys = [...new Set(rows.map((r) => `${r.questionSetId}\u0000${r.questionId}`))];
    tables.push({
      id: 'fragor',
      section: 'fragor',
      title: `Svar på frågorna, ${period.from}–${period.to}`,
      note: 'Varje besvarande räknas en gång. Andel ja av alla svar (ja, nej, vet inte). Patientens egen skattning: frågeformulär för patienten; personalens: för personal och vårdgivare.',
      columns: [
        ...keyColumns,
        { key: 'formular', label: 'Frågeformulär', kind: 'text' },
        { key: 'vem', label: 'Vem svarar', kind: 'text' },
        { key: 'fraga', label: 'Fråga', kind: 'text' },
        { key: 'svar', label: 'Svar', kind: 'count' },
        { key: 'ja', label: 'Ja', kind: 'count' },
        { key: 'andel_ja', label: 'Andel ja', kind: 'share' },
      ],
      rows: entities.flatMap((e) =>
        keys.map((k) => {
          const [setId, questionId] = k.split('\u0000') as [string, string];
          const mine = rows.filter(
            (r) => r.questionSetId === setId && r.questionId === questionId && inEntity(e, r.unitId),
          );
          const s = share(
            sum(mine, (r) => r.yes),
            sum(mine, (r) => r.answered),
          );
          const audience = rows.find((r) => r.questionSetId === setId)?.audience ?? 'okand';
          return {
            ...keysOf(e),
            formular: setId,
            vem: audience === 'patient' ? 'patienten' : 'personalen',
            fraga: questionId,
            svar: s.denominator,
            ja: s.numerator,
            andel_ja: s.share,
          };
        }),
      ),
    });
  }

  return {
    title: 'Uppföljning: Patientkontrakt, fast läkarkontakt och kontinuitet',
    period,
    baseline,
    settings,
    minCell,
    filter: { unitId: options.unitId ?? null, providerId: options.providerId ?? null },
    tables,
  };
}

function trendTable(
  id: string,
  section: Section,
  title: string,
  days: readonly string[],
  value: (day: string) => number | null,
): Table {
  return {
    id,
    section,
    title,
    columns: [
      { key: 'manad', label: 'Månad', kind: 'text' },
      { key: 'andel', label: 'Andel', kind: 'share' },
    ],
    rows: days.map((day) => ({ manad: day.slice(0, 7), andel: value(day) })),
  };
}

function continuityTables(
  [now = [], base = []]: readonly ContinuityRow[][],
  { window, baseline }: { window: Period; baseline: string },
  units: readonly UnitInfo[],
  options: FollowupOptions,
  settings: ContinuitySettings,
  minCell: number,
): Table[] {
  const entities = entitiesOf(units, settings.unitKinds, options);
  const unitMeans = (rows: readonly (TallyGroup & { unitId: string | null })[]) =>
    new Map(
      units
        .filter((u) => settings.unitKinds.includes(u.kind))
        .map(
          (u) =>
            [
              u.id,
              meanIndices(
                rows.filter((r) => r.unitId === u.id),
                settings.minVisits,
              ),
            ] as const,
        )
        .filter(([, m]) => m !== null && m.patients >= minCell),
    );
  const nowMeans = unitMeans(now);
  const baseMeans = unitMeans(base);
  const label = `${settings.windowMonths} mån, minst ${settings.minVisits} besök, ${settings.professions.join('/')}`;
  const rows = entities.map((e) => {
    const mine = now.filter((r) => (e.units === null ? r.unitId !== null : inEntity(e, r.unitId)));
    const mean = meanIndices(mine, settings.minVisits);
    const ok = mean !== null && mean.patients >= minCell;
    const unitCocs = [...nowMeans].filter(([id]) => inEntity(e, id)).map(([, m]) => m!.coc);
    const spread = spreadOf(unitCocs);
    const baseUnitCocs = [...baseMeans].filter(([id]) => inEntity(e, id)).map(([, m]) => m!.coc);
    const baseMean = e.level === 'enhet' ? (baseMeans.get(e.id!)?.coc ?? null) : spreadOf(baseUnitCocs).mean;
    const value = e.level === 'enhet' ? (ok ? mean.coc : null) : spread.mean;
    const target = baseMean === null ? null : continuityTarget(baseMean);
    return {
      ...keysOf(e),
      patienter: ok ? mean.patients : countOf(mean?.patients ?? 0, minCell),
      ...Object.fromEntries(indexNames.map((k) => [k, ok ? mean[k] : null])),
      enheter: e.level === 'enhet' ? null : spread.units,
      medel_enheter: e.level === 'enhet' ? null : spread.mean,
      min_enhet: e.level === 'enhet' ? null : spread.min,
      max_enhet: e.level === 'enhet' ? null : spread.max,
      baslinje: baseMean,
      forandring: changeFrom(baseMean, value),
      mal: target,
      avstand: target === null ? null : againstTarget(value, target).distance,
    };
  });
  return [
    {
      id: 'kontinuitet',
      section: 'kontinuitet',
      title: `Kontinuitet i läkarbesök ${window.from}–${window.to} (${label})`,
      note:
        `COC (Bice–Boxerman), UPC, MMCI (Magill–Senf) och SECON (Steinwachs): medel över patienterna, som listas på enheten den sista dagen. ` +
        `För region och vårdgivare: spridningen av enheternas COC (medel, min, max). Baslinje: fönstret som slutar ${baseline}; mål +${Math.round(targets.continuityIncrease * 100)} %.`,
      columns: [
        ...keyColumns,
        { key: 'patienter', label: 'Patienter', kind: 'count' },
        { key: 'coc', label: 'COC', kind: 'index' },
        { key: 'upc', label: 'UPC', kind: 'index' },
        { key: 'mmci', label: 'MMCI', kind: 'index' },
        { key: 'secon', label: 'SECON', kind: 'index' },
        { key: 'enheter', label: 'Enheter', kind: 'count' },
        { key: 'medel_enheter', label: 'COC, medel av enheterna', kind: 'index' },
        { key: 'min_enhet', label: 'Lägsta enhet', kind: 'index' },
        { key: 'max_enhet', label: 'Högsta enhet', kind: 'index' },
        { key: 'baslinje', label: 'Baslinje (COC)', kind: 'index' },
        { key: 'forandring', label: 'Förändring', kind: 'share' },
        { key: 'mal', label: 'Mål (+20 %)', kind: 'index' },
        { key: 'avstand', label: 'Kvar till målet', kind: 'index' },
      ],
      rows,
    },
  ];
}
