import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Overview } from '../../api/types.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { Page } from '../../components/page.tsx';
import { NotFoundOrDenied } from '../access/not-found-or-denied.tsx';
import { PlanDocument } from './plan-document.tsx';

/**
 * The contract on paper for the patient (Region Gävleborg, handlingsplan Patientkontrakt 2021: patients without digital services are
 * served on paper too). Always in plain Swedish, whatever the app's language; the browser's
 * print dialog makes a PDF. The patient's own print view prints the same document.
 */
export default function PrintPage() {
  const { t, i18n } = useTranslation();
  const sv = i18n.getFixedT('sv');
  const { patientId = '' } = useParams();
  const overview = useApi<Overview>(`/api/patients/${patientId}/overview`);

  if (overview.error?.status === 404) return <NotFoundOrDenied />;
  if (!overview.data) return overview.error ? <ErrorAlert error={overview.error} /> : <Loading />;

  return (
    <Page title={sv('print.heading')}>
      <div className="no-print action-bar">
        <button type="button" className="button button-primary" onClick={() => window.print()}>
          {t('print.printButton')}
        </button>
        <Link className="button button-secondary" to={`/patient/${patientId}`}>
          {t('nav.backToPatient')}
        </Link>
      </div>
      <PlanDocument overview={overview.data} />
    </Page>
  );
}
