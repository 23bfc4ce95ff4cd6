import { useTranslation } from 'react-i18next';
import { ErrorAlert, Loading, Notice } from '../../components/alerts.tsx';
import { Page } from '../../components/page.tsx';
import { NextStepActions } from './next-step-actions.tsx';
import { NextStepCard } from './next-step-card.tsx';
import { GoalProposalForm, WhatMattersForm } from './proposal-forms.tsx';
import { usePatientMe } from './require-patient.tsx';
import { SelfAssessmentForm } from './self-assessment-form.tsx';
import { usePlan } from './use-plan.ts';

/**
 * Jag är med (Region Gävleborg, handlingsplan Patientkontrakt 2021: "I take part in shaping the plan"): what matters to me, goals I
 * propose, my answer to the next time, and SKR's 7 questions as a self-assessment.
 */
export default function TakePartPage() {
  const { t } = useTranslation();
  const me = usePatientMe();
  const { overview, error, reload, act } = usePlan(me.patientId);
  const contract = overview?.contract;

  return (
    <Page title={t('myPlan.takePart.title')} lead={<p className="lead">{t('myPlan.takePart.lead')}</p>}>
      <ErrorAlert error={error} />
      {!overview && !error && <Loading />}
      {overview && !contract && (
        <Notice>
          <p className="alert-title">{t('myPlan.plan.none')}</p>
          <p>{t('myPlan.plan.noneHint')}</p>
        </Notice>
      )}
      {overview && contract && (
        <div className="plan-columns">
          <NextStepCard
            nextContact={contract.content.nextContact}
            units={overview.units}
            staff={overview.staff}
          >
            {contract.content.nextContact && (
              <NextStepActions nextContact={contract.content.nextContact} act={act} onStale={reload} />
            )}
          </NextStepCard>
          <WhatMattersForm content={contract.content} act={act} />
          <GoalProposalForm content={contract.content} act={act} />
          <SelfAssessmentForm previous={contract.content.selfAssessment ?? null} act={act} />
        </div>
      )}
    </Page>
  );
}
