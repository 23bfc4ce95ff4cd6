/**
 * Fast läkarkontakt against the targets of Region Östergötland, handlingsplan Patientkontrakt 2021: ≥ 55 % of listed inhabitants per
 * vårdcentral, ≥ 80 % of SÄBO residents; and those enrolled in hemsjukvård (no target).
 */
import { useTranslation } from 'react-i18next';
import { targets } from '../../../../src/domain/followup.ts';
import { formatDate } from '../../components/format.ts';
import { ChartFigure } from './chart-figure.tsx';
import { BarList } from './charts/bar-list.tsx';
import { LineChart } from './charts/line-chart.tsx';
import { formatValue } from './format.ts';
import { focusRow, num, tableOf, text } from './report.ts';
import { FollowupSection, useRowName, useShareBars, type SectionProps } from './section.tsx';

export function GpSection({ report, place, csvHref }: SectionProps) {
  const { t, i18n } = useTranslation();
  const shareBars = useShareBars();
  const nameOf = useRowName();
  const table = tableOf(report, 'fast-lakarkontakt');
  const trend = tableOf(report, 'fast-lakarkontakt-trend');
  const target = {
    value: targets.fastLakarkontaktListed,
    label: t('followup.target', {
      value: formatValue(targets.fastLakarkontaktListed, 'share', i18n.language),
    }),
  };
  const focusName = nameOf(focusRow(table, place));
  const day = formatDate(report.period.to, i18n.language);
  return (
    <FollowupSection
      id="fast-lakarkontakt"
      title={t('followup.gp.title')}
      lead={t('followup.gp.lead')}
      csvHref={csvHref('fast-lakarkontakt')}
    >
      <ChartFigure
        isWide
        title={t('followup.gp.unitsTitle', { day })}
        description={t('followup.gp.unitsDescription')}
        table={table}
        csvHref={csvHref('fast-lakarkontakt', 'fast-lakarkontakt')}
      >
        <BarList
          rows={shareBars(
            table,
            { share: 'andel', numerator: 'med_fast_lakarkontakt', denominator: 'listade' },
            place,
          )}
          kind="share"
          max={1}
          target={target}
          label={t('followup.gp.unitsTitle', { day })}
        />
      </ChartFigure>
      <ChartFigure
        isWide
        title={t('followup.gp.trendTitle', { name: focusName })}
        table={trend}
        csvHref={csvHref('fast-lakarkontakt', 'fast-lakarkontakt-trend')}
      >
        <LineChart
          months={trend.rows.map((r) => text(r.manad))}
          kind="share"
          target={target}
          label={t('followup.gp.trendTitle', { name: focusName })}
          series={[{ label: t('followup.gp.share'), values: trend.rows.map((r) => num(r.andel)) }]}
        />
      </ChartFigure>
    </FollowupSection>
  );
}

export function SaboSection({ report, place, csvHref }: SectionProps) {
  const { t, i18n } = useTranslation();
  const shareBars = useShareBars();
  const sabo = tableOf(report, 'sabo');
  const homeCare = tableOf(report, 'hemsjukvard');
  const day = formatDate(report.period.to, i18n.language);
  const keys = { share: 'andel', numerator: 'med_fast_lakarkontakt', denominator: 'boende' };
  return (
    <FollowupSection id="sabo" title={t('followup.sabo.title')} csvHref={csvHref('sabo')}>
      <ChartFigure
        title={t('followup.sabo.saboTitle', { day })}
        description={t('followup.sabo.saboDescription')}
        table={sabo}
        csvHref={csvHref('sabo', 'sabo')}
      >
        <BarList
          rows={shareBars(sabo, keys, place)}
          kind="share"
          max={1}
          target={{
            value: targets.fastLakarkontaktSabo,
            label: t('followup.target', {
              value: formatValue(targets.fastLakarkontaktSabo, 'share', i18n.language),
            }),
          }}
          label={t('followup.sabo.saboTitle', { day })}
        />
      </ChartFigure>
      <ChartFigure
        title={t('followup.sabo.homeCareTitle', { day })}
        description={t('followup.sabo.homeCareDescription')}
        table={homeCare}
        csvHref={csvHref('sabo', 'hemsjukvard')}
      >
        <BarList
          rows={shareBars(homeCare, keys, place)}
          kind="share"
          max={1}
          label={t('followup.sabo.homeCareTitle', { day })}
        />
      </ChartFigure>
    </FollowupSection>
  );
}
