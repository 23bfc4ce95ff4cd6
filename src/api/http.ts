/** Small helpers shared by the JSON routes: the acting user, ETags and If-Match. */
import type { FastifyRequest } from 'fastify';
import type { Actor, StaffActor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import type { PrefetchedAccess, RequestContext } from '../services/access-service.ts';
import type { CurrentForUpdate } from '../store/contract-store.ts';
import type { OverviewJson } from '../store/overview-store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** The access facts read with the session (routes with `config.prefetchAccess`, app.ts). */
    prefetchedAccess: PrefetchedAccess | null;
    /**
     * The route's own read about the patient, made in the session statement (routes with
     * `config.prefetchPatient`, app.ts); for the route to use only once access is granted.
     */
    prefetchedPatient: PrefetchedPatient | null;
  }
  interface FastifyContextConfig {
    /**
     * The route's `:patientId` is read with the session, in one statement (app.ts): the hot
     * patient routes, whose first `access.require` is about that patient.
     */
    prefetchAccess?: boolean;
    /**
     * With `prefetchAccess`: the same statement also makes the route's own read about the
     * patient, saving it a round trip: the current contract as `ContractStore#update` needs it
     * (PUT …/contract), or the overview (GET …/overview).
     */
    prefetchPatient?: 'contract' | 'overview';
  }
}

/** See `FastifyRequest.prefetchedPatient`. */
export type PrefetchedPatient = { patientId: string } & (
  { kind: 'contract'; current: CurrentForUpdate } | { kind: 'overview'; overview: OverviewJson | null }
);

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
