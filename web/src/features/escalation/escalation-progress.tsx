/**
 * Where an escalation stands, for the nurse who sent it: sent to whom and when, acknowledged,
 * the physician's decision, or moved on to the backup. The parent refreshes it live.
 */
import { useTranslation } from 'react-i18next';
import { nameOf, type Decision, type Escalation } from '../../api/mobile-care-types.ts';
import { formatWhen } from './when.ts';

/** The decision in words: "Hembesök av teamet i dag 14:00". */
export function DecisionText({ decision }: { decision: Decision }) {
  const { t, i18n } = useTranslation();
  const when = decision.at ? formatWhen(decision.at, t, i18n.language) : '';
  return (
    <>
      <p className="decision-kind">
        {t(`mobileTeam.escalation.kind.${decision.kind}`)}
        {when && ` ${when}`}
      </p>
      {decision.text && <p className="prose">{decision.text}</p>}
    </>
  );
}

export function EscalationProgress({ escalation: e }: { escalation: Escalation }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  return (
    <section className="panel escalation-progress" aria-labelledby="progress-title">
      <h2 id="progress-title">{t('mobileTeam.assessment.sent', { name: e.route.name })}</h2>
      <p className="muted">{t('mobileTeam.escalation.sentAt', { time: formatWhen(e.sentAt, t, lng) })}</p>
      {/* Read out when the physician acknowledges or answers. */}
      <div aria-live="polite">
        {e.escalatedToBackupAt && (
          <p className="tag tag-warning">
            {t('mobileTeam.assessment.backedUp', { time: formatWhen(e.escalatedToBackupAt, t, lng) })}
          </p>
        )}
        {e.acknowledgedAt ? (
          <p>
            {t('mobileTeam.assessment.acknowledged', {
              name: nameOf(e.acknowledgedBy) || e.route.name,
              time: formatWhen(e.acknowledgedAt, t, lng),
            })}
          </p>
        ) : (
          <p>{t('mobileTeam.assessment.waiting')}</p>
        )}
        {e.decision && (
          <div className="decision">
            <h3>{t('mobileTeam.assessment.decided')}</h3>
            <DecisionText decision={e.decision} />
            <p className="muted">
              {t('mobileTeam.assessment.decidedBy', {
                name: nameOf(e.decidedBy),
                time: formatWhen(e.decidedAt, t, lng),
              })}
            </p>
          </div>
        )}
      </div>
    </section>
  );
}
