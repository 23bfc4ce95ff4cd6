/**
 * Uppföljning: the region's follow-up figures as charts, for staff with the role
 * `uppfoljning` (the region) or `verksamhetschef` (their own care provider); everyone else gets
 * "page not found". The filters live in the address; the figures come from
 * `GET /api/followup/report` (aggregates only, small cells blanked), and each section links to
 * the API's CSV, the page to the printable yearly report.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import type { FollowupScope } from '../../../../src/domain/followup.ts';
import { useUnits } from '../../api/directory.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { formatDate, todayIso } from '../../components/format.ts';
import { NotFoundPage } from '../../components/not-found-page.tsx';
import { Page } from '../../components/page.tsx';
import { ContinuitySection } from './continuity-section.tsx';
import { ContractSection } from './contract-section.tsx';
import { apiQuery, parseFilter, reportYearOf, searchOf, type FollowupFilter } from './filters.ts';
import { useFollowupScope } from './followup-access.tsx';
import { FollowupFilters } from './followup-filters.tsx';
import { GpSection, SaboSection } from './gp-section.tsx';
import { GuaranteeSection } from './guarantee-section.tsx';
import { KeyFigures } from './key-figures.tsx';
import { MobileTeamSection } from './mobile-team-section.tsx';
import { QuestionsSection } from './questions-section.tsx';
import { effectivePlace, type FollowupReport, type Section } from './report.ts';
import type { SectionProps } from './section.tsx';
import './followup.css';

export default function FollowupPage() {
  const scope = useFollowupScope();
  if (scope.kind === 'none') return <NotFoundPage />;
  return <FollowupView scope={scope} />;
}

function FollowupView({ scope }: { scope: FollowupScope }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const units = useUnits();
  const today = todayIso();
  const parsed = parseFilter(params, today);
  const filter: FollowupFilter = { ...parsed, place: effectivePlace(parsed.place, scope) };
  const query = apiQuery(filter, today);
  const report = useApi<FollowupReport>(`/api/followup/report?${query}`);

  // While new figures load, the old ones stay (dimmed) so the page does not jump.
  const [shown, setShown] = useState<FollowupReport | undefined>(undefined);
  if (report.data && report.data !== shown) setShown(report.data);
  const data = report.data ?? (report.isLoading ? shown : undefined);

  const place = filter.place;
  const placeName =
    place.kind === 'region'
      ? t('followup.wholeRegion')
      : place.kind === 'provider'
        ? (units.find((u) => u.providerId === place.id)?.providerName ?? place.id)
        : (units.find((u) => u.id === place.id)?.name ?? place.id);
  const csvHref = (section: Section | 'report', table?: string): string =>
    `/api/followup/${section}?${apiQuery(filter, today, { format: 'csv', ...(table ? { table } : {}) })}`;
  const year = reportYearOf(filter.period, today);
  const yearReport = `/api/followup/report?${apiQuery({ ...filter, period: { kind: 'year', year } }, today, { format: 'html' })}`;
  const props: SectionProps | null = data ? { report: data, place, csvHref } : null;

  return (
    <Page
      title={t('followup.title')}
      lead={
        <p className="lead">
          {scope.kind === 'region' ? t('followup.leadRegion') : t('followup.leadOwn')}{' '}
          {t('followup.privacy', { minCell: data?.minCell ?? 5 })}
        </p>
      }
    >
      <FollowupFilters
        key={params.toString()}
        filter={filter}
        scope={scope}
        units={units}
        today={today}
        onApply={(next) => void navigate({ search: searchOf(next) })}
      />
      <div className="followup-showing">
        <p role="status">
          {data
            ? t('followup.showing', {
                place: placeName,
                from: formatDate(data.period.from, lng),
                to: formatDate(data.period.to, lng),
              })
            : ''}
        </p>
        <ul className="followup-downloads">
          <li>
            <a href={csvHref('report')} download>
              {t('followup.downloadAll')}
            </a>
          </li>
          <li>
            <a href={yearReport}>{t('followup.yearReport', { year })}</a>
          </li>
        </ul>
      </div>
      <ErrorAlert error={report.error} />
      {report.isLoading && !props && <FollowupSkeleton />}
      {props && (
        <div
          className={report.isLoading ? 'followup-figures is-updating' : 'followup-figures'}
          aria-busy={report.isLoading}
        >
          <KeyFigures report={props.report} place={place} />
          <ContractSection {...props} />
          <GpSection {...props} />
          <SaboSection {...props} />
          <ContinuitySection {...props} />
          <GuaranteeSection {...props} />
          <QuestionsSection {...props} />
          <MobileTeamSection {...props} />
        </div>
      )}
    </Page>
  );
}

/**
 * The page's sections with grey placeholders while the first figures load, so that the reader
 * sees at once what is coming and the page does not jump when it arrives.
 */
function FollowupSkeleton() {
  const { t } = useTranslation();
  const titles = [
    t('followup.contracts.title'),
    t('followup.gp.title'),
    t('followup.sabo.title'),
    t('followup.continuity.title'),
  ];
  return (
    <div className="followup-figures followup-skeleton">
      <Loading lines={3} />
      {titles.map((title) => (
        <section key={title} className="panel followup-section" aria-hidden="true">
          <h2>{title}</h2>
          <div className="followup-skeleton-chart" />
        </section>
      ))}
    </div>
  );
}
