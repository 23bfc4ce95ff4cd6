/**
 * The session of every request, and the hot patient routes' prefetch, as one Fastify plugin.
 *
 * `onRequest` resolves the session cookie to `request.actor`. A route with `config: { prefetch }`
 * (GET …/overview, PUT …/contract) gets, in the same statement, the access facts about its
 * `:patientId` (`request.prefetchedAccess`, which its first `access.require` about that patient
 * uses and logs) and the read it names (`prefetchedContract`, `prefetchedOverview`), for the
 * handler to use only once access is granted: a denied request sends nothing of it. The log
 * place of that decision is reserved before the statement and released when the request ends
 * (services/prefetch-service.ts); the statements are in store/sql-snapshots/prefetch-*.sql.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Actor } from '../domain/actor.ts';
import type { PrefetchedAccess } from '../services/access-service.ts';
import type {
  CurrentForUpdate,
  OverviewJson,
  PatientPrefetch,
  PrefetchKind,
  PrefetchService,
} from '../services/prefetch-service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in actor, null without a live session. */
    actor: Actor | null;
    /** The access facts read with the session (routes with `config.prefetch`). */
    prefetchedAccess: PrefetchedAccess | null;
    /** The route's own read, made in the session statement (routes with `config.prefetch`). */
    prefetchedPatient: (PatientPrefetch & { patientId: string }) | null;
  }
  interface FastifyContextConfig {
    /**
     * The route's `:patientId` is read with the session, in one statement: the hot patient
     * routes, whose first `access.require` is about that patient. `'access'`: the access facts;
     * `'contract'`: also the current contract as a save needs it; `'overview'`: also the overview.
     */
    prefetch?: PrefetchKind;
  }
}

export interface PrefetchPluginOptions {
  prefetch: PrefetchService;
  /** The name of the session cookie. */
  cookieName: string;
}

const plugin: FastifyPluginAsync<PrefetchPluginOptions> = async (app: FastifyInstance, options) => {
  const { prefetch, cookieName } = options;
  app.decorateRequest('actor', null);
  app.decorateRequest('prefetchedAccess', null);
  app.decorateRequest('prefetchedPatient', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[cookieName];
    if (!token) return;
    const kind = request.routeOptions.config.prefetch;
    const patientId = kind ? (request.params as { patientId?: string }).patientId : undefined;
    const resolved = await prefetch.resolve(token, { kind, patientId });
    if (!resolved) return;
    request.actor = resolved.actor;
    if (resolved.prefetched) {
      request.prefetchedAccess = resolved.prefetched.access;
      request.prefetchedPatient = {
        ...resolved.prefetched.read,
        patientId: resolved.prefetched.access.patientId,
      };
    }
  });
  // The reservation ends with the request, whether or not a decision used it.
  const release = async (request: FastifyRequest): Promise<void> => {
    if (request.prefetchedAccess) prefetch.release(request.prefetchedAccess);
  };
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);
};

/**
 * Registered on the root instance, not encapsulated: its hooks and decorations are for every
 * route (what the `fastify-plugin` wrapper does, with Fastify's own marker).
 */
export const prefetchPlugin = Object.assign(plugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'prefetch',
});

/** The current contract read with the session, if this request's route read it for this patient. */
export function prefetchedContract(request: FastifyRequest, patientId: string): CurrentForUpdate | undefined {
  const read = request.prefetchedPatient;
  return read?.kind === 'contract' && read.patientId === patientId ? read.current : undefined;
}

/**
 * The overview read with the session, if this request's route read it for this patient
 * (`null`: it read that there is no such patient).
 */
export function prefetchedOverview(
  request: FastifyRequest,
  patientId: string,
): OverviewJson | null | undefined {
  const read = request.prefetchedPatient;
  return read?.kind === 'overview' && read.patientId === patientId ? read.overview : undefined;
}
