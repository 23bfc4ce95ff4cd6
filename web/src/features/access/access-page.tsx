import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client.ts';
import { ErrorAlert, Notice } from '../../components/alerts.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { RadioGroup, TextArea, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { useMe } from '../auth/session.tsx';

type Done = { text: string; patientId: string } | null;

/** `POST /api/access/care-relationship`: the reason is 3 to 500 characters. */
const RELATIONSHIP_REASON_MIN = 3;

/**
 * The ways to a basis for access when a patient is not shown (security.md): a care
 * relationship, the patient's consent, or emergency access in two steps with a reason. The
 * routes take a personnummer; each act is logged.
 */
export default function AccessPage() {
  const { t } = useTranslation();
  const { me } = useMe();
  const announce = useAnnounce();
  const [params] = useSearchParams();
  const [identifier, setIdentifier] = useState(params.get('pnr') ?? '');
  const [identifierError, setIdentifierError] = useState<string>();
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string>();
  const [method, setMethod] = useState<'i-person' | 'telefon'>('i-person');
  const [intent, setIntent] = useState<{
    confirmationToken: string;
    message: string;
    minutes: number;
  } | null>(null);
  const [emergencyReason, setEmergencyReason] = useState('');
  const [emergencyError, setEmergencyError] = useState<string>();
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Done>(null);

  async function run(action: () => Promise<Done>) {
    if (!identifier.trim()) {
      setIdentifierError(t('access.identifierMissing'));
      return;
    }
    setIdentifierError(undefined);
    setError(null);
    try {
      const result = await action();
      if (result) {
        setDone(result);
        announce(result.text);
      }
    } catch (e) {
      setError(e);
    }
  }

  const relationship = () => {
    // The server's rule (3 to 500 characters), told at the field before anything is sent.
    if (reason.trim().length < RELATIONSHIP_REASON_MIN) {
      setReasonError(t('access.relationshipReasonTooShort', { min: RELATIONSHIP_REASON_MIN }));
      return;
    }
    setReasonError(undefined);
    void run(async () => {
      const { body } = await api.post<{ patientId: string }>('/api/access/care-relationship', {
        identifier,
        reason,
      });
      return { text: t('access.relationshipDone'), patientId: body.patientId };
    });
  };
  const consent = () =>
    run(async () => {
      const { body } = await api.post<{ patientId: string }>('/api/access/consent', {
        identifier,
        consent: { scope: 'unit', unitId: me.unitId, method },
      });
      return { text: t('access.consentDone'), patientId: body.patientId };
    });
  const startEmergency = () =>
    run(async () => {
      const { body } = await api.post<{ confirmationToken: string; message: string; minutes: number }>(
        '/api/access/emergency/intent',
        { identifier },
      );
      setIntent(body);
      return null;
    });
  const confirmEmergency = () => {
    if (emergencyReason.trim().length < 10) {
      setEmergencyError(t('access.reasonTooShort'));
      return;
    }
    setEmergencyError(undefined);
    void run(async () => {
      const { body } = await api.post<{ patientId: string }>('/api/access/emergency', {
        identifier,
        confirmationToken: intent?.confirmationToken ?? '',
        reason: emergencyReason.trim(),
      });
      setIntent(null);
      return {
        text: t('access.emergencyDone', { minutes: intent?.minutes ?? 0 }),
        patientId: body.patientId,
      };
    });
  };

  return (
    <Page title={t('access.title')} lead={<p className="lead">{t('access.lead')}</p>}>
      {done && (
        <Notice kind="success">
          <p>{done.text}</p>
          <p>
            <Link to={`/patient/${done.patientId}`}>{t('access.openPatient')}</Link>
          </p>
        </Notice>
      )}
      <ErrorAlert
        error={error}
        fieldLabels={{
          identifier: t('access.identifier'),
          reason: t('access.reasonField'),
          method: t('access.consentMethod'),
        }}
      />
      <div className="panel">
        <TextField
          label={t('access.identifier')}
          hint={t('access.identifierHint')}
          value={identifier}
          onChange={setIdentifier}
          error={identifierError}
          width="medium"
        />
      </div>
      <section aria-labelledby="consent" className="panel access-expected">
        <h2 id="consent">{t('access.consentTitle')}</h2>
        <p>{t('access.consentLead')}</p>
        <p className="hint">{t('access.consentWhen')}</p>
        <RadioGroup
          legend={t('access.consentMethod')}
          inline
          value={method}
          onChange={setMethod}
          options={[
            { value: 'i-person', label: t('access.methodInPerson') },
            { value: 'telefon', label: t('access.methodPhone') },
          ]}
        />
        <button type="button" className="button button-primary" onClick={() => void consent()}>
          {t('access.consentSubmit')}
        </button>
      </section>
      <section aria-labelledby="relationship" className="panel">
        <h2 id="relationship">{t('access.relationshipTitle')}</h2>
        <p>{t('access.relationshipLead')}</p>
        <TextArea
          label={t('access.relationshipReason')}
          hint={t('access.relationshipReasonHint', { min: RELATIONSHIP_REASON_MIN })}
          error={reasonError}
          rows={2}
          value={reason}
          onChange={setReason}
        />
        <button type="button" className="button button-secondary" onClick={relationship}>
          {t('access.relationshipSubmit')}
        </button>
      </section>
      {/* Exceptional: last, folded away, and marked as such. Opening it is not the act; step 1 is. */}
      <section aria-labelledby="emergency" className="panel access-emergency">
        <h2 id="emergency">{t('access.emergencyTitle')}</h2>
        <p>{t('access.emergencyLead')}</p>
        <details>
          <summary>{t('access.emergencyOpen')}</summary>
          {intent ? (
            <>
              <p className="alert alert-warning">{intent.message}</p>
              <TextArea
                label={t('access.emergencyReason')}
                hint={t('access.emergencyReasonHint')}
                value={emergencyReason}
                onChange={setEmergencyReason}
                error={emergencyError}
              />
              <button type="button" className="button button-danger" onClick={confirmEmergency}>
                {t('access.emergencyConfirm')}
              </button>
            </>
          ) : (
            <button type="button" className="button button-secondary" onClick={() => void startEmergency()}>
              {t('access.emergencyStart')}
            </button>
          )}
        </details>
      </section>
    </Page>
  );
}
