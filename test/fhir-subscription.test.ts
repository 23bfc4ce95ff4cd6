/**
 * Topic-based FHIR Subscriptions (R4 Subscriptions Backport, rest-hook, id-only), on both
 * engines, end to end: a registered system client (bearer tokens of a test authorization server)
 * subscribes to "a patient's plan changed"; a plan change reaches its https endpoint (a local
 * receiver with a self-signed certificate, trusted through SUBSCRIPTION_CA, never by turning
 * certificate checks off) as an id-only notification; a receiver that is down is retried with
 * backoff on the app's clock until it answers, and after the bounded attempts the subscription is
 * `error`; once the patient's consent for the client's care provider is revoked (or a spärr
 * added) the pending retries are struck in that same transaction and nothing more is sent; a new
 * subscription is `requested` until its endpoint answers the handshake; a heartbeat goes out when
 * nothing else was sent for the heartbeat period; the topic is served as an R4 Basic; endpoints
 * that are not https or not registered are refused; a client sees only its own subscriptions.
 *
 * Required elements checked against the R4 Subscriptions Backport IG (STU 1.1):
 * - Subscription (backport-subscription): status, reason, criteria (the topic canonical),
 *   channel.type = rest-hook, channel.endpoint, channel.payload (MIME type) with the
 *   backport-payload-content extension (id-only); the filter in _criteria's
 *   backport-filter-criteria extension.
 * - SubscriptionStatus (backport-subscription-status-r4, a Parameters): `subscription`
 *   (valueReference, 1..1), `topic` (valueCanonical), `status` (valueCode, 1..1), `type`
 *   (valueCode, 1..1: handshake, heartbeat, event-notification, query-status),
 *   `events-since-subscription-start`
 *   (valueString); each `notification-event` with `event-number` (valueString, 1..1),
 *   `timestamp` (valueInstant) and, id-only, `focus` (valueReference) and no resource.
 * - Notification (backport-subscription-notification-r4): a Bundle of type `history`, its first
 *   entry the SubscriptionStatus with request and response; the focus entry a fullUrl with
 *   request and response and no resource (id-only). A handshake or heartbeat is the status
 *   entry alone, with no notification-event.
 * Every FHIR answer and every notification received is also run through the independent
 * validator (test/helpers/fhir-validator.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { PLAN_CHANGED_TOPIC } from '../src/domain/subscription.ts';
import type { FhirSubscription, SubscriptionStatusParameters } from '../src/fhir/subscription-mapper.ts';
import type { Db } from '../src/store/db.ts';
import { createSmartClientStore } from '../src/store/smart-client-store.ts';
import { buildTestApp, login, withActiveContract } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makeProvider, makeStaff, makeUnit, sampleContent } from './helpers/factories.ts';
import { assertValidFhir } from './helpers/fhir-validator.ts';
import { startNotificationReceiver } from './helpers/notification-receiver.ts';
import { relateUnit } from './helpers/services.ts';
import {
  startTestAuthorizationServer,
  TEST_FHIR_AUDIENCE as AUDIENCE,
  type TestAuthorizationServer,
} from './helpers/test-authorization-server.ts';

const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';
const FIRST_RETRY_MS = 30_000;
const MAX_ATTEMPTS = 3;

/** One parameter of a SubscriptionStatus, as our mapper writes it. */
type Parameter = SubscriptionStatusParameters['parameter'][number];
interface StatusParameters {
  resourceType: string;
  meta?: { profile?: string[] };
  parameter: Parameter[];
}
interface NotificationBundle {
  resourceType: string;
  type: string;
  timestamp?: string;
  meta?: { profile?: string[] };
  entry: {
    fullUrl?: string;
    resource?: StatusParameters;
    request?: { method: string; url: string };
    response?: { status: string };
  }[];
}

/** Waits until `check` holds (the delivery timer runs every 20 ms), failing after five seconds. */
async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`timed out waiting for: ${what}`);
}

const param = (p: StatusParameters, name: string) => p.parameter.find((x) => x.name === name);

/** A notification's type (its SubscriptionStatus `type`). */
const typeOf = (bundle: NotificationBundle) =>
  bundle.entry[0]?.resource ? param(bundle.entry[0].resource, 'type')?.valueCode : undefined;

/** A handshake or heartbeat: valid, a history Bundle of the status alone, no event. */
function assertStatusOnlyNotification(
  bundle: NotificationBundle,
  subscriptionId: string,
  type: 'handshake' | 'heartbeat',
): StatusParameters {
  assertValidFhir(bundle, type);
  assert.equal(bundle.type, 'history');
  assert.ok(bundle.meta?.profile?.includes(`${BACKPORT}/backport-subscription-notification-r4`));
  assert.equal(bundle.entry.length, 1);
  const [first] = bundle.entry;
  assert.ok(first?.resource && first.request && first.response, 'the status with request/response');
  assertStatusParameters(first.resource, subscriptionId, type);
  assert.equal(first.resource.parameter.filter((x) => x.name === 'notification-event').length, 0);
  return first.resource;
}

/** The SubscriptionStatus's required elements (backport-subscription-status-r4). */
function assertStatusParameters(p: StatusParameters, subscriptionId: string, type: string): void {
  assert.equal(p.resourceType, 'Parameters');
  assert.ok(p.meta?.profile?.includes(`${BACKPORT}/backport-subscription-status-r4`));
  assert.match(
    param(p, 'subscription')?.valueReference?.reference ?? '',
    new RegExp(`Subscription/${subscriptionId}$`),
  );
  assert.equal(param(p, 'topic')?.valueCanonical, PLAN_CHANGED_TOPIC);
  assert.ok(['requested', 'active', 'error', 'off'].includes(param(p, 'status')?.valueCode ?? ''));
  assert.equal(param(p, 'type')?.valueCode, type);
  assert.match(param(p, 'events-since-subscription-start')?.valueString ?? '', /^\d+$/);
}

