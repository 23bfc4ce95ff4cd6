/**
 * The shape of the follow-up report: tables of aggregates, suppressed cells as null. Built
 * by src/services/followup-service.ts, rendered by src/services/followup-render.ts, answered by
 * `GET /api/followup/report` and read by the staff app's follow-up page (web/src/features/followup).
 */
import type { ContinuitySettings } from './continuity.ts';
import type { Period } from './followup.ts';

export const sections = [
  'fast-lakarkontakt',
  'sabo',
  'kontinuitet',
  'vardgaranti',
  'kontrakt',
  'fragor',
  'mobila-team',
] as const;
export type Section = (typeof sections)[number];

export type Cell = string | number | boolean | null;

export interface Column {
  key: string;
  label: string;
  /**
   * text: a key column; count; share (0–1); index (0–1, continuity); number (shown whole);
   * decimal (shown with one decimal, a value above zero below 0,05 as "< 0,1": physician posts,
   * where 0.4 is not 0).
   */
  kind: 'text' | 'count' | 'share' | 'index' | 'number' | 'decimal';
}

export interface Table {
  id: string;
  section: Section;
  title: string;
  note?: string;
  columns: Column[];
  rows: Record<string, Cell>[];
}

export interface FollowupReport {
  title: string;
  period: Period;
  baseline: string;
  settings: ContinuitySettings;
  minCell: number;
  filter: { unitId: string | null; providerId: string | null };
  tables: Table[];
}
