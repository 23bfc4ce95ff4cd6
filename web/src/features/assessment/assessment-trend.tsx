/**
 * A patient's assessments over time, so that the next reader sees how the patient changed:
 * NEWS2 as a small line drawing (hidden from screen readers) and every value in a table, which
 * carries the same facts in words. Oldest to the left in the drawing, newest first in the table.
 */
import { useTranslation } from 'react-i18next';
import type { Assessment } from '../../api/mobile-care-types.ts';
import { swedishWallClock } from '../../components/format.ts';
import { localeOf } from '../../i18n/index.ts';
import { formatWhen } from '../escalation/when.ts';
import { useWidth } from '../followup/charts/use-width.ts';

const H = 180;

/** The day under a point, short ("17 nov."): two full times do not fit side by side on a phone; the table has them. */
function axisDay(iso: string, lng: string): string {
  const date = swedishWallClock(iso);
  return date
    ? new Intl.DateTimeFormat(localeOf(lng), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(date)
    : '';
}
const PAD = { left: 28, right: 16, top: 22, bottom: 28 };

function Chart({ assessments }: { assessments: readonly Assessment[] }) {
  const { i18n } = useTranslation();
  // Drawn at its real width, so that the text stays readable on a phone.
  const [ref, measured] = useWidth();
  const W = Math.min(measured, 704);
  const points = [...assessments]
    .reverse()
    .filter((a): a is Assessment & { score: number } => a.score !== null);
  if (points.length < 2) return null;
  const max = Math.max(10, ...points.map((a) => a.score));
  const x = (i: number) => PAD.left + (i * (W - PAD.left - PAD.right)) / (points.length - 1);
  const y = (v: number) => PAD.top + (1 - v / max) * (H - PAD.top - PAD.bottom);
  const ticks = [0, 5, 7].filter((v) => v <= max);
  return (
    <div ref={ref}>
      <svg
        className="trend-chart"
        width={W}
        height={H}
        viewBox={`0 0 ${W} ${H}`}
        aria-hidden="true"
        focusable="false"
      >
        {ticks.map((v) => (
          <g key={v}>
            <line className="trend-grid" x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end">
              {v}
            </text>
          </g>
        ))}
        <polyline className="trend-line" points={points.map((a, i) => `${x(i)},${y(a.score)}`).join(' ')} />
        {points.map((a, i) => (
          <g key={a.id}>
            <circle className="trend-dot" cx={x(i)} cy={y(a.score)} r={5} />
            <text className="trend-value" x={x(i)} y={y(a.score) - 9} textAnchor="middle">
              {a.score}
            </text>
            {(i === 0 || i === points.length - 1) && (
              <text x={x(i)} y={H - 8} textAnchor={i === 0 ? 'start' : 'end'}>
                {axisDay(a.at, i18n.language)}
              </text>
            )}
          </g>
        ))}
      </svg>
    </div>
  );
}

export function AssessmentTrend({ assessments }: { assessments: readonly Assessment[] }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  return (
    <section className="panel" aria-labelledby="trend-title">
      <h2 id="trend-title">{t('mobileTeam.trend.title')}</h2>
      {assessments.length === 0 ? (
        <p>{t('mobileTeam.trend.none')}</p>
      ) : (
        <>
          <Chart assessments={assessments} />
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="trend-title">
            <table className="trend-table">
              <caption className="visually-hidden">{t('mobileTeam.trend.chartLabel')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('mobileTeam.trend.when')}</th>
                  <th scope="col">{t('mobileTeam.trend.total')}</th>
                  <th scope="col">{t('mobileTeam.vitals.respiratoryRate')}</th>
                  <th scope="col">SpO₂</th>
                  <th scope="col">{t('mobileTeam.vitals.pulse')}</th>
                  <th scope="col">{t('mobileTeam.vitals.systolicBp')}</th>
                  <th scope="col">{t('mobileTeam.vitals.temperature')}</th>
                  <th scope="col">ACVPU</th>
                  <th scope="col">{t('mobileTeam.trend.outcome')}</th>
                  <th scope="col">{t('mobileTeam.trend.by')}</th>
                </tr>
              </thead>
              <tbody>
                {assessments.map((a) => (
                  <tr key={a.id}>
                    <th scope="row">{formatWhen(a.at, t, lng)}</th>
                    <td data-label={t('mobileTeam.trend.total')}>
                      {a.score !== null ? (
                        <>
                          <strong>{a.score}</strong> {a.risk && t(`mobileTeam.news2.risk.${a.risk}`)}
                        </>
                      ) : (
                        '–'
                      )}
                    </td>
                    <td data-label={t('mobileTeam.vitals.respiratoryRate')}>{a.vitals.respiratoryRate}</td>
                    <td data-label="SpO₂">
                      {a.vitals.spo2} %{a.vitals.onOxygen ? ` (${t('mobileTeam.vitals.oxygen.yes')})` : ''}
                    </td>
                    <td data-label={t('mobileTeam.vitals.pulse')}>{a.vitals.pulse}</td>
                    <td data-label={t('mobileTeam.vitals.systolicBp')}>{a.vitals.systolicBp}</td>
                    <td data-label={t('mobileTeam.vitals.temperature')}>
                      {a.vitals.temperature.toLocaleString(lng === 'en' ? 'en-GB' : 'sv-SE')}
                    </td>
                    <td data-label="ACVPU">{a.vitals.consciousness}</td>
                    <td data-label={t('mobileTeam.trend.outcome')}>
                      {t(`mobileTeam.assessment.outcomes.${a.outcome}`)}
                    </td>
                    <td data-label={t('mobileTeam.trend.by')}>
                      {a.by.name}
                      <span className="muted">, {a.unit.name}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
