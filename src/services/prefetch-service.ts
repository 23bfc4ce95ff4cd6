/**
 * Who is asking, read fresh on every request (an ended session or a disabled account counts at
 * once); on the hot patient routes in the same statement as the access facts about the patient
 * in the path and the route's own read (store/prefetch-store.ts). The route still decides and
 * logs through services/access-service.ts; the facts are this request's own, read fresh.
 *
 * The access log's place for that decision is reserved here, before the facts are read (as
 * `AccessService#require` does for facts it reads itself), so that the batch being gathered
 * waits for it; the decision writes it, and whatever the request did not use is cancelled here,
 * when it ends (`release`).
 */
import type { Actor } from '../domain/actor.ts';
import type { LogSlot } from '../store/access-log-store.ts';
import type { CurrentForUpdate } from '../store/contract-store.ts';
import type { OverviewJson } from '../store/overview-store.ts';
import type { PatientPrefetch, PrefetchKind, PrefetchStore } from '../store/prefetch-store.ts';
import { isUuid } from '../store/patient-store.ts';
import type { SessionStore } from '../store/session-store.ts';
import type { PrefetchedAccess } from './access-service.ts';

export type { CurrentForUpdate, OverviewJson, PatientPrefetch, PrefetchKind };

export interface PrefetchServiceDeps {
  sessions: SessionStore;
  prefetch: PrefetchStore;
  /** A place in the access log (`AccessLogStore#reserve`). */
  reserveLog: () => LogSlot;
}

export interface ResolvedRequest {
  actor: Actor;
  /** On the hot patient routes: what was read with the session about the patient in the path. */
  prefetched?: {
    /** For the route's first access decision about the patient (`RequestContext.prefetched`). */
    access: PrefetchedAccess;
    /** The route's own read; to be used only once access is granted. */
    read: PatientPrefetch;
  };
}

export function createPrefetchService(deps: PrefetchServiceDeps) {
  /**
   * The actor, the access facts about `patientId` and the read of `kind`, in one statement, with
   * the log place reserved before they are read; null (and nothing reserved) when the session is
   * not live.
   */
  async function open(token: string, patientId: string, kind: PrefetchKind): Promise<ResolvedRequest | null> {
    const slot = deps.reserveLog();
    try {
      const found = await deps.prefetch.read(token, patientId, kind);
      if (!found) {
        slot.cancel();
        return null;
      }
      return {
        actor: found.actor,
        prefetched: { access: { patientId, facts: found.facts, slot, isUsed: false }, read: found.read },
      };
    } catch (error) {
      slot.cancel();
      throw error;
    }
  }

  return {
    /**
     * The request's actor (null when the session is not live); with `kind` and a `patientId`
     * that can name a patient, also the prefetch of `open`. An answer with `prefetched` must be
     * `release`d when the request ends.
     */
    async resolve(
      token: string,
      route: { kind?: PrefetchKind | undefined; patientId?: string | undefined },
    ): Promise<ResolvedRequest | null> {
      if (route.kind && route.patientId !== undefined && isUuid(route.patientId))
        return open(token, route.patientId, route.kind);
      const resolved = await deps.sessions.resolveActor(token);
      return resolved ? { actor: resolved.actor } : null;
    },

    /**
     * Ends the reservation if no decision wrote it (an error before the route decided, an
     * aborted request); after a decision it is already written and this does nothing.
     */
    release(access: PrefetchedAccess): void {
      access.slot.cancel();
    },
  };
}

export type PrefetchService = ReturnType<typeof createPrefetchService>;
