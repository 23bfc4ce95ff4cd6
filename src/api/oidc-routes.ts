/**
 * Real login through OpenID Connect (security.md 13, 14): staff through SITHS, patients through
 * BankID/Freja, each at an OIDC provider of its own. Also the unit choice of staff who work at
 * several units, and which login methods the login page should offer.
 *
 *   GET  /auth/config                      which logins are available
 *   GET  /auth/staff/login                 → the staff provider (state, nonce, PKCE S256)
 *   GET  /auth/staff/callback              ← the provider; new session, → / or /valj-enhet
 *   GET  /auth/patient/login               → the patient provider
 *   GET  /auth/patient/callback            ← the provider; new session, → /min-plan
 *   GET  /auth/units                       my units (also before a unit is chosen)
 *   POST /auth/unit {unitId}               choose the unit to act from; rotates the session token
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../config.ts';
import { DomainError } from '../domain/errors.ts';
import { OidcLoginError } from '../services/oidc-client.ts';
import {
  LOGIN_TTL_SECONDS,
  loginMessages,
  oidcKinds,
  type OidcKind,
  type OidcLogin,
} from '../services/oidc-login.ts';
import type { SessionService } from '../services/session-service.ts';
import { SESSION_COOKIE } from './auth-routes.ts';
import { HsaId, Obj } from './schemas.ts';

export interface OidcRouteDeps {
  login: OidcLogin;
  sessions: SessionService;
  config: Pick<Config, 'isProduction' | 'oidc' | 'session'>;
  clock: () => Date;
}

/** The development login is for the embedded demo: never in production, never beside real login. */
export function devLoginAllowed(config: Pick<Config, 'isProduction' | 'oidc'>): boolean {
  return !config.isProduction && !config.oidc.staff && !config.oidc.patient;
}

/** The session cookie, set exactly as the development login sets it. */
export function sessionCookieOptions(session: Config['session']) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: session.secureCookie,
    maxAge: session.absoluteSeconds,
  };
}

/** Where the browser goes after a login. */
const landing = (kind: OidcKind, unitId: string | null): string =>
  kind === 'patient' ? '/min-plan' : unitId ? '/' : '/valj-enhet';

/** The cookie that binds a started login to the browser; Lax, so that it returns with the callback. */
const loginCookie = (kind: OidcKind): string => `pk_oidc_${kind}`;

/** Turns a failed exchange with the provider into a Swedish answer; the reason goes to the log only. */
function toDomainError(error: unknown, log: FastifyBaseLogger): unknown {
  if (!(error instanceof OidcLoginError)) return error;
  log.warn({ reason: error.reason, detail: error.message }, 'OIDC login failed');
  return error.reason === 'rejected'
    ? new DomainError('unauthenticated', loginMessages.rejected)
    : new DomainError('internal', loginMessages.unavailable);
}

const Param = Type.String({ maxLength: 4096 });
/** The authorization response's query (RFC 6749 §4.1.2, OpenID Connect): the login's and a launch's callback. */
export const CallbackQuery = Obj({
  code: Type.Optional(Param),
  state: Type.Optional(Param),
  iss: Type.Optional(Param),
  session_state: Type.Optional(Param),
  error: Type.Optional(Param),
  error_description: Type.Optional(Param),
  error_uri: Type.Optional(Param),
});

export function oidcRoutes(deps: OidcRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const { config, sessions, login } = deps;
    const cookieOptions = sessionCookieOptions(config.session);

    app.get(
      '/auth/config',
      { schema: { tags: ['auth'], summary: 'The login methods this installation offers' } },
      async () => ({
        devLogin: devLoginAllowed(config),
        staffOidc: login.isEnabled('staff'),
        patientOidc: login.isEnabled('patient'),
      }),
    );

    for (const kind of oidcKinds) {
      const cookiePath = `/auth/${kind}/`;

      app.get(
        `/auth/${kind}/login`,
        {
          schema: {
            tags: ['auth'],
            summary: `Starts a ${kind} login at the OpenID Connect provider (redirect)`,
          },
        },
        async (request, reply) => {
          let started: { url: URL; browserKey: string };
          try {
            started = await login.begin(kind);
          } catch (error) {
            throw toDomainError(error, request.log);
          }
          void reply.setCookie(loginCookie(kind), started.browserKey, {
            path: cookiePath,
            httpOnly: true,
            sameSite: 'lax',
            secure: config.session.secureCookie,
            maxAge: LOGIN_TTL_SECONDS,
          });
          return reply.redirect(started.url.href, 302);
        },
      );

      app.get(
        `/auth/${kind}/callback`,
        {
          schema: {
            tags: ['auth'],
            summary: `Completes a ${kind} login (the provider redirects here)`,
            querystring: CallbackQuery,
          },
        },
        async (request, reply) => {
          // The login transaction is single-use: its cookie goes whatever the outcome.
          void reply.clearCookie(loginCookie(kind), { path: cookiePath });
          const url = request.raw.url ?? '';
          const rawQuery = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
          let subject;
          try {
            subject = await login.complete(kind, request.cookies[loginCookie(kind)], rawQuery);
          } catch (error) {
            throw toDomainError(error, request.log);
          }
          // A new token at every login (no session fixation).
          const token = await sessions.start(subject, request.cookies[SESSION_COOKIE]);
          void reply.setCookie(SESSION_COOKIE, token, cookieOptions);
          return reply.redirect(landing(kind, subject.unitId), 302);
        },
      );
    }

    /** The live staff session behind the cookie, whether or not a unit is chosen yet. */
    const staffSession = async (token: string | undefined) => {
      const session = token ? await sessions.resolve(token) : null;
      if (!token || !session || session.subjectKind !== 'staff') throw new DomainError('unauthenticated');
      return { token, session };
    };

    app.get(
      '/auth/units',
      {
        schema: {
          tags: ['auth'],
          summary: 'The units the logged-in member of staff works at, and the one chosen',
        },
      },
      async (request) => {
        const { session } = await staffSession(request.cookies[SESSION_COOKIE]);
        const units = await login.unitsOf(session.subjectId);
        if (units.length === 0) throw new DomainError('unauthenticated');
        return { units, currentUnitId: session.unitId };
      },
    );

    app.post(
      '/auth/unit',
      {
        schema: {
          tags: ['auth'],
          summary: 'Chooses the unit to act from (one of mine); the session gets a new token',
          body: Obj({ unitId: HsaId }),
        },
      },
      async (request, reply) => {
        const { token, session } = await staffSession(request.cookies[SESSION_COOKIE]);
        const next = await sessions.chooseUnit(token, request.body.unitId);
        if (!next) throw new DomainError('forbidden', loginMessages.notYourUnit);
        void reply.setCookie(SESSION_COOKIE, next, cookieOptions);
        return { kind: 'staff' as const, id: session.subjectId, unitId: request.body.unitId };
      },
    );
  };
}
