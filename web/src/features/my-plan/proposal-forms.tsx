import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AmbitionLevel, Contract, ContractContent } from '../../api/types.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { RadioGroup, TextArea, TextField } from '../../components/form.tsx';
import { formatDate, todayIso } from '../../components/format.ts';
import { SuccessNote } from './success-note.tsx';

type Act = (path: string, body: unknown) => Promise<Contract>;

/**
 * What matters to me, in my own words (POST …/contract/proposals { whatMatters }). Kept apart
 * from the plan's agreed text, which is shown above it, until staff adopt it.
 */
export function WhatMattersForm({ content, act }: { content: ContractContent; act: Act }) {
  const { t, i18n } = useTranslation();
  const announce = useAnnounce();
  const current = content.whatMattersPatientWords ?? null;
  const [text, setText] = useState(current?.text ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [done, setDone] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setDone(false);
    if (!text.trim() && !current) {
      setFieldError(t('myPlan.takePart.whatMattersMissing'));
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    setError(null);
    try {
      await act('contract/proposals', { whatMatters: text.trim() });
      setDone(true);
      announce(t('myPlan.takePart.whatMattersSaved'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="what-matters-form-heading" className="panel">
      <h2 id="what-matters-form-heading">{t('myPlan.takePart.whatMattersTitle')}</h2>
      {content.whatMatters && (
        <blockquote className="own-words">
          <p className="contact-role">{t('myPlan.takePart.staffWords')}</p>
          <p className="prose">{content.whatMatters}</p>
        </blockquote>
      )}
      {current && (
        <p className="muted">
          {t('myPlan.takePart.yourWords', { date: formatDate(current.writtenAt, i18n.language) })}
        </p>
      )}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <ErrorAlert error={error} />
        <TextArea
          label={t('myPlan.takePart.whatMattersLabel')}
          hint={t('myPlan.takePart.whatMattersHint')}
          error={fieldError}
          value={text}
          onChange={setText}
          rows={4}
        />
        {done && <p className="alert alert-success">{t('myPlan.takePart.whatMattersSaved')}</p>}
        <button type="submit" className="button button-primary" disabled={busy}>
          {t('myPlan.takePart.whatMattersSave')}
        </button>
      </form>
    </section>
  );
}

const aims: readonly AmbitionLevel[] = ['forbattra', 'bibehalla', 'bromsa', 'lindra', 'bota'];

/** Propose a goal (POST …/contract/proposals { goal }); my waiting proposals, each withdrawable. */
export function GoalProposalForm({ content, act }: { content: ContractContent; act: Act }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [aim, setAim] = useState<AmbitionLevel | ''>('');
  const [targetDate, setTargetDate] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [errors, setErrors] = useState<{ text?: string; aim?: string; date?: string }>({});
  const [done, setDone] = useState<string | null>(null);
  const proposals = content.goals.filter((g) => g.proposedByPatient);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setDone(null);
    const found = {
      ...(text.trim() ? {} : { text: t('myPlan.takePart.goalMissing') }),
      ...(aim ? {} : { aim: t('myPlan.takePart.aimMissing') }),
      ...(targetDate && targetDate < todayIso() ? { date: t('myPlan.takePart.goalDatePast') } : {}),
    };
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      await act('contract/proposals', {
        goal: { text: text.trim(), ambition: aim, ...(targetDate ? { targetDate } : {}) },
      });
      setText('');
      setAim('');
      setTargetDate('');
      setDone(t('myPlan.takePart.goalSent'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function withdraw(goalId: string) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await act(`contract/proposals/goals/${encodeURIComponent(goalId)}/withdraw`, {});
      setDone(t('myPlan.takePart.withdrawn'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="goal-form-heading" className="panel">
      <h2 id="goal-form-heading">{t('myPlan.takePart.goalTitle')}</h2>
      <ErrorAlert error={error} />
      <SuccessNote message={done} />
      <h3>{t('myPlan.takePart.myProposals')}</h3>
      {proposals.length === 0 ? (
        <p className="muted">{t('myPlan.takePart.noProposals')}</p>
      ) : (
        <ul className="plain-list">
          {proposals.map((g) => (
            <li key={g.id} className="row-with-action">
              <span>
                <strong>{g.text}</strong>
                <br />
                <span className="muted">{t(`myPlan.aim.${g.ambition}`)}</span>
              </span>
              <button
                type="button"
                className="button button-secondary"
                disabled={busy}
                onClick={() => void withdraw(g.id)}
                aria-label={t('myPlan.takePart.withdrawLabel', { text: g.text })}
              >
                {t('myPlan.takePart.withdraw')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <TextArea
          label={t('myPlan.takePart.goalLabel')}
          hint={t('myPlan.takePart.goalHint')}
          error={errors.text}
          value={text}
          onChange={setText}
          rows={2}
        />
        <RadioGroup
          legend={t('myPlan.aim.legend')}
          error={errors.aim}
          value={aim}
          onChange={setAim}
          options={aims.map((a) => ({ value: a, label: t(`myPlan.aim.${a}`) }))}
        />
        <TextField
          type="date"
          label={t('myPlan.takePart.goalDate')}
          hint={t('myPlan.takePart.goalDateHint')}
          error={errors.date}
          value={targetDate}
          onChange={setTargetDate}
          width="short"
        />
        <button type="submit" className="button button-primary" disabled={busy}>
          {t('myPlan.takePart.goalSubmit')}
        </button>
      </form>
    </section>
  );
}
