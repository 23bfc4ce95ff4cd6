/** Four figures at a glance for the unit, care provider or region chosen, each against its target. */
import { useTranslation } from 'react-i18next';
import { targets } from '../../../../src/domain/followup.ts';
import { formatChange, formatPoints, formatValue } from './format.ts';
import { focusRow, num, tableOf, type Cell, type FollowupReport } from './report.ts';
import type { Place } from './filters.ts';

interface Figure {
  id: string;
  label: string;
  value: string;
  note: string;
  /** Said when the figure is the region's because the unit chosen has none of its kind. */
  about: string | null;
}

export function KeyFigures({ report, place }: { report: FollowupReport; place: Place }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const aboutOf = (row: Record<string, Cell> | undefined): string | null =>
    place.kind !== 'region' && row?.niva === 'region' ? t('followup.key.aboutRegion') : null;
  const contracts = focusRow(
    {
      ...tableOf(report, 'kontrakt'),
      rows: tableOf(report, 'kontrakt').rows.filter((r) => r.grupp === 'Alla'),
    },
    place,
  );
  const gp = focusRow(tableOf(report, 'fast-lakarkontakt'), place);
  const continuity = focusRow(tableOf(report, 'kontinuitet'), place);
  const guarantee = focusRow(tableOf(report, 'vardgaranti'), place);

  const gpShare = num(gp?.andel);
  const gpGap = num(gp?.avstand);
  const coc = continuity?.niva === 'enhet' ? num(continuity.coc) : num(continuity?.medel_enheter);
  const cocChange = num(continuity?.forandring);
  const within = num(guarantee?.inom_3_dagar);
  const assessments = num(guarantee?.bedomningar);
  const newContracts = num(contracts?.nya_under_perioden);

  const figures: Figure[] = [
    {
      id: 'kontrakt',
      label: t('followup.key.contracts'),
      about: aboutOf(contracts),
      value: formatValue(contracts?.kontrakt ?? null, 'count', lng),
      note:
        newContracts === null
          ? t('followup.suppressed')
          : t('followup.key.newContracts', {
              count: newContracts,
              value: formatValue(newContracts, 'count', lng),
            }),
    },
    {
      id: 'fast-lakarkontakt',
      label: t('followup.key.gp'),
      about: aboutOf(gp),
      value: formatValue(gpShare, 'share', lng),
      note:
        gpGap === null
          ? t('followup.target', { value: formatValue(targets.fastLakarkontaktListed, 'share', lng) })
          : gpGap <= 0
            ? t('followup.key.targetMet', {
                value: formatValue(targets.fastLakarkontaktListed, 'share', lng),
              })
            : t('followup.key.pointsLeft', {
                points: formatPoints(gpGap, lng),
                value: formatValue(targets.fastLakarkontaktListed, 'share', lng),
              }),
    },
    {
      id: 'kontinuitet',
      label: t('followup.key.continuity'),
      about: aboutOf(continuity),
      value: formatValue(coc, 'index', lng),
      note:
        cocChange === null
          ? t('followup.key.noBaseline')
          : t('followup.key.change', {
              change: formatChange(cocChange, lng),
              target: formatChange(targets.continuityIncrease, lng),
            }),
    },
    {
      id: 'vardgaranti',
      label: t('followup.key.guarantee', { days: targets.assessmentDays }),
      about: aboutOf(guarantee),
      value: formatValue(num(guarantee?.andel), 'share', lng),
      note:
        within !== null && assessments
          ? t('followup.chart.ofTotal', {
              part: formatValue(within, 'count', lng),
              whole: formatValue(assessments, 'count', lng),
            })
          : t('followup.suppressed'),
    },
  ];
  return (
    <ul className="key-figures" aria-label={t('followup.key.label')}>
      {figures.map((f) => (
        <li key={f.id} className="key-figure">
          <span className="key-label">{f.label}</span>
          {f.about && <span className="key-note">{f.about}</span>}
          <span className="key-value">{f.value}</span>
          <span className="key-note">{f.note}</span>
        </li>
      ))}
    </ul>
  );
}
