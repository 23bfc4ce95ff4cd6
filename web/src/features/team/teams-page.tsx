/**
 * /team — the mobile teams I belong to; /team/:teamId — one team: who answers now, the physician
 * on call and the backup, how to reach the team by day and night, the members from region and
 * municipality, the on-call roster, and the enrolled patients.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { TeamDetail, TeamSummary } from '../../api/mobile-care-types.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { FocusedNotice } from '../../components/arrival-notice.tsx';
import { formatDate } from '../../components/format.ts';
import { NotFoundPage } from '../../components/not-found-page.tsx';
import { Page } from '../../components/page.tsx';
import '../assessment/mobile-care.css';
import { formatWhen } from '../escalation/when.ts';
import { RosterEditor } from './roster-editor.tsx';
import { telHref } from './team-call-line.tsx';

export function TeamsPage() {
  const { t } = useTranslation();
  const teams = useApi<{ teams: TeamSummary[] }>('/api/teams');
  return (
    <Page
      title={t('mobileTeam.team.listTitle')}
      lead={<p className="lead">{t('mobileTeam.team.listLead')}</p>}
    >
      <ErrorAlert error={teams.error} />
      {!teams.data && !teams.error && <Loading />}
      {teams.data?.teams.length === 0 && <p>{t('mobileTeam.team.none')}</p>}
      <ul className="card-list">
        {teams.data?.teams.map((team) => (
          <li key={team.id} className="card">
            <p className="card-title">
              <Link to={`/team/${team.id}`}>{team.name}</Link>
            </p>
            <p className="muted">
              {team.kindLabel} · {team.publicName}
            </p>
          </li>
        ))}
      </ul>
    </Page>
  );
}

export function TeamPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { teamId = '' } = useParams();
  const team = useApi<{ team: TeamDetail }>(`/api/teams/${teamId}`);
  const [isEditingRoster, setIsEditingRoster] = useState(false);
  const [rosterSaved, setRosterSaved] = useState(false);
  if (team.error?.status === 404) return <NotFoundPage />;
  if (!team.data) return team.error ? <ErrorAlert error={team.error} /> : <Loading />;
  const d = team.data.team;
  const nameOfStaff = (staffId: string) => d.members.find((m) => m.staffId === staffId)?.name ?? staffId;
  return (
    <Page title={d.name} lead={<p className="lead">{`${d.kindLabel} · ${d.publicName}`}</p>}>
      <div className="grid-2">
        <section className="panel panel-highlight" aria-labelledby="answers-title">
          <h2 id="answers-title">{t('mobileTeam.team.answersNow')}</h2>
          {d.answersNow ? (
            <p className="big">
              {d.answersNow.label}:{' '}
              <a href={telHref(d.answersNow.phone)} className="nowrap">
                {d.answersNow.phone}
              </a>
            </p>
          ) : (
            <p>{t('mobileTeam.team.answersNowNone')}</p>
          )}
        </section>
        <section className="panel" aria-labelledby="oncall-title">
          <h2 id="oncall-title">{t('mobileTeam.team.onCall')}</h2>
          {!d.onCall.primary && !d.onCall.backup && <p>{t('mobileTeam.team.nobodyOnCall')}</p>}
          {(['primary', 'backup'] as const).map((slot) => {
            const person = d.onCall[slot];
            return (
              person && (
                <p key={slot}>
                  {t(`mobileTeam.team.${slot}`)}: <strong>{person.name}</strong>
                  {person.phone && (
                    <>
                      {' '}
                      <a href={telHref(person.phone)} className="nowrap">
                        {person.phone}
                      </a>
                    </>
                  )}
                </p>
              )
            );
          })}
        </section>
      </div>
      <section className="panel" aria-labelledby="reach-title">
        <h2 id="reach-title">{t('mobileTeam.team.reachability')}</h2>
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="reach-title">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('mobileTeam.team.weekdays')}</th>
                <th scope="col">{t('mobileTeam.team.hours')}</th>
                <th scope="col">{t('mobileTeam.team.rosterRole')}</th>
                <th scope="col">{t('mobileTeam.team.phone')}</th>
              </tr>
            </thead>
            <tbody>
              {d.reachability.map((row, i) => (
                <tr key={i}>
                  <td>
                    {row.weekdays.length === 7
                      ? t('mobileTeam.team.allDays')
                      : row.weekdays.map((day) => t(`weekdayShort.${day as 1}`)).join(', ')}
                  </td>
                  <td className="nowrap" data-label={t('mobileTeam.team.hours')}>
                    {row.from === row.to ? t('mobileTeam.team.roundTheClock') : `${row.from}–${row.to}`}
                  </td>
                  <td data-label={t('mobileTeam.team.rosterRole')}>{row.label}</td>
                  <td data-label={t('mobileTeam.team.phone')}>
                    <a href={telHref(row.phone)} className="nowrap">
                      {row.phone}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel" aria-labelledby="roster-title">
        <h2 id="roster-title">{t('mobileTeam.team.roster')}</h2>
        {rosterSaved && <FocusedNotice>{t('mobileTeam.rosterEditor.saved')}</FocusedNotice>}
        {isEditingRoster ? (
          <RosterEditor
            team={d}
            onSaved={() => {
              setIsEditingRoster(false);
              setRosterSaved(true);
              team.reload();
            }}
            onCancel={() => setIsEditingRoster(false)}
          />
        ) : d.roster.length === 0 ? (
          <p>{t('mobileTeam.team.rosterEmpty')}</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="roster-title">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('mobileTeam.team.rosterWho')}</th>
                  <th scope="col">{t('mobileTeam.team.rosterRole')}</th>
                  <th scope="col">{t('mobileTeam.team.rosterFrom')}</th>
                  <th scope="col">{t('mobileTeam.team.rosterTo')}</th>
                </tr>
              </thead>
              <tbody>
                {d.roster.map((r) => (
                  <tr key={`${r.staffId}-${r.starts}`}>
                    <td>{nameOfStaff(r.staffId)}</td>
                    <td data-label={t('mobileTeam.team.rosterRole')}>
                      {r.backup ? t('mobileTeam.team.backup') : t('mobileTeam.team.primary')}
                    </td>
                    <td data-label={t('mobileTeam.team.rosterFrom')}>{formatWhen(r.starts, t, lng)}</td>
                    <td data-label={t('mobileTeam.team.rosterTo')}>{formatWhen(r.ends, t, lng)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {!isEditingRoster && (
          <p className="action-bar">
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setRosterSaved(false);
                setIsEditingRoster(true);
              }}
            >
              {t('mobileTeam.rosterEditor.edit')}
            </button>
          </p>
        )}
      </section>
      <section className="panel" aria-labelledby="members-title">
        <h2 id="members-title">{t('mobileTeam.team.members')}</h2>
        <ul className="contact-list">
          {d.members.map((m) => (
            <li key={`${m.staffId}-${m.unitId}`}>
              <p className="contact-name">
                <strong>{m.name}</strong>, {m.title ?? m.profession}
              </p>
              <p className="muted">
                {m.unitName} · {m.careProvider.name}
              </p>
            </li>
          ))}
        </ul>
      </section>
      <section className="panel" aria-labelledby="enrolled-title">
        <h2 id="enrolled-title">{t('mobileTeam.team.enrolled')}</h2>
        {d.enrolled.length === 0 ? (
          <p>{t('mobileTeam.team.enrolledNone')}</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="enrolled-title">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('mobileTeam.team.patient')}</th>
                  <th scope="col">{t('mobileTeam.team.group')}</th>
                  <th scope="col">{t('mobileTeam.team.since')}</th>
                  <th scope="col">{t('mobileTeam.team.review')}</th>
                </tr>
              </thead>
              <tbody>
                {d.enrolled.map((p) => (
                  <tr key={p.patientId}>
                    <td>
                      <Link to={`/patient/${p.patientId}/mobilt-team`}>{p.name}</Link>
                    </td>
                    <td data-label={t('mobileTeam.team.group')}>
                      {t(`mobileTeam.targetGroup.${p.targetGroup as 'mest-sjuka'}`)}
                    </td>
                    <td data-label={t('mobileTeam.team.since')}>{formatDate(p.since, lng)}</td>
                    <td data-label={t('mobileTeam.team.review')}>{formatDate(p.reviewDate, lng)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Page>
  );
}

export default TeamsPage;
