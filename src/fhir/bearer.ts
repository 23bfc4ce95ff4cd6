/**
 * Bearer tokens and CORS on /fhir (docs/fhir.md, "Bearer tokens"): the HTTP side of
 * services/smart-auth-service.ts. A request with `Authorization: Bearer …` is the token's, and
 * only the token's: a session cookie sent with it is ignored (and so is the CSRF check, which
 * protects the cookie: security-plugin.ts#isBearerRequest). CORS answers only origins an active
 * registered client named, never `*`, and never with credentials.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AUTH_CHALLENGE } from '../api/error-handler.ts';
import type { Actor } from '../domain/actor.ts';
import { scopeGrant, type FhirInteraction, type ScopeContext } from '../domain/smart-scope.ts';
import { BearerRefusal, type SmartAuthService } from '../services/smart-auth-service.ts';
import { FhirError } from './outcome.ts';

export const REALM = 'patientkontrakt';

/** The headers a browser app may send, and the ones it may read, across origins. */
const ALLOWED_HEADERS = 'Authorization, Content-Type, Accept, If-Match';
const EXPOSED_HEADERS = 'ETag, Location, WWW-Authenticate, X-Request-Id';
const ALLOWED_METHODS = 'GET, POST, PUT, DELETE, OPTIONS';

/**
 * The resource type and SMART interaction of a FHIR route (`GET /fhir/CarePlan/:id` → CarePlan,
 * r), or null for a path that is none (metadata, unknown paths). Reads of one resource, its
 * versions and its operations are `r`; a type's search (GET, POST `_search`) and history `s`;
 * POST `c`; PUT and PATCH `u`; DELETE `d`.
 */
export function interactionOf(
  method: string,
  routeUrl: string,
): { resourceType: string; interaction: FhirInteraction } | null {
  const parts = routeUrl
    .replace(/^\/fhir\/?/, '')
    .split('/')
    .filter(Boolean);
  const [resourceType, ...rest] = parts;
  if (resourceType === undefined || !/^[A-Z][A-Za-z]+$/.test(resourceType)) return null;
  const typeLevel = rest.length === 0 || rest[0] === '_history' || rest[0] === '_search';
  const of = (interaction: FhirInteraction) => ({ resourceType, interaction });
  switch (method) {
    case 'GET':
    case 'HEAD':
      return of(typeLevel ? 's' : 'r');
    case 'POST':
      return of(rest[0] === '_search' ? 's' : rest.length === 0 ? 'c' : 'r');
    case 'PUT':
    case 'PATCH':
      return of('u');
    case 'DELETE':
      return of('d');
    default:
      return null;
  }
}

/**
 * Does the actor's token (if any) allow `interaction` on `resourceType`? For a route that serves
 * more resource types than its path names (`Patient/$everything`, a Bundle of several types): leave
 * out what the token's scopes do not cover. A session (no token) is not narrowed.
 */
export function tokenAllows(actor: Actor, resourceType: string, interaction: FhirInteraction): boolean {
  if (actor.kind === 'patient' || actor.token === undefined) return true;
  const contexts: ScopeContext[] = actor.kind === 'system' ? ['system'] : ['user', 'patient'];
  return scopeGrant(actor.token.scopes, contexts, resourceType, interaction).allowed;
}

/** The token of an `Authorization: Bearer <token>` header; undefined when another (or no) scheme. */
function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined || !/^bearer(?:\s|$)/i.test(header)) return undefined;
  return header.replace(/^bearer\s*/i, '').trim();
}

/**
 * Sets `request.actor` from a bearer token (replacing a cookie session's), or refuses it: 401
 * `invalid_token`, 403 `insufficient_scope`, each with its `WWW-Authenticate` challenge. Without
 * a token the cookie session stands, and a missing login is challenged for both.
 */
export async function authenticateBearer(
  request: FastifyRequest,
  reply: FastifyReply,
  smart: SmartAuthService | null,
): Promise<void> {
  const token = bearerToken(request);
  if (token === undefined) {
    if (!request.actor && smart)
      void reply.header('www-authenticate', `${AUTH_CHALLENGE}, Bearer realm="${REALM}"`);
    return;
  }
  request.actor = null;
  try {
    if (smart === null) {
      throw new BearerRefusal(
        'invalid_token',
        'Bearer-token tas inte emot här: FHIR-API:t är inte kopplat till någon auktorisationsserver.',
      );
    }
    if (token === '') throw new BearerRefusal('invalid_token', 'Token saknas efter Bearer.');
    request.actor = await smart.authenticate(token, {
      requestId: request.id,
      route: `${request.method} ${request.routeOptions.url ?? request.url}`,
      interaction: interactionOf(request.method, request.routeOptions.url ?? ''),
    });
  } catch (error) {
    if (error instanceof BearerRefusal) void reply.header('www-authenticate', error.challenge(REALM));
    throw error;
  }
}

/**
 * CORS for the origins of registered clients: the answer names the origin (never `*`) and
 * `Vary: Origin`; no credentials are allowed (a browser app sends its token, not our cookie).
 * A preflight (`OPTIONS`) from any other origin answers 403 without CORS headers.
 */
export function registerCors(fhir: FastifyInstance, smart: SmartAuthService | null): void {
  fhir.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    void reply.header('vary', 'Origin');
    if (origin === undefined || smart === null || !(await smart.isAllowedOrigin(origin))) return;
    void reply.header('access-control-allow-origin', origin);
    void reply.header('access-control-expose-headers', EXPOSED_HEADERS);
  });
  fhir.options('/*', { schema: { hide: true } }, async (request, reply) => {
    if (request.headers.origin === undefined)
      return reply.status(204).header('allow', ALLOWED_METHODS).send();
    if (!reply.hasHeader('access-control-allow-origin')) {
      throw new FhirError(403, 'forbidden', 'Ursprunget (Origin) är inte registrerat för FHIR-API:t.');
    }
    return reply
      .status(204)
      .header('access-control-allow-methods', ALLOWED_METHODS)
      .header('access-control-allow-headers', ALLOWED_HEADERS)
      .header('access-control-max-age', '600')
      .send();
  });
}
