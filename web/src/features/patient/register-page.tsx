import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { Patient } from '../../api/types.ts';
import { ApiError, api } from '../../api/client.ts';
import { ErrorAlert, Notice } from '../../components/alerts.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { formatDate, formatIdentifier, todayIso } from '../../components/format.ts';
import { RadioGroup, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';

type Mode = 'register' | 'reservnummer';

/**
 * Registering a patient on first contact (`POST /api/patients`, services/patient-registration.ts):
 * by personnummer or samordningsnummer, with name, birth date and sex from the population register
 * (shown here as the register gave them, never typed); or, for a person without one, with the
 * name typed and a reservnummer the product issues. A number already registered answers exactly
 * like a new one.
 */
export default function RegisterPage() {
  const { t, i18n } = useTranslation();
  const announce = useAnnounce();
  const [params] = useSearchParams();
  const [mode, setMode] = useState<Mode>('register');
  const [identifier, setIdentifier] = useState(params.get('pnr') ?? '');
  const [phone, setPhone] = useState('');
  const [givenName, setGivenName] = useState('');
  const [familyName, setFamilyName] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [sex, setSex] = useState<'' | 'female' | 'male'>('');
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [error, setError] = useState<unknown>(null);
  const [isSending, setIsSending] = useState(false);
  const [done, setDone] = useState<Patient | null>(null);

  function check(): Partial<Record<string, string>> {
    if (mode === 'register')
      return identifier.trim() ? {} : { identifier: t('registration.identifierMissing') };
    const found: Partial<Record<string, string>> = {};
    if (!givenName.trim()) found.givenName = t('registration.givenNameMissing');
    if (!familyName.trim()) found.familyName = t('registration.familyNameMissing');
    if (birthDate && birthDate > todayIso()) found.birthDate = t('registration.birthDateFuture');
    return found;
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const found = check();
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setError(null);
    setIsSending(true);
    try {
      const body =
        mode === 'register'
          ? { identifier: identifier.trim(), ...(phone.trim() ? { phone: phone.trim() } : {}) }
          : {
              givenName: givenName.trim(),
              familyName: familyName.trim(),
              ...(birthDate ? { birthDate } : {}),
              ...(sex ? { sex } : {}),
              ...(phone.trim() ? { phone: phone.trim() } : {}),
            };
      const answer = await api.post<Patient>('/api/patients', body);
      setDone(answer.body);
      announce(t('registration.done', { name: `${answer.body.givenName} ${answer.body.familyName}` }));
    } catch (e) {
      // What the server says about the number belongs at the field.
      if (e instanceof ApiError && ['invalid_patient_id', 'not_in_register'].includes(e.code)) {
        setErrors({ identifier: e.message });
      } else setError(e);
    } finally {
      setIsSending(false);
    }
  }

  function again() {
    setDone(null);
    setIdentifier('');
    setPhone('');
    setGivenName('');
    setFamilyName('');
    setBirthDate('');
    setSex('');
  }

  if (done)
    return (
      <Page title={t('registration.title')}>
        <Notice kind="success">
          <p className="alert-title">
            {t('registration.done', { name: `${done.givenName} ${done.familyName}` })}
          </p>
          <dl className="register-facts">
            <dt>
              {done.identifierKind === 'reservnummer'
                ? t('registration.reservnummer')
                : t('registration.number')}
            </dt>
            <dd>{formatIdentifier(done.identifier)}</dd>
            <dt>{t('registration.name')}</dt>
            <dd>
              {done.givenName} {done.familyName}
            </dd>
            {done.birthDate && (
              <>
                <dt>{t('registration.birthDate')}</dt>
                <dd>{formatDate(done.birthDate, i18n.language)}</dd>
              </>
            )}
          </dl>
          <p>
            {done.identifierKind === 'reservnummer'
              ? t('registration.fromForm')
              : t('registration.fromRegister')}
          </p>
          {done.protection && done.protection !== 'none' && <p>{t('registration.protected')}</p>}
          {done.deceasedOn && (
            <p>{t('registration.deceased', { date: formatDate(done.deceasedOn, i18n.language) })}</p>
          )}
          <p>
            <Link to={`/patient/${done.id}`}>{t('registration.open')}</Link>
          </p>
        </Notice>
        <button type="button" className="button button-secondary" onClick={again}>
          {t('registration.another')}
        </button>
      </Page>
    );

  return (
    <Page title={t('registration.title')} lead={<p className="lead">{t('registration.lead')}</p>}>
      <ErrorAlert
        error={error}
        fieldLabels={{
          identifier: t('registration.identifier'),
          givenName: t('registration.givenName'),
          familyName: t('registration.familyName'),
          birthDate: t('registration.birthDate'),
          phone: t('registration.phone'),
        }}
      />
      <form onSubmit={(e) => void submit(e)} noValidate className="panel">
        <RadioGroup
          legend={t('registration.how')}
          value={mode}
          onChange={(value) => {
            setMode(value);
            setErrors({});
          }}
          options={[
            { value: 'register', label: t('registration.withNumber') },
            { value: 'reservnummer', label: t('registration.withoutNumber') },
          ]}
        />
        {mode === 'register' ? (
          <TextField
            label={t('registration.identifier')}
            hint={t('registration.identifierHint')}
            value={identifier}
            onChange={setIdentifier}
            error={errors.identifier}
            required
            width="medium"
          />
        ) : (
          <>
            <p className="hint">{t('registration.reservnummerHint')}</p>
            <TextField
              label={t('registration.givenName')}
              value={givenName}
              onChange={setGivenName}
              error={errors.givenName}
              required
            />
            <TextField
              label={t('registration.familyName')}
              value={familyName}
              onChange={setFamilyName}
              error={errors.familyName}
              required
            />
            <TextField
              label={t('registration.birthDate')}
              hint={t('registration.birthDateHint')}
              type="date"
              value={birthDate}
              onChange={setBirthDate}
              error={errors.birthDate}
              width="short"
            />
            <RadioGroup
              legend={t('registration.sex')}
              inline
              value={sex}
              onChange={setSex}
              options={[
                { value: '', label: t('registration.sexUnknown') },
                { value: 'female', label: t('registration.female') },
                { value: 'male', label: t('registration.male') },
              ]}
            />
          </>
        )}
        <TextField
          label={t('registration.phone')}
          type="tel"
          value={phone}
          onChange={setPhone}
          inputMode="tel"
          autoComplete="off"
          width="medium"
        />
        <button type="submit" className="button button-primary" disabled={isSending}>
          {mode === 'register' ? t('registration.submitRegister') : t('registration.submitReservnummer')}
        </button>
      </form>
    </Page>
  );
}
