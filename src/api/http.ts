/** Small helpers shared by the JSON routes: the acting user, ETags and If-Match. */
import type { FastifyRequest } from 'fastify';
import type { Actor, StaffActor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import type { RequestContext, StaffContext } from '../services/access-service.ts';

// `request.actor` and `request.prefetchedAccess` are set (and declared) by prefetch-plugin.ts.

/** The logged-in actor, or 401. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new DomainError('unauthenticated');
  return request.actor;
}

/** The logged-in member of staff, or 401/403. */
export function requireStaff(request: FastifyRequest): StaffActor {
  const actor = requireActor(request);
  if (actor.kind !== 'staff') throw new DomainError('forbidden');
  return actor;
}

/** A weak ETag carrying the version number, as FHIR does (W/"3"). */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/** The version an If-Match header names; throws 428 when it is missing and 412 when it is not a version. */
export function requireIfMatch(request: FastifyRequest): number {
  const header = request.headers['if-match'];
  if (header === undefined || header === '') throw new DomainError('precondition_required');
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(String(header).trim());
  if (!match) throw new DomainError('version_conflict');
  return Number(match[1]);
}

/** The actor and request identity every access-log entry carries. */
export function contextOf(request: FastifyRequest): RequestContext {
  return {
    actor: requireActor(request),
    requestId: request.id,
    route: `${request.method} ${request.routeOptions.url ?? request.url}`,
    prefetched: request.prefetchedAccess ?? undefined,
  };
}

/** The request's context for a member of staff, or 401/403. */
export function staffContextOf(request: FastifyRequest): StaffContext {
  return { ...contextOf(request), actor: requireStaff(request) };
}
