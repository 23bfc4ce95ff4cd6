/**
 * After an outcome that contacts a physician: first the number of the physician who answers
 * now, one tap to call (sending never replaces the call), then the SBAR draft to edit and send.
 * Once sent, the physician's acknowledgement and decision appear here live.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Escalation, EscalationRoute, Sbar } from '../../api/mobile-care-types.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { TextArea } from '../../components/form.tsx';
import { EscalationProgress } from './escalation-progress.tsx';

const sbarParts = ['situation', 'background', 'assessment', 'recommendation'] as const;

/** The big call link: the first thing on the screen once a physician is to be contacted. */
export function CallPhysician({ route }: { route: EscalationRoute }) {
  const { t } = useTranslation();
  return (
    <section className="panel call-panel" aria-labelledby="call-title">
      <h2 id="call-title">{t('mobileTeam.assessment.callTitle')}</h2>
      <p className="muted">{t(`mobileTeam.assessment.via.${route.via}`)}</p>
      <a className="button button-call" href={`tel:${route.phone.replace(/[^\d+]/g, '')}`}>
        <span>{t('mobileTeam.assessment.call', { name: route.name })}</span>{' '}
        <span className="nowrap">{route.phone}</span>
      </a>
      <p className="call-note">{t('mobileTeam.assessment.callNote')}</p>
    </section>
  );
}

export function SbarStep({
  patientId,
  assessmentId,
  route,
  draft,
  sent,
  onSent,
}: {
  patientId: string;
  assessmentId: string;
  route: EscalationRoute;
  draft: Sbar;
  /** The escalation once sent, as the server now knows it (refreshed live). */
  sent: Escalation | undefined;
  onSent: (escalation: Escalation) => void;
}) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [sbar, setSbar] = useState<Sbar>(draft);
  const [error, setError] = useState<unknown>(null);
  const [isSending, setIsSending] = useState(false);

  const send = async () => {
    setIsSending(true);
    setError(null);
    try {
      const answer = await api.post<Escalation>(`/api/patients/${patientId}/escalations`, {
        assessmentId,
        sbar,
      });
      announce(t('mobileTeam.assessment.sent', { name: answer.body.route.name }));
      onSent(answer.body);
    } catch (e) {
      setError(e);
    } finally {
      setIsSending(false);
    }
  };

  return (
    <>
      <CallPhysician route={route} />
      {sent ? (
        <EscalationProgress escalation={sent} />
      ) : (
        <form
          className="panel sbar-form"
          aria-labelledby="sbar-title"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <h2 id="sbar-title">{t('mobileTeam.assessment.sbarTitle')}</h2>
          <p className="muted">{t('mobileTeam.assessment.sbarLead')}</p>
          {sbarParts.map((part) => (
            <TextArea
              key={part}
              id={`sbar-${part}`}
              label={t(`mobileTeam.assessment.sbar.${part}`)}
              rows={part === 'situation' ? 3 : 5}
              value={sbar[part]}
              onChange={(value) => setSbar({ ...sbar, [part]: value })}
            />
          ))}
          <ErrorAlert error={error} />
          <button type="submit" className="button button-primary button-large" disabled={isSending}>
            {isSending ? t('mobileTeam.assessment.sending') : t('mobileTeam.assessment.send')}
          </button>
        </form>
      )}
    </>
  );
}
