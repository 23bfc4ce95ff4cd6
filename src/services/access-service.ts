/**
 * Access first: gathers the facts, applies the pure rule in src/domain/access.ts, and writes
 * the access-log entry before any data can leave (no log, no data). A denied request answers
 * exactly like a missing patient, so that ids cannot be probed (security.md 3).
 */
import {
  decideAccess,
  decideActingInCare,
  decidePatientWishRecording,
  type AccessAction,
  type AccessDecision,
  type AccessFacts,
  type DenyReason,
} from '../domain/access.ts';
import type { AccessLogEntry, LoggedAction } from '../domain/access-log.ts';
import { actorId, clientIdOf, type Actor, type StaffActor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import type { AccessFactsStore } from '../store/access-facts-store.ts';
import type { AccessLogStore, LogSlot } from '../store/access-log-store.ts';
import { isUuid } from '../store/patient-store.ts';

/** Who asks, and which request: every log entry carries both. */
export interface RequestContext {
  actor: Actor;
  requestId: string;
  route: string;
  /**
   * The facts about one patient, read in the same statement as this request's session (the hot
   * routes: services/prefetch-service.ts), with the log place reserved before they were read.
   * The first decision about that patient in the request uses them and writes that place; every
   * other reads its own.
   */
  prefetched?: PrefetchedAccess | undefined;
}

/** A request by a member of staff. */
export type StaffContext = RequestContext & { actor: StaffActor };

/** See `RequestContext.prefetched`. */
export interface PrefetchedAccess {
  patientId: string;
  facts: AccessFacts;
  /**
   * Reserved before the facts were read (prefetch-service.ts#open); written here by the decision,
   * or cancelled by the prefetch service when the request ends without one.
   */
  slot: LogSlot;
  /** Set when a decision has used the facts. */
  isUsed: boolean;
}

export type Granted = Extract<AccessDecision, { allowed: true }> & {
  /** Is information held by this unit hidden from the reader (spärr)? */
  isHidden: (unitId: string) => boolean;
  /** No unit's information is hidden from the reader: `isHidden` is false for every unit. */
  hidesNothing: boolean;
};

export interface AccessServiceDeps {
  facts: AccessFactsStore;
  log: AccessLogStore;
  /** The units of some providers, for spärr per provider. */
  unitsOfProviders: (providerIds: readonly string[]) => Promise<string[]>;
  clock: () => Date;
}

export function createAccessService(deps: AccessServiceDeps) {
  function entryFor(
    ctx: RequestContext,
    patientId: string | null,
    action: LoggedAction,
    decision: AccessDecision,
    detail: string | null = null,
  ): AccessLogEntry {
    const actor = ctx.actor;
    return {
      at: deps.clock().toISOString(),
      action,
      actorKind: actor.kind,
      actorId: actorId(actor),
      unitId: actor.kind === 'staff' ? actor.unitId : null,
      providerId: actor.kind === 'patient' ? null : actor.providerId,
      patientId: patientId !== null && isUuid(patientId) ? patientId : null,
      outcome: decision.allowed ? 'allowed' : 'denied',
      legalBasis: decision.allowed ? decision.basis : null,
      isEmergency: decision.allowed && decision.basis === 'emergency',
      requestId: ctx.requestId,
      route: ctx.route,
      detail: decision.allowed ? detail : `nekad: ${decision.reason}${detail ? `; ${detail}` : ''}`,
      clientId: clientIdOf(actor),
    };
  }

  /**
   * Reads the facts, decides and writes the entry; resolves when the entry is committed. The
   * log's place is reserved before the facts are read, so that the batch being gathered waits
   * for this entry instead of committing without it.
   */
  async function decideLogged(
    ctx: RequestContext,
    patientId: string,
    action: LoggedAction,
    detail: string | null,
    decide: (facts: AccessFacts) => AccessDecision,
  ): Promise<AccessDecision> {
    const prefetched = ctx.prefetched;
    if (prefetched && !prefetched.isUsed && prefetched.patientId === patientId) {
      prefetched.isUsed = true;
      const decision = decide(prefetched.facts);
      await prefetched.slot.write(entryFor(ctx, patientId, action, decision, detail));
      return decision;
    }
    const slot = deps.log.reserve();
    try {
      const decision = decide(await deps.facts.gather(ctx.actor, patientId));
      await slot.write(entryFor(ctx, patientId, action, decision, detail));
      return decision;
    } finally {
      slot.cancel();
    }
  }

  async function granted(decision: Extract<AccessDecision, { allowed: true }>): Promise<Granted> {
    const hidden = new Set(decision.hiddenUnitIds);
    if (decision.hiddenProviderIds.length > 0) {
      for (const unitId of await deps.unitsOfProviders(decision.hiddenProviderIds)) hidden.add(unitId);
    }
    return { ...decision, isHidden: (unitId) => hidden.has(unitId), hidesNothing: hidden.size === 0 };
  }

  return {
    /** The decision alone, without logging: for the pure matrix and for searches (logged by the caller). */
    async decide(actor: Actor, patientId: string, action: AccessAction): Promise<AccessDecision> {
      return decideAccess(actor, action, await deps.facts.gather(actor, patientId));
    },

    /** Does a grant hide what `unitId` holds or did (spärr of the unit or of its care provider)? */
    async hides(decision: Extract<AccessDecision, { allowed: true }>, unitId: string): Promise<boolean> {
      return (await granted(decision)).isHidden(unitId);
    },

    /**
     * Decides, logs, and returns the grant; throws not_found when denied. The log entry is
     * committed before this returns, so the caller's data cannot leave without it.
     */
    async require(
      ctx: RequestContext,
      patientId: string,
      action: AccessAction,
      detail?: string,
    ): Promise<Granted> {
      const decision = await decideLogged(ctx, patientId, action, detail ?? null, (facts) =>
        decideAccess(ctx.actor, action, facts),
      );
      if (!decision.allowed) throw refusalOf(decision.reason);
      return granted(decision);
    },

    /**
     * Like `require`, but a denial is returned (and logged) instead of thrown: for a caller
     * that answers the same either way (registering a person who may already be registered).
     */
    async check(
      ctx: RequestContext,
      patientId: string,
      action: AccessAction,
      detail: string,
    ): Promise<Granted | null> {
      const decision = await decideLogged(ctx, patientId, action, detail, (facts) =>
        decideAccess(ctx.actor, action, facts),
      );
      return decision.allowed ? granted(decision) : null;
    },

    /**
     * For acts by personnummer (registering a person, emergency access): staff with a care role
     * at their unit, decided from the role alone before the number is looked up. A denial is
     * logged and answers 403 whatever the number; a grant is logged by the act itself.
     */
    async requireActingInCare(ctx: RequestContext, action: LoggedAction, detail: string): Promise<void> {
      const actor = ctx.actor;
      const decision = decideActingInCare(actor, actor.kind === 'staff' ? actor.role : null);
      if (decision.allowed) return;
      await deps.log.write(entryFor(ctx, null, action, decision, detail));
      throw new DomainError('forbidden', 'Din roll på enheten ger inte åtkomst till patientuppgifter.');
    },

    /** Logs a refused act about a person, e.g. a personnummer nobody is registered under. */
    async logDenied(
      ctx: RequestContext,
      patientId: string | null,
      action: LoggedAction,
      reason: DenyReason,
      detail: string,
    ): Promise<void> {
      await deps.log.write(entryFor(ctx, patientId, action, { allowed: false, reason }, detail));
    },

    /**
     * For recording the patient's consent, spärr or their lifting: decides, logs, throws
     * not_found when denied.
     */
    async requireWishRecording(
      ctx: RequestContext,
      patientId: string,
      action: LoggedAction,
      detail: string,
    ): Promise<void> {
      const decision = await decideLogged(ctx, patientId, action, detail, (facts) =>
        decidePatientWishRecording(ctx.actor, facts),
      );
      if (!decision.allowed)
        throw new DomainError('not_found', 'Patienten finns inte eller så saknar du behörighet.');
    },

    /**
     * Keeps the patients the actor may see in a search, and logs each one returned. A list
     * that is more than a search hit (the plans a närstående may read) decides as `read`.
     */
    async filterSearch(
      ctx: RequestContext,
      patientIds: readonly string[],
      action: AccessAction = 'search',
    ): Promise<string[]> {
      const visible: string[] = [];
      const entries: AccessLogEntry[] = [];
      for (const id of patientIds) {
        const decision = decideAccess(ctx.actor, action, await deps.facts.gather(ctx.actor, id));
        if (decision.allowed) {
          visible.push(id);
          entries.push(entryFor(ctx, id, action, decision));
        }
      }
      await deps.log.write(...entries);
      return visible;
    },

    /**
     * Like `filterSearch`, with each visible patient's grant, for a list that must also leave out
     * what a spärr hides from the reader (a notification of a change made from a hidden unit).
     */
    async grantsFor(
      ctx: RequestContext,
      patientIds: readonly string[],
      action: AccessAction,
    ): Promise<Map<string, Granted>> {
      const grants = new Map<string, Granted>();
      const entries: AccessLogEntry[] = [];
      for (const id of new Set(patientIds)) {
        const decision = decideAccess(ctx.actor, action, await deps.facts.gather(ctx.actor, id));
        if (decision.allowed) {
          grants.set(id, await granted(decision));
          entries.push(entryFor(ctx, id, action, decision));
        }
      }
      await deps.log.write(...entries);
      return grants;
    },

    /**
     * One page of a search: decides for the candidates in their order until `limit` are visible,
     * logs those (and only those: they are what is returned), and tells whether another visible
     * one follows among the candidates, so that the caller knows there is a next page.
     */
    async filterSearchPage(
      ctx: RequestContext,
      candidateIds: readonly string[],
      limit: number,
    ): Promise<{ visible: string[]; hasMore: boolean }> {
      const visible: string[] = [];
      const entries: AccessLogEntry[] = [];
      let hasMore = false;
      for (const id of candidateIds) {
        const decision = decideAccess(ctx.actor, 'search', await deps.facts.gather(ctx.actor, id));
        if (!decision.allowed) continue;
        if (visible.length === limit) {
          hasMore = true;
          break;
        }
        visible.push(id);
        entries.push(entryFor(ctx, id, 'search', decision));
      }
      await deps.log.write(...entries);
      return { visible, hasMore };
    },

    /**
     * Logs the disclosure of an SBAR (and what the physician does with it: acknowledge, decide)
     * to the physician it is addressed to: allowed on the basis 'sbar-disclosure', whatever the
     * access rule says about the rest of the plan, which still needs consent or nödåtkomst.
     */
    async logDisclosure(
      ctx: RequestContext,
      patientId: string,
      action: LoggedAction,
      detail: string,
    ): Promise<void> {
      await deps.log.write({
        ...entryFor(ctx, patientId, action, { allowed: false, reason: 'role' }),
        outcome: 'allowed',
        legalBasis: 'sbar-disclosure',
        isEmergency: false,
        detail,
      });
    },

    /** Logs an action that is not a patient-data access decision (consent, block, review …). */
    async logAction(
      ctx: RequestContext,
      patientId: string | null,
      action: LoggedAction,
      detail: string,
      options: { isEmergency?: boolean } = {},
    ): Promise<void> {
      await deps.log.write({
        ...entryFor(ctx, patientId, action, { allowed: false, reason: 'role' }),
        outcome: 'allowed',
        legalBasis: options.isEmergency ? 'emergency' : null,
        isEmergency: options.isEmergency ?? false,
        detail,
      });
    },

    entryFor,
  };
}

export type AccessService = ReturnType<typeof createAccessService>;

/**
 * The error a denial answers with: exactly a missing patient's (security.md 3), except for a
 * patient doing staff work in their own plan, who knows the plan exists and is told why.
 */
function refusalOf(reason: DenyReason): DomainError {
  return reason === 'staff-only'
    ? new DomainError(
        'forbidden',
        'Du kan inte ändra planen här. Som patient bockar du av, svarar och föreslår i din egen vy.',
      )
    : new DomainError('not_found', 'Patienten finns inte eller så saknar du behörighet.');
}
