/**
 * The patient's enrolment in a mobile team: who proposed and who confirmed (a physician and a
 * nurse of the team, two different people), target group, the supporting criteria, start and
 * review date; confirm, pause, resume and end with a reason. With no open enrolment, a member
 * of a team may propose one.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DEFAULT_ENROLMENT_CRITERIA,
  endReasons,
  targetGroups,
  type TargetGroup,
} from '../../../../src/domain/enrolment.ts';
import { addMonths } from '../../../../src/domain/followup.ts';
import { api } from '../../api/client.ts';
import type { Enrolment, EnrolmentStep, TeamSummary } from '../../api/mobile-care-types.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { Checkbox, RadioGroup, SelectField, TextField } from '../../components/form.tsx';
import { formatDate, todayIso } from '../../components/format.ts';

const criterionText = (code: string): string =>
  DEFAULT_ENROLMENT_CRITERIA.criteria.find((c) => c.code === code)?.text ?? code;

function Step({
  step,
  name,
  label,
}: {
  step: EnrolmentStep | null | undefined;
  name: string | null;
  label: 'proposedBy' | 'confirmedBy';
}) {
  const { t, i18n } = useTranslation();
  if (!step) return null;
  const who = name ?? step.staffId;
  return (
    <p className="muted">
      {t(`mobileTeam.patientTeam.${label}`, { name: who, date: formatDate(step.at, i18n.language) })}
    </p>
  );
}

function EnrolmentView({ enrolment: e, onChanged }: { enrolment: Enrolment; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const announce = useAnnounce();
  const [error, setError] = useState<unknown>(null);
  const [reason, setReason] = useState<string>('');
  const act = async (path: string, body: unknown, done: string) => {
    setError(null);
    try {
      await api.post(`/api/enrolments/${e.id}/${path}`, body);
      announce(done);
      onChanged();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div className="card">
      <p className="card-title">
        {e.teamName}{' '}
        <span className={`tag tag-${e.status === 'active' ? 'active' : 'draft'}`}>
          {t(`mobileTeam.enrolmentStatus.${e.status}`)}
        </span>
      </p>
      <p>
        {t('mobileTeam.team.group')}: {t(`mobileTeam.targetGroup.${e.targetGroup}`)} ·{' '}
        {t('mobileTeam.patientTeam.start')} {formatDate(e.start, lng)}
        {e.reviewDate && ` · ${t('mobileTeam.patientTeam.reviewDate')} ${formatDate(e.reviewDate, lng)}`}
      </p>
      {e.criteria.length > 0 && (
        <>
          <p className="contact-role">{t('mobileTeam.patientTeam.criteria')}</p>
          <ul>
            {e.criteria.map((c) => (
              <li key={c}>{criterionText(c)}</li>
            ))}
          </ul>
        </>
      )}
      <Step step={e.proposed} name={e.proposedByName} label="proposedBy" />
      <Step step={e.confirmed} name={e.confirmedByName} label="confirmedBy" />
      {e.ended && (
        <p>
          {t('mobileTeam.patientTeam.endedWith', {
            date: formatDate(e.ended.at, lng),
            reason: t(`mobileTeam.endReason.${e.ended.reason}`),
          })}
        </p>
      )}
      <ErrorAlert error={error} />
      {e.status !== 'ended' && (
        <div className="action-bar">
          {e.status === 'proposed' && (
            <button
              type="button"
              className="button button-primary"
              onClick={() => void act('confirm', {}, t('mobileTeam.patientTeam.confirmed'))}
            >
              {t('mobileTeam.patientTeam.confirm')}
            </button>
          )}
          {e.status === 'active' && (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => void act('pause', {}, t('mobileTeam.patientTeam.pause'))}
            >
              {t('mobileTeam.patientTeam.pause')}
            </button>
          )}
          {e.status === 'paused' && (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => void act('resume', {}, t('mobileTeam.patientTeam.resume'))}
            >
              {t('mobileTeam.patientTeam.resume')}
            </button>
          )}
        </div>
      )}
      {e.status !== 'ended' && (
        <details>
          <summary>{t('mobileTeam.patientTeam.end')}</summary>
          <form
            onSubmit={(ev) => {
              ev.preventDefault();
              if (reason) void act('end', { reason }, t('mobileTeam.patientTeam.ended'));
            }}
          >
            <RadioGroup
              legend={t('mobileTeam.patientTeam.endReason')}
              value={reason}
              onChange={setReason}
              options={endReasons.map((r) => ({ value: r, label: t(`mobileTeam.endReason.${r}`) }))}
            />
            <button type="submit" className="button button-danger" disabled={!reason}>
              {t('mobileTeam.patientTeam.endSubmit')}
            </button>
          </form>
        </details>
      )}
    </div>
  );
}

function ProposeForm({ patientId, onSaved }: { patientId: string; onSaved: () => void }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const teams = useApi<{ teams: TeamSummary[] }>('/api/teams');
  const [teamId, setTeamId] = useState('');
  const [group, setGroup] = useState<TargetGroup | ''>('');
  const [criteria, setCriteria] = useState<string[]>([]);
  const [start, setStart] = useState(todayIso);
  const [reviewDate, setReviewDate] = useState(() => addMonths(todayIso(), 3));
  const [error, setError] = useState<unknown>(null);
  const list = teams.data?.teams ?? [];
  if (teams.data && list.length === 0) return <p className="muted">{t('mobileTeam.patientTeam.noTeams')}</p>;

  const propose = async () => {
    setError(null);
    try {
      await api.post(`/api/patients/${patientId}/enrolments`, {
        teamId: teamId || list[0]?.id,
        targetGroup: group,
        criteria,
        criteriaVersion: DEFAULT_ENROLMENT_CRITERIA.version,
        start,
        reviewDate,
      });
      announce(t('mobileTeam.patientTeam.proposed'));
      onSaved();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <details className="panel">
      <summary>{t('mobileTeam.patientTeam.propose')}</summary>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void propose();
        }}
      >
        <p className="muted">{t('mobileTeam.patientTeam.proposeLead')}</p>
        {list.length > 1 && (
          <SelectField
            label={t('mobileTeam.patientTeam.chooseTeam')}
            value={teamId}
            onChange={setTeamId}
            placeholder={t('mobileTeam.patientTeam.chooseTeamPlaceholder')}
            options={list.map((team) => ({ value: team.id, label: team.name }))}
          />
        )}
        <RadioGroup
          legend={t('mobileTeam.team.group')}
          value={group}
          onChange={setGroup}
          options={targetGroups.map((g) => ({ value: g, label: t(`mobileTeam.targetGroup.${g}`) }))}
        />
        <fieldset className="field">
          <legend>{t('mobileTeam.patientTeam.criteriaLegend')}</legend>
          {DEFAULT_ENROLMENT_CRITERIA.criteria.map((c) => (
            <Checkbox
              key={c.code}
              label={c.text}
              checked={criteria.includes(c.code)}
              onChange={(on) =>
                setCriteria(on ? [...criteria, c.code] : criteria.filter((x) => x !== c.code))
              }
            />
          ))}
        </fieldset>
        <div className="inline-fields">
          <TextField
            label={t('mobileTeam.patientTeam.start')}
            type="date"
            value={start}
            onChange={setStart}
            width="medium"
          />
          <TextField
            label={t('mobileTeam.patientTeam.reviewDate')}
            type="date"
            value={reviewDate}
            onChange={setReviewDate}
            width="medium"
          />
        </div>
        <ErrorAlert error={error} />
        <button type="submit" className="button button-primary">
          {t('mobileTeam.patientTeam.proposeSubmit')}
        </button>
      </form>
    </details>
  );
}

export function EnrolmentSection({
  patientId,
  enrolments,
  onChanged,
}: {
  patientId: string;
  enrolments: readonly Enrolment[];
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const hasOpen = enrolments.some((e) => e.status !== 'ended');
  return (
    <section className="panel" aria-labelledby="enrolment-title">
      <h2 id="enrolment-title">{t('mobileTeam.patientTeam.enrolment')}</h2>
      {enrolments.length === 0 && <p>{t('mobileTeam.patientTeam.notEnrolled')}</p>}
      {enrolments.map((e) => (
        <EnrolmentView key={e.id} enrolment={e} onChanged={onChanged} />
      ))}
      {!hasOpen && <ProposeForm patientId={patientId} onSaved={onChanged} />}
    </section>
  );
}
