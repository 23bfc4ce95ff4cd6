import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useStaffNames, useUnits } from '../../api/directory.ts';
import { ApiError, api } from '../../api/client.ts';
import type { Contract, Overview, VersionList } from '../../api/types.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { formatDateTime } from '../../components/format.ts';
import { Page } from '../../components/page.tsx';
import { NotFoundOrDenied } from '../access/not-found-or-denied.tsx';
import { ChangeList } from './change-list.tsx';
import { ContactHistory } from './contact-history.tsx';
import { describeChanges } from './describe.ts';
import { MobileCareHistory } from './mobile-care-history.tsx';

/**
 * The versions of the current contract, newest first, with who, when and a readable diff: the
 * newest page first, older pages on demand ("Visa äldre").
 */
export default function HistoryPage() {
  const { t, i18n } = useTranslation();
  const { patientId = '' } = useParams();
  const units = useUnits();
  const overview = useApi<Overview>(`/api/patients/${patientId}/overview`);
  const contracts = useApi<{ contracts: Contract[] }>(`/api/patients/${patientId}/contracts`);
  const current = contracts.data?.contracts.find((c) => c.status !== 'ended') ?? contracts.data?.contracts[0];
  const versions = useApi<VersionList>(
    current ? `/api/patients/${patientId}/contracts/${current.id}/versions` : null,
  );
  // Older pages belong to the first page they were loaded after; a reload starts over.
  const [loaded, setLoaded] = useState<{ after?: VersionList; pages: VersionList[] }>({ pages: [] });
  const older = loaded.after !== undefined && loaded.after === versions.data ? loaded.pages : [];
  const [olderError, setOlderError] = useState<ApiError | undefined>();
  const [isLoadingOlder, setIsLoadingOlder] = useState(false);
  const next = older.length > 0 ? older[older.length - 1]!.next : (versions.data?.next ?? null);
  // The people the versions name (next contact, activities) by name, not by HSA-id.
  const staffUnits = [...(versions.data?.versions ?? []), ...older.flatMap((page) => page.versions)].flatMap(
    ({ content }) => [
      ...(content.nextContact?.withStaffId ? [content.nextContact.unitId] : []),
      ...content.activities.filter((a) => a.responsibleStaffId).map((a) => a.unitId),
    ],
  );
  const staffNames = useStaffNames(staffUnits);

  async function showOlder(url: string) {
    setIsLoadingOlder(true);
    setOlderError(undefined);
    try {
      const page = (await api.get<VersionList>(url)).body;
      setLoaded({ after: versions.data, pages: [...older, page] });
    } catch (error) {
      setOlderError(error instanceof ApiError ? error : new ApiError(0, 'network', String(error)));
    } finally {
      setIsLoadingOlder(false);
    }
  }

  if (overview.error?.status === 404) return <NotFoundOrDenied />;
  if (!overview.data) return overview.error ? <ErrorAlert error={overview.error} /> : <Loading />;
  const name = `${overview.data.patient.givenName} ${overview.data.patient.familyName}`;
  const names = {
    ...staffNames,
    ...Object.fromEntries(Object.entries(overview.data.staff).map(([id, s]) => [id, s.name])),
    ...Object.fromEntries(units.map((u) => [u.id, u.name])),
  };
  const list = [...(versions.data?.versions ?? []), ...older.flatMap((page) => page.versions)].sort(
    (a, b) => a.version - b.version,
  );

  return (
    <Page title={t('history.title', { name })} lead={<p className="lead">{t('history.lead')}</p>}>
      <p>
        <Link to={`/patient/${patientId}`}>{t('nav.backToPatient')}</Link>
      </p>
      <ErrorAlert error={contracts.error ?? versions.error ?? olderError} />
      {(contracts.isLoading || versions.isLoading) && <Loading />}
      {versions.data && list.length === 0 && <p>{t('history.noVersions')}</p>}
      <ol className="card-list" reversed>
        {list
          .map((v, i) => ({ v, prev: i > 0 ? list[i - 1] : undefined }))
          .reverse()
          .map(({ v, prev }) => {
            const changes = describeChanges(
              prev ? { content: prev.content, status: prev.status } : null,
              { content: v.content, status: v.status },
              t,
              names,
              i18n.language,
            );
            return (
              <li key={v.version} className="card">
                <h2>
                  {t('history.version', { version: v.version })}{' '}
                  {/* The status of the plan now, on its newest version only: an "Aktivt" on every
                      saved version reads as if they all still held (a status change is in the list). */}
                  {v.version === list[list.length - 1]?.version && (
                    <span className={`tag tag-${v.status}`}>{t(`contractStatus.${v.status}`)}</span>
                  )}
                </h2>
                <p className="muted">
                  {t('history.by', { name: v.actor.name, when: formatDateTime(v.changedAt, i18n.language) })}
                </p>
                {prev ? (
                  <details open={v.version === list[list.length - 1]?.version}>
                    <summary>
                      {t('history.showChanges')} ({changes.length})
                    </summary>
                    <ChangeList changes={changes} />
                  </details>
                ) : v.version === 1 ? (
                  <p>{t('history.firstVersion')}</p>
                ) : (
                  <p className="muted">{t('history.changesInOlder')}</p>
                )}
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
            {isLoadingOlder ? t('history.loadingOlder') : t('history.showOlder')}
          </button>
        </p>
      )}
      <ContactHistory patientId={patientId} />
      <MobileCareHistory patientId={patientId} />
    </Page>
  );
}
