/**
 * Subscriptions and their delivery queue (migration 026; services/subscription-service.ts).
 * The queue is worked off by a timer: due rows are claimed by moving their next attempt past the
 * lease (`for update skip locked`), so that two processes never send the same row at once.
 */
import type { Subscription, SubscriptionStatus } from '../domain/subscription.ts';
import type { Db, Queryable } from './db.ts';

const columns = `id, client_id as "clientId", provider_id as "providerId", topic, patient_id as "patientId",
  endpoint, reason, status, end_at as "endAt", heartbeat_period as "heartbeatPeriod",
  events_since_start as "eventsSinceStart",
  last_error as "lastError", last_error_at as "lastErrorAt", version, created_at as "createdAt",
  updated_at as "updatedAt"`;

export interface NewSubscription {
  id: string;
  clientId: string;
  providerId: string;
  topic: string;
  patientId: string | null;
  endpoint: string;
  reason: string;
  status: SubscriptionStatus;
  endAt: string | null;
  heartbeatPeriod: number | null;
  at: string;
}

/** One notification to send, with what the attempt needs of its subscription. */
export interface DueDelivery {
  id: number;
  subscriptionId: string;
  eventNumber: number;
  patientId: string;
  focus: string;
  eventKind: string;
  eventAt: string;
  attempts: number;
  /** The unit the change was made from (null: not from a unit): a spärr may hide it from the client. */
  actorUnitId: string | null;
  subscription: Subscription;
}

/** The change event a delivery is made for. */
export interface PlanEvent {
  changeEventId: number;
  patientId: string;
  focus: string;
  kind: string;
  at: string;
}

