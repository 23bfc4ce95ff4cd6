/**
 * /patient/:id/bedomning — the assessment at the patient's side, made for a phone (390 px):
 * the patient's wishes and treatment limitations first, the values with NEWS2 live, the
 * outcome; then, when a physician is to be contacted, whom to call and the SBAR to send.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { swedishToday } from '../../../../src/domain/swedish-time.ts';
import type { AssessmentConfig } from '../../../../src/domain/news2.ts';
import type { AssessmentAnswer, Escalation, MobileCare } from '../../api/mobile-care-types.ts';
import type { Overview } from '../../api/types.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading, Notice } from '../../components/alerts.tsx';
import { FocusedNotice } from '../../components/arrival-notice.tsx';
import { formatDate, formatIdentifier } from '../../components/format.ts';
import { Page } from '../../components/page.tsx';
import { NotFoundOrDenied } from '../access/not-found-or-denied.tsx';
import { DirectivesList } from '../care-directive/directives-list.tsx';
import { SbarStep } from '../escalation/sbar-step.tsx';
import { TeamCallLine } from '../team/team-call-line.tsx';
import { useLiveEvents } from '../worklist/live-events.tsx';
import { AssessmentForm } from './assessment-form.tsx';
import './mobile-care.css';

/** Whole years between a birth date and today (Swedish day). */
export function ageInYears(birthDate: string | null, today: string): number {
  if (!birthDate) return Number.NaN;
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

export default function AssessmentPage() {
  const { t, i18n } = useTranslation();
  const { patientId = '' } = useParams();
  const overview = useApi<Overview>(`/api/patients/${patientId}/overview`);
  const care = useApi<MobileCare>(`/api/patients/${patientId}/mobile-care`);
  // The checklist the server scores with (the region's own version, or NEWS2 by RCP 2017).
  const checklist = useApi<{ config: AssessmentConfig }>('/api/assessment-config');
  const [answer, setAnswer] = useState<AssessmentAnswer | null>(null);
  const [sent, setSent] = useState<Escalation | undefined>();
  const [round, setRound] = useState(0);
  useLiveEvents((event) => {
    if (event.patientId === patientId) care.reload();
  });

  if (overview.error?.status === 404 || care.error?.status === 404) return <NotFoundOrDenied />;
  if (!overview.data || !care.data || !checklist.data) {
    const error = overview.error ?? care.error ?? checklist.error;
    return error ? <ErrorAlert error={error} /> : <Loading />;
  }
  const { patient } = overview.data;
  const name = `${patient.givenName} ${patient.familyName}`;
  const scaleDirective = care.data.directives.find((d) => d.kind === 'spo2-scale-2' && !d.endedAt);
  const scaleNote = scaleDirective
    ? t('mobileTeam.news2.scale2', {
        name: scaleDirective.recordedBy.name,
        date: formatDate(scaleDirective.recordedAt, i18n.language),
      })
    : undefined;
  // The escalation as the server knows it now: refreshed by the live events.
  const current = sent && (care.data.escalations.find((e) => e.id === sent.id) ?? sent);

  return (
    <Page
      title={t('mobileTeam.assessment.title')}
      lead={
        <p className="lead">
          {name} · {formatIdentifier(patient.identifier)}
        </p>
      }
    >
      <p className="muted">{t('mobileTeam.assessment.lead')}</p>
      <TeamCallLine team={care.data.team} voice="staff" />
      {answer ? (
        <>
          <FocusedNotice>{t('mobileTeam.assessment.saved')}</FocusedNotice>
          {answer.route && answer.sbarDraft ? (
            <SbarStep
              patientId={patientId}
              assessmentId={answer.assessment.id}
              route={answer.route}
              draft={answer.sbarDraft}
              sent={current}
              onSent={(escalation) => {
                setSent(escalation);
                care.reload();
              }}
            />
          ) : (
            answer.callFirst && <Notice kind="warning">{t('mobileTeam.assessment.call112')}</Notice>
          )}
          <DirectivesList directives={care.data.directives} />
          <p className="action-bar">
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setAnswer(null);
                setSent(undefined);
                setRound((n) => n + 1);
              }}
            >
              {t('mobileTeam.assessment.newAssessment')}
            </button>
            <Link className="button button-secondary" to={`/patient/${patientId}/mobilt-team`}>
              {t('mobileTeam.assessment.toTeam')}
            </Link>
          </p>
        </>
      ) : (
        <>
          <DirectivesList directives={care.data.directives} />
          <AssessmentForm
            key={round}
            patientId={patientId}
            ageYears={ageInYears(patient.birthDate, swedishToday(new Date()))}
            scale={scaleDirective ? 2 : 1}
            config={checklist.data.config}
            scaleNote={scaleNote}
            onSaved={(saved) => {
              setAnswer(saved);
              care.reload();
            }}
          />
        </>
      )}
    </Page>
  );
}
