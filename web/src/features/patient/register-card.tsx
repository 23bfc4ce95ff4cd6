import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Patient } from '../../api/types.ts';
import { ApiError, api } from '../../api/client.ts';
import { ErrorAlert, Notice } from '../../components/alerts.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { TextField } from '../../components/form.tsx';
import { useMe } from '../auth/session.tsx';

/** What a refresh changed, as the server names it (services/patient-registration.ts#refresh). */
const changeKeys = ['name', 'died', 'moved-out', 'moved-back', 'protection-changed'] as const;

/**
 * The population register on the patient's page: read it again for a patient with a
 * personnummer (`POST …/register-refresh`), or, for a reservnummer, merge it into the person's
 * real number once known (`POST …/merge`, a verksamhetschef only; others are told who can).
 */
export function RegisterCard({ patient, onChanged }: { patient: Patient; onChanged: () => void }) {
  const { t } = useTranslation();
  const { me } = useMe();
  const announce = useAnnounce();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [changed, setChanged] = useState<string[] | null>(null);
  const [identifier, setIdentifier] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const isReserv = patient.identifierKind === 'reservnummer';

  async function refresh() {
    setError(null);
    try {
      const { body } = await api.post<{ changed: string[] }>(
        `/api/patients/${patient.id}/register-refresh`,
        {},
      );
      setChanged(body.changed);
      announce(body.changed.length === 0 ? t('registration.refreshNothing') : t('registration.refreshDone'));
      onChanged();
    } catch (e) {
      setError(e);
    }
  }

  async function merge(event: React.FormEvent) {
    event.preventDefault();
    if (!identifier.trim()) {
      setFieldError(t('registration.identifierMissing'));
      return;
    }
    setFieldError(undefined);
    setError(null);
    try {
      const { body } = await api.post<{ patient: Patient; summary: string }>(
        `/api/patients/${patient.id}/merge`,
        {
          identifier: identifier.trim(),
        },
      );
      announce(body.summary);
      void navigate(`/patient/${body.patient.id}`);
    } catch (e) {
      if (e instanceof ApiError && ['invalid_patient_id', 'not_in_register'].includes(e.code))
        setFieldError(e.message);
      else setError(e);
    }
  }

  return (
    <section aria-labelledby="register-card" className="panel">
      <h2 id="register-card">{t('registration.cardTitle')}</h2>
      <ErrorAlert error={error} />
      {!isReserv && (
        <>
          <p>{t('registration.refreshLead')}</p>
          {changed && (
            <Notice kind={changed.length === 0 ? 'info' : 'success'}>
              <p>{changed.length === 0 ? t('registration.refreshNothing') : t('registration.refreshDone')}</p>
              {changed.length > 0 && (
                <ul>
                  {changed.map((c) => (
                    <li key={c}>
                      {(changeKeys as readonly string[]).includes(c)
                        ? t(`registration.change.${c as (typeof changeKeys)[number]}`)
                        : c}
                    </li>
                  ))}
                </ul>
              )}
            </Notice>
          )}
          <button type="button" className="button button-secondary" onClick={() => void refresh()}>
            {t('registration.refresh')}
          </button>
        </>
      )}
      {isReserv && me.role !== 'verksamhetschef' && <p>{t('registration.mergeWho')}</p>}
      {isReserv && me.role === 'verksamhetschef' && (
        <form onSubmit={(e) => void merge(e)} noValidate>
          <p>{t('registration.mergeLead')}</p>
          <TextField
            label={t('registration.identifier')}
            hint={t('registration.identifierHint')}
            value={identifier}
            onChange={setIdentifier}
            error={fieldError}
            width="medium"
          />
          <button type="submit" className="button button-secondary">
            {t('registration.merge')}
          </button>
        </form>
      )}
    </section>
  );
}