/** A notification's required elements, id-only; returns the focus reference and event number. */
function assertIdOnlyNotification(
  bundle: NotificationBundle,
  subscriptionId: string,
): { focus: string; eventNumber: string } {
  assertValidFhir(bundle, 'notification');
  assert.equal(bundle.resourceType, 'Bundle');
  assert.equal(bundle.type, 'history');
  assert.ok(bundle.meta?.profile?.includes(`${BACKPORT}/backport-subscription-notification-r4`));
  const [first, ...rest] = bundle.entry;
  assert.ok(first?.resource && first.request && first.response, 'first entry: status with request/response');
  assertStatusParameters(first.resource, subscriptionId, 'event-notification');
  const events = first.resource.parameter.filter((x) => x.name === 'notification-event');
  assert.equal(events.length, 1);
  const parts = events[0]!.part ?? [];
  const eventNumber = parts.find((x) => x.name === 'event-number')?.valueString ?? '';
  assert.match(eventNumber, /^\d+$/);
  assert.ok(parts.find((x) => x.name === 'timestamp')?.valueInstant);
  const focus = parts.find((x) => x.name === 'focus')?.valueReference?.reference ?? '';
  // id-only: no resource anywhere but the status; the focus entry is its URL alone.
  assert.equal(rest.length, 1);
  assert.equal(rest[0]!.resource, undefined);
  assert.equal(rest[0]!.fullUrl, focus);
  assert.ok(rest[0]!.request && rest[0]!.response);
  assert.equal(JSON.stringify(bundle).includes('"resourceType":"CarePlan"'), false);
  return { focus, eventNumber };
}

