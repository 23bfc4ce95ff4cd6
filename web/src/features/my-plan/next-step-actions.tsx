import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import type { Contract, NextContact } from '../../api/types.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { TextArea } from '../../components/form.tsx';
import { formatDate } from '../../components/format.ts';
import { SuccessNote } from './success-note.tsx';

/**
 * Confirm the next time, or ask for another one with a short message
 * (POST …/contract/next-contact/response). The answer names the time the patient saw, so a
 * time staff changed meanwhile is refused (409) and the new one is shown.
 */
export function NextStepActions({
  nextContact,
  act,
  onStale,
}: {
  nextContact: NextContact;
  act: (path: string, body: unknown) => Promise<Contract>;
  onStale: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [isAsking, setIsAsking] = useState(false);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const messageRef = useRef<HTMLFieldSetElement>(null);
  const askRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  // Into the message field when the form opens; back to the button when it is cancelled.
  useEffect(() => {
    if (isAsking) messageRef.current?.querySelector('textarea')?.focus();
    else if (wasAsking.current) askRef.current?.focus();
    wasAsking.current = isAsking;
  }, [isAsking]);

  async function respond(response: 'confirmed' | 'wants-other') {
    setBusy(true);
    setError(null);
    try {
      await act('contract/next-contact/response', {
        response,
        at: nextContact.at,
        ...(response === 'wants-other' && message.trim() ? { message: message.trim() } : {}),
      });
      const text = t(response === 'confirmed' ? 'myPlan.next.confirmed' : 'myPlan.next.requested');
      setDone(text);
      setIsAsking(false);
      setMessage('');
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) onStale();
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const response = nextContact.patientResponse;
  const isConfirmed = nextContact.agreement === 'overenskommen' && response?.response === 'confirmed';
  return (
    <div className="next-actions">
      <SuccessNote message={done} />
      <ErrorAlert error={error} />
      {nextContact.patientRequestedChange && (
        <p>
          {t('myPlan.next.waiting')}
          {response?.message && (
            <>
              <br />
              <span className="muted">{t('myPlan.next.yourMessage', { message: response.message })}</span>
            </>
          )}
        </p>
      )}
      {isConfirmed && !done && (
        <p className="muted">
          {t('myPlan.next.youConfirmed', { date: formatDate(response.respondedAt, i18n.language) })}
        </p>
      )}
      {isAsking ? (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            void respond('wants-other');
          }}
        >
          <fieldset className="item-editor" ref={messageRef}>
            <legend>{t('myPlan.next.askOtherLegend')}</legend>
            <TextArea
              label={t('myPlan.next.messageLabel')}
              hint={t('myPlan.next.messageHint')}
              value={message}
              onChange={setMessage}
            />
            <div className="form-actions">
              <button type="submit" className="button button-primary" disabled={busy}>
                {t('myPlan.next.send')}
              </button>
              <button type="button" className="button button-secondary" onClick={() => setIsAsking(false)}>
                {t('common.cancel')}
              </button>
            </div>
          </fieldset>
        </form>
      ) : (
        <div className="action-bar">
          {!isConfirmed && (
            <button
              type="button"
              className="button button-primary"
              disabled={busy}
              onClick={() => void respond('confirmed')}
            >
              {t(nextContact.patientRequestedChange ? 'myPlan.next.confirmAnyway' : 'myPlan.next.confirm')}
            </button>
          )}
          {!nextContact.patientRequestedChange && (
            <button
              ref={askRef}
              type="button"
              className="button button-secondary"
              disabled={busy}
              onClick={() => setIsAsking(true)}
            >
              {t('myPlan.next.askOther')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
