/**
 * Request security for the whole app (security.md 14–17), registered once in app.ts right
 * after @fastify/cookie:
 *
 * - **Headers** (helmet): a CSP for a same-origin SPA without inline scripts, no framing,
 *   nosniff, no referrer, HSTS when cookies are `Secure`.
 * - **CSRF**: every POST/PUT/PATCH/DELETE made with the cookie of a live session must send
 *   `X-CSRF-Token` (else 403, checked before the body is validated or handled), a synchronizer token bound to the session: HMAC-SHA256 of the session token
 *   under `SESSION_SECRET`. The SPA reads it from the login answer (`csrfToken`) or from
 *   `GET /auth/csrf`. An `Origin` header, when present, must be our own origin
 *   (`PUBLIC_BASE_URL`, or the request's host when that is unset). Login routes have no
 *   session yet: they need `Content-Type: application/json` (a cross-site form cannot send it
 *   without a CORS preflight, which we never grant) and pass the same Origin check. OIDC
 *   callbacks are not login routes here: a provider may post them cross-site (our
 *   SameSite=Strict cookie does not go with them), and `state` + PKCE protect them.
 * - **Rate limits** per IP (all requests), per IP on login and callback routes (stricter), and
 *   per user (the session subject, after app.ts has resolved `request.actor`). 429 with
 *   `Retry-After`. `RATE_LIMIT=off` turns them off (benchmarks).
 *
 * Without `SESSION_SECRET` a random key is drawn at every start: sessions survive a restart
 * (they live in the database) but their CSRF tokens do not, so the SPA fetches a new one
 * after a 403; several instances behind one load balancer must share a `SESSION_SECRET`.
 */
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { actorId } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import { SESSION_COOKIE } from './auth-routes.ts';

export const CSRF_HEADER = 'x-csrf-token';

export interface RateLimitSettings {
  enabled: boolean;
  /** Requests per minute; 0 turns that limit off. */
  userPerMinute: number;
  ipPerMinute: number;
  loginPerMinute: number;
}

export interface SecurityOptions {
  /** Key of the CSRF tokens; random for this process when undefined. At least 32 characters. */
  sessionSecret: string | undefined;
  /** The origin browsers use (https://…); undefined: the request's own host is ours. */
  publicBaseUrl: string | undefined;
  /** Cookies are `Secure`: the site is served over HTTPS only, so HSTS is sent too. */
  secureCookie: boolean;
  rateLimit: RateLimitSettings;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes that start a session: no session cookie is needed, JSON and our Origin are. */
const LOGIN_ROUTE = /^\/auth\/.*login/i;
/** Routes that get the stricter login rate limit: logins, OIDC callbacks and SMART launches. */
const LOGIN_LIMIT_ROUTE = /^\/(?:auth\/.*(?:login|callback)|launch(?:\/|$))/i;
const WINDOW_MS = 60_000;

const CSRF_MESSAGE =
  'Förfrågan saknar en giltig säkerhetstoken (X-CSRF-Token) och har stoppats. Ladda om sidan och försök igen.';
const ORIGIN_MESSAGE = 'Förfrågan kommer från en annan webbplats och har stoppats.';

/**
 * A request to /fhir with `Authorization: Bearer …`: authenticated by its token alone
 * (fhir/bearer.ts), so a session cookie beside it is ignored, and with it the CSRF and Origin
 * checks that protect the cookie. A cross-site page cannot send that header without a CORS
 * preflight, which only registered origins pass.
 */
export function isBearerRequest(request: FastifyRequest): boolean {
  return (
    /^\/fhir(?:[/?]|$)/.test(request.url) && /^bearer(?:\s|$)/i.test(request.headers.authorization ?? '')
  );
}

/** Computes the CSRF token of a session token. */
export function csrfTokenFactory(secret: string | Buffer): (sessionToken: string) => string {
  return (sessionToken) => createHmac('sha256', secret).update(`csrf:${sessionToken}`).digest('base64url');
}

/** Constant-time comparison of two strings. */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A protocol error the JSON and FHIR error handlers answer by its status (here 415). */
class UnsupportedMediaType extends Error {
  readonly statusCode = 415;
  readonly code = 'unsupported_media_type';
  constructor() {
    super('Innehållstypen stöds inte. Skicka JSON.');
  }
}

/**
 * Whether an Origin header names our own origin. With a public base URL only that origin
 * counts; without one, the origin's host and port must be the request's Host.
 */
export function isOwnOrigin(origin: string, host: string, publicOrigin: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // includes the opaque origin "null"
  }
  if (publicOrigin !== undefined) return url.origin === publicOrigin;
  const defaultPort = url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : undefined;
  if (!defaultPort) return false;
  const hostMatch = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.toLowerCase());
  if (!hostMatch) return false;
  return `${url.hostname}:${url.port || defaultPort}` === `${hostMatch[1]}:${hostMatch[2] ?? defaultPort}`;
}

/** The session token a response sets, when it sets one (a login). */
function sessionTokenSetBy(reply: FastifyReply): string | undefined {
  const header = reply.getHeader('set-cookie');
  const cookies = Array.isArray(header) ? header : typeof header === 'string' ? [header] : [];
  for (const cookie of cookies) {
    const match = new RegExp(`^${SESSION_COOKIE}=([^;]+)`).exec(cookie);
    if (match?.[1]) return decodeURIComponent(match[1]);
  }
  return undefined;
}

