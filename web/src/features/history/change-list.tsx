import { useTranslation } from 'react-i18next';
import type { ReadableChange } from './describe.ts';

/** Changes as "part: before → after" blocks, labelled in words (not only by colour). */
export function ChangeList({ changes }: { changes: ReadableChange[] }) {
  const { t } = useTranslation();
  return (
    <ul className="plain-list">
      {changes.map((c) => (
        <li key={c.key}>
          <strong>
            {t(`part.${c.part}`)}: {t(`history.${c.kind}`).toLowerCase()}
          </strong>
          <div className="diff">
            {c.kind !== 'added' && (
              <p className="diff-before">
                <span className="diff-label">{t('history.before')}</span>
                {c.before}
              </p>
            )}
            {c.kind !== 'removed' && (
              <p className="diff-after">
                <span className="diff-label">{t('history.after')}</span>
                {c.after}
              </p>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
