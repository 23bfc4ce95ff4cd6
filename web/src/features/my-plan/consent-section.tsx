import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useUnits } from '../../api/directory.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { formatDate } from '../../components/format.ts';
import { ConsentHint, type UnitWithoutConsent } from './consent-hint.tsx';
import { GroupedSelect, unitOptions } from './unit-select.tsx';
import { SuccessNote } from './success-note.tsx';
import { EndedList } from './ended-list.tsx';
import { RowWithAction } from './row-with-action.tsx';
import { useAction } from './use-action.ts';

interface ConsentRecord {
  id: string;
  scope: 'unit' | 'staff';
  unitId: string | null;
  unitName: string | null;
  staffName: string | null;
  validFrom: string;
  validTo: string | null;
  revokedAt: string | null;
}

const isCurrent = (c: ConsentRecord, now: number) =>
  c.revokedAt === null && (c.validTo === null || Date.parse(c.validTo) > now);

/**
 * Who may see my plan (Lag 2022:913): the consents I have given, each with "Ta tillbaka"
 * (effective on the unit's next request), and a form to give one to a unit.
 */
export function ConsentSection({ patientId, mineIds }: { patientId: string; mineIds: ReadonlySet<string> }) {
  const { t, i18n } = useTranslation();
  const consents = useApi<{ consents: ConsentRecord[]; unitsWithoutConsent?: UnitWithoutConsent[] }>(
    `/api/patients/${patientId}/consents`,
  );
  const units = useUnits();
  const [unitId, setUnitId] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const { error, done, busy, run } = useAction(consents.reload);
  const [now] = useState(() => Date.now());
  const current = (consents.data?.consents ?? []).filter((c) => isCurrent(c, now));
  const ended = (consents.data?.consents ?? []).filter((c) => !isCurrent(c, now));
  const nameOf = (c: ConsentRecord) => c.unitName ?? c.staffName ?? '';

  async function give(event: React.FormEvent) {
    event.preventDefault();
    if (!unitId) {
      setFieldError(t('myPlan.consent.chooseMissing'));
      return;
    }
    setFieldError(undefined);
    const unit = units.find((u) => u.id === unitId)?.name ?? unitId;
    const isDone = await run(
      () => api.post(`/api/patients/${patientId}/consents`, { scope: 'unit', unitId, method: 'digitalt' }),
      t('myPlan.consent.givenDone', { unit }),
    );
    if (isDone) setUnitId('');
  }

  const options = unitOptions(units, mineIds);
  return (
    <section aria-labelledby="consent-heading" className="panel">
      <h2 id="consent-heading">{t('myPlan.consent.consentTitle')}</h2>
      <p className="hint">{t('myPlan.consent.consentLead')}</p>
      <ConsentHint
        patientId={patientId}
        units={consents.data?.unitsWithoutConsent ?? []}
        onGiven={consents.reload}
        isNested
      />
      <ErrorAlert error={consents.error ?? error} />
      <SuccessNote message={done} />
      {consents.isLoading && !consents.data && <Loading />}
      {consents.data && (
        <>
          <h3>{t('myPlan.consent.given')}</h3>
          {current.length === 0 ? (
            <p className="muted">{t('myPlan.consent.noneGiven')}</p>
          ) : (
            <ul className="plain-list">
              {current.map((c) => (
                <RowWithAction
                  key={c.id}
                  name={nameOf(c)}
                  detail={
                    <>
                      {t('myPlan.consent.since', { date: formatDate(c.validFrom, i18n.language) })}
                      {c.validTo &&
                        `, ${t('myPlan.consent.until', { date: formatDate(c.validTo, i18n.language) })}`}
                    </>
                  }
                  action={t('myPlan.consent.revoke')}
                  actionLabel={t('myPlan.consent.revokeLabel', { unit: nameOf(c) })}
                  disabled={busy}
                  onAction={() =>
                    void run(
                      () => api.post(`/api/patients/${patientId}/consents/${c.id}/revoke`),
                      t('myPlan.consent.revoked', { unit: nameOf(c) }),
                    )
                  }
                />
              ))}
            </ul>
          )}
          <EndedList
            summary={t('myPlan.consent.ended', { count: ended.length })}
            items={ended}
            name={nameOf}
            detail={(c) => (
              <>
                {t('myPlan.consent.since', { date: formatDate(c.validFrom, i18n.language) })}
                {', '}
                {c.revokedAt
                  ? t('myPlan.consent.revokedOn', { date: formatDate(c.revokedAt, i18n.language) })
                  : t('myPlan.consent.endedOn', { date: formatDate(c.validTo ?? '', i18n.language) })}
              </>
            )}
          />
        </>
      )}
      <form className="form" onSubmit={(e) => void give(e)} noValidate>
        <GroupedSelect
          label={t('myPlan.consent.giveLabel')}
          hint={t('myPlan.consent.giveHint')}
          error={fieldError}
          value={unitId}
          onChange={setUnitId}
          mine={options.mine}
          others={options.others}
        />
        <button type="submit" className="button button-primary" disabled={busy}>
          {t('myPlan.consent.give')}
        </button>
      </form>
    </section>
  );
}
