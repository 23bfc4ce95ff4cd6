/**
 * Sessions as the login routes use them: a new token at every login (the old one ended, so a
 * session cannot be fixed in advance), the session behind a cookie, the unit a member of staff
 * acts from, and the development login's subjects (the embedded demo only; the routes refuse it
 * in production).
 */
import { DomainError } from '../domain/errors.ts';
import { parsePatientId } from '../domain/personnummer.ts';
import type { DirectoryStore, StaffWithUnits } from '../store/directory-store.ts';
import type { PatientStore } from '../store/patient-store.ts';
import type { Session, SessionStore } from '../store/session-store.ts';

/** Whom a session is for. Staff with several units and none chosen yet get `unitId: null`. */
export interface SessionSubject {
  kind: 'staff' | 'patient';
  id: string;
  unitId: string | null;
}

export interface SessionServiceDeps {
  sessions: SessionStore;
  directory: DirectoryStore;
  patients: PatientStore;
  clock: () => Date;
}

export function createSessionService(deps: SessionServiceDeps) {
  return {
    /** Starts a session for `subject`, ending the one of `previousToken` first; the new token. */
    async start(subject: SessionSubject, previousToken: string | undefined): Promise<string> {
      if (previousToken) await deps.sessions.end(previousToken);
      return deps.sessions.create(subject);
    },

    async end(token: string): Promise<void> {
      await deps.sessions.end(token);
    },

    /** The live session of a token, or null. */
    resolve: (token: string): Promise<Session | null> => deps.sessions.resolve(token),

    /** Sets the unit a member of staff acts from; the new token, or null when it is not theirs. */
    chooseUnit: (token: string, unitId: string): Promise<string | null> =>
      deps.sessions.chooseUnit(token, unitId),

    /** The demo users the development login lists, in the order given. */
    async demoUsers(
      staffIds: readonly string[],
      patientIdentifiers: readonly string[],
    ): Promise<{ staff: StaffWithUnits[]; patients: { personnummer: string; name: string }[] }> {
      return {
        staff: await deps.directory.staffWithUnits(staffIds),
        patients: await deps.patients.namesByIdentifiers(patientIdentifiers),
      };
    },

    /**
     * The subject of a development login: an active member of staff at the unit named (by
     * default the first of theirs by HSA-id), or a registered patient by personnummer.
     */
    async devSubject(
      who: { hsaId: string; unitId?: string | undefined } | { personnummer: string },
    ): Promise<SessionSubject> {
      if ('hsaId' in who) {
        const units = (await deps.directory.unitsOfStaff(who.hsaId)).map((u) => u.unitId).sort();
        if (units.length === 0) throw new DomainError('unauthenticated', 'Okänd användare.');
        const unitId = who.unitId ?? units[0]!;
        if (!units.includes(unitId)) throw new DomainError('forbidden', 'Du arbetar inte på den enheten.');
        return { kind: 'staff', id: who.hsaId, unitId };
      }
      const parsed = parsePatientId(who.personnummer, deps.clock());
      if (!parsed.ok) throw new DomainError('invalid_patient_id', parsed.reason);
      const patient = await deps.patients.findByIdentifier(parsed.id.value);
      if (!patient) throw new DomainError('unauthenticated', 'Okänd användare.');
      return { kind: 'patient', id: patient.id, unitId: null };
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
