/**
 * The follow-up report as `GET /api/followup/report` answers it (its shape is
 * src/domain/followup-report.ts, shared with the server), and the few look-ups the page makes in it.
 */
import type { Cell, FollowupReport, Table } from '../../../../src/domain/followup-report.ts';
import type { FollowupScope } from '../../../../src/domain/followup.ts';
import type { Place } from './filters.ts';

export type { Cell, Column, FollowupReport, Section, Table } from '../../../../src/domain/followup-report.ts';

export type Level = 'region' | 'vardgivare' | 'enhet';

/** A table of the report; an empty one when the section was not computed. */
export function tableOf(report: FollowupReport, id: string): Table {
  return (
    report.tables.find((t) => t.id === id) ?? {
      id,
      section: 'kontrakt',
      title: '',
      columns: [],
      rows: [],
    }
  );
}

export const num = (v: Cell | undefined): number | null => (typeof v === 'number' ? v : null);
export const text = (v: Cell | undefined): string => (v === null || v === undefined ? '' : String(v));

/** The rows at one level (region, care provider, unit). */
export const rowsAt = (table: Table, level: Level): Record<string, Cell>[] =>
  table.rows.filter((r) => r.niva === level);

/** The row the page is about: the unit or provider chosen, else the region. */
export function focusRow(table: Table, place: Place): Record<string, Cell> | undefined {
  const wanted =
    place.kind === 'unit'
      ? table.rows.find((r) => r.niva === 'enhet' && r.id === place.id)
      : place.kind === 'provider'
        ? table.rows.find((r) => r.niva === 'vardgivare' && r.id === place.id)
        : undefined;
  return wanted ?? table.rows.find((r) => r.niva === 'region');
}

/** What a verksamhetschef sees by default is their own care provider, as the API does. */
export function effectivePlace(place: Place, scope: FollowupScope): Place {
  return scope.kind === 'own' && place.kind === 'region' ? { kind: 'provider', id: scope.providerId } : place;
}
