import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { AdminNavLink } from '../features/admin/admin-access.tsx';
import { useSession } from '../features/auth/session.tsx';
import { AuditNavLink } from '../features/audit/audit-access.tsx';
import { FollowupNavLink } from '../features/followup/followup-access.tsx';
import { PatientNav } from '../features/my-plan/patient-nav.tsx';
import { TeamNavLinks } from '../features/team/team-nav.tsx';
import { LiveEventsProvider } from '../features/worklist/live-events.tsx';
import { useHasPatientAccess } from '../features/worklist/start-page.tsx';
import { Loading } from './alerts.tsx';

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const other = i18n.language === 'en' ? 'sv' : 'en';
  return (
    <button
      type="button"
      className="button button-quiet"
      lang={other}
      onClick={() => void i18n.changeLanguage(other)}
    >
      {t('app.otherLanguage')}
    </button>
  );
}

/** The frame of every screen: skip link, header with navigation and user, main content. */
export function Shell({ children }: { children?: React.ReactNode }) {
  const { t } = useTranslation();
  const { state, logout } = useSession();
  const navigate = useNavigate();
  const isStaff = state.status === 'ready';
  const isPatient = state.status === 'patient';
  // Roles without patient access (follow-up, log review) get neither list nor search.
  const hasPatientAccess = useHasPatientAccess();
  const unitName = isStaff ? (state.units.find((u) => u.unitId === state.me.unitId)?.unitName ?? '') : '';
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="site-header">
        <div className="header-inner">
          <Link to={isPatient ? '/min-plan' : '/'} className="brand">
            {t('app.name')}
          </Link>
          {isStaff && (
            <nav aria-label={t('nav.label')} className="main-nav">
              {hasPatientAccess && (
                <>
                  <NavLink to="/" end>
                    {t('nav.worklist')}
                  </NavLink>
                  <NavLink to="/sok">{t('nav.search')}</NavLink>
                </>
              )}
              <TeamNavLinks key={`${state.me.staffId}/${state.me.unitId}`} enabled={hasPatientAccess} />
              <FollowupNavLink />
              <AuditNavLink />
              <AdminNavLink />
            </nav>
          )}
          {isPatient && <PatientNav />}
          <div className="header-user">
            {isStaff && (
              <p className="user-line">
                <span className="user-name">{state.me.name}</span>
                <span className="muted">
                  {unitName}
                  {state.units.length > 1 && (
                    <>
                      {' · '}
                      <Link to="/valj-enhet">{t('nav.changeUnit')}</Link>
                    </>
                  )}
                </span>
              </p>
            )}
            {isPatient && (
              <p className="user-line">
                <span className="user-name">{state.me.name}</span>
              </p>
            )}
            <LanguageSwitch />
            {(isStaff || isPatient) && (
              <button
                type="button"
                className="button button-quiet"
                onClick={() => void logout().then(() => navigate('/logga-in'))}
              >
                {t('nav.logout')}
              </button>
            )}
          </div>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>{children ?? <Outlet />}</Suspense>
      </main>
    </>
  );
}

/** Routes that need a logged-in member of staff with a chosen unit. */
export function RequireStaff() {
  const { state } = useSession();
  const location = useLocation();
  const next = encodeURIComponent(location.pathname + location.search);
  switch (state.status) {
    case 'loading':
      return <Loading />;
    case 'anonymous':
      return <Navigate to={`/logga-in?nasta=${next}`} replace />;
    case 'patient':
      return <Navigate to="/min-plan" replace />;
    case 'needs-unit':
      return <Navigate to={`/valj-enhet?nasta=${next}`} replace />;
    case 'ready':
      return (
        <LiveEventsProvider key={`${state.me.staffId}/${state.me.unitId}`}>
          <Outlet />
        </LiveEventsProvider>
      );
  }
}
