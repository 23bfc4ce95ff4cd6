/** Follow-up figures as people read them: 57 %, 0,31, 1 234, 0,4, "mars 2026". */
import { localeOf } from '../../i18n/index.ts';
import type { Cell, Column } from './report.ts';

export type ValueKind = Column['kind'];

/** A number of a kind; "–" for a blank (suppressed or no data). */
export function formatValue(value: Cell | undefined, kind: ValueKind, lng: string): string {
  if (value === null || value === undefined) return '–';
  if (typeof value !== 'number') return String(value);
  const locale = localeOf(lng);
  switch (kind) {
    case 'share':
      return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value);
    case 'index':
      return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
        value,
      );
    case 'count':
    case 'number':
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
    case 'decimal': {
      const tenths = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
      // Above zero but below what one decimal shows: not 0,0, which would read as none.
      return value > 0 && value < 0.05 ? `< ${tenths.format(0.1)}` : tenths.format(value);
    }
    case 'text':
      return String(value);
  }
}

/** A difference of shares in percentage points (0.13 → "13"); the words are the caller's. */
export function formatPoints(value: number, lng: string): string {
  return new Intl.NumberFormat(localeOf(lng), { maximumFractionDigits: 0 }).format(value * 100);
}

/** A relative change with its sign: +18 %. */
export function formatChange(value: number, lng: string): string {
  return new Intl.NumberFormat(localeOf(lng), {
    style: 'percent',
    maximumFractionDigits: 0,
    signDisplay: 'exceptZero',
  }).format(value);
}

/** A month (YYYY-MM) in words: "mars 2026", or short for an axis: "mar". */
export function formatMonth(month: string, lng: string, style: 'long' | 'short' = 'long'): string {
  const date = new Date(`${month}-15T12:00:00`);
  if (Number.isNaN(date.getTime())) return month;
  return new Intl.DateTimeFormat(localeOf(lng), {
    month: style === 'long' ? 'long' : 'short',
    ...(style === 'long' ? { year: 'numeric' } : {}),
  }).format(date);
}
