import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { ApiError } from '../api/client.ts';

/**
 * An error from the server, in its own Swedish words, with field details when there are any.
 * `fieldLabels` names the fields (by the last part of a detail's path, e.g. `reason` for
 * `body/reason`), so that a detail reads "Skäl: För kort …" rather than leaving the reader to guess.
 */
export function ErrorAlert({
  error,
  title,
  fieldLabels = {},
}: {
  error: unknown;
  title?: string;
  fieldLabels?: Record<string, string>;
}) {
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
            <li key={`${d.path}-${d.message}`}>
              {labelOf(d.path, fieldLabels) ? `${labelOf(d.path, fieldLabels)}: ${d.message}` : d.message}
            </li>
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

function labelOf(path: string, labels: Record<string, string>): string | undefined {
  const field = path.split('/').filter(Boolean).pop();
  return field === undefined ? undefined : labels[field];
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

/** The shared loading placeholder (a reserved-size skeleton), kept importable from here. */
export { Loading } from './loading.tsx';
