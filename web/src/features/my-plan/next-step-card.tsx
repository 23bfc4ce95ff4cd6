import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { NextContact, StaffRef, UnitRef } from '../../api/types.ts';
import { formatDateTime } from '../../components/format.ts';
import { useSay } from './voice.ts';

/**
 * "En tid i handen", in the patient's words: when, how, where and with whom, and whether the
 * time is agreed. The actions (confirm, ask for another time) come as children, so that a
 * närstående sees the same card without them.
 */
export function NextStepCard({
  nextContact,
  units,
  staff,
  children,
}: {
  nextContact: NextContact | null;
  units: Record<string, UnitRef>;
  staff: Record<string, StaffRef>;
  children?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const say = useSay();
  if (!nextContact) {
    return (
      <section aria-labelledby="next-step-heading" className="panel panel-highlight">
        <h2 id="next-step-heading">{say('nextTitle')}</h2>
        <p className="big">{say('nextNone')}</p>
        <p>{say('nextNoneHint')}</p>
      </section>
    );
  }
  const unit = units[nextContact.unitId];
  const person = nextContact.withStaffId ? staff[nextContact.withStaffId] : undefined;
  const isPast = new Date(nextContact.at) < new Date();
  return (
    <section aria-labelledby="next-step-heading" className="panel panel-highlight">
      <h2 id="next-step-heading">{say('nextTitle')}</h2>
      <p className="big next-when">{formatDateTime(nextContact.at, i18n.language)}</p>
      <dl className="facts">
        <div>
          <dt>{t('myPlan.next.how')}</dt>
          <dd>{t(`myPlan.mode.${nextContact.mode}`)}</dd>
        </div>
        {nextContact.durationMinutes !== undefined && (
          <div>
            <dt>{t('myPlan.next.howLong')}</dt>
            <dd>{t('myPlan.next.about', { count: nextContact.durationMinutes })}</dd>
          </div>
        )}
        <div>
          <dt>{t('myPlan.next.where')}</dt>
          <dd>
            {unit ? unit.name : t('plan.unknownUnit')}
            {unit?.phone && (
              <>
                {', '}
                <a href={`tel:${unit.phone.replace(/[^\d+]/g, '')}`}>{unit.phone}</a>
              </>
            )}
          </dd>
        </div>
        {person && (
          <div>
            <dt>{t('myPlan.next.withWhom')}</dt>
            <dd>
              {person.name}
              {person.title && `, ${person.title.toLowerCase()}`}
            </dd>
          </div>
        )}
      </dl>
      {nextContact.note && <p className="prose">{nextContact.note}</p>}
      <p className="status-line">
        {isPast ? (
          <span className="tag tag-warning">{t('myPlan.next.past')}</span>
        ) : nextContact.patientRequestedChange ? (
          <span className="tag tag-warning">{say('nextChangeRequested')}</span>
        ) : nextContact.agreement === 'overenskommen' ? (
          <span className="tag tag-success">{say('nextAgreed')}</span>
        ) : (
          <span className="tag tag-warning">{t('myPlan.next.offered')}</span>
        )}
      </p>
      {!isPast && children}
    </section>
  );
}
