import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * One screen: sets the document title, and moves focus to the heading when the screen opens,
 * so that screen-reader and keyboard users start at the top of the new content.
 */
export function Page({ title, children, lead }: { title: string; children: ReactNode; lead?: ReactNode }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
  }, [title, t]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <>
      <h1 ref={heading} tabIndex={-1} className="page-title">
        {title}
      </h1>
      {lead}
      {children}
    </>
  );
}
