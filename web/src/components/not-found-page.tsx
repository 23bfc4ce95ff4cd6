import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Page } from './page.tsx';

/** An address that leads nowhere, or to a screen the user's role does not open: they look the same. */
export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('errors.pageNotFound')}>
      <p>
        <Link to="/">{t('nav.backToWorklist')}</Link>
      </p>
    </Page>
  );
}
