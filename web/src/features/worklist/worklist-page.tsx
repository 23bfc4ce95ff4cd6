import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import type { Notification, Worklist, WorklistPatient } from '../../api/types.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { formatDate, formatDateTime, formatIdentifier } from '../../components/format.ts';
import { Page } from '../../components/page.tsx';
import { useLiveEvents } from './live-events.tsx';
import { WorklistTable } from './worklist-table.tsx';

/** "Mina patienter": what needs doing for my patients, and my unread notifications, live. */
export function WorklistPage() {
  const { t, i18n } = useTranslation();
  const worklist = useApi<Worklist>('/api/worklist?days=7');
  const notifications = useApi<{ unread: number; notifications: Notification[] }>(
    '/api/notifications?unread=true',
  );
  const [markError, setMarkError] = useState<unknown>(null);
  const isLive = useLiveEvents(() => {
    worklist.reload();
    notifications.reload();
  });

  async function markRead(id: string) {
    try {
      await api.post(`/api/notifications/${id}/read`);
      notifications.reload();
    } catch (e) {
      setMarkError(e);
    }
  }

  const patients = worklist.data?.patients ?? [];
  const byName = (a: WorklistPatient, b: WorklistPatient) => a.name.localeCompare(b.name, 'sv');
  const byNext = (a: WorklistPatient, b: WorklistPatient) =>
    (a.nextContactAt ?? '').localeCompare(b.nextContactAt ?? '');
  const overdueReview = patients.filter((p) => p.isReviewOverdue).sort(byName);
  const soon = patients.filter((p) => p.nextContactState === 'soon').sort(byNext);
  const overdueContact = patients.filter((p) => p.nextContactState === 'overdue').sort(byNext);
  const unread = notifications.data?.notifications ?? [];

  return (
    <Page title={t('worklist.title')}>
      <p className="muted live-state">{isLive ? t('live.connected') : t('live.connecting')}</p>
      <ErrorAlert error={worklist.error ?? notifications.error ?? markError} />

      <section aria-labelledby="notifications-heading" className="panel">
        <h2 id="notifications-heading">
          {t('worklist.notifications')} <span className="count">({notifications.data?.unread ?? 0})</span>
        </h2>
        {notifications.isLoading && !notifications.data && <Loading />}
        {notifications.data && unread.length === 0 && (
          <p className="muted">{t('worklist.noNotifications')}</p>
        )}
        <ul className="notification-list" aria-live="polite">
          {unread.map((n) => (
            <li key={n.id} className="notification">
              <div>
                <Link to={`/patient/${n.patientId}`}>{n.patientName}</Link>
                <p>{n.summary}</p>
                <p className="muted">{formatDateTime(n.createdAt, i18n.language)}</p>
              </div>
              <button type="button" className="button button-secondary" onClick={() => void markRead(n.id)}>
                {t('worklist.markRead')}
                <span className="visually-hidden">: {n.patientName}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>

      {worklist.isLoading && !worklist.data && <Loading />}
      {worklist.data && (
        <div className="grid-3">
          <DueList
            id="overdue-contacts"
            title={t('worklist.overdueContacts')}
            empty={t('worklist.noneOverdueContacts')}
            patients={overdueContact}
            detail={(p) => t('worklist.wasDue', { date: formatDateTime(p.nextContactAt, i18n.language) })}
          />
          <DueList
            id="soon-contacts"
            title={t('worklist.soonContacts', { days: worklist.data.days })}
            empty={t('worklist.noneSoon')}
            patients={soon}
            detail={(p) =>
              formatDateTime(p.nextContactAt, i18n.language) +
              (p.nextContactChangeRequested ? ` – ${t('worklist.changeRequested')}` : '')
            }
          />
          <DueList
            id="overdue-reviews"
            title={t('worklist.overdueReviews')}
            empty={t('worklist.noneOverdueReviews')}
            patients={overdueReview}
            detail={(p) => t('worklist.reviewWas', { date: formatDate(p.reviewDate, i18n.language) })}
          />
        </div>
      )}

      {worklist.data && <WorklistTable patients={[...patients].sort(byName)} />}
    </Page>
  );
}

function DueList({
  id,
  title,
  empty,
  patients,
  detail,
}: {
  id: string;
  title: string;
  empty: string;
  patients: WorklistPatient[];
  detail: (p: WorklistPatient) => string;
}) {
  return (
    <section aria-labelledby={id} className="panel">
      <h2 id={id}>
        {title} <span className="count">({patients.length})</span>
      </h2>
      {patients.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="due-list">
          {patients.map((p) => (
            <li key={p.patientId}>
              <Link to={`/patient/${p.patientId}`}>{p.name}</Link>{' '}
              <span className="muted">{formatIdentifier(p.identifier)}</span>
              <br />
              <span>{detail(p)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
