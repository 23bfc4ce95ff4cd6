import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { CareContactView, ContractContent, Question, QuestionSet, Unit } from '../../api/types.ts';
import { Notice } from '../../components/alerts.tsx';
import { newItemId } from '../../components/format.ts';
import { RadioGroup, TextArea } from '../../components/form.tsx';
import { useMe } from '../auth/session.tsx';
import { NextContactEditor } from './next-contact-editor.tsx';
import { ActivitiesEditor, GoalsEditor, LinkedPlansEditor, ResponsibilitiesEditor } from './part-editors.tsx';
import type { ContentErrors } from './validate.ts';

export interface Answer {
  answer?: 'ja' | 'nej' | 'vet-inte';
  text?: string;
}

/**
 * Which part of the contract a question fills. The Gävleborg battery names it (`fills`); SKR's
 * seven questions do not, so their ids are mapped here.
 */
const skrFills: Record<string, string> = {
  p2: 'agreement',
  p4: 'fastVardkontakt',
  p5: 'activities',
  p6: 'nextContact',
  p7: 'linkedPlans',
};

export function fillsOf(question: Question): string | undefined {
  return question.fills ?? skrFills[question.id];
}

/**
 * The parts whose own editor takes the answer: the entries are the answer (their texts, one a
 * line, are kept as the patient's words), so the nurse writes each thing once.
 */
const entryParts = new Set(['goals', 'patientResponsibilities']);

/** The answer's text as it follows from the entries of its part. */
const textOf = (items: readonly { text: string }[]): string =>
  items
    .map((i) => i.text.trim())
    .filter(Boolean)
    .join('\n');

/** Entries made from an answer written as free text (an earlier draft): one a line. */
const linesOf = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** One question of the battery, with the editor of the part its answer fills. */
export function QuestionStep({
  set,
  question,
  stepText,
  answer,
  onAnswer,
  content,
  onContent,
  careContacts,
  units,
  errors,
}: {
  set: QuestionSet;
  question: Question;
  stepText: string;
  answer: Answer;
  onAnswer: (answer: Answer) => void;
  content: ContractContent;
  onContent: (content: ContractContent) => void;
  careContacts: CareContactView[];
  units: Unit[];
  errors: ContentErrors;
}) {
  const { t } = useTranslation();
  const { me } = useMe();
  const fills = fillsOf(question);
  const hasActivitiesQuestion = set.questions.some((q) => fillsOf(q) === 'activities');
  const set_ = (patch: Partial<ContractContent>) => onContent({ ...content, ...patch });
  const fvk = careContacts.find((c) => c.role === 'fast-vardkontakt');
  const flk = careContacts.find((c) => c.role === 'fast-lakarkontakt');
  const isEntryPart = question.answerType === 'text' && fills !== undefined && entryParts.has(fills);

  // An answer written as free text before (a draft saved with it) becomes entries once, so the
  // editor below shows it and nothing is asked twice.
  useEffect(() => {
    if (!isEntryPart || !answer.text) return;
    if (fills === 'goals' && content.goals.length === 0) {
      set_({
        goals: linesOf(answer.text).map((text) => ({
          id: newItemId('mal'),
          text,
          ambition: 'forbattra',
          status: 'pagaende',
        })),
      });
    }
    if (fills === 'patientResponsibilities' && content.patientResponsibilities.length === 0) {
      set_({
        patientResponsibilities: linesOf(answer.text).map((text) => ({ id: newItemId('ansvar'), text })),
      });
    }
    // Once, when the step opens: later edits go through the editor.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <section className="panel" aria-labelledby="question">
      <p className="muted">{stepText}</p>
      <h2 id="question" className="question">
        {question.text}
      </h2>
      {question.answerType === 'ja-nej' ? (
        <RadioGroup
          legend={t('flow.answer')}
          inline
          value={answer.answer}
          onChange={(a) => onAnswer({ ...answer, answer: a })}
          options={[
            { value: 'ja', label: t('common.yes') },
            { value: 'nej', label: t('common.no') },
            { value: 'vet-inte', label: t('common.dontKnow') },
          ]}
        />
      ) : isEntryPart ? (
        <p className="hint">{t('flow.entriesAreAnswer')}</p>
      ) : fills === 'whatMatters' ? (
        <TextArea
          label={t('flow.patientWords')}
          rows={4}
          value={content.whatMatters}
          onChange={(whatMatters) => {
            set_({ whatMatters });
            onAnswer({ text: whatMatters });
          }}
        />
      ) : (
        <TextArea
          label={t('flow.patientWords')}
          rows={3}
          value={answer.text ?? ''}
          onChange={(text) => onAnswer({ ...answer, text })}
        />
      )}

      {fills === 'agreement' && (
        <>
          <TextArea
            label={t('edit.whatMatters')}
            rows={3}
            value={content.whatMatters}
            onChange={(whatMatters) => set_({ whatMatters })}
          />
          <h3>{t('agreement.goals')}</h3>
          <GoalsEditor goals={content.goals} onChange={(goals) => set_({ goals })} errors={errors} />
          <h3>{t('agreement.responsibilities')}</h3>
          <ResponsibilitiesEditor
            items={content.patientResponsibilities}
            onChange={(patientResponsibilities) => set_({ patientResponsibilities })}
            errors={errors}
          />
          <TextArea
            label={t('flow.ifWorse')}
            hint={t('flow.ifWorseHint')}
            value={content.ifWorse}
            onChange={(ifWorse) => set_({ ifWorse })}
          />
        </>
      )}
      {fills === 'goals' && (
        <GoalsEditor
          goals={content.goals}
          onChange={(goals) => {
            set_({ goals });
            if (isEntryPart) onAnswer({ ...answer, text: textOf(goals) });
          }}
          errors={errors}
        />
      )}
      {fills === 'patientResponsibilities' && (
        <ResponsibilitiesEditor
          items={content.patientResponsibilities}
          onChange={(patientResponsibilities) => {
            set_({ patientResponsibilities });
            if (isEntryPart) onAnswer({ ...answer, text: textOf(patientResponsibilities) });
          }}
          errors={errors}
        />
      )}
      {fills === 'fastVardkontakt' && (
        <Notice>
          {fvk ? t('flow.currentFvk', { name: fvk.staffName ?? fvk.unitName }) : t('flow.noFvk')}
        </Notice>
      )}
      {fills === 'fastLakarkontakt' && (
        <Notice>
          {flk ? t('flow.currentFlk', { name: flk.staffName ?? flk.unitName }) : t('flow.noFlk')}
        </Notice>
      )}
      {fills === 'nextContact' && (
        <>
          <h3>{t('nextContact.title')}</h3>
          <NextContactEditor
            value={content.nextContact}
            onChange={(nextContact) => set_({ nextContact })}
            units={units}
            defaultUnitId={me.unitId}
            defaultStaffId={me.staffId}
            error={errors.nextContact}
          />
        </>
      )}
      {(fills === 'activities' || (fills === 'nextContact' && !hasActivitiesQuestion)) && (
        <>
          <h3>{t('plan.title')}</h3>
          <ActivitiesEditor
            activities={content.activities}
            onChange={(activities) => set_({ activities })}
            units={units}
            defaultUnitId={me.unitId}
            errors={errors}
          />
        </>
      )}
      {fills === 'linkedPlans' && (
        <LinkedPlansEditor
          plans={content.linkedPlans}
          onChange={(linkedPlans) => set_({ linkedPlans })}
          units={units}
          defaultUnitId={me.unitId}
        />
      )}
      {fills === 'coordinationWanted' && <p className="hint">{t('flow.coordinationHint')}</p>}
    </section>
  );
}
