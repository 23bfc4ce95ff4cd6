/**
 * /patient/:id/akutblad — "Information vid akutbesök" for the ambulance and the emergency
 * department: identity, whom to call, diagnoses, what matters and the wishes about the level of
 * care, the physicians' limitations, the latest assessment beside the earlier ones, the latest
 * SBAR. Always in Swedish (it is handed over), printed or shown on the reader's own logged-in
 * device: no link or code opens it without one's own login and access.
 */
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Akutblad, Assessment } from '../../api/mobile-care-types.ts';
import { useApi } from '../../api/use-api.ts';
import { useSession } from '../auth/session.tsx';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { formatDate, formatIdentifier } from '../../components/format.ts';
import { Page } from '../../components/page.tsx';
import { NotFoundOrDenied } from '../access/not-found-or-denied.tsx';
import '../assessment/mobile-care.css';
import { formatWhen } from '../escalation/when.ts';

function AssessmentRow({ a }: { a: Assessment }) {
  const { i18n } = useTranslation();
  const sv = i18n.getFixedT('sv');
  const v = a.vitals;
  return (
    <tr>
      <th scope="row">{formatWhen(a.at, sv, 'sv')}</th>
      <td data-label="NEWS2">{a.score ?? '–'}</td>
      <td data-label={sv('mobileTeam.vitals.respiratoryRate')}>{v.respiratoryRate}</td>
      <td data-label="SpO₂">
        {v.spo2} %{v.onOxygen ? ` (${sv('mobileTeam.vitals.oxygen.yes')})` : ''}
      </td>
      <td data-label={sv('mobileTeam.vitals.pulse')}>{v.pulse}</td>
      <td data-label={sv('mobileTeam.vitals.systolicBp')}>{v.systolicBp}</td>
      <td data-label={sv('mobileTeam.vitals.temperature')}>{v.temperature.toLocaleString('sv-SE')}</td>
      <td data-label="ACVPU">{v.consciousness}</td>
      <td data-label={sv('mobileTeam.trend.by')}>
        {a.by.name}, {a.unit.name}
      </td>
    </tr>
  );
}

