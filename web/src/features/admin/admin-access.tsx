/**
 * Who sees Administration: the role systemförvaltare at the unit the user acts from decides, as on
 * the server (src/domain/access.ts#mayAdministerDirectory, api/admin-routes.ts): everyone else
 * gets no link, and the address shows "Du saknar behörighet".
 */
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { SYSTEM_ADMIN_ROLE } from '../../../../src/domain/access.ts';
import { useHasRoleAtCurrentUnit } from '../auth/session.tsx';

/** Is the logged-in member of staff systemförvaltare at their current unit? */
export function useIsSystemAdmin(): boolean {
  return useHasRoleAtCurrentUnit(SYSTEM_ADMIN_ROLE);
}

/** The main menu's link to Administration, for a systemförvaltare only. */
export function AdminNavLink() {
  const { t } = useTranslation();
  if (!useIsSystemAdmin()) return null;
  return <NavLink to="/administration">{t('admin.nav')}</NavLink>;
}
