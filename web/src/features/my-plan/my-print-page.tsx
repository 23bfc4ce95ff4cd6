import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Overview } from '../../api/types.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { Page } from '../../components/page.tsx';
import { PlanDocument } from '../contract/plan-document.tsx';
import { usePatientMe } from './require-patient.tsx';

/**
 * My plan on paper: the same plain-Swedish document the staff print for me
 * (features/contract/plan-document.tsx). With a :patientId, the plan of someone I represent.
 */
export default function MyPrintPage() {
  const { t, i18n } = useTranslation();
  const sv = i18n.getFixedT('sv');
  const me = usePatientMe();
  const { patientId: representedId } = useParams();
  const patientId = representedId ?? me.patientId;
  const overview = useApi<Overview>(`/api/patients/${encodeURIComponent(patientId)}/overview`);
  const back = representedId ? `/narstaende/${encodeURIComponent(representedId)}` : '/min-plan';

  if (!overview.data) return overview.error ? <ErrorAlert error={overview.error} /> : <Loading />;
  const { givenName, familyName } = overview.data.patient;
  // "Ditt patientkontrakt" would tell a närstående the plan is theirs: their print names whose it is.
  const title = representedId
    ? t('myPlan.proxyView.title', { name: `${givenName} ${familyName}` })
    : sv('print.heading');
  return (
    <Page title={title}>
      <div className="no-print action-bar">
        <button type="button" className="button button-primary" onClick={() => window.print()}>
          {t('print.printButton')}
        </button>
        <Link className="button button-secondary" to={back}>
          {t(representedId ? 'myPlan.print.backProxy' : 'myPlan.print.back')}
        </Link>
      </div>
      <PlanDocument overview={overview.data} />
    </Page>
  );
}
