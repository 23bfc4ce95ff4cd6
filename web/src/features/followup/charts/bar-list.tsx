/**
 * Horizontal bars, one per unit (or question), as a list of plain text rows: the name, a bar,
 * and the value in words, so that the list reads well without the picture. The bars, the
 * target line and the scale are drawn with CSS (widths set through the CSSOM, which the CSP
 * allows) and hidden from screen readers; a met target is said in words, not by colour.
 */
import { useTranslation } from 'react-i18next';
import { formatValue, type ValueKind } from '../format.ts';

export interface BarRow {
  key: string;
  label: string;
  value: number | null;
  /** Shown after the value, e.g. "21 av 37". */
  detail?: string;
  /** Why a row has no bar (suppressed, no data). */
  blank?: string;
  /** A row to compare with (the region, a care provider): drawn darker, name in bold. */
  isReference?: boolean;
}

export interface BarListProps {
  rows: readonly BarRow[];
  kind: ValueKind;
  /** The end of the scale (1 for shares). */
  max: number;
  target?: { value: number; label: string };
  /** The list's name for screen readers. */
  label: string;
}

/** Where a value sits on the scale, as a CSS percentage. */
export const percentOf = (value: number, max: number): string =>
  `${(Math.min(Math.max(value / max, 0), 1) * 100).toFixed(2)}%`;

/** A round end for a scale of counts: 1, 2 or 5 times a power of ten, at least `max`. */
export function niceCeiling(max: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(max, 1)));
  return ([1, 2, 5, 10].map((m) => m * power).find((v) => v >= max) ?? max) || 1;
}

/** The scale under a list of bars or dots. */
export function Scale({ max, kind, ticks }: { max: number; kind: ValueKind; ticks: readonly number[] }) {
  const { i18n } = useTranslation();
  return (
    <div className="bar-row bar-scale" aria-hidden="true">
      <span className="bar-track">
        {ticks.map((v) => (
          <span key={v} className="scale-tick" style={{ left: percentOf(v, max) }}>
            {formatValue(v, kind, i18n.language)}
          </span>
        ))}
      </span>
    </div>
  );
}

export function BarList({ rows, kind, max, target, label }: BarListProps) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const ticks =
    kind === 'share' ? [0, 0.25, 0.5, 0.75, 1] : Number.isInteger(max / 2) ? [0, max / 2, max] : [0, max];
  const hasBars = rows.some((r) => r.value !== null);
  return (
    <div className="bar-chart">
      {target && (
        <p className="legend">
          <span className="legend-target" aria-hidden="true" /> {target.label}
        </p>
      )}
      <ul className="bar-list" aria-label={label}>
        {rows.map((row) => {
          const isMet = target !== undefined && row.value !== null && row.value >= target.value;
          return (
            <li key={row.key} className={row.isReference ? 'bar-row bar-row-reference' : 'bar-row'}>
              <span className="bar-label">{row.label}</span>
              <span className={row.value === null ? 'bar-track is-blank' : 'bar-track'} aria-hidden="true">
                {row.value !== null && <span className="bar" style={{ width: percentOf(row.value, max) }} />}
                {target && <span className="bar-target" style={{ left: percentOf(target.value, max) }} />}
              </span>
              <span className="bar-value">
                {row.value === null ? (
                  <span className="muted">{row.blank ?? '–'}</span>
                ) : (
                  <>
                    <strong>{formatValue(row.value, kind, lng)}</strong>
                    {row.detail && <span className="muted"> ({row.detail})</span>}
                    {isMet && <span className="tag tag-success">{t('followup.chart.targetMet')}</span>}
                  </>
                )}
              </span>
            </li>
          );
        })}
      </ul>
      {hasBars && <Scale max={max} kind={kind} ticks={ticks} />}
    </div>
  );
}
