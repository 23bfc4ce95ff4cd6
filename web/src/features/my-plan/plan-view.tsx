import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Overview } from '../../api/types.ts';
import { Notice } from '../../components/alerts.tsx';
import { formatDate } from '../../components/format.ts';
import { OtherPlansCard, ResponsibilitiesCard, WhatMattersCard } from './agreement-cards.tsx';
import { CareTimeline } from './care-timeline.tsx';
import { ContactCard, IfWorseCard } from './contact-card.tsx';
import { NextStepCard } from './next-step-card.tsx';
import { VoiceContext } from './voice.ts';

/**
 * The plan as the patient reads it, most urgent first on a phone: the next step, whom to
 * call, what to do if worse, my own part, what matters and our goals, my other plans, all
 * planned care. A närstående (`isProxy`) sees the same about the patient, without
 * `nextStepActions` and `onToggleResponsibility`.
 */
export function PlanView({
  overview,
  nextStepActions,
  onToggleResponsibility,
  isProxy = false,
}: {
  overview: Overview;
  nextStepActions?: ReactNode;
  onToggleResponsibility?: (id: string, isDone: boolean) => Promise<void>;
  isProxy?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const { patient, contract, careContacts, units, staff } = overview;
  const content = contract?.content;
  const voice = useMemo(() => ({ isProxy, name: patient.givenName }), [isProxy, patient.givenName]);
  const reviewDate = content?.reviewDate ? formatDate(content.reviewDate, i18n.language) : null;

  return (
    <VoiceContext.Provider value={voice}>
      {!contract && (
        <Notice>
          <p className="alert-title">
            {t(isProxy ? 'myPlan.proxyVoice.planNone' : 'myPlan.plan.none', { name: patient.givenName })}
          </p>
          {!isProxy && <p>{t('myPlan.plan.noneHint')}</p>}
        </Notice>
      )}
      {contract?.status === 'draft' && <Notice kind="warning">{t('myPlan.plan.draft')}</Notice>}
      <div className="plan-columns">
        {contract && (
          <NextStepCard nextContact={content?.nextContact ?? null} units={units} staff={staff}>
            {nextStepActions}
          </NextStepCard>
        )}
        {(contract || careContacts.length > 0) && <ContactCard contacts={careContacts} units={units} />}
        <IfWorseCard ifWorse={content?.ifWorse ?? ''} />
        {content && (
          <ResponsibilitiesCard
            items={content.patientResponsibilities}
            {...(onToggleResponsibility ? { onToggle: onToggleResponsibility } : {})}
          />
        )}
        {content && <WhatMattersCard content={content} />}
        {content && <OtherPlansCard plans={content.linkedPlans} units={units} />}
      </div>
      {content && <CareTimeline activities={content.activities} units={units} staff={staff} />}
      {contract && (
        <p className="muted">
          {reviewDate &&
            `${t(isProxy ? 'myPlan.proxyVoice.review' : 'myPlan.plan.review', { date: reviewDate, name: patient.givenName })} `}
          {t('myPlan.plan.updated', { date: formatDate(contract.updatedAt, i18n.language) })}
        </p>
      )}
    </VoiceContext.Provider>
  );
}
