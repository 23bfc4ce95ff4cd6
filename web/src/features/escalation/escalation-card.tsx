/**
 * One escalation on the physician's list: who and what (NEWS2, the SBAR), "Ring sjuksköterskan"
 * and the plan one click away, then acknowledge and decide.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import type { EscalationListItem } from '../../api/mobile-care-types.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { formatIdentifier } from '../../components/format.ts';
import { telHref } from '../team/team-call-line.tsx';
import { DecisionForm } from './decision-form.tsx';
import { DecisionText } from './escalation-progress.tsx';
import { formatWhen } from './when.ts';

const sbarParts = ['situation', 'background', 'assessment', 'recommendation'] as const;

export function EscalationCard({
  escalation: e,
  onChanged,
}: {
  escalation: EscalationListItem;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const announce = useAnnounce();
  const [error, setError] = useState<unknown>(null);
  const headingId = `escalation-${e.id}`;
  const patient = e.patient.name;

  const acknowledge = async () => {
    setError(null);
    try {
      await api.post(`/api/escalations/${e.id}/acknowledge`);
      announce(t('mobileTeam.escalation.acknowledgedNote'));
      onChanged();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <article className={`escalation-card${e.status === 'sent' ? ' is-new' : ''}`} aria-labelledby={headingId}>
      <h2 id={headingId}>
        {patient}
        <span className="count"> · {formatIdentifier(e.patient.personnummer)}</span>
      </h2>
      <p>
        <span className={`tag${e.status === 'sent' ? ' tag-warning' : ''}`}>
          {t(`mobileTeam.escalation.status.${e.status}`)}
        </span>{' '}
        {e.score !== null && e.risk && (
          <span className={`tag risk-${e.risk}`}>
            NEWS2 {e.score} · {t(`mobileTeam.news2.risk.${e.risk}`)}
          </span>
        )}{' '}
        {e.flagged && <span className="tag tag-warning">{t('mobileTeam.escalation.flagged')}</span>}
      </p>
      <p className="muted">
        {t('mobileTeam.escalation.sentAt', { time: formatWhen(e.sentAt, t, lng) })}
        {` · ${t('mobileTeam.escalation.from', { name: e.from.name, unit: e.from.unitName })}`}
      </p>
      <p className="action-bar">
        {e.from.phone && (
          <a className="button button-primary" href={telHref(e.from.phone)}>
            {t('mobileTeam.escalation.callNurse', { phone: e.from.phone })}
          </a>
        )}
        <Link
          className="button button-secondary"
          to={`/patient/${e.patientId}`}
          aria-label={`${t('mobileTeam.links.plan')}: ${patient}`}
        >
          {t('mobileTeam.links.plan')}
        </Link>
        <Link
          className="button button-secondary"
          to={`/patient/${e.patientId}/akutblad`}
          aria-label={`${t('mobileTeam.links.akutblad')}: ${patient}`}
        >
          {t('mobileTeam.links.akutblad')}
        </Link>
      </p>
      <h3>{t('mobileTeam.escalation.sbar')}</h3>
      <dl className="sbar-list">
        {sbarParts.map((part) => (
          <div key={part}>
            <dt>{t(`mobileTeam.assessment.sbar.${part}`)}</dt>
            <dd>{e.sbar[part]}</dd>
          </div>
        ))}
      </dl>
      <ErrorAlert error={error} />
      {e.status === 'sent' && (
        <p className="form-actions">
          <button
            type="button"
            className="button button-primary"
            aria-label={`${t('mobileTeam.escalation.acknowledge')}: ${patient}`}
            onClick={() => void acknowledge()}
          >
            {t('mobileTeam.escalation.acknowledge')}
          </button>
        </p>
      )}
      {e.decision ? (
        <div className="decision">
          <DecisionText decision={e.decision} />
        </div>
      ) : (
        e.status === 'acknowledged' && (
          <DecisionForm
            escalation={e}
            onDecided={() => {
              announce(t('mobileTeam.escalation.decidedNote'));
              onChanged();
            }}
          />
        )
      )}
    </article>
  );
}