export interface Security {
  /** The CSRF token of a session token. */
  csrfTokenOf: (sessionToken: string) => string;
  /** `GET /auth/csrf`; registered with the other routes, so that the OpenAPI document lists it. */
  routes: FastifyPluginAsync;
}

/** Registers headers, CSRF protection and rate limits on the root instance (before any route). */
export async function registerSecurity(app: FastifyInstance, options: SecurityOptions): Promise<Security> {
  if (options.sessionSecret !== undefined && options.sessionSecret.length < 32) {
    throw new Error('SESSION_SECRET must be at least 32 characters long.');
  }
  const csrfTokenOf = csrfTokenFactory(options.sessionSecret ?? randomBytes(32));
  const publicOrigin = options.publicBaseUrl ? new URL(options.publicBaseUrl).origin : undefined;

  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(options.secureCookie ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: options.secureCookie ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });

  if (options.rateLimit.enabled) await registerRateLimits(app, options.rateLimit);

  app.addHook('onRequest', async (request) => {
    if (!UNSAFE_METHODS.has(request.method)) return;
    const isLogin = LOGIN_ROUTE.test(request.routeOptions.url ?? '');
    // Neither a login nor sent with our cookie: nothing a forged request could use.
    if (!isLogin && (!request.cookies[SESSION_COOKIE] || isBearerRequest(request))) return;
    const origin = request.headers.origin;
    if (origin !== undefined && !isOwnOrigin(origin, request.host, publicOrigin)) {
      request.log.warn({ origin }, 'cross-origin state-changing request refused');
      throw new DomainError('forbidden', ORIGIN_MESSAGE, [
        { path: '/headers/origin', message: ORIGIN_MESSAGE },
      ]);
    }
    if (isLogin) {
      const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (mediaType !== 'application/json') throw new UnsupportedMediaType();
    }
  });

  // The token is checked once app.ts has resolved the session (onRequest), before the body is
  // validated or anything is done: a dead session answers 401 as usual, not 403.
  app.addHook('preValidation', async (request) => {
    if (!UNSAFE_METHODS.has(request.method) || !request.actor) return;
    if (LOGIN_ROUTE.test(request.routeOptions.url ?? '')) return;
    const sessionToken = request.cookies[SESSION_COOKIE];
    // Authenticated otherwise (a bearer token on /fhir): the cookie is not what is used.
    if (!sessionToken || isBearerRequest(request)) return;
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !sameSecret(sent, csrfTokenOf(sessionToken))) {
      throw new DomainError('forbidden', CSRF_MESSAGE, [
        { path: `/headers/${CSRF_HEADER}`, message: CSRF_MESSAGE },
      ]);
    }
  });

  // A login answer carries the new session's CSRF token, so the SPA needs no second request.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode >= 300 || typeof payload !== 'string') return payload;
    if (!String(reply.getHeader('content-type') ?? '').startsWith('application/json')) return payload;
    const token = sessionTokenSetBy(reply);
    if (!token) return payload;
    try {
      const body: unknown = JSON.parse(payload);
      if (body === null || typeof body !== 'object' || Array.isArray(body)) return payload;
      return JSON.stringify({ ...body, csrfToken: csrfTokenOf(token) });
    } catch {
      return payload;
    }
  });

  return {
    csrfTokenOf,
    routes: async (child) => {
      child.get(
        '/auth/csrf',
        {
          schema: {
            tags: ['auth'],
            summary: 'The CSRF token of the session, for the X-CSRF-Token header of every write',
          },
        },
        async (request) => {
          const token = request.cookies[SESSION_COOKIE];
          if (!request.actor || !token) throw new DomainError('unauthenticated');
          return { csrfToken: csrfTokenOf(token) };
        },
      );
    },
  };
}

/**
 * Fixed one-minute windows in memory (per process), counted by @fastify/rate-limit's stores:
 * IPv6 addresses are grouped by /64, and the LRU bounds the memory an address flood can use.
 * IP and login limits run on `onRequest` (before the session lookup); the per-user limit on
 * `preValidation`, after app.ts's onRequest hook has resolved `request.actor` and before any
 * body is validated or handled.
 */
async function registerRateLimits(app: FastifyInstance, limits: RateLimitSettings): Promise<void> {
  await app.register(rateLimit, { global: false });
  type Limiter = ReturnType<FastifyInstance['createRateLimit']>;
  const make = (max: number, keyGenerator?: (req: FastifyRequest) => string): Limiter | undefined =>
    max > 0
      ? app.createRateLimit({ max, timeWindow: WINDOW_MS, ...(keyGenerator ? { keyGenerator } : {}) })
      : undefined;
  const perIp = make(limits.ipPerMinute);
  const perLogin = make(limits.loginPerMinute);
  const perUser = make(limits.userPerMinute, (req) =>
    req.actor ? `${req.actor.kind}:${actorId(req.actor)}` : 'patient:',
  );

  const enforce = async (limiter: Limiter | undefined, request: FastifyRequest, reply: FastifyReply) => {
    if (!limiter) return;
    const result = await limiter(request);
    if (result.isAllowed || !result.isExceeded) return;
    void reply.header('retry-after', String(Math.max(1, result.ttlInSeconds)));
    throw new DomainError('rate_limited');
  };

  app.addHook('onRequest', async (request, reply) => {
    await enforce(perIp, request, reply);
    if (LOGIN_LIMIT_ROUTE.test(request.routeOptions.url ?? '')) await enforce(perLogin, request, reply);
  });
  app.addHook('preValidation', async (request, reply) => {
    if (request.actor) await enforce(perUser, request, reply);
  });
}