export function createSubscriptionStore(db: Db) {
  return {
    async create(s: NewSubscription): Promise<Subscription> {
      const rows = await db.query<Subscription>(
        `insert into subscription (id, client_id, provider_id, topic, patient_id, endpoint, reason, status,
           end_at, heartbeat_period, created_at, updated_at, start_event_id, handshake_due_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $11, $10, $10, (select coalesce(max(id), 0) from change_event),
           case when $8 = 'requested' then $10::timestamptz end)
         returning ${columns}`,
        [
          s.id,
          s.clientId,
          s.providerId,
          s.topic,
          s.patientId,
          s.endpoint,
          s.reason,
          s.status,
          s.endAt,
          s.at,
          s.heartbeatPeriod,
        ],
      );
      return rows[0]!;
    },

    /** A client's own subscription (another client's is not found), deleted ones marked. */
    async find(clientId: string, id: string): Promise<(Subscription & { isDeleted: boolean }) | null> {
      const rows = await db.query<Subscription & { isDeleted: boolean }>(
        `select ${columns}, deleted_at is not null as "isDeleted" from subscription
         where id = $1 and client_id = $2`,
        [id, clientId],
      );
      return rows[0] ?? null;
    },

    /** A client's subscriptions, oldest first, `limit` from `offset`. */
    async list(
      clientId: string,
      filter: { status: readonly string[] | null; patientId: string | null },
      limit: number,
      offset: number,
    ): Promise<Subscription[]> {
      return db.query<Subscription>(
        `select ${columns} from subscription
         where client_id = $1 and deleted_at is null
           and ($2::text[] is null or status = any($2::text[]))
           and ($3::uuid is null or patient_id = $3::uuid)
         order by created_at, id limit $4 offset $5`,
        [clientId, filter.status, filter.patientId, limit, offset],
      );
    },

    /** Deletes a client's subscription: no more deliveries, pending ones dropped; false when not found. */
    async delete(clientId: string, id: string, at: string): Promise<boolean> {
      return db.transaction(async (tx) => {
        const rows = await tx.query<{ id: string }>(
          `update subscription set deleted_at = $3, status = 'off', updated_at = $3, version = version + 1
           where id = $1 and client_id = $2 and deleted_at is null returning id`,
          [id, clientId, at],
        );
        if (rows.length === 0) return false;
        await tx.query(
          `update subscription_delivery set state = 'dropped', done_at = $2, last_error = 'prenumerationen togs bort'
           where subscription_id = $1 and state = 'pending'`,
          [id, at],
        );
        return true;
      });
    },

    /**
     * Queues each event for every live subscription it matches (its patient, or no patient
     * filter; after it was created), numbering them per subscription in event order, in one
     * transaction. An event queued already (heard from another process too) is not queued
     * twice: the subscriptions are locked first, so concurrent callers take turns. Returns how
     * many deliveries were queued.
     */
    async enqueue(events: readonly PlanEvent[], topic: string, now: string): Promise<number> {
      if (events.length === 0) return 0;
      return db.transaction(async (tx) => {
        const subs = await tx.query<{
          id: string;
          patientId: string | null;
          eventsSinceStart: number;
          startEventId: number;
        }>(
          `select id, patient_id as "patientId", events_since_start as "eventsSinceStart",
             start_event_id as "startEventId" from subscription
           where deleted_at is null and topic = $1 and status <> 'off'
             and (end_at is null or end_at > $3) and (patient_id is null or patient_id = any($2::uuid[]))
           order by id for update`,
          [topic, [...new Set(events.map((e) => e.patientId))], now],
        );
        if (subs.length === 0) return 0;
        const queued = await tx.query<{ key: string }>(
          `select subscription_id || ' ' || change_event_id as key from subscription_delivery
           where subscription_id = any($1::uuid[]) and change_event_id = any($2::bigint[])`,
          [subs.map((s) => s.id), events.map((e) => e.changeEventId)],
        );
        const isQueued = new Set(queued.map((q) => q.key));
        const rows: unknown[][] = [];
        const counts = new Map<string, number>();
        for (const event of [...events].sort((x, y) => x.changeEventId - y.changeEventId)) {
          for (const sub of subs) {
            if (sub.patientId !== null && sub.patientId !== event.patientId) continue;
            if (event.changeEventId <= sub.startEventId) continue;
            if (isQueued.has(`${sub.id} ${event.changeEventId}`)) continue;
            const n = (counts.get(sub.id) ?? 0) + 1;
            counts.set(sub.id, n);
            rows.push([
              sub.id,
              event.changeEventId,
              sub.eventsSinceStart + n,
              event.patientId,
              event.focus,
              event.kind,
              event.at,
            ]);
          }
        }
        if (rows.length === 0) return 0;
        const column = (i: number) => rows.map((r) => r[i]);
        await tx.query(
          `insert into subscription_delivery (subscription_id, change_event_id, event_number, patient_id, focus,
             event_kind, event_at, next_attempt_at)
           select *, $8::timestamptz from unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::uuid[], $5::text[],
             $6::text[], $7::timestamptz[])`,
          [column(0), column(1), column(2), column(3), column(4), column(5), column(6), now],
        );
        await tx.query(
          `update subscription s set events_since_start = s.events_since_start + c.n
           from unnest($1::uuid[], $2::int[]) as c(id, n) where s.id = c.id`,
          [[...counts.keys()], [...counts.values()]],
        );
        return rows.length;
      });
    },

    /**
     * Claims up to `limit` due deliveries: their next attempt moves to `leaseUntil`, so that no
     * other round (or process) takes them while this one sends.
     */
    async claimDue(now: string, leaseUntil: string, limit: number): Promise<DueDelivery[]> {
      const rows = await db.query<
        Omit<DueDelivery, 'subscription' | 'id' | 'subscriptionId'> &
          Omit<Subscription, 'patientId'> & { deliveryId: number; filterPatientId: string | null }
      >(
        `with due as (
           select d.id from subscription_delivery d join subscription s on s.id = d.subscription_id
           where d.state = 'pending' and d.next_attempt_at <= $1 and s.status <> 'requested'
           order by d.next_attempt_at, d.id limit $3 for update of d skip locked
         ), claimed as (
           update subscription_delivery d set next_attempt_at = $2 from due where d.id = due.id
           returning d.id, d.subscription_id, d.change_event_id, d.event_number, d.patient_id, d.focus, d.event_kind,
             d.event_at, d.attempts
         )
         select c.id as "deliveryId", c.event_number as "eventNumber", c.patient_id as "patientId",
           c.focus, c.event_kind as "eventKind", c.event_at as "eventAt", c.attempts,
           (select e.actor_unit_id from change_event e where e.id = c.change_event_id) as "actorUnitId",
           s.id, s.client_id as "clientId", s.provider_id as "providerId", s.topic,
           s.patient_id as "filterPatientId", s.endpoint, s.reason, s.status, s.end_at as "endAt",
           s.heartbeat_period as "heartbeatPeriod", s.events_since_start as "eventsSinceStart", s.last_error as "lastError",
           s.last_error_at as "lastErrorAt", s.version, s.created_at as "createdAt", s.updated_at as "updatedAt"
         from claimed c join subscription s on s.id = c.subscription_id
         order by c.event_number`,
        [now, leaseUntil, limit],
      );
      return rows.map((r) => ({
        id: r.deliveryId,
        subscriptionId: r.id,
        eventNumber: r.eventNumber,
        patientId: r.patientId,
        focus: r.focus,
        eventKind: r.eventKind,
        eventAt: r.eventAt,
        attempts: r.attempts,
        actorUnitId: r.actorUnitId,
        subscription: {
          id: r.id,
          clientId: r.clientId,
          providerId: r.providerId,
          topic: r.topic,
          patientId: r.filterPatientId,
          endpoint: r.endpoint,
          reason: r.reason,
          status: r.status,
          endAt: r.endAt,
          heartbeatPeriod: r.heartbeatPeriod,
          eventsSinceStart: r.eventsSinceStart,
          lastError: r.lastError,
          lastErrorAt: r.lastErrorAt,
          version: r.version,
          createdAt: r.createdAt,
          updatedAt: r.updatedAt,
        },
      }));
    },

    /**
     * The notification was received: done (also when it was struck while under way: it was sent,
     * decided and logged before); an `error` subscription is active again.
     */
    async markDelivered(deliveryId: number, subscriptionId: string, at: string): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.query(
          `update subscription_delivery set state = 'delivered', attempts = attempts + 1, done_at = $2,
             last_error = null
           where id = $1`,
          [deliveryId, at],
        );
        await markSent(tx, subscriptionId, at);
      });
    },

    /**
     * An attempt failed: try again at `retryAt`, or (null) give up on the delivery and set the
     * subscription to `error` with the reason.
     */
    async markFailed(
      deliveryId: number,
      subscriptionId: string,
      error: string,
      retryAt: string | null,
      at: string,
    ): Promise<void> {
      await db.transaction(async (tx) => {
        // Only a pending delivery: one struck while it was under way (access ended) stays struck.
        const updated = await tx.query(
          `update subscription_delivery set attempts = attempts + 1, last_error = $2,
             state = case when $3::timestamptz is null then 'failed' else 'pending' end,
             next_attempt_at = coalesce($3::timestamptz, next_attempt_at),
             done_at = case when $3::timestamptz is null then $4::timestamptz else null end
           where id = $1 and state = 'pending' returning id`,
          [deliveryId, error, retryAt, at],
        );
        if (updated.length === 0) return;
        await tx.query('update subscription set last_sent_at = $2 where id = $1 and deleted_at is null', [
          subscriptionId,
          at,
        ]);
        await tx.query(
          `update subscription set last_error = $2, last_error_at = $4, updated_at = $4,
             status = case when $3::boolean and status = 'active' then 'error' else status end,
             version = version + case when $3::boolean and status = 'active' then 1 else 0 end
           where id = $1 and deleted_at is null`,
          [subscriptionId, error, retryAt === null, at],
        );
      });
    },

    /** The client may no longer read the patient (at an attempt): `endPatientAccess` outside a transaction. */
    async endPatientAccess(
      subscriptionId: string,
      patientId: string,
      reason: string,
      at: string,
    ): Promise<number> {
      return db.transaction((tx) => endPatientAccess(tx, subscriptionId, patientId, reason, at));
    },

    /** Drops one pending delivery, e.g. of a change the client may not learn of (spärr). */
    async dropDelivery(deliveryId: number, reason: string, at: string): Promise<void> {
      await db.query(
        `update subscription_delivery set state = 'dropped', done_at = $2, last_error = $3
         where id = $1 and state = 'pending'`,
        [deliveryId, at, reason],
      );
    },

    /** Drops the pending deliveries of a subscription that is off or past its end. */
    async dropForSubscription(subscriptionId: string, reason: string, at: string): Promise<number> {
      const rows = await db.query<{ id: number }>(
        `update subscription_delivery set state = 'dropped', done_at = $2, last_error = $3
         where subscription_id = $1 and state = 'pending' returning id`,
        [subscriptionId, at, reason],
      );
      return rows.length;
    },

    /** Sets a subscription past its end to `off`. */
    async endExpired(now: string): Promise<number> {
      const rows = await db.query<{ id: string }>(
        `update subscription set status = 'off', updated_at = $1, version = version + 1,
           last_error = 'Prenumerationens slut (end) har passerats.', last_error_at = $1
         where deleted_at is null and status <> 'off' and end_at is not null and end_at <= $1 returning id`,
        [now],
      );
      return rows.length;
    },

    /** The live subscriptions' filters (what a plan change must match to be queued at all). */
    async liveFilters(
      topic: string,
      now: string,
    ): Promise<{ id: string; patientId: string | null; startEventId: number }[]> {
      return db.query(
        `select id, patient_id as "patientId", start_event_id as "startEventId" from subscription
         where deleted_at is null and topic = $1 and status <> 'off' and (end_at is null or end_at > $2)`,
        [topic, now],
      );
    },

    /**
     * The plan changes since `afterEventId` (at most `limit`, oldest first) of one patient or of
     * all: for a subscription this process learns of late (made by another process).
     */
    async planEventsSince(
      afterEventId: number,
      kinds: readonly string[],
      patientId: string | null,
      limit: number,
    ): Promise<PlanEvent[]> {
      return db.query<PlanEvent>(
        `select id as "changeEventId", patient_id as "patientId", 'CarePlan/' || contract_id as focus, kind,
           created_at as at
         from change_event
         where id > $1 and kind = any($2::text[]) and contract_id is not null
           and ($3::uuid is null or patient_id = $3::uuid)
         order by id limit $4`,
        [afterEventId, kinds, patientId, limit],
      );
    },

    /** Deletes up to `limit` deliveries that were done (sent, dropped, failed) before `before`. */
    async prune(before: string, limit: number): Promise<number> {
      const rows = await db.query<{ n: number }>(
        `with gone as (
           delete from subscription_delivery where id in (
             select id from subscription_delivery where state <> 'pending' and done_at < $1 order by id limit $2)
           returning 1)
         select count(*)::int as n from gone`,
        [before, limit],
      );
      return rows[0]?.n ?? 0;
    },

    /**
     * Claims up to `limit` subscriptions whose handshake is due (status `requested`): the next
     * try moves to `leaseUntil`, so that no other round or process sends it meanwhile.
     */
    async claimHandshakes(now: string, leaseUntil: string, limit: number): Promise<Subscription[]> {
      return db.query<Subscription>(
        `update subscription set handshake_due_at = $2
         where id in (select id from subscription where status = 'requested' and deleted_at is null
                        and handshake_due_at <= $1 order by handshake_due_at limit $3 for update skip locked)
         returning ${columns}`,
        [now, leaseUntil, limit],
      );
    },

    /**
     * The handshake's answer: received (`error` null), the subscription is `active`; else it is
     * `error` with the reason (the backport's workflow: a failed handshake sets error). Either way
     * no handshake is due any more.
     */
    async finishHandshake(id: string, error: string | null, at: string): Promise<void> {
      await db.query(
        `update subscription set status = case when $2::text is null then 'active' else 'error' end,
           last_error = coalesce($2::text, last_error),
           last_error_at = case when $2::text is null then last_error_at else $3::timestamptz end,
           handshake_due_at = null, last_sent_at = $3, updated_at = $3, version = version + 1
         where id = $1 and status = 'requested' and deleted_at is null`,
        [id, error, at],
      );
    },

    /**
     * Claims up to `limit` live subscriptions with heartbeats to which nothing was sent (or tried)
     * for their period: their last send moves to `now`, so that the next heartbeat is a period
     * later whatever this one's answer.
     */
    async claimHeartbeats(now: string, limit: number): Promise<Subscription[]> {
      return db.query<Subscription>(
        `update subscription set last_sent_at = $1
         where id in (select id from subscription
                        where heartbeat_period is not null and deleted_at is null and status in ('active', 'error')
                          and (end_at is null or end_at > $1)
                          and coalesce(last_sent_at, created_at) + heartbeat_period * interval '1 second' <= $1
                        order by id limit $2 for update skip locked)
         returning ${columns}`,
        [now, limit],
      );
    },

    /** A heartbeat's answer: received, an `error` subscription is active again; else it is `error`. */
    async finishHeartbeat(id: string, error: string | null, at: string): Promise<void> {
      if (error === null) {
        await markSent(db, id, at);
        return;
      }
      await db.query(
        `update subscription set last_error = $2, last_error_at = $3, updated_at = $3,
           status = case when status = 'active' then 'error' else status end,
           version = version + case when status = 'active' then 1 else 0 end
         where id = $1 and deleted_at is null`,
        [id, error, at],
      );
    },

    /** The deliveries of a subscription by state (for its status and for tests). */
    async deliveryCounts(subscriptionId: string): Promise<Record<string, number>> {
      const rows = await db.query<{ state: string; n: number }>(
        `select state, count(*)::int as n from subscription_delivery where subscription_id = $1 group by state`,
        [subscriptionId],
      );
      return Object.fromEntries(rows.map((r) => [r.state, r.n]));
    },
  };
}

