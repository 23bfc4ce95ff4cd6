import { useTranslation } from 'react-i18next';

/**
 * What is being fetched, as grey lines that hold the place of the content: the page does not
 * jump when it arrives, and a screen reader hears "Hämtar …" once. `lines` is about how many
 * lines of text the content will take; the class `loading` is what tests wait on.
 */
export function Loading({ lines = 3, label }: { lines?: number; label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="loading" role="status" aria-busy="true">
      <span className="visually-hidden">{label ?? t('common.loading')}</span>
      {Array.from({ length: Math.max(1, lines) }, (_, i) => (
        <span key={i} className="skeleton-line" aria-hidden="true" />
      ))}
    </div>
  );
}
