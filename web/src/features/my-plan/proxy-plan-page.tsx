import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Overview } from '../../api/types.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading, Notice } from '../../components/alerts.tsx';
import { Page } from '../../components/page.tsx';
import { PlanView } from './plan-view.tsx';

/**
 * Another person's plan, read as their närstående or ombud: the same view with no controls
 * at all (the server refuses every change from a proxy too). A revoked or expired grant
 * answers 404, told in plain words.
 */
export default function ProxyPlanPage() {
  const { t } = useTranslation();
  const { patientId = '' } = useParams();
  const overview = useApi<Overview>(`/api/patients/${encodeURIComponent(patientId)}/overview`);
  const patient = overview.data?.patient;
  const name = patient ? `${patient.givenName} ${patient.familyName}` : '';

  if (overview.error?.status === 404) {
    return (
      <Page title={t('myPlan.proxies.readableTitle')}>
        <Notice kind="warning">{t('myPlan.proxyView.gone')}</Notice>
        <p>
          <Link to="/min-plan/narstaende">{t('myPlan.proxyView.back')}</Link>
        </p>
      </Page>
    );
  }
  if (!overview.data) return overview.error ? <ErrorAlert error={overview.error} /> : <Loading />;
  return (
    <Page title={t('myPlan.proxyView.title', { name })}>
      {patient?.deceasedOn ? (
        // A respectful state: nothing to do, no plan to act on (services/person-status-service.ts).
        <Notice>{t('personStatus.deceasedForProxy', { name })}</Notice>
      ) : (
        <Notice>{t('myPlan.proxyView.notice')}</Notice>
      )}
      <div className="action-bar">
        <Link
          className="button button-secondary"
          to={`/narstaende/${encodeURIComponent(patientId)}/utskrift`}
        >
          {t('myPlan.proxyView.print')}
        </Link>
        <Link className="button button-secondary" to="/min-plan/narstaende">
          {t('myPlan.proxyView.back')}
        </Link>
      </div>
      <PlanView overview={overview.data} isProxy />
    </Page>
  );
}
