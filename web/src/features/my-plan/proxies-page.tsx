import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { Checkbox, TextField } from '../../components/form.tsx';
import { formatDate, formatIdentifier, todayIso } from '../../components/format.ts';
import { Page } from '../../components/page.tsx';
import { lastDayOf, RepresentedList } from './represented.tsx';
import { usePatientMe } from './require-patient.tsx';
import { SuccessNote } from './success-note.tsx';
import { RowWithAction } from './row-with-action.tsx';
import { useAction } from './use-action.ts';

interface ProxyGrant {
  id: string;
  granteeName: string;
  granteeIdentifier: string;
  validTo: string | null;
  revokedAt: string | null;
  isActive: boolean;
}

type Field = 'personnummer' | 'givenName' | 'familyName' | 'validTo';

/**
 * Närstående och ombud: give a named person read access to my plan until an end date, see who
 * can read it, take the access back; and the plans others let me read.
 */
export default function ProxiesPage() {
  const { t, i18n } = useTranslation();
  const me = usePatientMe();
  const grants = useApi<{ proxies: ProxyGrant[] }>(`/api/patients/${me.patientId}/proxies`);
  const [form, setForm] = useState<Record<Field, string>>({
    personnummer: '',
    givenName: '',
    familyName: '',
    validTo: '',
  });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const { error, done, busy, run } = useAction(grants.reload);
  // A protected person's grant is confirmed a second time (security.md, Skyddade personuppgifter).
  const needsConfirm = error instanceof ApiError && error.code === 'proxy_confirmation_required';
  const [confirmed, setConfirmed] = useState(false);
  const active = (grants.data?.proxies ?? []).filter((g) => g.isActive);
  const set = (field: Field) => (value: string) => setForm((f) => ({ ...f, [field]: value }));

  async function grant(event: React.FormEvent) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {
      ...(form.personnummer.trim() ? {} : { personnummer: t('myPlan.proxies.pnrMissing') }),
      ...(form.givenName.trim() ? {} : { givenName: t('myPlan.proxies.nameMissing') }),
      ...(form.familyName.trim() ? {} : { familyName: t('myPlan.proxies.nameMissing') }),
      ...(!form.validTo
        ? { validTo: t('myPlan.proxies.untilMissing') }
        : form.validTo < todayIso()
          ? { validTo: t('myPlan.proxies.untilPast') }
          : {}),
    };
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const name = `${form.givenName.trim()} ${form.familyName.trim()}`;
    const isDone = await run(
      () =>
        api.post(`/api/patients/${me.patientId}/proxies`, {
          personnummer: form.personnummer.trim(),
          givenName: form.givenName.trim(),
          familyName: form.familyName.trim(),
          validTo: form.validTo,
          ...(confirmed ? { confirmProtectedIdentity: true } : {}),
        }),
      t('myPlan.proxies.granted', { name }),
    );
    if (isDone) {
      setForm({ personnummer: '', givenName: '', familyName: '', validTo: '' });
      setConfirmed(false);
    }
  }

  return (
    <Page title={t('myPlan.proxies.title')} lead={<p className="lead">{t('myPlan.proxies.lead')}</p>}>
      <section aria-labelledby="grants-heading" className="panel">
        <h2 id="grants-heading">{t('myPlan.proxies.listTitle')}</h2>
        <ErrorAlert error={grants.error ?? error} />
        <SuccessNote message={done} />
        {grants.isLoading && !grants.data && <Loading />}
        {grants.data && active.length === 0 && <p className="muted">{t('myPlan.proxies.none')}</p>}
        {active.length > 0 && (
          <ul className="plain-list">
            {active.map((g) => (
              <RowWithAction
                key={g.id}
                name={g.granteeName}
                detail={
                  <>
                    {formatIdentifier(g.granteeIdentifier.replace('-', ''))}
                    {g.validTo &&
                      ` · ${t('myPlan.proxies.validUntil', { date: formatDate(lastDayOf(g.validTo), i18n.language) })}`}
                  </>
                }
                action={t('myPlan.proxies.revoke')}
                actionLabel={t('myPlan.proxies.revokeLabel', { name: g.granteeName })}
                disabled={busy}
                onAction={() =>
                  void run(
                    () => api.post(`/api/patients/${me.patientId}/proxies/${g.id}/revoke`),
                    t('myPlan.proxies.revoked', { name: g.granteeName }),
                  )
                }
              />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="grant-heading" className="panel">
        <h2 id="grant-heading">{t('myPlan.proxies.grantTitle')}</h2>
        <form className="form" onSubmit={(e) => void grant(e)} noValidate>
          <TextField
            label={t('myPlan.proxies.pnr')}
            hint={t('myPlan.proxies.pnrHint')}
            error={errors.personnummer}
            value={form.personnummer}
            onChange={set('personnummer')}
            inputMode="numeric"
            width="medium"
          />
          <div className="inline-fields">
            <TextField
              label={t('myPlan.proxies.givenName')}
              error={errors.givenName}
              value={form.givenName}
              onChange={set('givenName')}
              autoComplete="off"
            />
            <TextField
              label={t('myPlan.proxies.familyName')}
              error={errors.familyName}
              value={form.familyName}
              onChange={set('familyName')}
              autoComplete="off"
            />
          </div>
          <TextField
            type="date"
            label={t('myPlan.proxies.until')}
            hint={t('myPlan.proxies.untilHint')}
            error={errors.validTo}
            value={form.validTo}
            onChange={set('validTo')}
            width="short"
          />
          {(needsConfirm || confirmed) && (
            <Checkbox label={t('personStatus.proxyConfirm')} checked={confirmed} onChange={setConfirmed} />
          )}
          <button type="submit" className="button button-primary" disabled={busy}>
            {t('myPlan.proxies.grant')}
          </button>
        </form>
      </section>

      <RepresentedList />
    </Page>
  );
}
