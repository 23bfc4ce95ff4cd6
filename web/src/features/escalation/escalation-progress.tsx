/**
 * Where an escalation stands, for the nurse who sent it: sent to whom and when, acknowledged,
 * the physician's decision, or moved on to the backup. The parent refreshes it live.
 */
import { useTranslation } from 'react-i18next';
import type { Decision, Escalation } from '../../api/mobile-care-types.ts';
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

export function EscalationProgress({
  escalation: e,
  headingLevel = 2,
}: {
  escalation: Escalation;
  headingLevel?: 2 | 3;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const headingId = `progress-${e.id}`;
  return (
    <section className="panel escalation-progress" aria-labelledby={headingId}>
      <Heading id={headingId}>{t('mobileTeam.assessment.sent', { name: e.route.name })}</Heading>
      <p className="muted">{t('mobileTeam.escalation.sentAt', { time: formatWhen(e.sentAt, t, lng) })}</p>
      {/* Read out when the physician acknowledges or answers. */}
      <div aria-live="polite">
        {e.escalatedToBackupAt && (
          <p className="tag tag-warning">
            {t('mobileTeam.assessment.backedUp', { time: formatWhen(e.escalatedToBackupAt, t, lng) })}
          </p>
        )}
        {e.acknowledged ? (
          <p>
            {t('mobileTeam.assessment.acknowledged', {
              name: e.acknowledged.name,
              time: formatWhen(e.acknowledged.at, t, lng),
            })}
          </p>
        ) : (
          <p>{t('mobileTeam.assessment.waiting')}</p>
        )}
        {e.decision && (
          <div className="decision">
            <p className="contact-role">{t('mobileTeam.assessment.decided')}</p>
            <DecisionText decision={e.decision} />
            <p className="muted">
              {t('mobileTeam.assessment.decidedBy', {
                name: e.decided?.name ?? '',
                time: formatWhen(e.decided?.at, t, lng),
              })}
            </p>
          </div>
        )}
      </div>
    </section>
  );
}
