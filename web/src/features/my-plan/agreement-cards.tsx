import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContractContent, LinkedPlan, Responsibility, UnitRef } from '../../api/types.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { formatDate } from '../../components/format.ts';
import { useSay } from './voice.ts';

/** What matters to me, and our shared goals; my own proposals are marked as waiting for care. */
export function WhatMattersCard({ content }: { content: ContractContent }) {
  const { t, i18n } = useTranslation();
  const say = useSay();
  return (
    <section aria-labelledby="what-matters-heading" className="panel">
      <h2 id="what-matters-heading">{say('whatMatters')}</h2>
      {content.whatMatters ? (
        <p className="prose">{content.whatMatters}</p>
      ) : (
        !content.whatMattersPatientWords?.text && <p className="muted">{t('myPlan.agreement.none')}</p>
      )}
      {content.whatMattersPatientWords?.text && (
        <blockquote className="own-words">
          <p className="contact-role">{say('ownWords')}</p>
          <p className="prose">{content.whatMattersPatientWords.text}</p>
        </blockquote>
      )}
      <h3>{say('goals')}</h3>
      {content.goals.length === 0 ? (
        <p className="muted">{t('myPlan.agreement.none')}</p>
      ) : (
        <ul className="plain-list">
          {content.goals.map((g) => (
            <li key={g.id}>
              <strong>{g.text}</strong>
              <br />
              {g.proposedByPatient ? (
                <span className="tag tag-warning">{say('proposal')}</span>
              ) : (
                <span className="muted">
                  {t(`myPlan.aim.${g.ambition}`)}
                  {g.targetDate &&
                    ` · ${t('myPlan.agreement.targetDate', { date: formatDate(g.targetDate, i18n.language) })}`}
                  {' · '}
                  {t(`goalStatus.${g.status}`)}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * What I am responsible for (Region Dalarna, redovisning God och nära vård 2019). With `onToggle` each item is a checkbox the patient
 * ticks off; without it (a närstående reading) the state is told in words.
 */
export function ResponsibilitiesCard({
  items,
  onToggle,
}: {
  items: Responsibility[];
  onToggle?: (id: string, isDone: boolean) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const say = useSay();
  const announce = useAnnounce();
  // The box shows the tick at once (optimistic) and goes back if the server says no.
  const [pending, setPending] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<unknown>(null);

  async function toggle(item: Responsibility, isDone: boolean) {
    if (!onToggle) return;
    setPending((p) => ({ ...p, [item.id]: isDone }));
    setError(null);
    try {
      await onToggle(item.id, isDone);
      announce(
        t(isDone ? 'myPlan.responsibilities.markedDone' : 'myPlan.responsibilities.markedUndone', {
          text: item.text,
        }),
      );
    } catch (e) {
      setError(e);
    } finally {
      setPending((p) => Object.fromEntries(Object.entries(p).filter(([id]) => id !== item.id)));
    }
  }

  return (
    <section aria-labelledby="responsibilities-heading" className="panel">
      <h2 id="responsibilities-heading">{say('responsibilitiesTitle')}</h2>
      {items.length === 0 ? (
        <p className="muted">{say('responsibilitiesNone')}</p>
      ) : (
        <>
          {onToggle && <p className="hint">{t('myPlan.responsibilities.lead')}</p>}
          <ErrorAlert error={error} />
          <ul className="check-list">
            {items.map((r) => (
              <li key={r.id}>
                {onToggle ? (
                  <label className="check-item">
                    <input
                      type="checkbox"
                      checked={pending[r.id] ?? r.isDone === true}
                      onChange={(e) => {
                        if (!(r.id in pending)) void toggle(r, e.target.checked);
                      }}
                    />
                    <span>
                      {r.text}
                      {r.isDone && r.doneAt && (
                        <span className="muted done-at">
                          {' '}
                          (
                          {t('myPlan.responsibilities.doneOn', { date: formatDate(r.doneAt, i18n.language) })}
                          )
                        </span>
                      )}
                    </span>
                  </label>
                ) : (
                  <p className="check-item">
                    <span>{r.text}</span>
                    <span className={`tag ${r.isDone ? 'tag-success' : ''}`}>
                      {t(r.isDone ? 'myPlan.responsibilities.done' : 'myPlan.responsibilities.notDone')}
                    </span>
                  </p>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** My other plans (SIP, Min vårdplan …) with who owns each, so I know whom to ask. */
export function OtherPlansCard({ plans, units }: { plans: LinkedPlan[]; units: Record<string, UnitRef> }) {
  const { t, i18n } = useTranslation();
  const say = useSay();
  return (
    <section aria-labelledby="other-plans-heading" className="panel">
      <h2 id="other-plans-heading">{say('plansTitle')}</h2>
      {plans.length === 0 ? (
        <p className="muted">{say('plansNone')}</p>
      ) : (
        <>
          <p className="hint">{t('myPlan.plans.lead')}</p>
          <ul className="plain-list">
            {plans.map((p) => {
              const unit = units[p.unitId];
              return (
                <li key={p.id}>
                  <strong>{p.title || t(`linkedPlanType.${p.type}`)}</strong>
                  {p.title &&
                    !t(`linkedPlanType.${p.type}`).toLowerCase().includes(p.title.toLowerCase()) && (
                      <span className="muted"> ({t(`linkedPlanType.${p.type}`)})</span>
                    )}
                  <br />
                  {t('myPlan.plans.owner', {
                    owner: unit ? `${unit.name}, ${unit.providerName}` : t('plan.unknownUnit'),
                  })}
                  {unit?.phone && (
                    <>
                      {' · '}
                      <a href={`tel:${unit.phone.replace(/[^\d+]/g, '')}`}>{unit.phone}</a>
                    </>
                  )}
                  <br />
                  <span className="muted">
                    {t('myPlan.plans.date', { date: formatDate(p.date, i18n.language) })}
                  </span>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
