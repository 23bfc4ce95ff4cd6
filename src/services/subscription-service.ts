/**
 * Topic-based Subscriptions (FHIR R4 Subscriptions Backport; docs/fhir.md "Subscribing to plan
 * changes"): a registered system client subscribes to "a patient's plan changed"; each plan
 * change on the change feed is queued for the matching subscriptions, and a timer on the app's
 * clock sends the queue as id-only rest-hook notifications, with retries and backoff.
 *
 * A new subscription is `requested` until its endpoint answers the handshake (then `active`; a
 * failed handshake sets `error`); with a heartbeat period, a heartbeat goes out when nothing else
 * was sent for that long. Neither names a patient.
 *
 * The access rule is applied at every attempt, with fresh facts: the client's care provider must
 * still be allowed to read the patient (care relationship, consent, spärr: domain/access.ts). A
 * denial strikes every pending delivery of that subscription about that patient, retries
 * included, and nothing is sent. A consent revoked or a spärr added strikes them at once, in the
 * transaction that changes the access (`narrowAccess`, called by the consent and spärr services):
 * once it has committed, no attempt is decided for them any more. Every notification sent is
 * preceded by its access-log entry (action read, the client's id, the subscription and endpoint
 * in the detail): no log, no notification.
 */
import { randomUUID } from 'node:crypto';
import type { Actor, SystemActor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import type { SmartClient } from '../domain/smart-client.ts';
import { decideAccess } from '../domain/access.ts';
import { parseScopes, scopeGrant } from '../domain/smart-scope.ts';
import {
  ACCESS_ENDED,
  isLive,
  nextAttemptAt,
  PLAN_CHANGED_TOPIC,
  planChangeKinds,
  subscriptionProblem,
  type RetrySettings,
  type Subscription,
  type SubscriptionRequest,
} from '../domain/subscription.ts';
import type { AccessFactsStore } from '../store/access-facts-store.ts';
import type { Queryable } from '../store/db.ts';
import type { StoredEvent } from '../store/event-store.ts';
import {
  endPatientAccess,
  lockSubscriptionsAboutPatient,
  type DueDelivery,
  type SubscriptionStore,
} from '../store/subscription-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';
import type { ChangeFeed } from './change-feed.ts';
import type { NotificationSender } from './subscription-sender.ts';

export interface SubscriptionSettings {
  retry: RetrySettings;
  /** How often the queue is looked at for due deliveries (ms). */
  checkMs: number;
  /** How long one POST to an endpoint may take (ms). */
  timeoutMs: number;
  /** Deliveries claimed per round. */
  batch: number;
}

/**
 * What one notification carries, for the FHIR rendering (src/fhir/subscription-mapper.ts): an
 * event, or a handshake or heartbeat (the subscription's status alone).
 */
export type Notification =
  EventNotification | { type: 'handshake' | 'heartbeat'; subscription: Subscription; sentAt: string };

export interface EventNotification {
  type: 'event-notification';
  subscription: Subscription;
  eventNumber: number;
  eventsSinceStart: number;
  focus: string;
  eventKind: string;
  eventAt: string;
  /** When the notification is sent (the Bundle's timestamp). */
  sentAt: string;
}

export interface SubscriptionServiceDeps {
  subscriptions: SubscriptionStore;
  clients: { find(clientId: string): Promise<SmartClient | null> };
  access: AccessService;
  /** The access facts read in a transaction of its own (the one that narrows a patient's access). */
  factsIn: (q: Queryable) => AccessFactsStore;
  feed: ChangeFeed;
  /** The notification Bundle as JSON text (the FHIR layer renders it; composed in src/app.ts). */
  render: (notification: Notification) => string;
  send: NotificationSender;
  settings: SubscriptionSettings;
  clock: () => Date;
  onError: (error: unknown, what: string) => void;
}

/** How long a delivery is kept once sent, dropped or failed (30 days). */
const KEEP_DONE_MS = 30 * 24 * 3600_000;

/** How long plan changes are gathered before they are queued in one transaction (ms). */
const GATHER_MS = 50;

const ONLY_SYSTEM =
  'Bara en registrerad systemklient (SMART backend services) kan prenumerera: prenumerationen hör till klienten och dess vårdgivare.';

/** The client a request acts for, once it is an active system client; else 403. */
function systemActorOf(actor: Actor): SystemActor {
  if (actor.kind !== 'system') throw new DomainError('forbidden', ONLY_SYSTEM);
  return actor;
}

export function createSubscriptionService(deps: SubscriptionServiceDeps) {
  const { subscriptions, access, clock } = deps;

  /** The client as registered now: active, or null. */
  async function activeClient(clientId: string): Promise<SmartClient | null> {
    const client = await deps.clients.find(clientId);
    return client && client.isActive ? client : null;
  }

  /** May a client's registration read CarePlans at all? A notification names one. */
  function readsCarePlans(client: SmartClient): boolean {
    return scopeGrant(parseScopes(client.scopes), ['system'], 'CarePlan', 'r').allowed;
  }

  async function ownSubscription(actor: Actor, id: string) {
    const system = systemActorOf(actor);
    const found = await subscriptions.find(system.clientId, id);
    if (!found) throw new DomainError('not_found', 'Prenumerationen finns inte.');
    return found;
  }

  /** The system actor a delivery is decided and logged for: the client as registered now. */
  function deliveryActor(client: SmartClient): SystemActor {
    return {
      kind: 'system',
      clientId: client.clientId,
      name: client.name,
      providerId: client.providerId,
      token: { clientId: client.clientId, scopes: parseScopes(client.scopes), patientId: null },
    };
  }

  /** One attempt at one delivery. */
  async function attempt(delivery: DueDelivery, now: Date): Promise<void> {
    const sub = delivery.subscription;
    const at = now.toISOString();
    if (!isLive(sub, now)) {
      await subscriptions.dropForSubscription(sub.id, 'prenumerationen är avslutad', at);
      return;
    }
    const client = await activeClient(sub.clientId);
    if (!client || !readsCarePlans(client)) {
      await subscriptions.dropForSubscription(sub.id, 'klienten får inte längre läsa vårdplaner', at);
      return;
    }
    const actor = deliveryActor(client);
    // Fresh facts at every attempt: consent, care relationship and spärr as they are now.
    const decision = await access.decide(actor, delivery.patientId, 'read');
    if (!decision.allowed) {
      await subscriptions.endPatientAccess(sub.id, delivery.patientId, ACCESS_ENDED, at);
      return;
    }
    // A change made from a unit a spärr hides from the client is not told (security.md, spärr),
    // as the staff's notifications and live events leave it out.
    if (delivery.actorUnitId !== null && (await access.hides(decision, delivery.actorUnitId))) {
      await subscriptions.dropDelivery(delivery.id, 'ändringen gjordes från en spärrad enhet', at);
      return;
    }
    const ctx: RequestContext = {
      actor,
      requestId: randomUUID(),
      route: `POST Subscription/${sub.id} (rest-hook)`,
    };
    const granted = await access.check(
      ctx,
      delivery.patientId,
      'read',
      `Subscription/${sub.id}: id-only-avisering om ${delivery.focus} (händelse ${delivery.eventNumber}) till ${sub.endpoint}`,
    );
    if (granted === null) {
      await subscriptions.endPatientAccess(sub.id, delivery.patientId, ACCESS_ENDED, at);
      return;
    }
    const body = deps.render({
      type: 'event-notification',
      subscription: sub,
      eventNumber: delivery.eventNumber,
      eventsSinceStart: sub.eventsSinceStart,
      focus: delivery.focus,
      eventKind: delivery.eventKind,
      eventAt: delivery.eventAt,
      sentAt: clock().toISOString(),
    });
    try {
      await deps.send(sub.endpoint, body);
      await subscriptions.markDelivered(delivery.id, sub.id, clock().toISOString());
    } catch (error) {
      const failedAt = clock();
      const retryAt = nextAttemptAt(delivery.attempts + 1, failedAt, deps.settings.retry);
      const reason = error instanceof Error ? error.message : String(error);
      await subscriptions.markFailed(
        delivery.id,
        sub.id,
        `Försök ${delivery.attempts + 1} av ${deps.settings.retry.maxAttempts}: ${reason}`,
        retryAt?.toISOString() ?? null,
        failedAt.toISOString(),
      );
    }
  }

  /** Sends a handshake or heartbeat (no patient in it); the reason it was not received, or null. */
  async function sendStatusOnly(type: 'handshake' | 'heartbeat', sub: Subscription): Promise<string | null> {
    const client = await activeClient(sub.clientId);
    if (!client) return 'klienten är inte längre registrerad';
    try {
      await deps.send(sub.endpoint, deps.render({ type, subscription: sub, sentAt: clock().toISOString() }));
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  /** The handshakes due (new subscriptions, `requested`): active on 2xx, else error. */
  async function handshakeDue(now: Date): Promise<void> {
    const lease = new Date(now.getTime() + deps.settings.timeoutMs * 2 + 1000);
    for (const sub of await subscriptions.claimHandshakes(
      now.toISOString(),
      lease.toISOString(),
      deps.settings.batch,
    )) {
      const failure = await sendStatusOnly('handshake', sub);
      await subscriptions.finishHandshake(
        sub.id,
        failure === null ? null : `Handskakningen misslyckades: ${failure}`,
        clock().toISOString(),
      );
    }
  }

  /** The heartbeats due: subscriptions with a period to which nothing was sent for that long. */
  async function heartbeatDue(now: Date): Promise<void> {
    for (const sub of await subscriptions.claimHeartbeats(now.toISOString(), deps.settings.batch)) {
      const failure = await sendStatusOnly('heartbeat', sub);
      await subscriptions.finishHeartbeat(
        sub.id,
        failure === null ? null : `Hjärtslaget nådde inte mottagaren: ${failure}`,
        clock().toISOString(),
      );
    }
  }

  /** Sends what is due now; returns how many deliveries were attempted. */
  async function deliverDue(): Promise<number> {
    const now = clock();
    await subscriptions.endExpired(now.toISOString());
    await handshakeDue(now);
    // Done deliveries are kept for a while (what was sent, dropped or failed), then deleted.
    await subscriptions.prune(new Date(now.getTime() - KEEP_DONE_MS).toISOString(), 1000);
    const lease = new Date(now.getTime() + deps.settings.timeoutMs * 2 + 1000);
    const due = await subscriptions.claimDue(now.toISOString(), lease.toISOString(), deps.settings.batch);
    for (const delivery of due) {
      try {
        await attempt(delivery, now);
      } catch (error) {
        deps.onError(error, 'a subscription delivery failed');
      }
    }
    await heartbeatDue(clock());
    return due.length;
  }

  /** Starts a round at once (set by `start`; before it, the timer's next round does the work). */
  let kick: () => void = () => undefined;

  /**
   * What the live subscriptions filter on, as this process last read it (null: not read yet, so
   * every plan change is looked up). A plan change that no live subscription could match costs no
   * database work. Read again by every timer round; a subscription made here is added at once,
   * one made by another process is caught up from the change events when it is first seen.
   */
  let live: { known: Set<string>; patients: Set<string>; hasUnfiltered: boolean } | null = null;

  function addLive(sub: { id: string; patientId: string | null }): void {
    if (!live) return;
    live.known.add(sub.id);
    if (sub.patientId === null) live.hasUnfiltered = true;
    else live.patients.add(sub.patientId);
  }

  async function refreshLive(): Promise<void> {
    const rows = await subscriptions.liveFilters(PLAN_CHANGED_TOPIC, clock().toISOString());
    const before = live;
    live = { known: new Set(), patients: new Set(), hasUnfiltered: false };
    for (const row of rows) addLive(row);
    if (before === null) return;
    for (const row of rows.filter((r) => !before.known.has(r.id))) {
      const missed = await subscriptions.planEventsSince(
        row.startEventId,
        [...planChangeKinds],
        row.patientId,
        1000,
      );
      await subscriptions.enqueue(missed, PLAN_CHANGED_TOPIC, clock().toISOString());
    }
  }

  /** Could any live subscription want one of these plan changes? */
  function mayMatch(events: readonly StoredEvent[]): boolean {
    return live === null || live.hasUnfiltered || events.some((e) => live!.patients.has(e.patientId));
  }

  /** Queues plan changes for the subscriptions they match; returns how many deliveries. */
  async function handleEvents(events: readonly StoredEvent[]): Promise<number> {
    const plan = events.filter((e) => planChangeKinds.has(e.kind) && e.contractId !== null);
    return subscriptions.enqueue(
      plan.map((event) => ({
        changeEventId: event.id,
        patientId: event.patientId,
        focus: `CarePlan/${event.contractId}`,
        kind: event.kind,
        at: event.createdAt,
      })),
      PLAN_CHANGED_TOPIC,
      clock().toISOString(),
    );
  }

  return {
    /** Throws 403 unless the actor is a system client (the only kind that manages subscriptions). */
    assertSystemClient(actor: Actor): void {
      systemActorOf(actor);
    },

    /**
     * Creates a subscription for the request's system client, `requested`: the handshake goes to
     * its endpoint at once, off the request (active on 2xx, else error).
     */
    async create(ctx: RequestContext, request: SubscriptionRequest): Promise<Subscription> {
      const system = systemActorOf(ctx.actor);
      const client = await activeClient(system.clientId);
      if (!client) throw new DomainError('forbidden', ONLY_SYSTEM);
      const now = clock();
      const problem = subscriptionProblem(request, client.subscriptionEndpoints, now);
      if (problem) throw new DomainError('invalid_input', problem.message, [problem]);
      if (!readsCarePlans(client)) {
        const message =
          'Klienten är inte registrerad för att läsa vårdplaner (CarePlan), som aviseringarna gäller.';
        throw new DomainError('forbidden', message);
      }
      if (request.patientId !== null) {
        // Whether the patient exists is told only to a client that may read them (logged).
        const granted = await access.check(
          ctx,
          request.patientId,
          'read',
          'Subscription: prenumeration på ändringar i planen',
        );
        if (granted === null) {
          const message = 'Patienten i filtret finns inte eller så saknar klienten behörighet.';
          throw new DomainError('invalid_input', message, [{ path: 'Subscription.criteria', message }]);
        }
      }
      const created = await subscriptions.create({
        id: randomUUID(),
        clientId: client.clientId,
        providerId: client.providerId,
        topic: request.topic,
        patientId: request.patientId,
        endpoint: request.endpoint,
        reason: request.reason,
        status: 'requested',
        endAt: request.endAt,
        heartbeatPeriod: request.heartbeatPeriod,
        at: now.toISOString(),
      });
      addLive(created);
      kick();
      return created;
    },

    /** The client's own subscription; another's answers like a missing one. */
    async read(ctx: RequestContext, id: string): Promise<{ subscription: Subscription; isDeleted: boolean }> {
      const { isDeleted, ...subscription } = await ownSubscription(ctx.actor, id);
      return { subscription, isDeleted };
    },

    async search(
      ctx: RequestContext,
      filter: { status: readonly string[] | null; patientId: string | null },
      limit: number,
      offset: number,
    ): Promise<Subscription[]> {
      const system = systemActorOf(ctx.actor);
      return subscriptions.list(system.clientId, filter, limit, offset);
    },

    /** Deletes the client's subscription: nothing more is sent, pending deliveries included. */
    async delete(ctx: RequestContext, id: string): Promise<boolean> {
      const found = await ownSubscription(ctx.actor, id);
      if (found.isDeleted) return false;
      return subscriptions.delete(found.clientId, id, clock().toISOString());
    },

    /** The subscription and the state of its deliveries, for `$status`. */
    async status(
      ctx: RequestContext,
      id: string,
    ): Promise<{ subscription: Subscription; isDeleted: boolean; deliveries: Record<string, number> }> {
      const { isDeleted, ...subscription } = await ownSubscription(ctx.actor, id);
      return { subscription, isDeleted, deliveries: await subscriptions.deliveryCounts(id) };
    },

    handleEvents,
    deliverDue,

    /**
     * In `tx`, the transaction that revoked a consent or added a spärr for the patient (after that
     * change): decides afresh, with the facts as `tx` sees them, whether each subscription's client
     * may still read the patient; where not, its pending deliveries about the patient are struck
     * (retries included) and a subscription filtered on the patient is turned off, its error
     * telling why. Commits or rolls back with the change itself; the subscriptions are locked, so
     * that nothing is queued for them meanwhile. Returns how many deliveries were struck.
     */
    async narrowAccess(tx: Queryable, patientId: string): Promise<number> {
      const affected = await lockSubscriptionsAboutPatient(tx, patientId);
      if (affected.length === 0) return 0;
      const at = clock().toISOString();
      const facts = deps.factsIn(tx);
      let struck = 0;
      for (const sub of affected) {
        const actor: SystemActor = {
          kind: 'system',
          clientId: sub.clientId,
          name: sub.clientName,
          providerId: sub.clientProviderId,
          token: { clientId: sub.clientId, scopes: [], patientId: null },
        };
        const decision = decideAccess(actor, 'read', await facts.gather(actor, patientId));
        if (sub.isClientActive && decision.allowed) continue;
        struck += await endPatientAccess(tx, sub.id, patientId, ACCESS_ENDED, at);
      }
      return struck;
    },

    /**
     * Listens to the change feed and starts the delivery timer; the returned function stops both
     * and waits for a round under way. An event is queued and sent at once; the timer sends retries.
     */
    start(): () => Promise<void> {
      let running: Promise<unknown> = Promise.resolve();
      let stopped = false;
      const run = (work: () => Promise<unknown>, what: string) => {
        running = running
          .then(() => (stopped ? 0 : work()))
          .catch((error: unknown) => deps.onError(error, what));
      };
      // Plan changes are gathered for a moment and queued together, off the request that made
      // them (its transaction has committed), then sent at once.
      let gathered: StoredEvent[] = [];
      let flush: NodeJS.Timeout | undefined;
      const unsubscribe = deps.feed.subscribe((event) => {
        if (!planChangeKinds.has(event.kind) || event.contractId === null) return;
        gathered.push(event);
        flush ??= setTimeout(() => {
          flush = undefined;
          const events = gathered;
          gathered = [];
          if (!mayMatch(events)) return;
          run(async () => {
            if ((await handleEvents(events)) > 0) await deliverDue();
          }, 'queueing subscription notifications failed');
        }, GATHER_MS);
      });
      // One timer round waits in line at most: a slow endpoint does not pile rounds up.
      let isRoundQueued = false;
      const timer = setInterval(() => {
        if (isRoundQueued) return;
        isRoundQueued = true;
        run(async () => {
          isRoundQueued = false;
          await refreshLive();
          await deliverDue();
        }, 'subscription deliveries failed');
      }, deps.settings.checkMs);
      timer.unref();
      run(refreshLive, 'reading the live subscriptions failed');
      kick = () => run(deliverDue, 'subscription handshakes failed');
      return async () => {
        kick = () => undefined;
        stopped = true;
        unsubscribe();
        clearInterval(timer);
        clearTimeout(flush);
        await running;
      };
    },
  };
}

export type SubscriptionService = ReturnType<typeof createSubscriptionService>;
