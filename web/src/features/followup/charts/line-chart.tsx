/**
 * Monthly trend lines in SVG, drawn at the element's real width. One or more series share the
 * y axis (shares 0–100 %, or counts from 0); an optional target is a dashed line. Gaps are left
 * where a month is blank (suppressed or no data). The plot can be focused: ← → (Home, End) or
 * the pointer pick a month, and the values of that month are read out below it in words.
 */
import { useId, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMonth, formatValue } from '../format.ts';
import { Marker, styleOf, Swatch } from './series-style.tsx';
import { useWidth } from './use-width.ts';

export interface LineSeries {
  label: string;
  values: readonly (number | null)[];
}

export interface LineChartProps {
  /** The months, YYYY-MM, oldest first. */
  months: readonly string[];
  series: readonly LineSeries[];
  kind: 'share' | 'count';
  target?: { value: number; label: string };
  /** What the chart shows, for the focusable plot's name. */
  label: string;
}

const HEIGHT = 220;
const MARGIN = { top: 16, right: 16, bottom: 40, left: 48 };

/** A whole, round step for about four intervals up to `max`: 1, 2 or 5 times a power of ten. */
function niceStep(max: number): number {
  const raw = Math.max(max, 1) / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  return Math.max(1, step);
}

export function LineChart({ months, series, kind, target, label }: LineChartProps) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [ref, width] = useWidth();
  const readoutId = useId();
  const [picked, setPicked] = useState<number | null>(null);

  const n = months.length;
  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const step = kind === 'share' ? 0.25 : niceStep(Math.max(...values, 1));
  const top = kind === 'share' ? 1 : Math.ceil(Math.max(...values, 1) / step) * step;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (i: number): number => MARGIN.left + (n <= 1 ? plotWidth / 2 : (i * plotWidth) / (n - 1));
  const y = (v: number): number => MARGIN.top + plotHeight - (v / top) * plotHeight;
  // A month label ("sep." with the year below) takes up to about 52 px; counted back from the
  // last month so that the last is always labelled and never crowds the one before it.
  const labelEvery = Math.max(1, Math.ceil((n * 52) / Math.max(plotWidth, 1)));
  const showMarkers = plotWidth / Math.max(n, 1) >= 14;

  const lastWithValue = months.reduce(
    (last, _, i) => (series.some((s) => s.values[i] != null) ? i : last),
    n - 1,
  );
  const active = picked ?? lastWithValue;
  const pick = (i: number) => setPicked(Math.min(n - 1, Math.max(0, i)));

  function onKeyDown(event: KeyboardEvent) {
    const moves: Record<string, number> = {
      ArrowLeft: active - 1,
      ArrowRight: active + 1,
      Home: 0,
      End: n - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    pick(next);
  }
  function onPointerMove(event: PointerEvent<HTMLDivElement>) {
    const left = event.currentTarget.getBoundingClientRect().left;
    const offset = event.clientX - left - MARGIN.left;
    pick(n <= 1 ? 0 : Math.round((offset / plotWidth) * (n - 1)));
  }

  const segments = (vals: readonly (number | null)[]): string[] => {
    const paths: string[] = [];
    let d = '';
    vals.forEach((v, i) => {
      if (v === null || v === undefined) {
        if (d) paths.push(d);
        d = '';
        return;
      }
      d += `${d ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)}`;
    });
    if (d) paths.push(d);
    return paths;
  };

  const month = months[active];
  const readout = month
    ? `${formatMonth(month, lng)}: ${series
        .map((s) => `${s.label} ${formatValue(s.values[active] ?? null, kind, lng)}`)
        .join(' · ')}`
    : '';

  if (values.length === 0) return <p className="muted">{t('followup.chart.noFigures')}</p>;
  return (
    <div className="line-chart" ref={ref}>
      {series.length > 1 || target ? (
        <ul className="legend">
          {series.map((s, i) => (
            <li key={s.label}>
              <Swatch style={styleOf(i)} /> {s.label}
            </li>
          ))}
          {target && (
            <li>
              <svg className="swatch" width="32" height="14" aria-hidden="true" focusable="false">
                <line x1="1" y1="7" x2="31" y2="7" className="target-line" />
              </svg>{' '}
              {target.label}
            </li>
          )}
        </ul>
      ) : null}
      <div
        className="chart-plot"
        role="group"
        tabIndex={0}
        aria-label={`${label}. ${t('followup.chart.keys')}`}
        aria-describedby={readoutId}
        onKeyDown={onKeyDown}
        onPointerMove={onPointerMove}
      >
        <svg width={width} height={HEIGHT} aria-hidden="true" focusable="false">
          {ticks.map((v) => (
            <g key={v}>
              <line x1={MARGIN.left} x2={width - MARGIN.right} y1={y(v)} y2={y(v)} className="grid-line" />
              <text x={MARGIN.left - 6} y={y(v) + 4} textAnchor="end" className="axis-text">
                {formatValue(v, kind, lng)}
              </text>
            </g>
          ))}
          {months.map((m, i) =>
            (n - 1 - i) % labelEvery === 0 ? (
              <text
                key={m}
                x={x(i)}
                y={HEIGHT - MARGIN.bottom + 16}
                textAnchor="middle"
                className="axis-text axis-x"
              >
                {formatMonth(m, lng, 'short')}
                {(i < labelEvery || m.endsWith('-01')) && (
                  <tspan x={x(i)} dy="14">
                    {m.slice(0, 4)}
                  </tspan>
                )}
              </text>
            ) : null,
          )}
          {target && (
            <line
              x1={MARGIN.left}
              x2={width - MARGIN.right}
              y1={y(target.value)}
              y2={y(target.value)}
              className="target-line"
            />
          )}
          {n > 0 && (
            <line
              x1={x(active)}
              x2={x(active)}
              y1={MARGIN.top}
              y2={MARGIN.top + plotHeight}
              className="cursor-line"
            />
          )}
          {series.map((s, si) => {
            const style = styleOf(si);
            return (
              <g key={s.label}>
                {segments(s.values).map((d) => (
                  <path
                    key={d}
                    d={d}
                    fill="none"
                    stroke={style.color}
                    strokeWidth="2.5"
                    strokeDasharray={style.dash}
                  />
                ))}
                {s.values.map((v, i) =>
                  v !== null && (showMarkers || i === active) ? (
                    <Marker key={months[i]} x={x(i)} y={y(v)} style={style} size={i === active ? 5.5 : 3.5} />
                  ) : null,
                )}
              </g>
            );
          })}
        </svg>
      </div>
      <p id={readoutId} className="chart-readout" aria-live="polite">
        {readout}
      </p>
    </div>
  );
}
