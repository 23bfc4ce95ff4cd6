/** Small helpers shared by the JSON routes: the acting user, ETags and If-Match. */
import type { FastifyRequest } from 'fastify';
import type { Actor, StaffActor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import type { PrefetchedAccess, RequestContext } from '../services/access-service.ts';
import type { CurrentForUpdate } from '../store/contract-store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** The access facts read with the session (routes with `config.prefetchAccess`, app.ts). */
    prefetchedAccess: PrefetchedAccess | null;
    /**
     * The patient's current contract, read with the session (routes with
     * `config.prefetchContract`, app.ts); for the route to use only once access is granted.
     */
    prefetchedContract: (CurrentForUpdate & { patientId: string }) | null;
  }
  interface FastifyContextConfig {
    /**
     * The route's `:patientId` is read with the session, in one statement (app.ts): the hot
     * patient routes, whose first `access.require` is about that patient.
     */
    prefetchAccess?: boolean;
    /**
     * With `prefetchAccess`: the same statement also reads the patient's current contract as
     * `ContractStore#update` needs it (PUT …/contract), saving the update its own read.
     */
    prefetchContract?: boolean;
  }
}

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
