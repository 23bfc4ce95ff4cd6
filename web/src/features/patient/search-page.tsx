import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { Patient } from '../../api/types.ts';
import { ApiError, api } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { Loading } from '../../components/loading.tsx';
import { formatIdentifier } from '../../components/format.ts';
import { Page } from '../../components/page.tsx';

/** One page of the search; `nextCursor` when more patients follow. */
interface SearchAnswer {
  patients: Patient[];
  nextCursor?: string;
}

/** Looks like a personnummer, samordningsnummer or reservnummer rather than a name. */
const isNumberLike = (q: string): boolean => /^[\d\s+-]{6,}$/.test(q.trim()) || /^PK\d+$/i.test(q.trim());

/**
 * A birth date alone (ÅÅÅÅMMDD, ÅÅMMDD, ÅÅÅÅ-MM-DD): it names many people, so the search does not
 * take it (the server answers the same); said at the field before anything is sent.
 */
const isBirthDateOnly = (q: string): boolean =>
  /^[\d\s-]+$/.test(q.trim()) && [6, 8].includes(q.replace(/\D/g, '').length);

/** Find a patient by personnummer (any common format) or name. */
export function SearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const [fieldError, setFieldError] = useState<string>();
  const id = useId();
  const url = q ? `/api/patients?q=${encodeURIComponent(q)}` : null;
  const result = useApi<SearchAnswer>(url);
  // Later pages, fetched on "Visa fler"; kept only for the search they belong to.
  const [later, setLater] = useState<{ url: string | null; patients: Patient[]; next?: string }>({
    url: null,
    patients: [],
  });
  const isLaterCurrent = later.url === url && later.patients.length > 0;
  const nextCursor = isLaterCurrent ? later.next : result.data?.nextCursor;

  async function showMore() {
    if (!url || !nextCursor) return;
    const answer = await api.get<SearchAnswer>(`${url}&cursor=${encodeURIComponent(nextCursor)}`);
    setLater((before) => ({
      url,
      patients: [...(before.url === url ? before.patients : []), ...answer.body.patients],
      ...(answer.body.nextCursor ? { next: answer.body.nextCursor } : {}),
    }));
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const value = text.trim();
    if (!value) {
      setFieldError(t('search.missing'));
      return;
    }
    if (isBirthDateOnly(value)) {
      setFieldError(t('search.birthDateOnly'));
      return;
    }
    setFieldError(undefined);
    setParams({ q: value });
  }

  // The server's word on a malformed number or a birth date belongs at the field, not in a box.
  const inputError =
    result.error instanceof ApiError && result.error.code === 'invalid_patient_id'
      ? result.error.message
      : undefined;
  const shownError = fieldError ?? inputError;
  const patients = [...(result.data?.patients ?? []), ...(isLaterCurrent ? later.patients : [])];
  const summary = t(nextCursor ? 'search.resultsMore' : 'search.results', { count: patients.length });
  return (
    <Page title={t('search.title')}>
      <form role="search" onSubmit={submit} className="search-form" noValidate>
        <div className={`field${shownError ? ' field-invalid' : ''}`}>
          <label htmlFor={id}>{t('search.label')}</label>
          <p className="hint" id={`${id}-hint`}>
            {t('search.hint')}
          </p>
          {shownError && (
            <p className="field-error" id={`${id}-error`}>
              {shownError}
            </p>
          )}
          {/* The button sits right beside its field: one glance, one reach. */}
          <div className="search-row">
            <input
              id={id}
              type="search"
              value={text}
              onChange={(e) => setText(e.target.value)}
              aria-describedby={shownError ? `${id}-hint ${id}-error` : `${id}-hint`}
              aria-invalid={shownError ? true : undefined}
              autoComplete="off"
            />
            <button type="submit" className="button button-primary">
              {t('search.submit')}
            </button>
          </div>
        </div>
      </form>
      <p>
        <Link to="/registrera">{t('registration.link')}</Link>
      </p>
      {!inputError && <ErrorAlert error={result.error} />}
      {q && result.isLoading && <Loading lines={2} />}
      {q && result.data && (
        <section aria-labelledby="results" className="panel">
          <h2 id="results">{summary}</h2>
          <p className="visually-hidden" role="status">
            {summary}
          </p>
          {patients.length > 0 && (
            <ul className="card-list">
              {patients.map((p) => (
                <li key={p.id} className="card card-row">
                  <div>
                    <Link to={`/patient/${p.id}`} className="card-title">
                      {p.givenName} {p.familyName}
                    </Link>
                    <p className="muted">{formatIdentifier(p.identifier)}</p>
                  </div>
                </li>
              ))}
            </ul>
          )}
          {nextCursor && (
            <button type="button" className="button" onClick={() => void showMore()}>
              {t('search.showMore')}
            </button>
          )}
          {patients.length === 0 && (
            <div className="search-none">
              <p>{t('search.noneVisible')}</p>
              {isNumberLike(q) && (
                <>
                  <h3>{t('search.accessTitle')}</h3>
                  <p>{t('search.accessConsent')}</p>
                  <p>
                    <Link className="button button-primary" to={`/atkomst?pnr=${encodeURIComponent(q)}`}>
                      {t('search.accessOptions')}
                    </Link>
                  </p>
                  <p className="muted">{t('search.accessOther')}</p>
                  <h3>{t('registration.title')}</h3>
                  <p>
                    <Link className="button button-secondary" to={`/registrera?pnr=${encodeURIComponent(q)}`}>
                      {t('registration.link')}
                    </Link>
                  </p>
                </>
              )}
            </div>
          )}
        </section>
      )}
    </Page>
  );
}
