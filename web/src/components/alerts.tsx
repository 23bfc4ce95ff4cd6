import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { ApiError } from '../api/client.ts';

/** An error from the server, in its own Swedish words, with field details when there are any. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  const location = useLocation();
  if (!error) return null;
  const isLoggedOut = error instanceof ApiError && error.status === 401;
  const message =
    error instanceof ApiError
      ? error.status === 0
        ? t('errors.network')
        : error.message
      : error instanceof Error
        ? error.message
        : t('errors.unknown');
  const details = error instanceof ApiError ? error.details.filter((d) => d.message !== error.message) : [];
  return (
    <div className="alert alert-error" role="alert">
      {title && <p className="alert-title">{title}</p>}
      <p>{message}</p>
      {details.length > 0 && (
        <ul>
          {details.map((d) => (
            <li key={`${d.path}-${d.message}`}>{d.message}</li>
          ))}
        </ul>
      )}
      {isLoggedOut && (
        <p>
          <Link to={`/logga-in?nasta=${encodeURIComponent(location.pathname + location.search)}`}>
            {t('auth.loginAgain')}
          </Link>
        </p>
      )}
    </div>
  );
}

export function Notice({
  kind = 'info',
  children,
}: {
  kind?: 'info' | 'success' | 'warning';
  children: ReactNode;
}) {
  return <div className={`alert alert-${kind}`}>{children}</div>;
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}
