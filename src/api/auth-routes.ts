/**
 * Sessions and the development login. The development login lists demo users and logs in as
 * one of them; it exists for the embedded demo only and is refused in production.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../domain/errors.ts';
import { parsePatientId } from '../domain/personnummer.ts';
import type { DirectoryStore } from '../store/directory-store.ts';
import type { PatientStore } from '../store/patient-store.ts';
import type { SessionStore } from '../store/session-store.ts';
import { HsaId, Obj } from './schemas.ts';

export const SESSION_COOKIE = 'pk_session';

export interface AuthDeps {
  directory: DirectoryStore;
  patients: PatientStore;
  sessions: SessionStore;
  isDevLoginEnabled: boolean;
  secureCookie: boolean;
  absoluteSeconds: number;
  demoStaffIds: readonly string[];
  demoPatientIds: readonly string[];
  clock: () => Date;
}

export function authRoutes(deps: AuthDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const cookieOptions = {
      path: '/',
      httpOnly: true,
      sameSite: 'strict' as const,
      secure: deps.secureCookie,
      maxAge: deps.absoluteSeconds,
    };

    app.get(
      '/auth/dev/users',
      { schema: { tags: ['auth'], summary: 'Demo users for the development login' } },
      async () => {
        if (!deps.isDevLoginEnabled) throw new DomainError('dev_login_disabled');
        const staff = await deps.directory.staffWithUnits(deps.demoStaffIds);
        const patients = await deps.patients.namesByIdentifiers(deps.demoPatientIds);
        return { staff, patients };
      },
    );

    app.post(
      '/auth/dev/login',
      {
        schema: {
          tags: ['auth'],
          summary: 'Development login (demo only)',
          body: Type.Union([
            Obj({ hsaId: HsaId, unitId: Type.Optional(HsaId) }),
            Obj({ personnummer: Type.String({ maxLength: 20 }) }),
          ]),
        },
      },
      async (request, reply) => {
        if (!deps.isDevLoginEnabled) throw new DomainError('dev_login_disabled');
        const body = request.body;
        let subject: { kind: 'staff' | 'patient'; id: string; unitId: string | null };
        if ('hsaId' in body) {
          // Without a unit, the first by id (the HSA-id order the database sorts by, byte for byte).
          const units = (await deps.directory.unitsOfStaff(body.hsaId)).map((u) => u.unitId).sort();
          if (units.length === 0) throw new DomainError('unauthenticated', 'Okänd användare.');
          const unitId = body.unitId ?? units[0]!;
          if (!units.includes(unitId)) {
            throw new DomainError('forbidden', 'Du arbetar inte på den enheten.');
          }
          subject = { kind: 'staff', id: body.hsaId, unitId };
        } else {
          const parsed = parsePatientId(body.personnummer, deps.clock());
          if (!parsed.ok) throw new DomainError('invalid_patient_id', parsed.reason);
          const patient = await deps.patients.findByIdentifier(parsed.id.value);
          if (!patient) throw new DomainError('unauthenticated', 'Okänd användare.');
          subject = { kind: 'patient', id: patient.id, unitId: null };
        }
        // A new token at every login (no session fixation).
        const old = request.cookies[SESSION_COOKIE];
        if (old) await deps.sessions.end(old);
        const token = await deps.sessions.create(subject);
        void reply.setCookie(SESSION_COOKIE, token, cookieOptions);
        return { kind: subject.kind, id: subject.id, unitId: subject.unitId };
      },
    );

    app.post(
      '/auth/logout',
      { schema: { tags: ['auth'], summary: 'Ends the session on the server' } },
      async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE];
        if (token) await deps.sessions.end(token);
        void reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send();
      },
    );

    app.get('/api/me', { schema: { tags: ['auth'], summary: 'The logged-in user' } }, async (request) => {
      if (!request.actor) throw new DomainError('unauthenticated');
      return request.actor;
    });
  };
}
