/**
 * NEWS2 while the nurse types: the total, each value's points, the RCP's response level as
 * advice ("Råd, inte beslut") and which checklist scored it. The score is computed in the
 * browser by the same domain function the server uses; the server scores again when saving.
 */
import { useTranslation } from 'react-i18next';
import {
  news2Advice,
  news2Parts,
  NEWS2_DEFAULT_CONFIG,
  type AssessmentConfig,
  type News2Score,
} from '../../../../src/domain/news2.ts';

export function News2Panel({
  score,
  config,
  isUnder16,
  scaleNote,
}: {
  /** Null while a value is missing or impossible. */
  score: News2Score | null;
  /** The checklist scoring it: the region's own version is named, the built-in one as RCP 2017. */
  config: AssessmentConfig;
  isUnder16: boolean;
  /** Who set SpO₂ scale 2, and when; undefined for scale 1. */
  scaleNote: string | undefined;
}) {
  const { t } = useTranslation();
  const isDefault = config.id === NEWS2_DEFAULT_CONFIG.id;
  return (
    <section className={`panel news2-panel news2-${score?.risk ?? 'none'}`} aria-labelledby="news2-title">
      <h2 id="news2-title">{t('mobileTeam.news2.title')}</h2>
      <p className="muted news2-source">
        {isDefault
          ? t('mobileTeam.news2.source')
          : t('mobileTeam.news2.sourceRegion', { name: config.name, version: config.version })}
      </p>
      <p className="muted">{scaleNote ?? t('mobileTeam.news2.scale1')}</p>
      {/* The total is read out when it changes, but not every keystroke's partial state. */}
      <div aria-live="polite" aria-atomic="true">
        {isUnder16 ? (
          <p>{t('mobileTeam.news2.under16')}</p>
        ) : score ? (
          <>
            <p className="news2-total">
              <span className="news2-number">{t('mobileTeam.news2.total', { total: score.total })}</span>{' '}
              <span className={`tag risk-${score.risk}`}>{t(`mobileTeam.news2.risk.${score.risk}`)}</span>
            </p>
            {score.singleParameterThree && <p>{t('mobileTeam.news2.singleThree')}</p>}
            <div className="advice">
              <p className="advice-title">{t('mobileTeam.news2.adviceTitle')}</p>
              <p>{t(`mobileTeam.news2.advice.${news2Advice(score).code}`)}</p>
              <p className="muted">{t('mobileTeam.news2.adviceLead')}</p>
            </div>
          </>
        ) : (
          <p>{t('mobileTeam.news2.incomplete')}</p>
        )}
      </div>
      {score && (
        <ul className="news2-parts">
          {news2Parts.map((part) => (
            <li key={part}>
              <span>{t(`mobileTeam.vitals.${part}`)}</span>{' '}
              <strong>{t('mobileTeam.news2.points', { points: score.parts[part] })}</strong>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
