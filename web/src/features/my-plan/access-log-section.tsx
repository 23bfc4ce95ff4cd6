import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { formatDateTime, swedishDayOfWhen } from '../../components/format.ts';

interface LogEntry {
  at: string;
  action: string;
  unitName: string | null;
  providerName: string | null;
  /** A närstående/ombud who read the plan. */
  proxyName: string | null;
  /** A registered system (another care provider's journal system) that read the plan. */
  systemName?: string | null;
  isEmergency: boolean;
}

const knownActions = [
  'read',
  'write',
  'print',
  'search',
  'export',
  'register-consent',
  'revoke-consent',
  'block',
  'lift-block',
  'register-relationship',
  'emergency-open',
  'merge-patient',
] as const;
type KnownAction = (typeof knownActions)[number];
const PAGE = 25;

/**
 * Runs of the same unit doing the same thing on the same day, as one row with a count: a
 * worklist that is opened ten times a morning is one line, not ten.
 */
function groupRuns(entries: readonly LogEntry[]): (LogEntry & { times: number })[] {
  const rows: (LogEntry & { times: number })[] = [];
  for (const e of entries) {
    const last = rows[rows.length - 1];
    const isSameRun =
      last !== undefined &&
      last.unitName === e.unitName &&
      last.providerName === e.providerName &&
      last.proxyName === e.proxyName &&
      last.systemName === e.systemName &&
      last.action === e.action &&
      last.isEmergency === e.isEmergency &&
      swedishDayOfWhen(last.at) === swedishDayOfWhen(e.at);
    if (isSameRun) last.times += 1;
    else rows.push({ ...e, times: 1 });
  }
  return rows;
}

/** Which units looked at my data and when (HSLF-FS 2016:40: the patient may see the log). */
export function AccessLogSection() {
  const { t, i18n } = useTranslation();
  const log = useApi<{ entries: LogEntry[] }>('/api/me/access-log');
  const [shown, setShown] = useState(PAGE);
  const entries = useMemo(() => groupRuns(log.data?.entries ?? []), [log.data]);
  const actionText = (action: string) =>
    (knownActions as readonly string[]).includes(action)
      ? t(`myPlan.consent.action.${action as KnownAction}`)
      : t('myPlan.consent.action.other');

  return (
    <section aria-labelledby="log-heading" className="panel">
      <h2 id="log-heading">{t('myPlan.consent.logTitle')}</h2>
      <p className="hint">{t('myPlan.consent.logLead')}</p>
      <ErrorAlert error={log.error} />
      {log.isLoading && !log.data && <Loading />}
      {log.data && entries.length === 0 && <p className="muted">{t('myPlan.consent.logEmpty')}</p>}
      {entries.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('myPlan.consent.logWhen')}</th>
                <th scope="col">{t('myPlan.consent.logWho')}</th>
                <th scope="col">{t('myPlan.consent.logWhat')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.slice(0, shown).map((e, i) => (
                <tr key={`${e.at}-${i}`}>
                  <td data-label={t('myPlan.consent.logWhen')}>{formatDateTime(e.at, i18n.language)}</td>
                  <td data-label={t('myPlan.consent.logWho')}>
                    {e.proxyName ? (
                      t('myPlan.consent.logProxy', { name: e.proxyName })
                    ) : (
                      <>
                        {e.systemName
                          ? t('myPlan.consent.logSystem', { name: e.systemName })
                          : (e.unitName ?? '–')}
                        {e.providerName && <span className="muted"> ({e.providerName})</span>}
                      </>
                    )}
                  </td>
                  <td data-label={t('myPlan.consent.logWhat')}>
                    {actionText(e.action)}
                    {e.times > 1 && (
                      <span className="muted"> ({t('myPlan.consent.logTimes', { n: e.times })})</span>
                    )}
                    {e.isEmergency && (
                      <span className="tag tag-warning">{t('myPlan.consent.logEmergency')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {entries.length > shown && (
        <p>
          <button type="button" className="button button-secondary" onClick={() => setShown((n) => n + PAGE)}>
            {t('myPlan.consent.logMore')}
          </button>
        </p>
      )}
      {entries.length > 0 && (
        <p className="muted">
          {t('myPlan.consent.logShown', { n: Math.min(shown, entries.length), total: entries.length })}
        </p>
      )}
    </section>
  );
}
