/**
 * The patient's own wishes about level of care and the physician's treatment limitations,
 * each with who documented it and when: what a nurse must see beside the assessment before
 * she chooses ambulance or hospital.
 */
import { useTranslation } from 'react-i18next';
import type { CareDirective } from '../../api/mobile-care-types.ts';
import { formatDate } from '../../components/format.ts';

export function DirectivesList({
  directives,
  headingLevel = 2,
  onEnd,
}: {
  directives: readonly CareDirective[];
  headingLevel?: 2 | 3;
  onEnd?: (directive: CareDirective) => void;
}) {
  const { t, i18n } = useTranslation();
  const current = directives.filter((d) => !d.endedAt);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="panel directives" aria-labelledby="directives-title">
      <Heading id="directives-title">{t('mobileTeam.directive.title')}</Heading>
      <p className="muted">{t('mobileTeam.directive.lead')}</p>
      {current.length === 0 ? (
        <p>{t('mobileTeam.directive.none')}</p>
      ) : (
        <ul className="plain-list">
          {current.map((d) => (
            <li key={d.id} className={`directive directive-${d.kind}`}>
              <p className="directive-kind">{t(`mobileTeam.directive.kind.${d.kind}`)}</p>
              <p className="prose">{d.text}</p>
              <p className="muted">
                {t('mobileTeam.directive.by', {
                  name: d.recordedBy.name,
                  date: formatDate(d.recordedAt, i18n.language),
                })}
              </p>
              {onEnd && (
                <button type="button" className="button button-quiet" onClick={() => onEnd(d)}>
                  {t('mobileTeam.directive.end')}
                  <span className="visually-hidden">: {t(`mobileTeam.directive.kind.${d.kind}`)}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
