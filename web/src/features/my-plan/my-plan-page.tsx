import { useTranslation } from 'react-i18next';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { Page } from '../../components/page.tsx';
import { PatientTeamCallLine } from '../team/team-call-line.tsx';
import { ConsentHintForPlan } from './consent-hint.tsx';
import { NextStepActions } from './next-step-actions.tsx';
import { PlanView } from './plan-view.tsx';
import { RepresentedList } from './represented.tsx';
import { usePatientMe } from './require-patient.tsx';
import { usePlan } from './use-plan.ts';

/** Min plan: the patient's own plan, with the next time to confirm and responsibilities to tick. */
export default function MyPlanPage() {
  const { t } = useTranslation();
  const me = usePatientMe();
  const { overview, error, reload, act } = usePlan(me.patientId);

  return (
    <Page title={t('myPlan.plan.title')} lead={<p className="lead">{t('myPlan.plan.lead')}</p>}>
      <RepresentedList compact />
      <ConsentHintForPlan patientId={me.patientId} />
      <PatientTeamCallLine patientId={me.patientId} voice="patient" />
      <ErrorAlert error={error} />
      {!overview && !error && <Loading />}
      {overview && (
        <PlanView
          overview={overview}
          nextStepActions={
            overview.contract?.content.nextContact && (
              <NextStepActions
                nextContact={overview.contract.content.nextContact}
                act={act}
                onStale={reload}
              />
            )
          }
          onToggleResponsibility={async (id, isDone) => {
            await act(`contract/responsibilities/${encodeURIComponent(id)}`, { done: isDone });
          }}
        />
      )}
    </Page>
  );
}
