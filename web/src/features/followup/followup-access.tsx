/**
 * Who sees follow-up: the role at the unit the user acts from decides, as on the server
 * (src/domain/followup.ts#followupScopeOf): `uppfoljning` the region, `verksamhetschef` their own
 * care provider, everyone else nothing (no link, and the page is "not found").
 */
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { followupScopeOf, type FollowupScope } from '../../../../src/domain/followup.ts';
import { useSession } from '../auth/session.tsx';

/** The follow-up scope of the logged-in member of staff at their current unit. */
export function useFollowupScope(): FollowupScope {
  const { state } = useSession();
  if (state.status !== 'ready') return { kind: 'none' };
  const role = state.units.find((u) => u.unitId === state.me.unitId)?.role ?? null;
  return followupScopeOf(role, state.me.unitId, state.me.providerId);
}

/** The main menu's link to follow-up, for those who may see it. */
export function FollowupNavLink() {
  const { t } = useTranslation();
  const scope = useFollowupScope();
  if (scope.kind === 'none') return null;
  return <NavLink to="/uppfoljning">{t('followup.nav')}</NavLink>;
}