for (const engine of testEngines) {
  describe(`FHIR Subscription (R4 backport, rest-hook, id-only) on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let as: TestAuthorizationServer;
    let receiver: Awaited<ReturnType<typeof startNotificationReceiver<NotificationBundle>>>;
    let dir: string;
    let offsetMs = 0;
    const clock = () => new Date(Date.now() + offsetMs);

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'pk-subscription-'));
      as = await startTestAuthorizationServer();
      receiver = await startNotificationReceiver<NotificationBundle>(dir);
      db = await engine.open();
      app = await buildTestApp(db, clock, {
        ...as.env,
        SUBSCRIPTION_CA: receiver.caFile,
        SUBSCRIPTION_CHECK_MS: '20',
        SUBSCRIPTION_RETRY_FIRST_MS: String(FIRST_RETRY_MS),
        SUBSCRIPTION_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
        SUBSCRIPTION_TIMEOUT_MS: '10000',
      });
    });
    after(async () => {
      await app.close();
      await db.close();
      await receiver.close();
      await as.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** Registers a system client of `providerId` with an endpoint on the receiver; its token. */
    async function systemClient(providerId: string, name: string, path: string) {
      const clientId = `${name}-${providerId}`;
      assert.ok(
        await createSmartClientStore(db).register(
          {
            clientId,
            name,
            providerId,
            scopes: ['system/CarePlan.rs', 'system/Subscription.cruds'],
            corsOrigins: [],
            subscriptionEndpoints: [`${receiver.base}${path}`],
          },
          { hsaId: 'test' },
        ),
      );
      return {
        clientId,
        endpoint: `${receiver.base}${path}`,
        token: await as.mintFor(clientId, 'system/CarePlan.rs system/Subscription.cruds'),
      };
    }

    const fhir = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string, payload?: object) =>
      app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload ? { 'content-type': 'application/fhir+json' } : {}),
        },
        ...(payload ? { payload } : {}),
      });

    const subscriptionFor = (
      endpoint: string,
      patientId: string | null,
      extra: Record<string, unknown> = {},
    ) => ({
      resourceType: 'Subscription',
      status: 'requested',
      reason: 'Journalen visar att planen har ändrats',
      criteria: PLAN_CHANGED_TOPIC,
      ...(patientId
        ? {
            _criteria: {
              extension: [
                {
                  url: `${BACKPORT}/backport-filter-criteria`,
                  valueString: `CarePlan?patient=Patient/${patientId}`,
                },
              ],
            },
          }
        : {}),
      channel: {
        type: 'rest-hook',
        endpoint,
        payload: 'application/fhir+json',
        _payload: { extension: [{ url: `${BACKPORT}/backport-payload-content`, valueCode: 'id-only' }] },
      },
      ...extra,
    });

    /** Subscribes and waits for the handshake (the subscription `requested`, then `active`). */
    async function subscribe(
      token: string,
      endpoint: string,
      patientId: string | null,
      extra: Record<string, unknown> = {},
    ): Promise<string> {
      const res = await fhir(
        'POST',
        '/fhir/Subscription',
        token,
        subscriptionFor(endpoint, patientId, extra),
      );
      assert.equal(res.statusCode, 201, res.body);
      const id = res.json<{ id: string }>().id;
      assert.equal(res.json<{ status: string }>().status, 'requested');
      const path = new URL(endpoint).pathname;
      await eventually(
        () =>
          receivedAt(path, 'handshake').some((r) =>
            r.body.entry[0]?.resource?.parameter[0]?.valueReference?.reference.endsWith(id),
          ),
        'the handshake',
      );
      await eventually(
        async () =>
          (await fhir('GET', `/fhir/Subscription/${id}`, token)).json<{ status: string }>().status ===
          'active',
        'active after the handshake',
      );
      // The Location resolves to the subscription.
      const location = String(res.headers.location);
      assert.match(location, new RegExp(`/fhir/Subscription/${id}$`));
      const read = await fhir('GET', new URL(location).pathname, token);
      assert.equal(read.statusCode, 200, read.body);
      return id;
    }

    /** A change of the plan by the nurse (version `from` to the next). */
    const changePlan = (
      nurse: Awaited<ReturnType<typeof withActiveContract>>['nurse'],
      patientId: string,
      unitId: string,
      from: number,
      text: string,
    ) =>
      nurse
        .send(
          'PUT',
          `/api/patients/${patientId}/contract`,
          { status: 'active', content: sampleContent(unitId, { whatMatters: text }) },
          { 'if-match': `W/"${from}"` },
        )
        .then((res: LightMyRequestResponse) => assert.equal(res.statusCode, 200, res.body));

    /** What the endpoint at `path` received of one type (event notifications by default). */
    const receivedAt = (path: string, type = 'event-notification') =>
      receiver.received.filter((r) => r.path === path && typeOf(r.body) === type);

    const deliveries = (subscriptionId: string) =>
      db.query<{ state: string; attempts: number; lastError: string | null }>(
        `select state, attempts, last_error as "lastError" from subscription_delivery
         where subscription_id = $1 order by id`,
        [subscriptionId],
      );

    it('sends an id-only notification when the plan changes, and logs it as the client’s access', async (t) => {
      const { w, nurse, contractId } = await withActiveContract(app, db);
      const client = await systemClient(w.providerId, 'journal-a', `/a-${w.providerId}`);
      const id = await subscribe(client.token, client.endpoint, w.patientId);

      const read = await fhir('GET', `/fhir/Subscription/${id}`, client.token);
      assert.equal(read.statusCode, 200, read.body);
      const sub = read.json<FhirSubscription>();
      // backport-subscription: required elements.
      assert.equal(sub.status, 'active');
      assert.equal(sub.criteria, PLAN_CHANGED_TOPIC);
      assert.equal(sub.reason, 'Journalen visar att planen har ändrats');
      assert.equal(sub.channel.type, 'rest-hook');
      assert.equal(sub.channel.endpoint, client.endpoint);
      assert.equal(sub.channel.payload, 'application/fhir+json');
      assert.deepEqual(sub.channel._payload.extension, [
        { url: `${BACKPORT}/backport-payload-content`, valueCode: 'id-only' },
      ]);
      assert.equal(sub._criteria?.extension[0]?.valueString, `CarePlan?patient=Patient/${w.patientId}`);

      const saving = Date.now();
      await changePlan(nurse, w.patientId, w.unitId, 1, 'Att orka gå till bussen');
      await eventually(() => receivedAt(`/a-${w.providerId}`).length === 1, 'the notification');
      const got = receivedAt(`/a-${w.providerId}`)[0]!;
      t.diagnostic(`notification received ${got.at - saving} ms after the save was sent`);
      assert.match(got.contentType, /^application\/fhir\+json/);
      const { focus, eventNumber } = assertIdOnlyNotification(got.body, id);
      assert.equal(focus, `${AUDIENCE}/CarePlan/${contractId}`);
      assert.equal(eventNumber, '1');

      // The disclosure is in the access log: the client's id, allowed, before it was sent.
      const logged = await db.query<{ outcome: string; clientId: string; detail: string }>(
        `select outcome, client_id as "clientId", detail from access_log
         where patient_id = $1 and detail like 'Subscription/%' order by seq`,
        [w.patientId],
      );
      assert.deepEqual(
        logged.map((e) => [e.outcome, e.clientId]),
        [['allowed', client.clientId]],
      );
      assert.match(
        logged[0]!.detail,
        new RegExp(`Subscription/${id}: id-only-avisering om CarePlan/${contractId}`),
      );

      // $status: query-status with the events counted.
      const status = await fhir('GET', `/fhir/Subscription/${id}/$status`, client.token);
      assert.equal(status.statusCode, 200, status.body);
      const bundle = status.json<{ type: string; entry: { resource: StatusParameters }[] }>();
      assert.equal(bundle.type, 'searchset');
      assertStatusParameters(bundle.entry[0]!.resource, id, 'query-status');
      assert.equal(param(bundle.entry[0]!.resource, 'events-since-subscription-start')?.valueString, '1');
      assert.equal(param(bundle.entry[0]!.resource, 'status')?.valueCode, 'active');

      // A change of another patient's plan is not this subscription's.
      const other = await withActiveContract(app, db);
      await changePlan(other.nurse, other.w.patientId, other.w.unitId, 1, 'Annat');
      // Deleted: nothing more is sent, and it reads as gone.
      const deleted = await fhir('DELETE', `/fhir/Subscription/${id}`, client.token);
      assert.equal(deleted.statusCode, 204, deleted.body);
      await changePlan(nurse, w.patientId, w.unitId, 2, 'Efter borttagningen');
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(receivedAt(`/a-${w.providerId}`).length, 1);
      assert.equal((await fhir('GET', `/fhir/Subscription/${id}`, client.token)).statusCode, 410);
    });

    it('retries a receiver that is down with backoff on the app’s clock, and ends in error after the last attempt', async () => {
      const { w, nurse, contractId } = await withActiveContract(app, db);
      const client = await systemClient(w.providerId, 'journal-b', `/b-${w.providerId}`);
      const id = await subscribe(client.token, client.endpoint, null);
      receiver.setDown(true);
      try {
        await changePlan(nurse, w.patientId, w.unitId, 1, 'Medan mottagaren är nere');
        await eventually(async () => (await deliveries(id))[0]?.attempts === 1, 'the first attempt');
        // Not again before the backoff has passed on the app's clock.
        await new Promise((resolve) => setTimeout(resolve, 150));
        assert.deepEqual(
          (await deliveries(id)).map((d) => [d.state, d.attempts]),
          [['pending', 1]],
        );
        assert.match((await deliveries(id))[0]!.lastError ?? '', /Försök 1 av 3: mottagaren svarade 503/);
      } finally {
        receiver.setDown(false);
      }
      offsetMs += FIRST_RETRY_MS + 1000;
      await eventually(() => receivedAt(`/b-${w.providerId}`).length === 1, 'the retried notification');
      assert.equal(
        assertIdOnlyNotification(receivedAt(`/b-${w.providerId}`)[0]!.body, id).focus,
        `${AUDIENCE}/CarePlan/${contractId}`,
      );
      await eventually(
        async () =>
          JSON.stringify((await deliveries(id)).map((d) => [d.state, d.attempts])) === '[["delivered",2]]',
        'delivered at the second attempt',
      );

      // Down for good: attempts 1, 2 (after 30 s) and 3 (after 60 s more), then error.
      receiver.setDown(true);
      try {
        await changePlan(nurse, w.patientId, w.unitId, 2, 'Mottagaren är nere länge');
        await eventually(async () => (await deliveries(id))[1]?.attempts === 1, 'attempt 1');
        offsetMs += FIRST_RETRY_MS + 1000;
        await eventually(async () => (await deliveries(id))[1]?.attempts === 2, 'attempt 2');
        offsetMs += 2 * FIRST_RETRY_MS + 1000;
        await eventually(async () => (await deliveries(id))[1]?.state === 'failed', 'attempt 3 and failure');
        assert.equal((await deliveries(id))[1]!.attempts, MAX_ATTEMPTS);
        const status = await fhir('GET', `/fhir/Subscription/${id}/$status`, client.token);
        const p = status.json<{ entry: { resource: StatusParameters }[] }>().entry[0]!.resource;
        assert.equal(param(p, 'status')?.valueCode, 'error');
        assert.match(param(p, 'error')?.valueCodeableConcept?.text ?? '', /Försök 3 av 3/);
        assert.equal(param(p, 'events-since-subscription-start')?.valueString, '2');
        const read = await fhir('GET', `/fhir/Subscription/${id}`, client.token);
        assert.equal(read.json<{ status: string }>().status, 'error');
      } finally {
        receiver.setDown(false);
      }
      // The receiver is back: the next change is sent and the subscription is active again.
      await changePlan(nurse, w.patientId, w.unitId, 3, 'Mottagaren är tillbaka');
      await eventually(() => receivedAt(`/b-${w.providerId}`).length === 2, 'the next notification');
      assert.equal(assertIdOnlyNotification(receivedAt(`/b-${w.providerId}`)[1]!.body, id).eventNumber, '3');
      // Marked received once the receiver's answer is in (just after it recorded the body).
      await eventually(
        async () =>
          (await fhir('GET', `/fhir/Subscription/${id}`, client.token)).json<{ status: string }>().status ===
          'active',
        'active again',
      );
    });

    it('strikes the pending retries the moment the consent is revoked, and sends nothing after it', async () => {
      // The plan is held at provider X; the client acts for provider Y, whose unit has a care
      // relationship and the patient's consent.
      const { w, nurse } = await withActiveContract(app, db);
      const providerY = await makeProvider(db);
      const unitY = await makeUnit(db, providerY);
      await relateUnit(db, w.patientId, unitY);
      const [consent] = await db.query<{ id: string }>(
        `insert into consent (patient_id, scope_kind, unit_id, valid_from, method, recorded_by_kind, recorded_by)
         values ($1, 'unit', $2, now() - interval '1 day', 'i-person', 'staff', $3) returning id`,
        [w.patientId, unitY, w.nurseId],
      );
      const client = await systemClient(providerY, 'journal-y', `/y-${providerY}`);
      const id = await subscribe(client.token, client.endpoint, w.patientId);

      await changePlan(nurse, w.patientId, w.unitId, 1, 'Med samtycke');
      await eventually(() => receivedAt(`/y-${providerY}`).length === 1, 'the notification under consent');

      // The receiver is down: the next change waits for its retry; then the consent is revoked.
      receiver.setDown(true);
      const refusedBefore = receiver.refused();
      try {
        await changePlan(nurse, w.patientId, w.unitId, 2, 'Strax före återkallelsen');
        await eventually(async () => (await deliveries(id))[1]?.attempts === 1, 'the failed attempt');
        const revoked = await nurse.send(
          'POST',
          `/api/patients/${w.patientId}/consents/${consent!.id}/revoke`,
        );
        assert.equal(revoked.statusCode, 204, revoked.body);
        // At once, with the answer to the revocation: nothing pending for the pair, and the
        // subscription (filtered on this patient) is off and says why.
        const pending = await db.query(
          `select 1 from subscription_delivery d join subscription s on s.id = d.subscription_id
           where s.client_id = $1 and d.patient_id = $2 and d.state = 'pending'`,
          [client.clientId, w.patientId],
        );
        assert.equal(pending.length, 0);
        assert.deepEqual(
          (await deliveries(id)).map((d) => [d.state, d.attempts]),
          [
            ['delivered', 1],
            ['dropped', 1],
          ],
        );
        const read = await fhir('GET', `/fhir/Subscription/${id}`, client.token);
        assert.equal(read.statusCode, 200, read.body);
        const sub = read.json<FhirSubscription>();
        assert.equal(sub.status, 'off');
        assert.match(sub.error ?? '', /åtkomst till patienten har upphört/);
        const status = await fhir('GET', `/fhir/Subscription/${id}/$status`, client.token);
        const p = status.json<{ entry: { resource: StatusParameters }[] }>().entry[0]!.resource;
        assert.equal(param(p, 'status')?.valueCode, 'off');
        assert.match(
          param(p, 'error')?.valueCodeableConcept?.text ?? '',
          /åtkomst till patienten har upphört/,
        );
      } finally {
        receiver.setDown(false);
      }
      // The receiver is back and every retry time has passed: no attempt ever reaches it.
      offsetMs += 10 * FIRST_RETRY_MS;
      await changePlan(nurse, w.patientId, w.unitId, 3, 'Efter återkallelsen');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(receivedAt(`/y-${providerY}`).length, 1, 'nothing after the consent ended');
      assert.equal(receiver.refused(), refusedBefore + 1, 'only the attempt before the revocation');
      assert.equal((await deliveries(id)).length, 2, 'nothing queued for a subscription that is off');
      // No disclosure was logged after the revocation: the two entries are the two attempts
      // made under consent (the one received, the one the receiver refused).
      const logged = await db.query<{ outcome: string; at: string }>(
        `select outcome, at from access_log where patient_id = $1 and detail like 'Subscription/%' order by seq`,
        [w.patientId],
      );
      assert.deepEqual(
        logged.map((e) => e.outcome),
        ['allowed', 'allowed'],
      );
      // A new subscription on the patient is refused like a missing patient.
      const again = await fhir(
        'POST',
        '/fhir/Subscription',
        client.token,
        subscriptionFor(client.endpoint, w.patientId),
      );
      assert.equal(again.statusCode, 400, again.body);
      assert.match(again.body, /finns inte eller så saknar klienten behörighet/);
    });

    it('strikes the pending notifications about a patient when a spärr is added, and goes on for the others', async () => {
      // Client of provider Y, no patient filter; two patients at provider X consent to Y's unit.
      const first = await withActiveContract(app, db);
      const providerY = await makeProvider(db);
      const unitY = await makeUnit(db, providerY);
      const second = await withActiveContract(app, db);
      for (const { w } of [first, second]) {
        await relateUnit(db, w.patientId, unitY);
        await db.query(
          `insert into consent (patient_id, scope_kind, unit_id, valid_from, method, recorded_by_kind, recorded_by)
           values ($1, 'unit', $2, now() - interval '1 day', 'i-person', 'staff', $3)`,
          [w.patientId, unitY, w.nurseId],
        );
      }
      const client = await systemClient(providerY, 'journal-s', `/s-${providerY}`);
      const id = await subscribe(client.token, client.endpoint, null);
      receiver.setDown(true);
      try {
        await changePlan(first.nurse, first.w.patientId, first.w.unitId, 1, 'Före spärren');
        await eventually(async () => (await deliveries(id))[0]?.attempts === 1, 'the failed attempt');
        // The patient blocks the plan holder's information (provider X).
        const blocked = await first.nurse.send('POST', `/api/patients/${first.w.patientId}/blocks`, {
          scope: 'provider',
          providerId: first.w.providerId,
        });
        assert.equal(blocked.statusCode, 201, blocked.body);
        assert.deepEqual(
          (await deliveries(id)).map((d) => [d.state, d.attempts]),
          [['dropped', 1]],
        );
      } finally {
        receiver.setDown(false);
      }
      // Not filtered on that patient: the subscription goes on, for the other patient.
      const read = await fhir('GET', `/fhir/Subscription/${id}`, client.token);
      assert.equal(read.json<FhirSubscription>().status, 'active');
      offsetMs += 10 * FIRST_RETRY_MS;
      await changePlan(second.nurse, second.w.patientId, second.w.unitId, 1, 'Den andra patienten');
      await eventually(() => receivedAt(`/s-${providerY}`).length === 1, 'the other patient’s notification');
      assert.equal(
        assertIdOnlyNotification(receivedAt(`/s-${providerY}`)[0]!.body, id).focus,
        `${AUDIENCE}/CarePlan/${second.contractId}`,
      );
    });

    it('sends the handshake on create: requested, active on 2xx, error when the endpoint refuses it', async () => {
      const { w } = await withActiveContract(app, db);
      const client = await systemClient(w.providerId, 'journal-h', `/h-${w.providerId}`);
      const id = await subscribe(client.token, client.endpoint, w.patientId);
      const handshake = assertStatusOnlyNotification(
        receivedAt(`/h-${w.providerId}`, 'handshake')[0]!.body,
        id,
        'handshake',
      );
      assert.equal(param(handshake, 'status')?.valueCode, 'requested');
      assert.equal(param(handshake, 'events-since-subscription-start')?.valueString, '0');

      // The endpoint answers 503: the subscription is error, and says why.
      receiver.setDown(true);
      try {
        const res = await fhir(
          'POST',
          '/fhir/Subscription',
          client.token,
          subscriptionFor(client.endpoint, null),
        );
        assert.equal(res.statusCode, 201, res.body);
        const refusedId = res.json<FhirSubscription>().id;
        assert.equal(res.json<FhirSubscription>().status, 'requested');
        await eventually(
          async () =>
            (await fhir('GET', `/fhir/Subscription/${refusedId}`, client.token)).json<FhirSubscription>()
              .status === 'error',
          'error after the refused handshake',
        );
        const sub = (
          await fhir('GET', `/fhir/Subscription/${refusedId}`, client.token)
        ).json<FhirSubscription>();
        assert.match(sub.error ?? '', /Handskakningen misslyckades: mottagaren svarade 503/);
      } finally {
        receiver.setDown(false);
      }
    });

    it('sends a heartbeat when nothing else was sent for the heartbeat period', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      const client = await systemClient(w.providerId, 'journal-k', `/k-${w.providerId}`);
      const withHeartbeat = (seconds: number) => ({
        channel: {
          ...subscriptionFor(client.endpoint, null).channel,
          extension: [{ url: `${BACKPORT}/backport-heartbeat-period`, valueUnsignedInt: seconds }],
        },
      });
      const id = await subscribe(client.token, client.endpoint, w.patientId, withHeartbeat(120));
      const read = (await fhir('GET', `/fhir/Subscription/${id}`, client.token)).json<FhirSubscription>();
      assert.deepEqual(read.channel.extension, [
        { url: `${BACKPORT}/backport-heartbeat-period`, valueUnsignedInt: 120 },
      ]);
      const beats = () => receivedAt(`/k-${w.providerId}`, 'heartbeat');
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(beats().length, 0, 'none before the period has passed');
      offsetMs += 121_000;
      await eventually(() => beats().length === 1, 'the first heartbeat');
      const p = assertStatusOnlyNotification(beats()[0]!.body, id, 'heartbeat');
      assert.equal(param(p, 'status')?.valueCode, 'active');
      // A notification restarts the period: no heartbeat a minute after it, one after two.
      offsetMs += 60_000;
      await changePlan(nurse, w.patientId, w.unitId, 1, 'Mellan hjärtslagen');
      // Marked received (the period restarts) once the receiver's answer is in.
      await eventually(async () => (await deliveries(id))[0]?.state === 'delivered', 'the notification');
      offsetMs += 61_000;
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(beats().length, 1, 'no heartbeat within the period after the notification');
      offsetMs += 60_000;
      await eventually(() => beats().length === 2, 'the next heartbeat');
      assert.equal(
        param(
          assertStatusOnlyNotification(beats()[1]!.body, id, 'heartbeat'),
          'events-since-subscription-start',
        )?.valueString,
        '1',
      );
      // Out of range: refused, naming the element.
      const refused = await fhir(
        'POST',
        '/fhir/Subscription',
        client.token,
        subscriptionFor(client.endpoint, null, withHeartbeat(5)),
      );
      assert.equal(refused.statusCode, 400, refused.body);
      assert.match(refused.body, /från 60 till 86400/);
    });

    it('serves the topic the R4 way: a Basic SubscriptionTopic, found by code, and in the CapabilityStatement', async () => {
      // Public like /fhir/metadata: it describes the server, no patient.
      const search = await app.inject({
        method: 'GET',
        url: '/fhir/Basic?code=http://hl7.org/fhir/fhir-types|SubscriptionTopic',
      });
      assert.equal(search.statusCode, 200, search.body);
      const found = search.json<{ type: string; entry: { resource: { id: string } }[] }>();
      assert.equal(found.type, 'searchset');
      assert.deepEqual(
        found.entry.map((e) => e.resource.id),
        ['plan-changed'],
      );
      const read = await app.inject({ method: 'GET', url: '/fhir/Basic/plan-changed' });
      assert.equal(read.statusCode, 200, read.body);
      const topic = read.json<{
        resourceType: string;
        code: { coding: { system: string; code: string }[] };
        extension: { url: string; valueUri?: string; extension?: { url: string; valueUri?: string }[] }[];
      }>();
      assert.equal(topic.resourceType, 'Basic');
      assert.deepEqual(topic.code.coding, [
        { system: 'http://hl7.org/fhir/fhir-types', code: 'SubscriptionTopic' },
      ]);
      const ext = (suffix: string) =>
        topic.extension.find((e) => e.url.endsWith(`extension-SubscriptionTopic.${suffix}`));
      assert.equal(ext('url')?.valueUri, PLAN_CHANGED_TOPIC);
      assert.equal(
        ext('resourceTrigger')?.extension?.find((e) => e.url === 'resource')?.valueUri,
        'http://hl7.org/fhir/StructureDefinition/CarePlan',
      );
      assert.ok(ext('canFilterBy'));
      const none = await app.inject({ method: 'GET', url: '/fhir/Basic?code=Other' });
      assert.equal(none.json<{ total: number }>().total, 0);
      assert.equal((await app.inject({ method: 'GET', url: '/fhir/Basic/other' })).statusCode, 404);
    });

    it('lets a registered browser origin preflight DELETE (and POST) of a Subscription', async () => {
      const { w } = await withActiveContract(app, db);
      const origin = `https://app-${w.providerId.toLowerCase().replace(/[^a-z0-9]/g, '')}.test`;
      assert.ok(
        await createSmartClientStore(db).register(
          {
            clientId: `browser-${w.providerId}`,
            name: 'Webbapp',
            providerId: w.providerId,
            scopes: ['system/Subscription.cruds'],
            corsOrigins: [origin],
            subscriptionEndpoints: [],
          },
          { hsaId: 'test' },
        ),
      );
      const preflight = (from: string, method: string) =>
        app.inject({
          method: 'OPTIONS',
          url: '/fhir/Subscription/00000000-0000-4000-8000-000000000000',
          headers: {
            origin: from,
            'access-control-request-method': method,
            'access-control-request-headers': 'authorization, content-type',
          },
        });
      for (const method of ['DELETE', 'POST', 'GET']) {
        const allowed = await preflight(origin, method);
        assert.equal(allowed.statusCode, 204, allowed.body);
        assert.equal(allowed.headers['access-control-allow-origin'], origin);
        assert.ok(
          String(allowed.headers['access-control-allow-methods']).split(/,\s*/).includes(method),
          String(allowed.headers['access-control-allow-methods']),
        );
        assert.match(String(allowed.headers['access-control-allow-headers']), /Content-Type/);
        assert.equal(allowed.headers['access-control-allow-credentials'], undefined);
      }
      const refused = await preflight('https://not-registered.test', 'DELETE');
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.headers['access-control-allow-origin'], undefined);
    });

    it('sends no notification of a change made from a unit hidden by a spärr, and the next visible one', async () => {
      // The client reads the plan (its provider holds it), but the patient blocked unit B of the
      // same provider: a change made from B is not told (security.md: spärr), one made after is.
      const { w, nurse } = await withActiveContract(app, db);
      const blockedUnit = await makeUnit(db, w.providerId);
      await relateUnit(db, w.patientId, blockedUnit);
      const blockedNurse = await login(app, { hsaId: await makeStaff(db, blockedUnit) });
      const client = await systemClient(w.providerId, 'journal-s', `/s-${w.providerId}`);
      const id = await subscribe(client.token, client.endpoint, w.patientId);
      await db.query(
        `insert into block (patient_id, scope_kind, unit_id, created_by_kind, created_by) values ($1, 'unit', $2, 'patient', $3)`,
        [w.patientId, blockedUnit, w.patientId],
      );
      await changePlan(blockedNurse, w.patientId, w.unitId, 1, 'Ändrat från den spärrade enheten');
      await eventually(
        async () => (await deliveries(id))[0]?.state === 'dropped',
        'the hidden change dropped',
      );
      await changePlan(nurse, w.patientId, w.unitId, 2, 'Ändrat från planens enhet');
      await eventually(() => receivedAt(`/s-${w.providerId}`).length === 1, 'the visible change told');
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(receivedAt(`/s-${w.providerId}`).length, 1, 'only the visible change is told');
      await eventually(
        async () => (await deliveries(id)).map((d) => d.state).join() === 'dropped,delivered',
        'the hidden change dropped, the visible one delivered',
      );
      // The dropped one was no disclosure: one allowed entry, for the change that was told.
      const logged = await db.query<{ n: number }>(
        `select count(*)::int as n from access_log where patient_id = $1 and client_id = $2 and detail like 'Subscription/%'`,
        [w.patientId, client.clientId],
      );
      assert.equal(logged[0]!.n, 1);
    });

    it('refuses an endpoint that is not https or not registered, and every payload but id-only', async () => {
      const { w } = await withActiveContract(app, db);
      const client = await systemClient(w.providerId, 'journal-c', `/c-${w.providerId}`);
      const refused = async (body: object, pattern: RegExp, expression: string) => {
        const res = await fhir('POST', '/fhir/Subscription', client.token, body);
        assert.equal(res.statusCode, 400, res.body);
        const outcome = res.json<{
          resourceType: string;
          issue: { diagnostics: string; expression?: string[] }[];
        }>();
        assert.equal(outcome.resourceType, 'OperationOutcome');
        assert.match(outcome.issue[0]!.diagnostics, pattern);
        assert.ok(
          outcome.issue.some((i) => i.expression?.[0] === expression),
          JSON.stringify(outcome.issue),
        );
      };
      await refused(
        subscriptionFor(client.endpoint.replace('https://', 'http://'), w.patientId),
        /måste börja med https/,
        'Subscription.channel.endpoint',
      );
      await refused(
        subscriptionFor(`${receiver.base}/not-registered`, w.patientId),
        /inte registrerad/,
        'Subscription.channel.endpoint',
      );
      const full = subscriptionFor(client.endpoint, w.patientId) as { channel: Record<string, unknown> };
      full.channel._payload = {
        extension: [{ url: `${BACKPORT}/backport-payload-content`, valueCode: 'full-resource' }],
      };
      await refused(full, /Bara id-only/, 'Subscription.channel.payload');
      await refused(
        {
          ...subscriptionFor(client.endpoint, w.patientId),
          criteria: 'https://example.org/SubscriptionTopic/x',
        },
        /Okänt ämne/,
        'Subscription.criteria',
      );
      const rows = await db.query(`select 1 from subscription where client_id = $1`, [client.clientId]);
      assert.equal(rows.length, 0);
      // A member of staff (cookie session) manages no subscriptions.
      const staff = await withActiveContract(app, db);
      const res = await staff.nurse.send(
        'POST',
        '/fhir/Subscription',
        subscriptionFor(client.endpoint, null),
        {
          'content-type': 'application/fhir+json',
        },
      );
      assert.equal(res.statusCode, 403, res.body);
    });

    it('shows a client only its own subscriptions', async () => {
      const { w } = await withActiveContract(app, db);
      const mine = await systemClient(w.providerId, 'journal-d', `/d-${w.providerId}`);
      const theirs = await systemClient(w.providerId, 'journal-e', `/e-${w.providerId}`);
      const myId = await subscribe(mine.token, mine.endpoint, w.patientId);
      const theirId = await subscribe(theirs.token, theirs.endpoint, null);
      const search = await fhir('GET', '/fhir/Subscription?status=active', mine.token);
      assert.equal(search.statusCode, 200, search.body);
      assert.deepEqual(
        search.json<{ entry?: { resource: { id: string } }[] }>().entry?.map((e) => e.resource.id),
        [myId],
      );
      const byPatient = await fhir('GET', `/fhir/Subscription?patient=Patient/${w.patientId}`, theirs.token);
      assert.equal(byPatient.json<{ entry?: unknown[] }>().entry, undefined);
      for (const url of [`/fhir/Subscription/${theirId}`, `/fhir/Subscription/${theirId}/$status`]) {
        const res = await fhir('GET', url, mine.token);
        assert.equal(res.statusCode, 404, `${url}: ${res.body}`);
      }
      assert.equal((await fhir('DELETE', `/fhir/Subscription/${theirId}`, mine.token)).statusCode, 404);
      assert.equal((await fhir('GET', `/fhir/Subscription/${theirId}`, theirs.token)).statusCode, 200);
    });

    it('hears a plan change made in another server process once, for a subscription made in this one', async () => {
      // A second app on the same database stands for a second process (WORKERS > 1): its change
      // feed does not hear this one's, and it learns of the subscription from the database.
      const second = await buildTestApp(db, clock, {
        ...as.env,
        SUBSCRIPTION_CA: receiver.caFile,
        SUBSCRIPTION_CHECK_MS: '20',
      });
      try {
        const { w, nurse } = await withActiveContract(second, db);
        const client = await systemClient(w.providerId, 'journal-g', `/g-${w.providerId}`);
        const id = await subscribe(client.token, client.endpoint, w.patientId);
        await changePlan(nurse, w.patientId, w.unitId, 1, 'Ändrad i den andra processen');
        await eventually(() => receivedAt(`/g-${w.providerId}`).length === 1, 'the notification');
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.equal(receivedAt(`/g-${w.providerId}`).length, 1, 'sent once');
        assert.equal(
          assertIdOnlyNotification(receivedAt(`/g-${w.providerId}`)[0]!.body, id).eventNumber,
          '1',
        );
      } finally {
        await second.close();
      }
    });

    it('turns a subscription off at its end, and sends nothing after it', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      const client = await systemClient(w.providerId, 'journal-f', `/f-${w.providerId}`);
      const end = new Date(clock().getTime() + 60_000).toISOString();
      const created = await fhir(
        'POST',
        '/fhir/Subscription',
        client.token,
        subscriptionFor(client.endpoint, w.patientId, { end }),
      );
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json<{ id: string; end: string }>().id;
      assert.equal(created.json<{ end: string }>().end, end);
      offsetMs += 61_000;
      await eventually(
        async () =>
          (await fhir('GET', `/fhir/Subscription/${id}`, client.token)).json<{ status: string }>().status ===
          'off',
        'the subscription off at its end',
      );
      await changePlan(nurse, w.patientId, w.unitId, 1, 'Efter slutet');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(receivedAt(`/f-${w.providerId}`).length, 0);
      assert.deepEqual(await deliveries(id), []);
      const past = await fhir(
        'POST',
        '/fhir/Subscription',
        client.token,
        subscriptionFor(client.endpoint, w.patientId, {
          end: new Date(clock().getTime() - 1000).toISOString(),
        }),
      );
      assert.equal(past.statusCode, 400, past.body);
      assert.match(past.body, /framtiden/);
    });

    it('tells the topic and the interactions in the CapabilityStatement', async () => {
      const cap = (await app.inject({ method: 'GET', url: '/fhir/metadata' })).json<{
        rest: {
          resource: {
            type: string;
            interaction: { code: string }[];
            extension?: { url: string; valueCanonical: string }[];
            operation?: { name: string }[];
          }[];
        }[];
      }>();
      const resource = cap.rest[0]!.resource.find((r) => r.type === 'Subscription');
      assert.ok(resource);
      const codes = resource.interaction.map((i) => i.code);
      for (const code of ['create', 'delete', 'read', 'search-type']) assert.ok(codes.includes(code), code);
      assert.deepEqual(resource.extension, [
        {
          url: `${BACKPORT}/capabilitystatement-subscriptiontopic-canonical`,
          valueCanonical: PLAN_CHANGED_TOPIC,
        },
      ]);
      assert.deepEqual(
        resource.operation?.map((o) => o.name),
        ['status'],
      );
      // The topic itself, the R4 way: Basic (read, search by code).
      const basic = cap.rest[0]!.resource.find((r) => r.type === 'Basic');
      assert.ok(basic);
      assert.deepEqual(basic.interaction.map((i) => i.code).sort(), ['read', 'search-type']);
    });

    it('deletes deliveries 30 days after they were done (the last test: it moves the clock a month)', async () => {
      // The deliveries done by now (a pending one may yet be struck when the clock has moved:
      // the care relationships of the tests' patients end meanwhile).
      const doneBefore = (
        await db.query<{ id: number }>(`select id from subscription_delivery where state <> 'pending'`)
      ).map((r) => r.id);
      const done = async () =>
        (
          await db.query<{ n: number }>(
            `select count(*)::int as n from subscription_delivery where id = any($1::bigint[])`,
            [doneBefore],
          )
        )[0]!.n;
      assert.ok(doneBefore.length > 0);
      offsetMs += 29 * 24 * 3600_000;
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(await done(), doneBefore.length, 'kept for 30 days');
      offsetMs += 2 * 24 * 3600_000;
      await eventually(async () => (await done()) === 0, 'the done deliveries deleted');
    });
  });
}
