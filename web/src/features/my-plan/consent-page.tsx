import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Overview } from '../../api/types.ts';
import { useApi } from '../../api/use-api.ts';
import { Page } from '../../components/page.tsx';
import { AccessLogSection } from './access-log-section.tsx';
import { BlockSection } from './block-section.tsx';
import { ConsentSection } from './consent-section.tsx';
import { usePatientMe } from './require-patient.tsx';

/** Samtycke och logg: who may see my plan, what I have blocked, and who has looked. */
export default function ConsentPage() {
  const { t } = useTranslation();
  const me = usePatientMe();
  const overview = useApi<Overview>(`/api/patients/${me.patientId}/overview`);
  // The units in my care (contacts, plan, listing) are offered first.
  const mineIds = useMemo(
    () =>
      new Set([
        ...Object.keys(overview.data?.units ?? {}),
        ...(overview.data?.careContacts ?? []).map((c) => c.unitId),
      ]),
    [overview.data],
  );
  return (
    <Page title={t('myPlan.consent.title')} lead={<p className="lead">{t('myPlan.consent.lead')}</p>}>
      <ConsentSection patientId={me.patientId} mineIds={mineIds} />
      <AccessLogSection />
      <BlockSection patientId={me.patientId} mineIds={mineIds} />
    </Page>
  );
}
