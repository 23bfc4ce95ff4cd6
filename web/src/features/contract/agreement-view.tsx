import { useTranslation } from 'react-i18next';
import type { ContractContent } from '../../api/types.ts';
import { formatDate } from '../../components/format.ts';

/** The shared agreement: what matters, goals, the patient's own part, and what to do if worse. */
export function AgreementView({
  content,
  withIfWorse = true,
}: {
  content: ContractContent;
  /** False where the page shows "Om patienten blir sämre" on its own, higher up (IfWorse). */
  withIfWorse?: boolean;
}) {
  const { t, i18n } = useTranslation();
  return (
    <div className="grid-2">
      <section aria-labelledby="what-matters" className="panel">
        <h2 id="what-matters">{t('agreement.whatMatters')}</h2>
        <p className="prose">
          {content.whatMatters || <span className="muted">{t('common.notFilledIn')}</span>}
        </p>
        {content.whatMattersPatientWords?.text && (
          <blockquote className="own-words">
            <p className="contact-role">
              {t('myPlan.staff.patientWords', {
                date: formatDate(content.whatMattersPatientWords.writtenAt, i18n.language),
              })}
            </p>
            <p className="prose">{content.whatMattersPatientWords.text}</p>
          </blockquote>
        )}
      </section>
      <section aria-labelledby="goals" className="panel">
        <h2 id="goals">{t('agreement.goals')}</h2>
        {content.goals.length === 0 ? (
          <p className="muted">{t('common.notFilledIn')}</p>
        ) : (
          <ul className="plain-list">
            {content.goals.map((g) => (
              <li key={g.id}>
                <strong>{g.text}</strong>
                <br />
                <span className="muted">
                  {t('agreement.ambition')}: {t(`ambition.${g.ambition}`)} · {t(`goalStatus.${g.status}`)}
                  {g.targetDate &&
                    ` · ${t('agreement.targetDate')} ${formatDate(g.targetDate, i18n.language)}`}
                  {g.proposedByPatient && ` · ${t('agreement.proposedByPatient')}`}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="responsibilities" className="panel">
        <h2 id="responsibilities">{t('agreement.responsibilities')}</h2>
        {content.patientResponsibilities.length === 0 ? (
          <p className="muted">{t('common.notFilledIn')}</p>
        ) : (
          <ul className="plain-list">
            {content.patientResponsibilities.map((r) => (
              <li key={r.id}>
                {r.text}
                {r.isDone && <span className="tag tag-success">{t('agreement.done')}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
      {withIfWorse && <IfWorse content={content} />}
    </div>
  );
}

/** What the patient does if they get worse: what a nurse looks for first when the phone rings. */
export function IfWorse({ content }: { content: ContractContent }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="if-worse" className="panel">
      <h2 id="if-worse">{t('agreement.ifWorse')}</h2>
      <p className="prose">{content.ifWorse || <span className="muted">{t('common.notFilledIn')}</span>}</p>
    </section>
  );
}
