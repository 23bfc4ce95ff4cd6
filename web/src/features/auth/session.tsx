/**
 * Who is logged in, and from which unit. Loaded once at start: GET /auth/session (200 whether or
 * not anyone is logged in), then GET /api/me; a member of staff with several units who has not
 * chosen one yet gets /auth/units with the units, and the app asks for the unit first.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, api, setCsrfToken } from '../../api/client.ts';
import type { PatientActor, StaffActor } from '../../api/types.ts';

export interface StaffUnit {
  unitId: string;
  unitName: string;
  /** The role there: `medarbetare`, `verksamhetschef`, `uppfoljning`, `loggansvarig`. */
  role: string;
}

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'patient'; me: PatientActor }
  | { status: 'needs-unit'; units: StaffUnit[] }
  | { status: 'ready'; me: StaffActor; units: StaffUnit[] };

interface SessionApi {
  state: SessionState;
  refresh: () => Promise<SessionState>;
  devLogin: (hsaId: string) => Promise<SessionState>;
  /** The demo login of a patient (or närstående) by personnummer. */
  devLoginPatient: (personnummer: string) => Promise<SessionState>;
  chooseUnit: (unitId: string) => Promise<void>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

async function load(): Promise<SessionState> {
  const session = (await api.get<{ loggedIn: boolean; kind?: string; unitChosen?: boolean }>('/auth/session'))
    .body;
  if (!session.loggedIn) return { status: 'anonymous' };
  if (session.kind === 'staff' && !session.unitChosen) {
    const units = (await api.get<{ units: StaffUnit[] }>('/auth/units')).body.units;
    return { status: 'needs-unit', units };
  }
  try {
    const me = (await api.get<StaffActor | PatientActor>('/api/me')).body;
    if (me.kind !== 'staff') return { status: 'patient', me };
    const units = (await api.get<{ units: StaffUnit[] }>('/auth/units')).body.units;
    return { status: 'ready', me, units };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
  }
  try {
    const units = (await api.get<{ units: StaffUnit[] }>('/auth/units')).body.units;
    return { status: 'needs-unit', units };
  } catch {
    return { status: 'anonymous' };
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    const next = await load().catch((): SessionState => ({ status: 'anonymous' }));
    setState(next);
    return next;
  }, []);

  useEffect(() => {
    let isCurrent = true;
    void load()
      .catch((): SessionState => ({ status: 'anonymous' }))
      .then((next) => {
        if (isCurrent) setState(next);
      });
    return () => {
      isCurrent = false;
    };
  }, []);

  const value = useMemo<SessionApi>(
    () => ({
      state,
      refresh,
      devLogin: async (hsaId) => {
        await api.post('/auth/dev/login', { hsaId });
        return refresh();
      },
      devLoginPatient: async (personnummer) => {
        await api.post('/auth/dev/login', { personnummer });
        return refresh();
      },
      chooseUnit: async (unitId) => {
        await api.post('/auth/unit', { unitId });
        await refresh();
      },
      logout: async () => {
        await api.post('/auth/logout').catch(() => undefined);
        setCsrfToken(null);
        setState({ status: 'anonymous' });
      },
    }),
    [state, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The logged-in member of staff; only inside the routes that require one. */
export function useMe(): { me: StaffActor; units: StaffUnit[]; unitName: string } {
  const { state } = useSession();
  if (state.status !== 'ready') throw new Error('useMe without a session');
  const unitName = state.units.find((u) => u.unitId === state.me.unitId)?.unitName ?? state.me.unitId;
  return { me: state.me, units: state.units, unitName };
}

/** Does the logged-in member of staff hold `role` at the unit they act from? (false without a session) */
export function useHasRoleAtCurrentUnit(role: string): boolean {
  const { state } = useSession();
  if (state.status !== 'ready') return false;
  return state.units.find((u) => u.unitId === state.me.unitId)?.role === role;
}
