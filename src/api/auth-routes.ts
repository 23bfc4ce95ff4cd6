/**
 * Sessions and the development login. The development login lists demo users and logs in as
 * one of them; it exists for the embedded demo only and is refused in production.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../domain/errors.ts';
import type { SessionService } from '../services/session-service.ts';
import { HsaId, Obj } from './schemas.ts';

export const SESSION_COOKIE = 'pk_session';

export interface AuthDeps {
  sessions: SessionService;
  isDevLoginEnabled: boolean;
  secureCookie: boolean;
  absoluteSeconds: number;
  demoStaffIds: readonly string[];
  demoPatientIds: readonly string[];
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
        return deps.sessions.demoUsers(deps.demoStaffIds, deps.demoPatientIds);
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
        const subject = await deps.sessions.devSubject(request.body);
        // A new token at every login (no session fixation).
        const token = await deps.sessions.start(subject, request.cookies[SESSION_COOKIE]);
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

    // Answers 200 whether or not anyone is logged in, so the app learns it without a 401 in the
    // browser's console on every visit to the login page.
    app.get(
      '/auth/session',
      { schema: { tags: ['auth'], summary: 'Whether someone is logged in, and whether a unit is chosen' } },
      async (request) => {
        const token = request.cookies[SESSION_COOKIE];
        const session = token ? await deps.sessions.resolve(token) : null;
        if (!session) return { loggedIn: false };
        return { loggedIn: true, kind: session.subjectKind, unitChosen: session.unitId !== null };
      },
    );

    app.get('/api/me', { schema: { tags: ['auth'], summary: 'The logged-in user' } }, async (request) => {
      if (!request.actor) throw new DomainError('unauthenticated');
      return request.actor;
    });
  };
}
