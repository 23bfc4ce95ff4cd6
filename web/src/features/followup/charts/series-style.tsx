/**
 * How the series of a chart are told apart: colour, and also a marker shape and a dash pattern,
 * so that nothing depends on colour alone (WCAG 1.4.1). The colours keep ≥ 3:1 against white.
 */

export interface SeriesStyle {
  color: string;
  dash: string;
  marker: 'circle' | 'square' | 'triangle' | 'diamond';
}

export const seriesStyles: readonly SeriesStyle[] = [
  { color: '#0a5a9c', dash: '', marker: 'circle' },
  { color: '#b45309', dash: '7 4', marker: 'square' },
  { color: '#1e6b34', dash: '2 3', marker: 'triangle' },
  { color: '#6d28d9', dash: '10 3 2 3', marker: 'diamond' },
];

export const styleOf = (i: number): SeriesStyle => seriesStyles[i % seriesStyles.length]!;

/** A marker centred on (x, y). */
export function Marker({
  x,
  y,
  style,
  size = 4,
}: {
  x: number;
  y: number;
  style: SeriesStyle;
  size?: number;
}) {
  const s = size;
  switch (style.marker) {
    case 'circle':
      return <circle cx={x} cy={y} r={s} fill={style.color} />;
    case 'square':
      return <rect x={x - s} y={y - s} width={s * 2} height={s * 2} fill={style.color} />;
    case 'triangle':
      return (
        <path
          d={`M${x} ${y - s * 1.2}L${x + s * 1.2} ${y + s}L${x - s * 1.2} ${y + s}Z`}
          fill={style.color}
        />
      );
    case 'diamond':
      return (
        <path
          d={`M${x} ${y - s * 1.3}L${x + s * 1.3} ${y}L${x} ${y + s * 1.3}L${x - s * 1.3} ${y}Z`}
          fill={style.color}
        />
      );
  }
}

/** The legend's sample of a series: a short stretch of its line with its marker. */
export function Swatch({ style }: { style: SeriesStyle }) {
  return (
    <svg className="swatch" width="32" height="14" viewBox="0 0 32 14" aria-hidden="true" focusable="false">
      <line
        x1="1"
        y1="7"
        x2="31"
        y2="7"
        stroke={style.color}
        strokeWidth="2.5"
        strokeDasharray={style.dash}
      />
      <Marker x={16} y={7} style={style} size={3.5} />
    </svg>
  );
}