export default function AkutbladPage() {
  const { t, i18n } = useTranslation();
  const sv = i18n.getFixedT('sv');
  const roleLabel = (role: string): string =>
    role === 'fast-vardkontakt' ||
    role === 'fast-lakarkontakt' ||
    role === 'fast-omsorgskontakt' ||
    role === 'behandlande-roll'
      ? sv(`roles.${role}`)
      : role;
  const { patientId = '' } = useParams();
  const { state } = useSession();
  const sheet = useApi<Akutblad>(`/api/patients/${patientId}/akutblad`);
  if (sheet.error?.status === 404) return <NotFoundOrDenied />;
  if (!sheet.data) return sheet.error ? <ErrorAlert error={sheet.error} /> : <Loading />;
  const d = sheet.data;
  const assessments = [d.latestAssessment, ...d.previousAssessments].filter(
    (a): a is Assessment => a !== null,
  );
  const reader = state.status === 'ready' ? state.me.name : '';

  return (
    <Page title={sv('mobileTeam.akutblad.title')}>
      <div className="no-print action-bar">
        <button type="button" className="button button-primary" onClick={() => window.print()}>
          {t('mobileTeam.akutblad.print')}
        </button>
        <Link className="button button-secondary" to={`/patient/${patientId}`}>
          {t('nav.backToPatient')}
        </Link>
      </div>
      <article className="print-sheet akutblad" lang="sv">
        <p className="muted">{sv('mobileTeam.akutblad.lead')}</p>
        <section aria-labelledby="ak-identity">
          <h2 id="ak-identity">{sv('mobileTeam.akutblad.identity')}</h2>
          <dl>
            <dt>{sv('mobileTeam.akutblad.name')}</dt>
            <dd>{d.patient.name}</dd>
            <dt>Personnummer</dt>
            <dd>{formatIdentifier(d.patient.personnummer)}</dd>
            {d.patient.phone && (
              <>
                <dt>{sv('mobileTeam.team.phone')}</dt>
                <dd>{d.patient.phone}</dd>
              </>
            )}
          </dl>
        </section>
        <section aria-labelledby="ak-contacts">
          <h2 id="ak-contacts">{sv('mobileTeam.akutblad.contacts')}</h2>
          <dl>
            {d.team && (
              <>
                <dt>{sv('mobileTeam.akutblad.team')}</dt>
                <dd>
                  {d.team.publicName} ({d.team.name})
                  {d.team.answersNow && ` — ${d.team.answersNow.label}: ${d.team.answersNow.phone}`}
                  {d.team.onCall && (
                    <>
                      <br />
                      {sv('mobileTeam.team.onCall')}: {d.team.onCall.name} {d.team.onCall.phone}
                    </>
                  )}
                </dd>
              </>
            )}
            {d.contacts.map((c, i) => (
              <div key={i} className="dl-row">
                <dt>{c.roleTitle ?? roleLabel(c.role)}</dt>
                <dd>{[c.staffName, c.unitName, c.phone].filter(Boolean).join(', ')}</dd>
              </div>
            ))}
          </dl>
          {!d.team && d.contacts.length === 0 && <p>{sv('mobileTeam.akutblad.none')}</p>}
        </section>
        <section aria-labelledby="ak-diagnoses">
          <h2 id="ak-diagnoses">{sv('mobileTeam.akutblad.diagnoses')}</h2>
          {d.diagnoses.length === 0 ? (
            <p>{sv('mobileTeam.akutblad.none')}</p>
          ) : (
            <ul>
              {d.diagnoses.map((dx) => (
                <li key={dx.icd10}>
                  {dx.icd10}
                  {dx.since && ` (${formatDate(dx.since, 'sv')})`}
                  {dx.sourceUnitName && ` · ${dx.sourceUnitName}`}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="ak-matters">
          <h2 id="ak-matters">{sv('mobileTeam.akutblad.whatMatters')}</h2>
          <p className="prose">{d.whatMatters || sv('mobileTeam.akutblad.none')}</p>
        </section>
        <section aria-labelledby="ak-wishes">
          <h2 id="ak-wishes">{sv('mobileTeam.akutblad.wishes')}</h2>
          {d.directives.length === 0 ? (
            <p>{sv('mobileTeam.akutblad.none')}</p>
          ) : (
            <ul className="plain-list">
              {d.directives.map((dir) => (
                <li key={dir.id}>
                  <p className="directive-kind">{sv(`mobileTeam.directive.kind.${dir.kind}`)}</p>
                  <p className="prose">{dir.text}</p>
                  <p className="muted">
                    {sv('mobileTeam.directive.by', {
                      name: dir.recordedBy.name,
                      date: formatDate(dir.recordedAt, 'sv'),
                    })}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="ak-assessments">
          <h2 id="ak-assessments">
            {sv('mobileTeam.akutblad.latest')}
            {assessments.length > 1 && ` / ${sv('mobileTeam.akutblad.previous').toLowerCase()}`}
          </h2>
          {assessments.length === 0 ? (
            <p>{sv('mobileTeam.akutblad.none')}</p>
          ) : (
            <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="ak-assessments">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{sv('mobileTeam.trend.when')}</th>
                    <th scope="col">NEWS2</th>
                    <th scope="col">{sv('mobileTeam.vitals.respiratoryRate')}</th>
                    <th scope="col">SpO₂</th>
                    <th scope="col">{sv('mobileTeam.vitals.pulse')}</th>
                    <th scope="col">{sv('mobileTeam.vitals.systolicBp')}</th>
                    <th scope="col">{sv('mobileTeam.vitals.temperature')}</th>
                    <th scope="col">ACVPU</th>
                    <th scope="col">{sv('mobileTeam.trend.by')}</th>
                  </tr>
                </thead>
                <tbody>
                  {assessments.map((a) => (
                    <AssessmentRow key={a.id} a={a} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        {d.latestSbar && (
          <section aria-labelledby="ak-sbar">
            <h2 id="ak-sbar">{sv('mobileTeam.akutblad.sbar')}</h2>
            <p className="muted">
              {sv('mobileTeam.escalation.sentAt', { time: formatWhen(d.latestSbar.sentAt, sv, 'sv') })} ·{' '}
              {sv('mobileTeam.escalation.from', {
                name: d.latestSbar.from.name,
                unit: d.latestSbar.from.unitName,
              })}
            </p>
            <dl className="sbar-list">
              {(['situation', 'background', 'assessment', 'recommendation'] as const).map((part) => (
                <div key={part}>
                  <dt>{sv(`mobileTeam.assessment.sbar.${part}`)}</dt>
                  <dd>{d.latestSbar!.sbar[part]}</dd>
                </div>
              ))}
            </dl>
          </section>
        )}
        <p className="muted">
          {sv('mobileTeam.akutblad.printedAt', { time: formatWhen(d.printedAt, sv, 'sv'), name: reader })}
        </p>
      </article>
    </Page>
  );
}
