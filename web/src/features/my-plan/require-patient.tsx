import { Navigate, Outlet, useLocation } from 'react-router';
import type { PatientActor } from '../../api/types.ts';
import { Loading } from '../../components/alerts.tsx';
import { useSession } from '../auth/session.tsx';

/** Routes for a logged-in patient (or närstående): staff are sent to their worklist. */
export function RequirePatient() {
  const { state } = useSession();
  const location = useLocation();
  switch (state.status) {
    case 'loading':
      return <Loading />;
    case 'anonymous':
      return (
        <Navigate to={`/logga-in?nasta=${encodeURIComponent(location.pathname + location.search)}`} replace />
      );
    case 'needs-unit':
    case 'ready':
      return <Navigate to="/" replace />;
    case 'patient':
      return (
        <div className="patient-view">
          <Outlet />
        </div>
      );
  }
}

/** The logged-in patient; only inside the routes that require one. */
export function usePatientMe(): PatientActor {
  const { state } = useSession();
  if (state.status !== 'patient') throw new Error('usePatientMe without a patient session');
  return state.me;
}
