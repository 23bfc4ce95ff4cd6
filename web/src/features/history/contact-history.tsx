import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CareContactHistoryEntry, CareContactState } from '../../../../src/domain/care-contact.ts';
import { ApiError, api } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { useHoursText } from '../care-contact/contacts-card.tsx';

type Field = keyof CareContactState;
interface HistoryPage {
  entries: CareContactHistoryEntry[];
  next: string | null;
}

/** Every change to the fixed contacts and treating roles, newest first: who, when, before and after. */
export function ContactHistory({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const hoursText = useHoursText();
  const history = useApi<HistoryPage>(`/api/patients/${patientId}/care-contacts/history`);
  // Older pages belong to the first page they were loaded after; a reload starts over.
  const [loaded, setLoaded] = useState<{ after?: HistoryPage; pages: HistoryPage[] }>({ pages: [] });
  const older = loaded.after !== undefined && loaded.after === history.data ? loaded.pages : [];
  const [olderError, setOlderError] = useState<ApiError | undefined>();
  const [isLoadingOlder, setIsLoadingOlder] = useState(false);
  const next = older.length > 0 ? older[older.length - 1]!.next : (history.data?.next ?? null);
  const entries = [history.data, ...older].flatMap((page) => page?.entries ?? []);

  async function showOlder(url: string) {
    setIsLoadingOlder(true);
    setOlderError(undefined);
    try {
      const page = (await api.get<HistoryPage>(url)).body;
      setLoaded({ after: history.data, pages: [...older, page] });
    } catch (error) {
      setOlderError(error instanceof ApiError ? error : new ApiError(0, 'network', String(error)));
    } finally {
      setIsLoadingOlder(false);
    }
  }

  const describe = (field: Field, state: CareContactState | null): string => {
    const value = state?.[field];
    if (value === null || value === undefined || value === '') return t('history.empty');
    switch (field) {
      case 'role':
        return t(`roles.${value as CareContactState['role']}`);
      case 'status':
        return t(`contactHistory.status.${value as CareContactState['status']}`);
      case 'reason':
        return value === 'behov' ? t('contacts.reasonNeed') : t('contacts.reasonPatient');
      case 'viaTeam':
        return value ? t('common.yes') : t('common.no');
      case 'reachable':
        return (value as CareContactState['reachable']).length > 0
          ? hoursText(value as CareContactState['reachable'])
          : t('history.empty');
      case 'startDate':
      case 'reviewDate':
      case 'endDate':
        return formatDate(value as string, i18n.language);
      case 'roleTitle':
      case 'staffId':
      case 'staffName':
      case 'unitId':
      case 'unitName':
      case 'phone':
      case 'endReason':
      case 'note':
        return value as string;
    }
  };
  // The ids are the names' keys; the names say it for people.
  const shown = (fields: Field[]): Field[] => fields.filter((f) => f !== 'staffId' && f !== 'unitId');

  return (
    <section aria-labelledby="contact-history-heading">
      <h2 id="contact-history-heading">{t('contactHistory.title')}</h2>
      <p className="muted">{t('contactHistory.lead')}</p>
      <ErrorAlert error={history.error ?? olderError} />
      {history.isLoading && <Loading />}
      {history.data && entries.length === 0 && <p>{t('contactHistory.none')}</p>}
      <ol className="card-list">
        {entries.map((e) => {
          const role =
            e.after.role === 'behandlande-roll' && e.after.roleTitle
              ? e.after.roleTitle
              : t(`roles.${e.after.role}`);
          return (
            <li key={e.seq} className="card">
              <h3>
                {role}: {t(`contactHistory.action.${e.action}`).toLowerCase()}
                {e.after.staffName ? ` (${e.after.staffName})` : ''}
              </h3>
              <p className="muted">
                {t('history.by', { name: e.actor.name, when: formatDateTime(e.changedAt, i18n.language) })}
              </p>
              <ul className="plain-list">
                {shown(e.changedFields).map((field) => (
                  <li key={field}>
                    <strong>{t(`contactHistory.field.${field}`)}</strong>
                    <div className="diff">
                      {e.before && (
                        <p className="diff-before">
                          <span className="diff-label">{t('history.before')}</span>
                          {describe(field, e.before)}
                        </p>
                      )}
                      <p className="diff-after">
                        <span className="diff-label">{t('history.after')}</span>
                        {describe(field, e.after)}
                      </p>
                    </div>
                  </li>
                ))}
              </ul>
            </li>
          );
        })}
      </ol>
      {next && (
        <p>
          <button
            type="button"
            className="button button-secondary"
            disabled={isLoadingOlder}
            onClick={() => void showOlder(next)}
          >
            {isLoadingOlder ? t('history.loadingOlder') : t('contactHistory.showOlder')}
          </button>
        </p>
      )}
    </section>
  );
}
