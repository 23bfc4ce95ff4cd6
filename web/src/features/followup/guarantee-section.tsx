/** Förstärkt vårdgaranti: medical assessments within 3 days, month by month and per unit. */
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../components/format.ts';
import { targets } from '../../../../src/domain/followup.ts';
import { ChartFigure } from './chart-figure.tsx';
import { BarList } from './charts/bar-list.tsx';
import { LineChart } from './charts/line-chart.tsx';
import { focusRow, num, tableOf, text } from './report.ts';
import { FollowupSection, useRowName, useShareBars, type SectionProps } from './section.tsx';

export function GuaranteeSection({ report, place, csvHref }: SectionProps) {
  const { t, i18n } = useTranslation();
  const shareBars = useShareBars();
  const nameOf = useRowName();
  const table = tableOf(report, 'vardgaranti');
  const trend = tableOf(report, 'vardgaranti-trend');
  const days = targets.assessmentDays;
  const focusName = nameOf(focusRow(table, place));
  const period = {
    from: formatDate(report.period.from, i18n.language),
    to: formatDate(report.period.to, i18n.language),
  };
  return (
    <FollowupSection
      id="vardgaranti"
      title={t('followup.guarantee.title', { days })}
      lead={t('followup.guarantee.lead', { days })}
      csvHref={csvHref('vardgaranti')}
    >
      <ChartFigure
        isWide
        title={t('followup.guarantee.trendTitle', { days, name: focusName })}
        table={trend}
        csvHref={csvHref('vardgaranti', 'vardgaranti-trend')}
      >
        <LineChart
          months={trend.rows.map((r) => text(r.manad))}
          kind="share"
          label={t('followup.guarantee.trendTitle', { days, name: focusName })}
          series={[
            { label: t('followup.guarantee.share', { days }), values: trend.rows.map((r) => num(r.andel)) },
          ]}
        />
      </ChartFigure>
      <ChartFigure
        isWide
        title={t('followup.guarantee.unitsTitle', { days, ...period })}
        table={table}
        csvHref={csvHref('vardgaranti', 'vardgaranti')}
      >
        <BarList
          rows={shareBars(
            table,
            { share: 'andel', numerator: 'inom_3_dagar', denominator: 'bedomningar' },
            place,
          )}
          kind="share"
          max={1}
          label={t('followup.guarantee.unitsTitle', { days, ...period })}
        />
      </ChartFigure>
    </FollowupSection>
  );
}
