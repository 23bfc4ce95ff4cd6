import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { Contract, Overview } from '../../api/types.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { Page } from '../../components/page.tsx';
import { NotFoundOrDenied } from '../access/not-found-or-denied.tsx';
import { ContractEditor } from './contract-editor.tsx';

/** Editing every part of the current contract (PUT with If-Match). */
export default function ContractEditPage() {
  const { t } = useTranslation();
  const { patientId = '' } = useParams();
  const overview = useApi<Overview>(`/api/patients/${patientId}/overview`);
  const contract = useApi<Contract>(`/api/patients/${patientId}/contract`);

  if (overview.error?.status === 404) return <NotFoundOrDenied />;
  if (!overview.data) return overview.error ? <ErrorAlert error={overview.error} /> : <Loading />;
  const name = `${overview.data.patient.givenName} ${overview.data.patient.familyName}`;
  if (contract.error?.status === 404) {
    return (
      <Page title={t('edit.title', { name })}>
        <p>{t('edit.noContract')}</p>
      </Page>
    );
  }
  if (!contract.data || !contract.etag)
    return contract.error ? <ErrorAlert error={contract.error} /> : <Loading />;
  return <ContractEditor key={contract.data.id} patientId={patientId} name={name} initial={contract.data} />;
}
