/**
 * Who sees log review (loggkontroll): the role `loggansvarig` at the unit the user acts from, as
 * on the server (services/audit-service.ts#LOG_REVIEWER_ROLE); everyone else sees no link, and
 * the page is "not found".
 */
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useHasRoleAtCurrentUnit } from '../auth/session.tsx';

/** The role that reviews the access log of its care provider. */
export const LOG_REVIEWER_ROLE = 'loggansvarig';

/** Is the logged-in member of staff a log reviewer at their current unit? */
export function useIsLogReviewer(): boolean {
  return useHasRoleAtCurrentUnit(LOG_REVIEWER_ROLE);
}

/** The main menu's link to log review, for log reviewers. */
export function AuditNavLink() {
  const { t } = useTranslation();
  if (!useIsLogReviewer()) return null;
  return <NavLink to="/loggkontroll">{t('audit.nav')}</NavLink>;
}
