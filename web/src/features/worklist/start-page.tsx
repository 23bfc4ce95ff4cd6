/**
 * What `/` shows: "Mina patienter" for staff whose role at the unit they act from is care work
 * (src/domain/access.ts#careRoles); the follow-up page for a follow-up analyst or head of unit
 * without it; Administration for a systemförvaltare; a short start page for the others (the log
 * reviewer), who have no patients.
 */
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { careRoles } from '../../../../src/domain/access.ts';
import { Page } from '../../components/page.tsx';
import { useIsSystemAdmin } from '../admin/admin-access.tsx';
import { useSession } from '../auth/session.tsx';
import { useFollowupScope } from '../followup/followup-access.tsx';
import { WorklistPage } from './worklist-page.tsx';

/** Whether the logged-in member of staff may work with patients at their current unit. */
export function useHasPatientAccess(): boolean {
  const { state } = useSession();
  if (state.status !== 'ready') return false;
  const role = state.units.find((u) => u.unitId === state.me.unitId)?.role ?? null;
  return role !== null && careRoles.includes(role);
}

export function StartPage() {
  const hasPatientAccess = useHasPatientAccess();
  const followup = useFollowupScope();
  const isSystemAdmin = useIsSystemAdmin();
  if (hasPatientAccess) return <WorklistPage />;
  if (followup.kind !== 'none') return <Navigate to="/uppfoljning" replace />;
  if (isSystemAdmin) return <Navigate to="/administration" replace />;
  return <NoPatientsStart />;
}

function NoPatientsStart() {
  const { t } = useTranslation();
  const { state } = useSession();
  // "Byt enhet" is in the header only for someone with more than one unit.
  const hasOtherUnits = state.status === 'ready' && state.units.length > 1;
  return (
    <Page title={t('start.title')}>
      <p>{t('start.noPatientAccess')}</p>
      {hasOtherUnits && <p className="muted">{t('start.changeUnit')}</p>}
    </Page>
  );
}
