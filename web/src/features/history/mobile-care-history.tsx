import { useTranslation } from 'react-i18next';
import type { MobileCare } from '../../api/mobile-care-types.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { formatDateTime } from '../../components/format.ts';
import { describeMobileCare } from './describe.ts';

/**
 * The patient's mobile care as part of the plan's history, newest first: enrolment steps,
 * wishes and limitations, assessments and the physician's answers, each with who and when.
 */
export function MobileCareHistory({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const care = useApi<MobileCare>(`/api/patients/${patientId}/mobile-care`);
  const entries = care.data ? describeMobileCare(care.data, t) : [];
  return (
    <section aria-labelledby="mobile-care-history-heading">
      <h2 id="mobile-care-history-heading">{t('mobileTeam.history.title')}</h2>
      <p className="muted">{t('mobileTeam.history.lead')}</p>
      <ErrorAlert error={care.error} />
      {care.isLoading && <Loading />}
      {care.data && entries.length === 0 && <p>{t('mobileTeam.history.none')}</p>}
      <ol className="card-list">
        {entries.map((e) => (
          <li key={e.key} className="card">
            <h3>{e.what}</h3>
            <p className="muted">
              {e.who
                ? t('history.by', { name: e.who, when: formatDateTime(e.at, i18n.language) })
                : formatDateTime(e.at, i18n.language)}
            </p>
            {e.detail && <p>{e.detail}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
