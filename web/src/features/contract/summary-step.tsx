import { useTranslation } from 'react-i18next';
import type { ContractContent, QuestionSet, Unit } from '../../api/types.ts';
import { formatDateTime } from '../../components/format.ts';
import { RadioGroup, TextArea, TextField } from '../../components/form.tsx';
import { AgreementView } from './agreement-view.tsx';
import type { Answer } from './question-step.tsx';
import type { ContentErrors } from './validate.ts';

/** Where each part an active contract needs is filled in on this step, for the links to it. */
export const summaryFieldIds = {
  nextContact: 'summary-no-next-contact-reason',
  fastVardkontakt: 'summary-fvk-decision',
  reviewDate: 'summary-review-date',
} as const;

type FvkChoice = 'later' | 'not-needed-now' | 'declined';

/**
 * The last step: the whole agreement to read through with the patient, the agreed next contact
 * among it, and what is still missing before the contract can be activated, each linked to
 * where it is filled in. A draft may be saved at any time.
 */
export function SummaryStep({
  set,
  answers,
  content,
  onContent,
  fvkState,
  units,
  missing,
  showErrors,
  onGoToNextContact,
}: {
  set: QuestionSet;
  answers: Record<string, Answer>;
  content: ContractContent;
  onContent: (content: ContractContent) => void;
  /** The patient's fast vårdkontakt as recorded among the contacts. */
  fvkState: 'active' | 'declined' | null;
  units: Unit[];
  /** What activating lacks, keyed by part (validate.ts activationErrors), listed before the buttons. */
  missing: ContentErrors;
  /** After "Aktivera" was refused: each missing part is also an error at its field. */
  showErrors: boolean;
  /** Goes back to the question where the next contact's time is set, when there is one. */
  onGoToNextContact: (() => void) | null;
}) {
  const { t, i18n } = useTranslation();
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
  const next = content.nextContact;
  const missingParts = (['nextContact', 'fastVardkontakt', 'reviewDate'] as const).filter((p) => missing[p]);
  return (
    <section aria-labelledby="summary" className="panel">
      <h2 id="summary">{t('flow.summary')}</h2>
      <p>{t('flow.summaryLead')}</p>
      {missingParts.length > 0 && (
        <div className="alert alert-warning" role="region" aria-labelledby="summary-missing">
          <h3 id="summary-missing" tabIndex={-1}>
            {t('flow.missingTitle')}
          </h3>
          <ul>
            {missingParts.map((p) => (
              <li key={p}>
                <a href={`#${summaryFieldIds[p]}`}>{missing[p]}</a>
              </li>
            ))}
          </ul>
          <p>{t('flow.missingLead')}</p>
        </div>
      )}
      {wantsCoordination && fvkState !== 'active' && (
        <p className="alert alert-warning">{t('contacts.coordinationWanted')}</p>
      )}

      <section aria-labelledby="summary-next-contact" className="summary-part">
        <h3 id="summary-next-contact">{t('flow.agreedNextContact')}</h3>
        {next ? (
          <>
            <p className="big">{formatDateTime(next.at, i18n.language)}</p>
            <p>
              {t(`contactMode.${next.mode}`)} · {units.find((u) => u.id === next.unitId)?.name ?? ''} ·{' '}
              {t(`agreement.${next.agreement}`)}
            </p>
            {next.note && <p className="prose">{next.note}</p>}
          </>
        ) : (
          <>
            <p>{t('flow.noNextContact')}</p>
            {onGoToNextContact && (
              <p>
                <button type="button" className="button button-secondary" onClick={onGoToNextContact}>
                  {t('nextContact.when')}
                </button>
              </p>
            )}
            <TextArea
              id={summaryFieldIds.nextContact}
              label={t('flow.noNextContactReason')}
              hint={t('flow.noNextContactReasonHint')}
              seenByPatient={t('common.seenByPatient')}
              rows={2}
              value={content.noNextContactReason ?? ''}
              onChange={(reason) => onContent({ ...content, noNextContactReason: reason || null })}
              error={showErrors ? missing.nextContact : undefined}
            />
          </>
        )}
      </section>

      <section aria-labelledby="summary-fvk" className="summary-part">
        <h3 id="summary-fvk">{t('flow.fvkDecision')}</h3>
        {fvkState === 'active' ? (
          <p>{t('flow.fvkHas')}</p>
        ) : fvkState === 'declined' ? (
          <p>{t('flow.fvkDeclinedRecorded')}</p>
        ) : (
          <div id={summaryFieldIds.fastVardkontakt} tabIndex={-1}>
            <RadioGroup<FvkChoice>
              legend={t('flow.fvkDecision')}
              value={content.fastVardkontaktDecision ?? 'later'}
              onChange={(choice) =>
                onContent({ ...content, fastVardkontaktDecision: choice === 'later' ? null : choice })
              }
              options={(['later', 'not-needed-now', 'declined'] as const).map((value) => ({
                value,
                label: t(`flow.fvkChoice.${value}`),
              }))}
              error={showErrors ? missing.fastVardkontakt : undefined}
            />
          </div>
        )}
      </section>

      <TextField
        id={summaryFieldIds.reviewDate}
        label={t('flow.reviewDate')}
        type="date"
        width="short"
        seenByPatient={t('common.seenByPatient')}
        value={content.reviewDate ?? ''}
        onChange={(d) => onContent({ ...content, reviewDate: d || null })}
        error={showErrors ? missing.reviewDate : undefined}
      />
      <TextArea
        label={t('flow.ifWorse')}
        hint={t('flow.ifWorseHint')}
        seenByPatient={t('common.seenByPatient')}
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
