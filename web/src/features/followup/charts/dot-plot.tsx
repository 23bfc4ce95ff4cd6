/**
 * A dot plot of one index per unit (continuity): a filled dot for now, a ring for the baseline
 * with a line between them (how far and which way it moved), and the mean across the units as
 * a dashed line. Like the bar list, the rows are plain text and the drawing is hidden from
 * screen readers; the shapes (dot, ring, dashes) tell the marks apart without colour.
 */
import { useTranslation } from 'react-i18next';
import { formatValue } from '../format.ts';
import { percentOf, Scale } from './bar-list.tsx';

export interface DotRow {
  key: string;
  label: string;
  value: number | null;
  baseline: number | null;
  /** Shown after the value, e.g. "baslinje 0,49, +18 %". */
  detail?: string;
  blank?: string;
}

export interface DotPlotProps {
  rows: readonly DotRow[];
  max: number;
  mean?: { value: number; label: string };
  legend: { value: string; baseline: string };
  label: string;
}

export function DotPlot({ rows, max, mean, legend, label }: DotPlotProps) {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  const ticks = Array.from({ length: Math.round(max / 0.1) + 1 }, (_, i) => i / 10).filter(
    (_, i, all) => all.length <= 6 || i % 2 === 0,
  );
  return (
    <div className="bar-chart dot-plot">
      <ul className="legend">
        <li>
          <span className="legend-dot" aria-hidden="true" /> {legend.value}
        </li>
        <li>
          <span className="legend-ring" aria-hidden="true" /> {legend.baseline}
        </li>
        {mean && (
          <li>
            <span className="legend-target" aria-hidden="true" /> {mean.label}
          </li>
        )}
      </ul>
      <ul className="bar-list" aria-label={label}>
        {rows.map((row) => {
          const low = row.baseline === null || row.value === null ? null : Math.min(row.baseline, row.value);
          const high = row.baseline === null || row.value === null ? null : Math.max(row.baseline, row.value);
          return (
            <li key={row.key} className="bar-row">
              <span className="bar-label">{row.label}</span>
              <span className="bar-track dot-track" aria-hidden="true">
                {mean && <span className="bar-target" style={{ left: percentOf(mean.value, max) }} />}
                {low !== null && high !== null && (
                  <span
                    className="dot-change"
                    style={{
                      left: percentOf(low, max),
                      width: `calc(${percentOf(high, max)} - ${percentOf(low, max)})`,
                    }}
                  />
                )}
                {row.baseline !== null && (
                  <span className="dot-ring" style={{ left: percentOf(row.baseline, max) }} />
                )}
                {row.value !== null && <span className="dot" style={{ left: percentOf(row.value, max) }} />}
              </span>
              <span className="bar-value">
                {row.value === null ? (
                  <span className="muted">{row.blank ?? '–'}</span>
                ) : (
                  <>
                    <strong>{formatValue(row.value, 'index', lng)}</strong>
                    {row.detail && <span className="muted"> ({row.detail})</span>}
                  </>
                )}
              </span>
            </li>
          );
        })}
      </ul>
      <Scale max={max} kind="index" ticks={ticks} />
    </div>
  );
}
