/**
 * /patient/:id/mobilt-team — the patient's mobile team in one place: the team and who answers
 * now, the enrolment, wishes and treatment limitations, the assessments over time and the
 * contacts with a physician. Changes from others arrive live.
 */
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import type { MobileCare } from '../../api/mobile-care-types.ts';
import type { Overview } from '../../api/types.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { formatIdentifier } from '../../components/format.ts';
import { Page } from '../../components/page.tsx';
import { NotFoundOrDenied } from '../access/not-found-or-denied.tsx';
import { AssessmentTrend } from '../assessment/assessment-trend.tsx';
import '../assessment/mobile-care.css';
import { DirectiveForm } from '../care-directive/directive-form.tsx';
import { DirectivesList } from '../care-directive/directives-list.tsx';
import { EnrolmentSection } from '../enrolment/enrolment-section.tsx';
import { HospitalStaysSection } from '../hospital-stay/hospital-stays-section.tsx';
import { EscalationProgress } from '../escalation/escalation-progress.tsx';
import { useLiveEvents } from '../worklist/live-events.tsx';
import { TeamCallLine } from './team-call-line.tsx';

export default function PatientTeamPage() {
  const { t } = useTranslation();
  const { patientId = '' } = useParams();
  const overview = useApi<Overview>(`/api/patients/${patientId}/overview`);
  const care = useApi<MobileCare>(`/api/patients/${patientId}/mobile-care`);
  useLiveEvents((event) => {
    if (event.patientId === patientId) care.reload();
  });

  if (overview.error?.status === 404 || care.error?.status === 404) return <NotFoundOrDenied />;
  if (!overview.data || !care.data) {
    return overview.error || care.error ? <ErrorAlert error={overview.error ?? care.error} /> : <Loading />;
  }
  const { patient } = overview.data;
  const name = `${patient.givenName} ${patient.familyName}`;
  const base = `/patient/${patientId}`;
  const { team } = care.data;

  return (
    <Page
      title={t('mobileTeam.patientTeam.title')}
      lead={
        <p className="lead">
          {name} · {formatIdentifier(patient.identifier)}
        </p>
      }
    >
      <nav aria-label={t('patient.actions')} className="action-bar">
        <Link className="button button-primary" to={`${base}/bedomning`}>
          {t('mobileTeam.links.assess')}
        </Link>
        <Link className="button button-secondary" to={`${base}/akutblad`}>
          {t('mobileTeam.links.akutblad')}
        </Link>
        <Link className="button button-secondary" to={base}>
          {t('nav.backToPatient')}
        </Link>
      </nav>
      {team && (
        <>
          <TeamCallLine team={team} voice="staff" />
          {team.onCall?.primary && (
            <p>
              {t('mobileTeam.team.onCall')}: <strong>{team.onCall.primary.name}</strong>
            </p>
          )}
        </>
      )}
      <EnrolmentSection patientId={patientId} enrolments={care.data.enrolments} onChanged={care.reload} />
      <HospitalStaysSection patientId={patientId} onChanged={care.reload} />
      <DirectivesList
        directives={care.data.directives}
        onEnd={(d) => void api.post(`/api/care-directives/${d.id}/end`).then(care.reload, care.reload)}
      />
      <DirectiveForm patientId={patientId} onSaved={care.reload} />
      <AssessmentTrend assessments={care.data.assessments} />
      <section aria-labelledby="escalations-title">
        <h2 id="escalations-title">{t('mobileTeam.patientTeam.escalations')}</h2>
        {care.data.escalations.length === 0 ? (
          <p>{t('mobileTeam.patientTeam.escalationsNone')}</p>
        ) : (
          care.data.escalations.map((e) => <EscalationProgress key={e.id} escalation={e} headingLevel={3} />)
        )}
      </section>
    </Page>
  );
}
