/** Patientkontrakt: active contracts month by month, their shares, and the patient groups. */
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../components/format.ts';
import { ChartFigure } from './chart-figure.tsx';
import { BarList, niceCeiling, type BarRow } from './charts/bar-list.tsx';
import { LineChart } from './charts/line-chart.tsx';
import { formatValue } from './format.ts';
import { num, tableOf, text } from './report.ts';
import { FollowupSection, useRowName, type SectionProps } from './section.tsx';

export function ContractSection({ report, place, csvHref }: SectionProps) {
  const { t, i18n } = useTranslation();
  const nameOf = useRowName();
  const trend = tableOf(report, 'kontrakt-trend');
  const groups = tableOf(report, 'kontrakt');
  const months = trend.rows.map((r) => text(r.manad));
  const column = (key: string) => trend.rows.map((r) => num(r[key]));

  // The trend follows the unit or provider chosen when it has contracts, else the region.
  const focusRows = groups.rows.filter((r) =>
    place.kind === 'region'
      ? r.niva === 'region'
      : r.niva === (place.kind === 'unit' ? 'enhet' : 'vardgivare') && r.id === place.id,
  );
  const rows = focusRows.length > 0 ? focusRows : groups.rows.filter((r) => r.niva === 'region');
  const focusName = nameOf(rows[0]);
  const groupBars: BarRow[] = rows
    .filter((r) => r.grupp !== 'Alla')
    .map((r) => {
      const share = num(r.andel_fast_vardkontakt);
      return {
        key: text(r.grupp),
        label: text(r.grupp),
        value: num(r.kontrakt),
        ...(share !== null
          ? { detail: t('followup.contracts.withFvk', { share: formatValue(share, 'share', i18n.language) }) }
          : {}),
        blank: t('followup.suppressed'),
      };
    })
    .sort((a, b) => (b.value ?? -1) - (a.value ?? -1));
  const maxGroup = niceCeiling(Math.max(1, ...groupBars.map((b) => b.value ?? 0)));

  return (
    <FollowupSection
      id="kontrakt"
      title={t('followup.contracts.title')}
      lead={t('followup.contracts.lead')}
      csvHref={csvHref('kontrakt')}
    >
      <ChartFigure
        title={t('followup.contracts.countTitle', { name: focusName })}
        description={t('followup.contracts.countDescription')}
        table={trend}
        csvHref={csvHref('kontrakt', 'kontrakt-trend')}
      >
        <LineChart
          months={months}
          kind="count"
          label={t('followup.contracts.countTitle', { name: focusName })}
          series={[
            { label: t('followup.contracts.active'), values: column('kontrakt') },
            { label: t('followup.contracts.new'), values: column('nya') },
          ]}
        />
      </ChartFigure>
      <ChartFigure
        title={t('followup.contracts.shareTitle', { name: focusName })}
        description={t('followup.contracts.shareDescription')}
        table={trend}
        csvHref={csvHref('kontrakt', 'kontrakt-trend')}
      >
        <LineChart
          months={months}
          kind="share"
          label={t('followup.contracts.shareTitle', { name: focusName })}
          series={[
            { label: t('followup.contracts.withFastVardkontakt'), values: column('andel_fast_vardkontakt') },
            { label: t('followup.contracts.withNextContact'), values: column('andel_overenskommen_tid') },
          ]}
        />
      </ChartFigure>
      {groupBars.length > 0 && (
        <ChartFigure
          isWide
          title={t('followup.contracts.groupsTitle', {
            name: focusName,
            day: formatDate(report.period.to, i18n.language),
          })}
          description={t('followup.contracts.groupsDescription')}
          table={groups}
          rows={rows}
          csvHref={csvHref('kontrakt', 'kontrakt')}
        >
          <BarList
            rows={groupBars}
            kind="count"
            max={maxGroup}
            label={t('followup.contracts.groupsTitle', {
              name: focusName,
              day: formatDate(report.period.to, i18n.language),
            })}
          />
        </ChartFigure>
      )}
    </FollowupSection>
  );
}
