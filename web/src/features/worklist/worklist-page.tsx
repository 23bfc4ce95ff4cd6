import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client.ts';
import type { Notification, Worklist, WorklistPatient } from '../../api/types.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { formatDateTime } from '../../components/format.ts';
import { Page } from '../../components/page.tsx';
import { useLiveEvents } from './live-events.tsx';
import { NeedsNewContact } from './needs-new-contact.tsx';
import { WorklistTable } from './worklist-table.tsx';
import './worklist.css';

/** The filter chips, kept in the URL (?visa=…) so that a reload or a link keeps the view. */
const views = ['vantar', 'forsenade', 'idag', 'alla'] as const;
type View = (typeof views)[number];
const tierOfView = { vantar: 'waiting', forsenade: 'overdue', idag: 'today', alla: null } as const;

/** Matches a name, or a personnummer typed with or without century, dash or plus. */
function matches(p: WorklistPatient, query: string): boolean {
  const q = query.trim().toLocaleLowerCase('sv');
  if (!q) return true;
  const digits = q.replace(/[-+\s]/g, '');
  if (/^\d+$/.test(digits)) return p.identifier.includes(digits);
  return p.name.toLocaleLowerCase('sv').includes(q);
}

/**
 * "Mina patienter": one row per patient, most urgent first — what waits for my reply, then
 * what is overdue, then what is due today, then the rest — with a filter, and my unread
 * notifications below; updated live.
 */
export function WorklistPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
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

  const view: View = views.find((v) => v === params.get('visa')) ?? 'alla';
  const query = params.get('q') ?? '';
  function update(next: { visa?: View; q?: string }) {
    const merged = new URLSearchParams(params);
    const visa = next.visa ?? view;
    const q = next.q ?? query;
    if (visa === 'alla') merged.delete('visa');
    else merged.set('visa', visa);
    if (q) merged.set('q', q);
    else merged.delete('q');
    setParams(merged, { replace: true });
  }

  const patients = worklist.data?.patients ?? [];
  const countOf = (v: View) =>
    patients.filter((p) => tierOfView[v] === null || p.tier === tierOfView[v]).length;
  const shown = patients.filter(
    (p) => (tierOfView[view] === null || p.tier === tierOfView[view]) && matches(p, query),
  );
  const showRoles = new Set(patients.map((p) => p.roles.join(','))).size > 1;
  const unread = notifications.data?.notifications ?? [];

  return (
    <Page title={t('worklist.title')}>
      <p className="muted live-state">{isLive ? t('live.connected') : t('live.connecting')}</p>
      <ErrorAlert error={worklist.error ?? notifications.error ?? markError} />
      <NeedsNewContact />

      <section aria-labelledby="all-patients" className="panel worklist-panel">
        <h2 id="all-patients">
          {t('worklist.allPatients')}{' '}
          <span className="count">
            (
            {shown.length === patients.length
              ? patients.length
              : t('worklist.shownOf', { shown: shown.length, count: patients.length })}
            )
          </span>
        </h2>
        {worklist.isLoading && !worklist.data && <Loading />}
        {worklist.data && patients.length === 0 && <p className="muted">{t('worklist.noPatients')}</p>}
        {patients.length > 0 && (
          <>
            <div className="worklist-filters">
              <label className="worklist-search">
                <span>{t('worklist.filterLabel')}</span>
                <input
                  type="search"
                  value={query}
                  onChange={(e) => update({ q: e.target.value })}
                  autoComplete="off"
                />
              </label>
              <div role="group" aria-label={t('worklist.viewGroup')} className="worklist-chips">
                {views.map((v) => (
                  <button
                    key={v}
                    type="button"
                    className="chip"
                    aria-pressed={view === v}
                    onClick={() => update({ visa: v })}
                  >
                    {t(`worklist.view.${v}`)} <span className="count">({countOf(v)})</span>
                  </button>
                ))}
              </div>
            </div>
            {shown.length === 0 ? (
              <p className="muted" role="status">
                {t('worklist.noMatch')}
              </p>
            ) : (
              <WorklistTable patients={shown} showRoles={showRoles} headingId="all-patients" />
            )}
          </>
        )}
      </section>

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
                <Link to={`/patient/${n.patientId}`}>{n.patientName}</Link>{' '}
                <span
                  className={`tag worklist-badge ${n.kind === 'patient-request' ? 'badge-waiting' : 'badge-info'}`}
                >
                  <span aria-hidden="true">{n.kind === 'patient-request' ? '✉ ' : 'ℹ '}</span>
                  {n.kind === 'patient-request' ? t('worklist.badge.waiting') : t('worklist.forInformation')}
                </span>
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
    </Page>
  );
}
