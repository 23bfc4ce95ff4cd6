/**
 * The screens and their addresses (Swedish paths). Screens used less often are loaded when
 * first opened, so that the first load stays small.
 */
import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { RequireStaff, Shell } from './components/layout.tsx';
import { NotFoundPage } from './components/not-found-page.tsx';
import { LoginPage } from './features/auth/login-page.tsx';
import { UnitPage } from './features/auth/unit-page.tsx';
import { RequirePatient } from './features/my-plan/require-patient.tsx';
import { PatientPage } from './features/patient/patient-page.tsx';
import { SearchPage } from './features/patient/search-page.tsx';
import { StartPage } from './features/worklist/start-page.tsx';

const ContractFlowPage = lazy(() => import('./features/contract/contract-flow-page.tsx'));
const ContractEditPage = lazy(() => import('./features/contract/contract-edit-page.tsx'));
const CareContactsPage = lazy(() => import('./features/care-contact/care-contacts-page.tsx'));
const HistoryPage = lazy(() => import('./features/history/history-page.tsx'));
const PrintPage = lazy(() => import('./features/contract/print-page.tsx'));
const AccessPage = lazy(() => import('./features/access/access-page.tsx'));
const RegisterPage = lazy(() => import('./features/patient/register-page.tsx'));
const FollowupPage = lazy(() => import('./features/followup/followup-page.tsx'));
const LaunchLogPage = lazy(() => import('./features/audit/launch-log-page.tsx'));
const AdminPage = lazy(() => import('./features/admin/admin-page.tsx'));
// The patient's own view.
const MyPlanPage = lazy(() => import('./features/my-plan/my-plan-page.tsx'));
const TakePartPage = lazy(() => import('./features/my-plan/take-part-page.tsx'));
const ConsentPage = lazy(() => import('./features/my-plan/consent-page.tsx'));
const ProxiesPage = lazy(() => import('./features/my-plan/proxies-page.tsx'));
const ProxyPlanPage = lazy(() => import('./features/my-plan/proxy-plan-page.tsx'));
const MyPrintPage = lazy(() => import('./features/my-plan/my-print-page.tsx'));
// Mobile care teams: the assessment, Akuta ärenden, the team, the akutblad.
const AssessmentPage = lazy(() => import('./features/assessment/assessment-page.tsx'));
const AlertsPage = lazy(() => import('./features/escalation/alerts-page.tsx'));
const PatientTeamPage = lazy(() => import('./features/team/patient-team-page.tsx'));
const TeamsPage = lazy(() => import('./features/team/teams-page.tsx'));
const TeamPage = lazy(() => import('./features/team/teams-page.tsx').then((m) => ({ default: m.TeamPage })));
const AkutbladPage = lazy(() => import('./features/akutblad/akutblad-page.tsx'));

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Shell />}>
        <Route path="/logga-in" element={<LoginPage />} />
        <Route path="/valj-enhet" element={<UnitPage />} />
        <Route element={<RequireStaff />}>
          <Route index element={<StartPage />} />
          <Route path="/sok" element={<SearchPage />} />
          <Route path="/atkomst" element={<AccessPage />} />
          <Route path="/registrera" element={<RegisterPage />} />
          <Route path="/uppfoljning" element={<FollowupPage />} />
          <Route path="/loggkontroll" element={<LaunchLogPage />} />
          <Route path="/administration" element={<AdminPage />} />
          <Route path="/patient/:patientId" element={<PatientPage />} />
          <Route path="/patient/:patientId/nytt-kontrakt" element={<ContractFlowPage />} />
          <Route path="/patient/:patientId/redigera" element={<ContractEditPage />} />
          <Route path="/patient/:patientId/kontakter" element={<CareContactsPage />} />
          <Route path="/patient/:patientId/historik" element={<HistoryPage />} />
          <Route path="/patient/:patientId/utskrift" element={<PrintPage />} />
          <Route path="/patient/:patientId/mobilt-team" element={<PatientTeamPage />} />
          <Route path="/patient/:patientId/bedomning" element={<AssessmentPage />} />
          <Route path="/patient/:patientId/akutblad" element={<AkutbladPage />} />
          <Route path="/larm" element={<AlertsPage />} />
          <Route path="/team" element={<TeamsPage />} />
          <Route path="/team/:teamId" element={<TeamPage />} />
        </Route>
        <Route element={<RequirePatient />}>
          <Route path="/min-plan" element={<MyPlanPage />} />
          <Route path="/min-plan/jag-ar-med" element={<TakePartPage />} />
          <Route path="/min-plan/samtycke" element={<ConsentPage />} />
          <Route path="/min-plan/narstaende" element={<ProxiesPage />} />
          <Route path="/min-plan/utskrift" element={<MyPrintPage />} />
          <Route path="/narstaende/:patientId" element={<ProxyPlanPage />} />
          <Route path="/narstaende/:patientId/utskrift" element={<MyPrintPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
