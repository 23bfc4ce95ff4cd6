import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contract, QuestionAnswers, QuestionSet } from '../../api/types.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { RadioGroup } from '../../components/form.tsx';
import { formatDate } from '../../components/format.ts';

type Answer = 'ja' | 'nej' | 'vet-inte';
const PATIENT_SET = 'skr-7-fragor-patient';

/**
 * SKR's 7 questions, the patient's version, as a self-assessment (POST …/self-assessments).
 * The questions are data (GET /api/question-sets), so a region's own wording shows as it is.
 */
export function SelfAssessmentForm({
  previous,
  act,
}: {
  previous: QuestionAnswers | null;
  act: (path: string, body: unknown) => Promise<Contract>;
}) {
  const { t, i18n } = useTranslation();
  const announce = useAnnounce();
  const sets = useApi<{ questionSets: QuestionSet[] }>('/api/question-sets');
  const set = sets.data?.questionSets.find((s) => s.id === PATIENT_SET);
  const previousFor = previous?.questionSetId === PATIENT_SET ? previous : null;
  const [answers, setAnswers] = useState<Record<string, Answer>>(() =>
    Object.fromEntries(
      (previousFor?.items ?? []).flatMap((i) => (i.answer ? [[i.questionId, i.answer]] : [])),
    ),
  );
  const [missing, setMissing] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!set) return;
    setDone(false);
    const unanswered = set.questions.filter((q) => !answers[q.id]).map((q) => q.id);
    setMissing(unanswered);
    if (unanswered.length > 0) {
      setError(new Error(t('myPlan.takePart.questionsMissing')));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await act('self-assessments', {
        questionSetId: set.id,
        questionSetVersion: set.version,
        items: set.questions.map((q) => ({ questionId: q.id, answer: answers[q.id] })),
      });
      setDone(true);
      announce(t('myPlan.takePart.questionsSaved'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const options = [
    { value: 'ja' as const, label: t('common.yes') },
    { value: 'nej' as const, label: t('common.no') },
    { value: 'vet-inte' as const, label: t('common.dontKnow') },
  ];
  return (
    <section aria-labelledby="questions-heading" className="panel">
      <h2 id="questions-heading">{t('myPlan.takePart.questionsTitle')}</h2>
      <p className="hint">{t('myPlan.takePart.questionsLead')}</p>
      {previousFor && (
        <p className="muted">
          {t('myPlan.takePart.answeredAt', { date: formatDate(previousFor.answeredAt, i18n.language) })}
        </p>
      )}
      <ErrorAlert error={sets.error} />
      {sets.isLoading && <Loading />}
      {set && (
        <form className="form" onSubmit={(e) => void submit(e)} noValidate>
          <ErrorAlert error={error} />
          <ul className="question-list">
            {set.questions.map((q, i) => (
              <li key={q.id}>
                <RadioGroup
                  legend={
                    <>
                      <span className="question-n">
                        {t('myPlan.takePart.questionN', { n: i + 1, total: set.questions.length })}
                      </span>
                      <span lang="sv">{q.text}</span>
                    </>
                  }
                  {...(missing.includes(q.id) ? { error: t('myPlan.takePart.answerMissing') } : {})}
                  value={answers[q.id]}
                  onChange={(value) => setAnswers((a) => ({ ...a, [q.id]: value }))}
                  options={options}
                  inline
                />
              </li>
            ))}
          </ul>
          {done && <p className="alert alert-success">{t('myPlan.takePart.questionsSaved')}</p>}
          <button type="submit" className="button button-primary" disabled={busy}>
            {t('myPlan.takePart.questionsSubmit')}
          </button>
        </form>
      )}
    </section>
  );
}
