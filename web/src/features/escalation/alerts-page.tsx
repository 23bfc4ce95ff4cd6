/**
 * /larm — Akuta ärenden: the escalations addressed to me as physician on call (or backup, or at
 * my unit), newest first. New ones appear live (server-sent events), without a reload.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EscalationListItem } from '../../api/mobile-care-types.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading, Notice } from '../../components/alerts.tsx';
import { Page } from '../../components/page.tsx';
import '../assessment/mobile-care.css';
import { useLiveEvents } from '../worklist/live-events.tsx';
import { EscalationCard } from './escalation-card.tsx';

export default function AlertsPage() {
  const { t } = useTranslation();
  const list = useApi<{ escalations: EscalationListItem[] }>('/api/escalations?status=open');
  const [decided, setDecided] = useState(false);
  const isConnected = useLiveEvents((event) => {
    if (event.kind.startsWith('escalation') || event.isNotification) list.reload();
  });

  return (
    <Page
      title={t('mobileTeam.escalation.title')}
      lead={<p className="lead">{t('mobileTeam.escalation.lead')}</p>}
    >
      <p className="live-state muted">
        {isConnected ? t('mobileTeam.escalation.live') : t('mobileTeam.escalation.offline')}
      </p>
      {decided && <Notice kind="success">{t('mobileTeam.escalation.decidedNote')}</Notice>}
      <ErrorAlert error={list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && list.data.escalations.length === 0 && <p>{t('mobileTeam.escalation.none')}</p>}
      {list.data?.escalations.map((e) => (
        <EscalationCard
          key={e.id}
          escalation={e}
          onChanged={() => {
            setDecided(e.status === 'acknowledged');
            list.reload();
          }}
        />
      ))}
    </Page>
  );
}
