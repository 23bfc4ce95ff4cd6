/**
 * Log review of the SMART launches from the region's journal systems (GET /api/audit/launches):
 * the launches of the reviewer's care provider, opened and refused, filtered by journal system,
 * user, period and outcome. Every look is logged on the server as log review.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { launchRefusals, type LaunchRefusal, type LoggedLaunch } from '../../../../src/domain/ehr-launch.ts';
import { addDays } from '../../../../src/domain/followup.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { SelectField, TextField } from '../../components/form.tsx';
import { formatDateTime, fromLocalInput } from '../../components/format.ts';
import { NotFoundPage } from '../../components/not-found-page.tsx';
import { Page } from '../../components/page.tsx';
import { useIsLogReviewer } from './audit-access.tsx';

type OutcomeFilter = 'opened' | 'refused' | 'choose-unit';

interface Filter {
  ehrSystemId: string;
  userId: string;
  from: string;
  to: string;
  outcome: OutcomeFilter | '';
}

const EMPTY: Filter = { ehrSystemId: '', userId: '', from: '', to: '', outcome: '' };

/** The query of a filter: the days are whole Swedish days, `to` included. */
function queryOf(filter: Filter): string {
  const params = new URLSearchParams();
  if (filter.ehrSystemId) params.set('ehrSystemId', filter.ehrSystemId);
  if (filter.userId.trim()) params.set('userId', filter.userId.trim());
  const from = filter.from ? fromLocalInput(`${filter.from}T00:00`) : null;
  const to = filter.to ? fromLocalInput(`${addDays(filter.to, 1)}T00:00`) : null;
  if (from) params.set('from', from);
  if (to) params.set('to', to);
  if (filter.outcome) params.set('outcome', filter.outcome);
  const query = params.toString();
  return query ? `?${query}` : '';
}

export default function LaunchLogPage() {
  const { t, i18n } = useTranslation();
  const isReviewer = useIsLogReviewer();
  const [draft, setDraft] = useState<Filter>(EMPTY);
  const [query, setQuery] = useState('');
  const list = useApi<{ launches: LoggedLaunch[]; systems: { id: string; name: string }[] }>(
    isReviewer ? `/api/audit/launches${query}` : null,
  );
  if (!isReviewer) return <NotFoundPage />;

  const set = (field: keyof Filter) => (value: string) => setDraft((f) => ({ ...f, [field]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQuery(queryOf(draft));
  };
  const outcomeText = (outcome: string): string => {
    if (outcome === 'opened') return t('audit.launches.opened');
    if (outcome === 'choose-unit') return t('audit.launches.chooseUnit');
    const refusal = launchRefusals[outcome as LaunchRefusal] as
      (typeof launchRefusals)[LaunchRefusal] | undefined;
    const reason = refusal ? (i18n.language === 'en' ? refusal.english : refusal.title) : outcome;
    return t('audit.launches.refused', { reason });
  };
  const launches = list.data?.launches ?? [];

  return (
    <Page title={t('audit.title')} lead={<p className="lead">{t('audit.lead')}</p>}>
      <section aria-labelledby="launches-heading" className="panel">
        <h2 id="launches-heading">{t('audit.launches.title')}</h2>
        <p className="hint">{t('audit.launches.lead')}</p>
        <form onSubmit={submit} aria-label={t('audit.launches.filter')}>
          <div className="inline-fields">
            <SelectField
              label={t('audit.launches.system')}
              value={draft.ehrSystemId}
              onChange={set('ehrSystemId')}
              placeholder={t('audit.launches.allSystems')}
              options={(list.data?.systems ?? []).map((s) => ({ value: s.id, label: s.name }))}
            />
            <TextField
              label={t('audit.launches.user')}
              hint={t('audit.launches.userHint')}
              value={draft.userId}
              onChange={set('userId')}
            />
            <SelectField<OutcomeFilter>
              label={t('audit.launches.outcome')}
              value={draft.outcome}
              onChange={set('outcome')}
              placeholder={t('audit.launches.allOutcomes')}
              options={[
                { value: 'opened', label: t('audit.launches.onlyOpened') },
                { value: 'refused', label: t('audit.launches.onlyRefused') },
                { value: 'choose-unit', label: t('audit.launches.onlyChooseUnit') },
              ]}
            />
          </div>
          <div className="inline-fields">
            <TextField
              type="date"
              label={t('audit.launches.from')}
              value={draft.from}
              onChange={set('from')}
            />
            <TextField type="date" label={t('audit.launches.to')} value={draft.to} onChange={set('to')} />
          </div>
          <div className="form-actions">
            <button type="submit" className="button button-primary">
              {t('audit.launches.show')}
            </button>
            <button
              type="button"
              className="button button-quiet"
              onClick={() => {
                setDraft(EMPTY);
                setQuery('');
              }}
            >
              {t('audit.launches.clear')}
            </button>
          </div>
        </form>
        <ErrorAlert error={list.error} />
        {list.isLoading && !list.data && <Loading />}
        <p className="muted" role="status">
          {list.data ? t('audit.launches.count', { count: launches.length }) : ''}
        </p>
        {launches.length > 0 && (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="launches-caption">
            <table>
              <caption id="launches-caption" className="visually-hidden">
                {t('audit.launches.title')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('audit.launches.when')}</th>
                  <th scope="col">{t('audit.launches.system')}</th>
                  <th scope="col">{t('audit.launches.who')}</th>
                  <th scope="col">{t('audit.launches.outcome')}</th>
                  <th scope="col">{t('audit.launches.patient')}</th>
                </tr>
              </thead>
              <tbody>
                {launches.map((l) => (
                  <tr key={l.id}>
                    <td data-label={t('audit.launches.when')}>{formatDateTime(l.at, i18n.language)}</td>
                    <td data-label={t('audit.launches.system')}>{l.ehrSystemName ?? l.iss ?? '–'}</td>
                    <td data-label={t('audit.launches.who')}>
                      {l.staffName ?? l.staffId ?? '–'}
                      {l.staffId && <span className="muted"> ({l.staffId})</span>}
                      {l.unitName && <div className="muted">{l.unitName}</div>}
                    </td>
                    <td data-label={t('audit.launches.outcome')}>
                      <span className={`tag ${l.outcome === 'opened' ? 'tag-success' : 'tag-warning'}`}>
                        {outcomeText(l.outcome)}
                      </span>
                    </td>
                    <td data-label={t('audit.launches.patient')}>
                      {l.patientId ? t('audit.launches.patientId', { id: l.patientId }) : '–'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Page>
  );
}
