import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/alerts.tsx';
import { RadioGroup } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { useSession } from './session.tsx';

/** Where a launch from a journal system waits for the unit choice (server route, not the app's). */
const LAUNCH_RESUME = '/launch/resume';

/** Choose the unit to act from (GET /auth/units, POST /auth/unit). */
export function UnitPage() {
  const { t } = useTranslation();
  const { state, chooseUnit } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const units = state.status === 'ready' || state.status === 'needs-unit' ? state.units : [];
  const current = state.status === 'ready' ? state.me.unitId : '';
  const [chosen, setUnitId] = useState<string>('');
  // The session may still be loading when the page opens: the current unit is the default.
  const unitId = chosen || current || (units.length === 1 ? (units[0]?.unitId ?? '') : '');
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!unitId) {
      setError(new Error(t('auth.chooseUnitMissing')));
      return;
    }
    setIsBusy(true);
    try {
      await chooseUnit(unitId);
      const next = params.get('nasta') ?? '/';
      if (next === LAUNCH_RESUME) {
        // A launch from the journal system continues on the server (GET /launch/resume).
        window.location.assign(next);
        return;
      }
      void navigate(next.startsWith('/') && !next.startsWith('//') ? next : '/');
    } catch (e) {
      setError(e);
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <Page title={t('auth.chooseUnitTitle')}>
      <p className="lead">{t('auth.chooseUnitLead')}</p>
      <ErrorAlert error={error} />
      <form onSubmit={(e) => void submit(e)} className="form">
        <RadioGroup
          legend={t('auth.unit')}
          value={unitId}
          onChange={setUnitId}
          options={units.map((u) => ({ value: u.unitId, label: u.unitName }))}
        />
        <button type="submit" className="button button-primary" disabled={isBusy}>
          {t('auth.chooseUnitSubmit')}
        </button>
      </form>
    </Page>
  );
}
