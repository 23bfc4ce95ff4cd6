/**
 * Continuity of physician visits: each unit's COC now against its baseline, and the mean and
 * spread across units (Region Östergötland, handlingsplan Patientkontrakt 2021: "spridning från 0,48 till 0,18"; target +20 %).
 */
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../components/format.ts';
import { ChartFigure } from './chart-figure.tsx';
import { DotPlot, type DotRow } from './charts/dot-plot.tsx';
import { formatChange, formatValue } from './format.ts';
import { focusRow, num, rowsAt, tableOf, text } from './report.ts';
import { FollowupSection, useRowName, type SectionProps } from './section.tsx';

export function ContinuitySection({ report, place, csvHref }: SectionProps) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const nameOf = useRowName();
  const table = tableOf(report, 'kontinuitet');
  const units = rowsAt(table, 'enhet');
  // The mean and spread across units: of the provider chosen, else of the region.
  const summary =
    rowsAt(table, place.kind === 'region' ? 'region' : 'vardgivare')[0] ?? focusRow(table, place);
  const mean = num(summary?.medel_enheter);
  const rows: DotRow[] = units
    .map((r): DotRow => {
      const baseline = num(r.baslinje);
      const change = num(r.forandring);
      return {
        key: text(r.id),
        label: nameOf(r),
        value: num(r.coc),
        baseline,
        ...(baseline !== null
          ? {
              detail: t('followup.continuity.fromBaseline', {
                baseline: formatValue(baseline, 'index', lng),
                change: change === null ? '–' : formatChange(change, lng),
              }),
            }
          : {}),
        blank: t('followup.continuity.tooFew'),
      };
    })
    .sort((a, b) => (b.value ?? -1) - (a.value ?? -1) || a.label.localeCompare(b.label, 'sv'));
  const highest = Math.max(0.5, ...rows.flatMap((r) => [r.value ?? 0, r.baseline ?? 0]));
  const max = Math.min(1, Math.ceil((highest + 0.04) * 10) / 10);
  const title = t('followup.continuity.unitsTitle', { day: formatDate(report.period.to, lng) });
  return (
    <FollowupSection
      id="kontinuitet"
      title={t('followup.continuity.title')}
      lead={t('followup.continuity.lead')}
      csvHref={csvHref('kontinuitet')}
    >
      <ChartFigure
        isWide
        title={title}
        description={t('followup.continuity.unitsDescription', {
          months: report.settings.windowMonths,
          visits: report.settings.minVisits,
          baseline: formatDate(report.baseline, lng),
        })}
        table={table}
        csvHref={csvHref('kontinuitet', 'kontinuitet')}
      >
        {summary && mean !== null && (
          <p className="chart-summary">
            {t('followup.continuity.spread', {
              name: nameOf(summary),
              units: num(summary.enheter) ?? 0,
              mean: formatValue(mean, 'index', lng),
              min: formatValue(summary.min_enhet ?? null, 'index', lng),
              max: formatValue(summary.max_enhet ?? null, 'index', lng),
            })}
          </p>
        )}
        <DotPlot
          rows={rows}
          max={max}
          {...(mean !== null
            ? {
                mean: {
                  value: mean,
                  label: t('followup.continuity.mean', { value: formatValue(mean, 'index', lng) }),
                },
              }
            : {})}
          legend={{ value: t('followup.continuity.now'), baseline: t('followup.continuity.baseline') }}
          label={title}
        />
      </ChartFigure>
    </FollowupSection>
  );
}
