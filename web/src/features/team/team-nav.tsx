/**
 * The main menu's links to Akuta ärenden and Mitt team: only for staff who belong to a mobile
 * team, or who have escalations addressed to them (a vårdcentral's physician answering for a
 * patient outside any team). The layout mounts it again for each unit the user acts from.
 */
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import type { EscalationListItem, TeamSummary } from '../../api/mobile-care-types.ts';
import { useApi } from '../../api/use-api.ts';

export function TeamNavLinks({ enabled }: { enabled: boolean }) {
  const { t } = useTranslation();
  const teams = useApi<{ teams: TeamSummary[] }>(enabled ? '/api/teams' : null);
  const open = useApi<{ escalations: EscalationListItem[] }>(enabled ? '/api/escalations?status=open' : null);
  const isMember = (teams.data?.teams.length ?? 0) > 0;
  const hasEscalations = (open.data?.escalations.length ?? 0) > 0;
  if (!enabled || (!isMember && !hasEscalations)) return null;
  return (
    <>
      <NavLink to="/larm">{t('mobileTeam.nav.alerts')}</NavLink>
      {isMember && <NavLink to="/team">{t('mobileTeam.nav.teams')}</NavLink>}
    </>
  );
}
