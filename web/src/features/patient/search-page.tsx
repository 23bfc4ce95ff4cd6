import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { Patient } from '../../api/types.ts';
import { api } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { formatIdentifier } from '../../components/format.ts';
import { TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';

/** One page of the search; `nextCursor` when more patients follow. */
interface SearchAnswer {
  patients: Patient[];
  nextCursor?: string;
}

/** Looks like a personnummer, samordningsnummer or reservnummer rather than a name. */
const isNumberLike = (q: string): boolean => /^[\d\s+-]{6,}$/.test(q.trim()) || /^PK\d+$/i.test(q.trim());

/** Find a patient by personnummer (any common format) or name. */
export function SearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
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
    if (value) setParams({ q: value });
  }

  const patients = [...(result.data?.patients ?? []), ...(isLaterCurrent ? later.patients : [])];
  const summary = t(nextCursor ? 'search.resultsMore' : 'search.results', { count: patients.length });
  return (
    <Page title={t('search.title')}>
      <form role="search" onSubmit={submit} className="search-form">
        <TextField
          label={t('search.label')}
          hint={t('search.hint')}
          value={text}
          onChange={setText}
          type="search"
        />
        <button type="submit" className="button button-primary">
          {t('search.submit')}
        </button>
      </form>
      <ErrorAlert error={result.error} />
      {q && result.isLoading && <Loading />}
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
            <div>
              <p>{t('search.noneVisible')}</p>
              {isNumberLike(q) && (
                <p>
                  <Link to={`/atkomst?pnr=${encodeURIComponent(q)}`}>{t('search.accessOptions')}</Link>
                </p>
              )}
            </div>
          )}
        </section>
      )}
    </Page>
  );
}
