import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import type { Overview } from '../../api/types.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading, Notice } from '../../components/alerts.tsx';
import { arrivalNoticeOf, FocusedNotice } from '../../components/arrival-notice.tsx';
import { formatDate, formatIdentifier } from '../../components/format.ts';
import { Page } from '../../components/page.tsx';
import { NotFoundOrDenied } from '../access/not-found-or-denied.tsx';
import { ContactsCard } from '../care-contact/contacts-card.tsx';
import { AgreementView, IfWorse } from '../contract/agreement-view.tsx';
import { NextContactCard } from '../contract/next-contact-card.tsx';
import { PatientTeamCallLine } from '../team/team-call-line.tsx';
import { useLiveEvents } from '../worklist/live-events.tsx';
import { DiagnosesCard } from './diagnoses-card.tsx';
import { LinkedPlans } from './linked-plans.tsx';
import { PersonStatusNotices, ProtectedBadge } from './person-status.tsx';
import { RegisterCard } from './register-card.tsx';
import { Timeline } from './timeline.tsx';

/** The whole contract at a glance. */
export function PatientPage() {
  const { t, i18n } = useTranslation();
  const { patientId = '' } = useParams();
  const overview = useApi<Overview>(`/api/patients/${patientId}/overview`);
  // A confirmation from the screen that sent us here ("aktiverat"), shown once: the history
  // entry forgets it, so that Back or a reload does not confirm it again.
  const location = useLocation();
  const navigate = useNavigate();
  const [arrival] = useState(() => arrivalNoticeOf(location.state));
  useEffect(() => {
    if (arrivalNoticeOf(location.state)) void navigate(location.pathname, { replace: true, state: null });
  }, [location, navigate]);
  useLiveEvents((event) => {
    if (event.patientId === patientId) overview.reload();
  });

  if (overview.error?.status === 404) return <NotFoundOrDenied />;
  if (!overview.data) {
    return overview.error ? <ErrorAlert error={overview.error} /> : <Loading />;
  }
  const { patient, contract, careContacts, units, staff } = overview.data;
  const name = `${patient.givenName} ${patient.familyName}`;
  const base = `/patient/${patientId}`;

  return (
    <Page
      title={name}
      lead={
        <p className="lead">
          {patient.protection && patient.protection !== 'none' && <ProtectedBadge />}
          {formatIdentifier(patient.identifier)}
          {patient.phone && ` · ${t('patient.phone')} ${patient.phone}`}
          {patient.listedUnitId && units[patient.listedUnitId] && (
            <> · {t('patient.listedAt', { unit: units[patient.listedUnitId]?.name })}</>
          )}
        </p>
      }
    >
      {arrival && <FocusedNotice>{t(`patient.${arrival}Notice`)}</FocusedNotice>}
      <PersonStatusNotices patient={patient} />
      <nav aria-label={t('patient.actions')} className="action-bar">
        {contract ? (
          <Link className="button button-primary" to={`${base}/redigera`}>
            {t('patient.editContract')}
          </Link>
        ) : (
          <Link className="button button-primary" to={`${base}/nytt-kontrakt`}>
            {t('patient.drawUpContract')}
          </Link>
        )}
        <Link className="button button-secondary" to={`${base}/kontakter`}>
          {t('patient.fixedContacts')}
        </Link>
        <Link className="button button-secondary" to={`${base}/mobilt-team`}>
          {t('mobileTeam.links.mobileTeam')}
        </Link>
        <Link className="button button-secondary" to={`${base}/bedomning`}>
          {t('mobileTeam.links.assess')}
        </Link>
        {contract && (
          <>
            <Link className="button button-secondary" to={`${base}/historik`}>
              {t('patient.history')}
            </Link>
            <Link className="button button-secondary" to={`${base}/utskrift`}>
              {t('patient.print')}
            </Link>
          </>
        )}
      </nav>

      {overview.data.hasBlockedInformation && <Notice kind="warning">{t('patient.blocked')}</Notice>}
      <PatientTeamCallLine patientId={patientId} voice="staff" />

      {contract ? (
        <p className="contract-status">
          <span className={`tag tag-${contract.status}`}>{t(`contractStatus.${contract.status}`)}</span>{' '}
          {t('patient.version', { version: contract.version })}
          {contract.content.reviewDate &&
            ` · ${t('patient.reviewDate', { date: formatDate(contract.content.reviewDate, i18n.language) })}`}
        </p>
      ) : (
        <Notice>{t('patient.noContract')}</Notice>
      )}

      <div className="grid-2">
        <NextContactCard nextContact={contract?.content.nextContact ?? null} units={units} staff={staff} />
        <ContactsCard contacts={careContacts} manageHref={`${base}/kontakter`} />
      </div>

      {/* Right after the next step: what a nurse needs first when the patient calls feeling worse. */}
      {contract && <IfWorse content={contract.content} />}

      {contract && (
        <>
          <AgreementView content={contract.content} withIfWorse={false} />
          <Timeline activities={contract.content.activities} units={units} staff={staff} />
          <LinkedPlans plans={contract.content.linkedPlans} units={units} />
        </>
      )}
      <DiagnosesCard diagnoses={patient.diagnoses ?? []} />
      <RegisterCard patient={patient} onChanged={overview.reload} />
    </Page>
  );
}
