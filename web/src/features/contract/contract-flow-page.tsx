import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { emptyContractContent } from '../../../../src/domain/contract.ts';
import { api } from '../../api/client.ts';
import { useUnits } from '../../api/directory.ts';
import type { ContractContent, Overview, QuestionSet } from '../../api/types.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading, Notice } from '../../components/alerts.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import type { ArrivalState } from '../../components/arrival-notice.tsx';
import { RadioGroup } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { NotFoundOrDenied } from '../access/not-found-or-denied.tsx';
import { useMe } from '../auth/session.tsx';
import { fillsOf, QuestionStep, type Answer } from './question-step.tsx';
import { SummaryStep } from './summary-step.tsx';
import {
  activationErrors,
  focusFirstError,
  validateContent,
  withoutEmptyItems,
  type ContentErrors,
} from './validate.ts';

const SET_KEY = 'pk.questionSet.';

/** Drawing up a contract with the patient, guided by the question battery. */
export default function ContractFlowPage() {
  const { t } = useTranslation();
  const { patientId = '' } = useParams();
  const { me } = useMe();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const units = useUnits();
  const overview = useApi<Overview>(`/api/patients/${patientId}/overview`);
  const sets = useApi<{ questionSets: QuestionSet[] }>('/api/question-sets');
  const [setId, setSetId] = useState<string>(
    () => localStorage.getItem(SET_KEY + me.unitId) ?? 'fragebatteri-000',
  );
  const [step, setStep] = useState(0);
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [content, setContent] = useState<ContractContent>(emptyContractContent);
  const [errors, setErrors] = useState<ContentErrors>({});
  /** What activating lacked when it was last tried: shown at the fields until it is filled in. */
  const [triedActivate, setTriedActivate] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setIsSaving] = useState(false);

  if (overview.error?.status === 404) return <NotFoundOrDenied />;
  if (!overview.data || !sets.data)
    return overview.error ? <ErrorAlert error={overview.error} /> : <Loading />;
  const { patient, contract, careContacts } = overview.data;
  const name = `${patient.givenName} ${patient.familyName}`;
  if (contract) {
    return (
      <Page title={t('flow.title')}>
        <Notice>{t('flow.alreadyHasContract')}</Notice>
        <Link className="button button-primary" to={`/patient/${patientId}/redigera`}>
          {t('flow.goToEdit')}
        </Link>
      </Page>
    );
  }
  const usable = sets.data.questionSets.filter((s) => s.audience !== 'vardgivare');
  const set = usable.find((s) => s.id === setId) ?? usable[0];
  if (!set) return <Loading />;
  const total = set.questions.length + 1;
  const question = step >= 1 && step <= set.questions.length ? set.questions[step - 1] : undefined;
  const hasFvk = careContacts.some((c) => c.role === 'fast-vardkontakt' && c.status === 'active');
  const fvkState: 'active' | 'declined' | null = hasFvk
    ? 'active'
    : careContacts.some((c) => c.role === 'fast-vardkontakt' && c.status === 'declined')
      ? 'declined'
      : null;
  const nextContactStep = set.questions.findIndex((q) => fillsOf(q) === 'nextContact') + 1;
  const missing = activationErrors(content, { fastVardkontakt: fvkState }, t);

  function go(to: number) {
    setStep(to);
    window.scrollTo(0, 0);
    document.querySelector<HTMLElement>('.page-title')?.focus();
  }

  async function save(status: 'draft' | 'active') {
    if (!set) return;
    const cleaned = withoutEmptyItems(content);
    const found = validateContent(cleaned, t);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setError(new Error(t('errors.fixBelow')));
      focusFirstError();
      return;
    }
    if (status === 'active') {
      setTriedActivate(true);
      if (Object.keys(missing).length > 0) {
        setError(new Error(t('flow.missingTitle')));
        requestAnimationFrame(() => document.getElementById('summary-missing')?.focus());
        return;
      }
    }
    setIsSaving(true);
    setError(null);
    const items = set.questions.map((q) => ({
      questionId: q.id,
      ...(answers[q.id]?.answer ? { answer: answers[q.id]?.answer } : {}),
      ...(answers[q.id]?.text ? { text: answers[q.id]?.text } : {}),
    }));
    try {
      await api.post(`/api/patients/${patientId}/contract`, {
        status,
        content: {
          ...cleaned,
          answers: {
            questionSetId: set.id,
            questionSetVersion: set.version,
            answeredAt: new Date().toISOString(),
            items,
          },
        },
      });
      localStorage.setItem(SET_KEY + me.unitId, set.id);
      const wantsCoordination = set.questions.some(
        (q) => q.fills === 'coordinationWanted' && answers[q.id]?.answer === 'ja',
      );
      const goesToContacts = wantsCoordination && !hasFvk;
      // The patient page confirms it on screen and moves focus there (the notice in the state);
      // the contacts page does not, so there the announcer says it.
      if (goesToContacts) announce(status === 'active' ? t('flow.activated') : t('flow.savedDraft'));
      const arrival: ArrivalState = { notice: status === 'active' ? 'activated' : 'draft' };
      void navigate(
        goesToContacts
          ? `/patient/${patientId}/kontakter?utse=fast-vardkontakt&samordning=1`
          : `/patient/${patientId}`,
        { state: arrival },
      );
    } catch (e) {
      setError(e);
    } finally {
      setIsSaving(false);
    }
  }

  return (
    <Page title={t('flow.title')} lead={<p className="lead">{t('flow.lead', { name })}</p>}>
      {step === 0 && (
        // Before the first question nothing is lost by going back; after it, Spara som utkast is the way out.
        <p>
          <Link to={`/patient/${patientId}`}>{t('nav.backToPatient')}</Link>
        </p>
      )}
      {step > 0 && (
        // A named, usable list of the steps: where I am, what is done, and a way to any of them.
        <nav aria-label={t('flow.progress')}>
          <ol className="steps">
            {Array.from({ length: total }, (_, i) => {
              const q = set.questions[i];
              const fills = q ? fillsOf(q) : undefined;
              const label = q
                ? t(`flow.stepNames.${fills ?? 'other'}`, {
                    n: i + 1,
                    defaultValue: t('flow.stepNames.other', { n: i + 1 }),
                  })
                : t('flow.summary');
              const isDone = q !== undefined && Boolean(answers[q.id]?.answer ?? answers[q.id]?.text);
              const isCurrent = i + 1 === step;
              return (
                <li key={q?.id ?? 'summary'} className={isDone ? 'step-done' : undefined}>
                  <button
                    type="button"
                    className="step-button"
                    aria-current={isCurrent ? 'step' : undefined}
                    onClick={() => go(i + 1)}
                  >
                    <span className="step-number" aria-hidden="true">
                      {isDone && !isCurrent ? '✓' : i + 1}
                    </span>{' '}
                    {label}
                    {isDone && <span className="visually-hidden">{`, ${t('flow.stepDone')}`}</span>}
                  </button>
                </li>
              );
            })}
          </ol>
        </nav>
      )}
      <ErrorAlert error={error} />
      {step === 0 && (
        <form
          className="form panel"
          onSubmit={(e) => {
            e.preventDefault();
            go(1);
          }}
        >
          <RadioGroup
            legend={t('flow.chooseSet')}
            value={set.id}
            onChange={setSetId}
            options={usable.map((s) => ({ value: s.id, label: `${s.name} (${s.source})` }))}
          />
          <button type="submit" className="button button-primary">
            {t('flow.start')}
          </button>
        </form>
      )}
      {question && (
        <QuestionStep
          key={question.id}
          set={set}
          question={question}
          stepText={t('flow.step', { n: step, total })}
          answer={answers[question.id] ?? {}}
          onAnswer={(a) => setAnswers({ ...answers, [question.id]: a })}
          content={content}
          onContent={setContent}
          careContacts={careContacts}
          units={units}
          errors={errors}
        />
      )}
      {step === total && (
        <SummaryStep
          set={set}
          answers={answers}
          content={content}
          onContent={setContent}
          fvkState={fvkState}
          units={units}
          missing={missing}
          showErrors={triedActivate}
          onGoToNextContact={nextContactStep > 0 ? () => go(nextContactStep) : null}
        />
      )}
      {step > 0 && (
        <div className="form-actions">
          <button type="button" className="button button-secondary" onClick={() => go(step - 1)}>
            {t('flow.previous')}
          </button>
          {step < total && (
            <button type="button" className="button button-primary" onClick={() => go(step + 1)}>
              {t('flow.next')}
            </button>
          )}
          <button
            type="button"
            className="button button-secondary"
            disabled={isSaving}
            onClick={() => void save('draft')}
          >
            {t('flow.saveDraft')}
          </button>
          {step === total && (
            <button
              type="button"
              className="button button-primary"
              disabled={isSaving}
              onClick={() => void save('active')}
            >
              {t('flow.activate')}
            </button>
          )}
        </div>
      )}
    </Page>
  );
}
