/**
 * What every section of the follow-up report shares: the options, the rows a table has (the
 * region, the care providers and the units in the filter) and the monthly trend table.
 */
import type { ContinuitySettings } from '../../domain/continuity.ts';
import type { Period, Share } from '../../domain/followup.ts';
import type { PhysicianRates } from '../../domain/mobile-team-followup.ts';
import type { Cell, Column, Section, Table } from '../../domain/followup-report.ts';
import type { UnitInfo } from '../../store/followup-store.ts';

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
  /** Physician posts per 100 enrolled patients per target group (the region's; an example by default). */
  physicianRates?: PhysicianRates;
}

/** What a section needs besides its own rows from the store. */
export interface SectionScope {
  period: Period;
  units: readonly UnitInfo[];
  options: FollowupOptions;
  minCell: number;
  /** Whether to add the monthly trend tables. */
  trend: boolean;
  /** The last day of each month of the period (empty without trend tables). */
  monthEnds: readonly string[];
  /** A share, suppressed below minCell. */
  share: (numerator: number, denominator: number) => Share;
}

export type Level = 'region' | 'vardgivare' | 'enhet';
export interface Entity {
  level: Level;
  id: string | null;
  name: string;
  units: ReadonlySet<string> | null;
}

export const keyColumns: Column[] = [
  { key: 'niva', label: 'Nivå', kind: 'text' },
  { key: 'id', label: 'HSA-id', kind: 'text' },
  { key: 'namn', label: 'Namn', kind: 'text' },
];

export const sum = <T>(rows: readonly T[], pick: (r: T) => number): number =>
  rows.reduce((s, r) => s + pick(r), 0);

/** The region, the providers and the units a table has rows for, given the filter. */
export function entitiesOf(
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

/** The region, and the providers and units of every kind that have rows. */
export function entitiesWithRows(scope: SectionScope, rows: readonly { unitId: string | null }[]): Entity[] {
  const { units, options } = scope;
  return entitiesOf(units, [...new Set(units.map((u) => u.kind))], options).filter(
    (e) => e.level === 'region' || rows.some((r) => inEntity(e, r.unitId)),
  );
}

/** The entity a trend follows: the unit or provider filtered on, else the region. */
export function focusOf(entities: readonly Entity[], options: FollowupOptions): Entity {
  const level: Level = options.unitId ? 'enhet' : options.providerId ? 'vardgivare' : 'region';
  return entities.find((e) => e.level === level) ?? entities[0]!;
}

export const keysOf = (e: Entity): Record<string, Cell> => ({ niva: e.level, id: e.id, namn: e.name });
export const inEntity = (e: Entity, unitId: string | null): boolean =>
  e.units === null ? true : unitId !== null && e.units.has(unitId);

/** A share per month: one row for each day in `days` (a month's last day). */
export function trendTable(
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
