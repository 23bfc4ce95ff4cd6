import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { formatDate } from '../../components/format.ts';

export interface Represented {
  grantId: string;
  patientId: string;
  name: string;
  validTo: string | null;
}

/** The plans I may read as närstående or ombud (GET /api/me/represented). */
export function useRepresented() {
  return useApi<{ represented: Represented[] }>('/api/me/represented');
}

/** The last day a grant holds: validTo is the first instant after it. */
export const lastDayOf = (validTo: string): string => new Date(Date.parse(validTo) - 1).toISOString();

/** Links to the plans I may read; `compact` for the top of Min plan, where it shows only when there are any. */
export function RepresentedList({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const represented = useRepresented();
  const list = represented.data?.represented ?? [];
  if (compact && list.length === 0) return null;
  const links = (
    <ul className="link-list">
      {list.map((r) => (
        <li key={r.grantId}>
          <Link to={`/narstaende/${r.patientId}`}>{t('myPlan.proxies.open', { name: r.name })}</Link>
          {r.validTo && (
            <span className="muted link-note">
              {t('myPlan.proxies.readableUntil', { date: formatDate(lastDayOf(r.validTo), i18n.language) })}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
  if (compact) {
    return (
      <nav aria-label={t('myPlan.proxies.readableTitle')} className="alert">
        <p className="alert-title">{t('myPlan.proxies.readableTitle')}</p>
        {links}
      </nav>
    );
  }
  return (
    <section aria-labelledby="readable-heading" className="panel">
      <h2 id="readable-heading">{t('myPlan.proxies.readableTitle')}</h2>
      <ErrorAlert error={represented.error} />
      {represented.data && list.length === 0 ? (
        <p className="muted">{t('myPlan.proxies.readableNone')}</p>
      ) : (
        <>
          <p className="hint">{t('myPlan.proxies.readableLead')}</p>
          {links}
        </>
      )}
    </section>
  );
}
