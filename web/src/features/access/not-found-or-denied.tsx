import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Page } from '../../components/page.tsx';

/** A patient that does not exist and one the user may not see look the same (security.md 3). */
export function NotFoundOrDenied() {
  const { t } = useTranslation();
  return (
    <Page title={t('access.notFoundTitle')}>
      <p>{t('access.notFoundLead')}</p>
      <ul className="plain-list">
        <li>{t('access.reasonNoRelationship')}</li>
        <li>{t('access.reasonNoConsent')}</li>
        <li>{t('access.reasonBlocked')}</li>
      </ul>
      <p>
        <Link className="button button-primary" to="/atkomst">
          {t('access.openOptions')}
        </Link>{' '}
        <Link className="button button-secondary" to="/sok">
          {t('nav.search')}
        </Link>
      </p>
    </Page>
  );
}
