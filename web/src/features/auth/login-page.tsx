import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { useSession } from './session.tsx';

interface AuthConfig {
  devLogin: boolean;
  staffOidc: boolean;
  patientOidc?: boolean;
}

interface DevUsers {
  staff: {
    hsaId: string;
    name: string;
    title: string | null;
    units: { unitId: string; unitName: string }[];
  }[];
  patients?: { personnummer: string; name: string }[];
}

/** Login: SITHS through OIDC when configured, else the demo's development login. */
export function LoginPage() {
  const { t } = useTranslation();
  const config = useApi<AuthConfig>('/auth/config');
  const users = useApi<DevUsers>(config.data?.devLogin ? '/auth/dev/users' : null);
  const { devLogin, devLoginPatient } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [otherPnr, setOtherPnr] = useState('');

  const next = params.get('nasta') ?? '/';
  const safeNext = next.startsWith('/') && !next.startsWith('//') ? next : '/';

  async function logIn(hsaId: string) {
    setBusy(hsaId);
    setError(null);
    try {
      const state = await devLogin(hsaId);
      if (state.status === 'ready' && state.units.length > 1) {
        void navigate(`/valj-enhet?nasta=${encodeURIComponent(safeNext)}`);
      } else {
        void navigate(safeNext);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  async function logInPatient(personnummer: string) {
    setBusy(personnummer);
    setError(null);
    try {
      await devLoginPatient(personnummer);
      // A patient lands on their own plan (staff addresses would send them there anyway).
      void navigate(safeNext === '/' ? '/min-plan' : safeNext);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  return (
    <Page title={t('auth.loginTitle')}>
      <p className="lead">{t('auth.loginLead')}</p>
      {(config.data?.patientOidc || (users.data?.patients?.length ?? 0) > 0) && (
        <p>
          <a href="#patient-login" className="jump-link">
            {t('myPlan.login.jump')}
          </a>
        </p>
      )}
      <ErrorAlert error={error ?? config.error ?? users.error} />
      {config.isLoading && <Loading />}
      {config.data?.staffOidc && (
        <p>
          <a className="button button-primary" href="/auth/staff/login">
            {t('auth.sithsLogin')}
          </a>
        </p>
      )}
      {config.data?.devLogin && (
        <section aria-labelledby="dev-login">
          <h2 id="dev-login">{t('auth.devLoginTitle')}</h2>
          <p className="hint">{t('auth.devLoginHint')}</p>
          {users.isLoading && <Loading />}
          <ul className="card-list">
            {users.data?.staff.map((s) => (
              <li key={s.hsaId} className="card card-row">
                <div>
                  <p className="card-title">{s.name}</p>
                  <p className="muted">
                    {s.title} · {s.units.map((u) => u.unitName).join(', ')}
                  </p>
                </div>
                <button
                  type="button"
                  className="button button-primary"
                  onClick={() => void logIn(s.hsaId)}
                  disabled={busy !== null}
                  aria-label={t('auth.loginAs', { name: s.name })}
                >
                  {t('auth.login')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {(config.data?.patientOidc || (users.data?.patients?.length ?? 0) > 0) && (
        <section aria-labelledby="patient-login" className="patient-login">
          <h2 id="patient-login" tabIndex={-1}>
            {t('myPlan.login.title')}
          </h2>
          <p className="hint">{t('myPlan.login.lead')}</p>
          {config.data?.patientOidc && (
            <p>
              <a className="button button-primary" href="/auth/patient/login">
                {t('myPlan.login.bankId')}
              </a>
            </p>
          )}
          {config.data?.devLogin && (
            <>
              <h3>{t('myPlan.login.devTitle')}</h3>
              <p className="hint">{t('myPlan.login.devHint')}</p>
              <ul className="card-list">
                {users.data?.patients?.map((p) => (
                  <li key={p.personnummer} className="card card-row">
                    <p className="card-title">{p.name}</p>
                    <button
                      type="button"
                      className="button button-primary"
                      onClick={() => void logInPatient(p.personnummer)}
                      disabled={busy !== null}
                      aria-label={t('auth.loginAs', { name: p.name })}
                    >
                      {t('auth.login')}
                    </button>
                  </li>
                ))}
              </ul>
              <form
                className="search-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (otherPnr.trim()) void logInPatient(otherPnr.trim());
                }}
              >
                <TextField
                  label={t('myPlan.login.devOther')}
                  hint={t('myPlan.login.devOtherHint')}
                  value={otherPnr}
                  onChange={setOtherPnr}
                  inputMode="numeric"
                  width="medium"
                />
                <button type="submit" className="button button-secondary" disabled={busy !== null}>
                  {t('auth.login')}
                </button>
              </form>
            </>
          )}
        </section>
      )}
      {config.data && !config.data.devLogin && !config.data.staffOidc && !config.data.patientOidc && (
        <p>{t('auth.noLogin')}</p>
      )}
    </Page>
  );
}
