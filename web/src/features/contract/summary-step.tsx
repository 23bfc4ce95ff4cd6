import { useTranslation } from 'react-i18next';
import type { ContractContent, QuestionSet } from '../../api/types.ts';
import { TextArea, TextField } from '../../components/form.tsx';
import { AgreementView } from './agreement-view.tsx';
import type { Answer } from './question-step.tsx';

/** The last step: review date, what to do if worse, and the whole agreement to read through. */
export function SummaryStep({
  set,
  answers,
  content,
  onContent,
  hasFvk,
}: {
  set: QuestionSet;
  answers: Record<string, Answer>;
  content: ContractContent;
  onContent: (content: ContractContent) => void;
  hasFvk: boolean;
}) {
  const { t } = useTranslation();
  const answerText = (a: Answer | undefined) =>
    a?.answer === 'ja'
      ? t('common.yes')
      : a?.answer === 'nej'
        ? t('common.no')
        : a?.answer === 'vet-inte'
          ? t('common.dontKnow')
          : (a?.text ?? '–');
  const wantsCoordination = set.questions.some(
    (q) => q.fills === 'coordinationWanted' && answers[q.id]?.answer === 'ja',
  );
  return (
    <section aria-labelledby="summary" className="panel">
      <h2 id="summary">{t('flow.summary')}</h2>
      <p>{t('flow.summaryLead')}</p>
      {wantsCoordination && !hasFvk && (
        <p className="alert alert-warning">{t('contacts.coordinationWanted')}</p>
      )}
      <TextField
        label={t('flow.reviewDate')}
        type="date"
        width="short"
        value={content.reviewDate ?? ''}
        onChange={(d) => onContent({ ...content, reviewDate: d || null })}
      />
      <TextArea
        label={t('flow.ifWorse')}
        hint={t('flow.ifWorseHint')}
        value={content.ifWorse}
        onChange={(ifWorse) => onContent({ ...content, ifWorse })}
      />
      <AgreementView content={content} />
      <h3>{t('flow.answersTitle')}</h3>
      <dl className="answers">
        {set.questions.map((q) => (
          <div key={q.id}>
            <dt>{q.text}</dt>
            <dd>{answerText(answers[q.id])}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