export type SubscriptionStore = ReturnType<typeof createSubscriptionStore>;

/** Something was received at the endpoint: the heartbeat's clock restarts; `error` is active again. */
async function markSent(q: Queryable, subscriptionId: string, at: string): Promise<void> {
  await q.query(
    `update subscription set last_sent_at = $2,
       updated_at = case when status = 'error' then $2::timestamptz else updated_at end,
       version = version + case when status = 'error' then 1 else 0 end,
       status = case when status = 'error' then 'active' else status end
     where id = $1 and deleted_at is null`,
    [subscriptionId, at],
  );
}

/** A live subscription that may concern a patient, with its client's registration now. */
export interface SubscriptionAboutPatient {
  id: string;
  /** The subscription's own patient filter (null: every patient the client may see). */
  patientId: string | null;
  clientId: string;
  clientName: string;
  /** The care provider the client acts for now (its registration, as at delivery). */
  clientProviderId: string;
  isClientActive: boolean;
}

/**
 * In `q` (the transaction that narrowed the patient's access): the live subscriptions filtered on
 * the patient or with pending deliveries about them, locked in id order (like `enqueue`), so that
 * nothing is queued for them until that transaction ends.
 */
export async function lockSubscriptionsAboutPatient(
  q: Queryable,
  patientId: string,
): Promise<SubscriptionAboutPatient[]> {
  return q.query<SubscriptionAboutPatient>(
    `select s.id, s.patient_id as "patientId", c.client_id as "clientId", c.name as "clientName",
       c.provider_id as "clientProviderId", c.active as "isClientActive"
     from subscription s join smart_client c on c.client_id = s.client_id
     where s.deleted_at is null and s.status <> 'off'
       and (s.patient_id = $1 or exists (select 1 from subscription_delivery d
              where d.subscription_id = s.id and d.patient_id = $1 and d.state = 'pending'))
     order by s.id for update of s`,
    [patientId],
  );
}

/**
 * In `q`: the client may no longer read the patient. Every pending delivery of the subscription
 * about the patient is struck (retries included) with `reason`; a subscription filtered on that
 * patient is turned `off` with `reason` as its error (it has nothing left to send). Returns how
 * many deliveries were struck.
 */
export async function endPatientAccess(
  q: Queryable,
  subscriptionId: string,
  patientId: string,
  reason: string,
  at: string,
): Promise<number> {
  const struck = await q.query<{ id: number }>(
    `update subscription_delivery set state = 'dropped', done_at = $3, last_error = $4
     where subscription_id = $1 and patient_id = $2 and state = 'pending' returning id`,
    [subscriptionId, patientId, at, reason],
  );
  await q.query(
    `update subscription set status = 'off', last_error = $3, last_error_at = $4, updated_at = $4,
       handshake_due_at = null, version = version + 1
     where id = $1 and patient_id = $2 and status <> 'off' and deleted_at is null`,
    [subscriptionId, patientId, reason, at],
  );
  return struck.length;
}
