/**
 * Continuity, the report's section `kontinuitet` (its public name): continuity of physician visits (COC, UPC, MMCI, SECON) per unit, the
 * spread of the units' COC for providers and the region, and the change from the baseline.
 */
import {
  indexNames,
  meanIndices,
  type ContinuitySettings,
  type TallyGroup,
} from '../../domain/continuity.ts';
import {
  againstTarget,
  changeFrom,
  continuityTarget,
  countOf,
  spreadOf,
  targets,
  type Period,
} from '../../domain/followup.ts';
import type { Table } from '../../domain/followup-report.ts';
import type { ContinuityRow } from '../../store/continuity-store.ts';
import { entitiesOf, inEntity, keyColumns, keysOf, type SectionScope } from './scope.ts';

/** The section's tables from the tallies of the period and of its baseline. */
export function continuityTables(
  [now = [], base = []]: readonly ContinuityRow[][],
  { window, baseline }: { window: Period; baseline: string },
  settings: ContinuitySettings,
  scope: SectionScope,
): Table[] {
  const { units, options, minCell } = scope;
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
