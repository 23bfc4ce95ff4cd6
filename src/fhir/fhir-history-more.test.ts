/**
 * Version reads and instance histories of the resources whose version is the contract's
 * (Appointment, Goal), of Consent (1 as recorded, 2 once ended) and Subscription (vread of the
 * current version only): after several changes the history lists every version newest first,
 * each entry equal to the vread of its version, pages with `_count` and next links, a version
 * that never existed answers 404, a reader without access gets the answer of a missing resource,
 * and every access to the patient is logged. Every answer is checked by the independent validator
 * (test/helpers/api.ts wraps `inject`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { login, withActiveContract, type Client } from '../../test/helpers/api.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makeWorld, sampleContent } from '../../test/helpers/factories.ts';
import {
  openTestAppWithAuthorizationServer,
  type TestAuthorizationServer,
} from '../../test/helpers/test-authorization-server.ts';
import type { ContractContent } from '../domain/contract.ts';
import { PLAN_CHANGED_TOPIC } from '../domain/subscription.ts';
import type { Db } from '../store/db.ts';
import { consentSystems } from './consent-mapper.ts';
import { assertOutcome, consentResource, FHIR } from './fhir-test-helpers.ts';

interface Resource {
  resourceType: string;
  id: string;
  meta?: { versionId?: string };
  status?: string;
  [key: string]: unknown;
}
interface Entry {
  fullUrl: string;
  resource?: Resource;
  request: { method: string; url: string };
  response: { status: string; etag: string; lastModified: string };
}
interface History {
  resourceType: string;
  type: string;
  total?: number;
  link: { relation: string; url: string }[];
  entry?: Entry[];
}

const MISSING = '00000000-0000-4000-8000-000000000000';
const pathOf = (url: string): string => new URL(url).pathname + new URL(url).search;

/** Every page of a history, following next links from `first`. */
async function walk(client: Client, first: string): Promise<{ pages: History[]; entries: Entry[] }> {
  const pages: History[] = [];
  let url: string | undefined = first;
  while (url !== undefined) {
    assert.ok(pages.length < 20, 'paging ends');
    const res = await client.get(url);
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    const page = res.json<History>();
    assert.equal(page.resourceType, 'Bundle');
    assert.equal(page.type, 'history');
    pages.push(page);
    const next = page.link.find((l) => l.relation === 'next');
    url = next ? pathOf(next.url) : undefined;
  }
  return { pages, entries: pages.flatMap((p) => p.entry ?? []) };
}

/** Each entry with a resource is exactly the vread of its version (body and ETag). */
async function assertEntriesAreVreads(client: Client, entries: readonly Entry[]): Promise<void> {
  for (const entry of entries) {
    if (!entry.resource) continue;
    const version = entry.resource.meta?.versionId;
    assert.equal(entry.response.etag, `W/"${version}"`);
    const then = await client.get(`${pathOf(entry.fullUrl)}/_history/${version}`);
    assert.equal(then.statusCode, 200, then.body);
    assert.equal(then.headers.etag, entry.response.etag);
    assert.deepEqual(then.json(), entry.resource);
  }
}

const versionsOf = (entries: readonly Entry[]) =>
  entries.map((e) => `${e.request.method} ${e.response.etag.replace(/\D/g, '')}`);

/** The access log rows of one request about `patientId`. */
async function loggedFor(db: Db, res: LightMyRequestResponse, patientId: string): Promise<number> {
  const rows = await db.query<{ n: number }>(
    'select count(*)::int as n from access_log where request_id = $1 and patient_id = $2',
    [res.headers['x-request-id'], patientId],
  );
  return rows[0]!.n;
}

for (const engine of testEngines) {
  describe(`FHIR history of Appointment, Goal, Consent and Subscription on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let as: TestAuthorizationServer;
    openTestAppWithAuthorizationServer(engine, (opened) => ({ db, app, as } = opened));

    /** Saves the contract through the JSON API with `content`, at the current version. */
    async function saveContract(nurse: Client, patientId: string, content: ContractContent) {
      const etag = (await nurse.get(`/api/patients/${patientId}/contract`)).headers.etag as string;
      const res = await nurse.send(
        'PUT',
        `/api/patients/${patientId}/contract`,
        { status: 'active', content },
        { 'if-match': etag },
      );
      assert.equal(res.statusCode, 200, res.body);
    }

    it('gives the Appointment a version for every contract version since it was set, equal to its vread', async () => {
      const { w, nurse, contractId } = await withActiveContract(app, db);
      const id = `${contractId}-next`;
      // v2: the plan changes elsewhere; v3: a new time; v4: the time is cancelled.
      await saveContract(nurse, w.patientId, sampleContent(w.unitId, { whatMatters: 'Att läsa' }));
      const current = (await nurse.get(`/fhir/Appointment/${id}`)).json<Resource>();
      const { end: _end, ...withoutEnd } = current;
      const moved = await nurse.send(
        'PUT',
        `/fhir/Appointment/${id}`,
        { ...withoutEnd, start: '2026-12-15T09:00:00.000Z' },
        { ...FHIR, 'if-match': 'W/"2"' },
      );
      assert.equal(moved.statusCode, 200, moved.body);
      const cancelled = await nurse.send(
        'PUT',
        `/fhir/Appointment/${id}`,
        { ...moved.json<Resource>(), status: 'cancelled', cancelationReason: { text: 'Patienten ringer' } },
        { ...FHIR, 'if-match': 'W/"3"' },
      );
      assert.equal(cancelled.statusCode, 200, cancelled.body);

      const whole = (await nurse.get(`/fhir/Appointment/${id}/_history`)).json<History>();
      assert.equal(whole.total, 4);
      const entries = whole.entry ?? [];
      assert.deepEqual(versionsOf(entries), ['PUT 4', 'PUT 3', 'PUT 2', 'PUT 1']);
      assert.deepEqual(
        entries.map((e) => e.response.status),
        ['200 OK', '200 OK', '200 OK', '201 Created'],
      );
      assert.deepEqual(
        entries.map((e) => e.resource?.status),
        ['cancelled', 'booked', 'booked', 'booked'],
      );
      assert.equal(entries[1]!.resource?.start, '2026-12-15T09:00:00.000Z');
      assert.equal(entries[2]!.resource?.start, '2026-12-01T09:00:00.000Z');
      assert.ok(entries.every((e) => e.request.url === `Appointment/${id}`));
      assert.deepEqual((await nurse.get(`/fhir/Appointment/${id}`)).json(), entries[0]!.resource);
      await assertEntriesAreVreads(nurse, entries);

      const paged = await walk(nurse, `/fhir/Appointment/${id}/_history?_count=3`);
      assert.equal(paged.pages.length, 2);
      assert.equal(paged.pages[0]!.total, undefined, 'no total on a page that is not the whole history');
      assert.deepEqual(versionsOf(paged.entries), versionsOf(entries));

      assertOutcome(await nurse.get(`/fhir/Appointment/${id}/_history/5`), 404, 'not-found');
      assertOutcome(await nurse.get(`/fhir/Appointment/${id}/_history?_count=101`), 400, 'value');
      assertOutcome(await nurse.get(`/fhir/Appointment/${id}/_history?_cursor=x`), 400, 'value');
    });

    it('gives a Goal the contract versions that hold it, its removal a DELETE entry (vread 410)', async () => {
      const { w, nurse, contractId } = await withActiveContract(app, db);
      const g1 = sampleContent(w.unitId).goals[0]!;
      const g2 = {
        id: 'g2',
        text: 'Sova hela natten',
        ambition: 'lindra' as const,
        status: 'pagaende' as const,
      };
      // v2: g1 reworded; v3: g1 removed, g2 added; v4: something else.
      await saveContract(
        nurse,
        w.patientId,
        sampleContent(w.unitId, { goals: [{ ...g1, text: 'Gå 3 km' }] }),
      );
      await saveContract(nurse, w.patientId, sampleContent(w.unitId, { goals: [g2] }));
      await saveContract(nurse, w.patientId, sampleContent(w.unitId, { goals: [g2], whatMatters: 'Sömnen' }));

      const g1Id = `${contractId}-g1`;
      const history = await walk(nurse, `/fhir/Goal/${g1Id}/_history?_count=2`);
      assert.equal(history.pages.length, 2);
      assert.deepEqual(versionsOf(history.entries), ['DELETE 3', 'PUT 2', 'PUT 1']);
      const [removal, changed, first] = history.entries;
      assert.equal(removal!.resource, undefined);
      assert.equal(removal!.request.url, `Goal/${g1Id}`);
      assert.equal((changed!.resource?.description as { text: string }).text, 'Gå 3 km');
      assert.equal((first!.resource?.description as { text: string }).text, g1.text);
      assert.equal(first!.response.status, '201 Created');
      await assertEntriesAreVreads(nurse, history.entries);
      assertOutcome(await nurse.get(`/fhir/Goal/${g1Id}/_history/3`), 410, 'not-found');
      assertOutcome(await nurse.get(`/fhir/Goal/${g1Id}/_history/4`), 404, 'not-found');
      assertOutcome(await nurse.get(`/fhir/Goal/${g1Id}/_history/99`), 404, 'not-found');
      // A read of the removed goal is gone like its last version; a goal never held is not found.
      assertOutcome(await nurse.get(`/fhir/Goal/${g1Id}`), 410, 'not-found');
      assertOutcome(await nurse.get(`/fhir/Goal/${contractId}-g9`), 404, 'not-found');

      const g2History = (await nurse.get(`/fhir/Goal/${contractId}-g2/_history`)).json<History>();
      assert.deepEqual(versionsOf(g2History.entry ?? []), ['PUT 4', 'PUT 3']);
      assert.equal(g2History.entry?.[1]?.response.status, '201 Created');
      assert.deepEqual(
        (await nurse.get(`/fhir/Goal/${contractId}-g2`)).json(),
        g2History.entry?.[0]?.resource,
      );
      await assertEntriesAreVreads(nurse, g2History.entry ?? []);
      assertOutcome(await nurse.get(`/fhir/Goal/${contractId}-g9/_history`), 404, 'not-found');
    });

    it('gives a Consent its two versions, as recorded and as ended, for a consent and a spärr', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      const other = await makeWorld(db);
      const posted = await nurse.send(
        'POST',
        '/fhir/Consent',
        consentResource(w.patientId, other.unitId, 'i-person'),
        FHIR,
      );
      assert.equal(posted.statusCode, 201, posted.body);
      const recorded = posted.json<Resource>();
      assert.match(String(posted.headers.location), new RegExp(`/Consent/${recorded.id}/_history/1$`));
      const revoked = await nurse.send(
        'PUT',
        `/fhir/Consent/${recorded.id}`,
        { ...recorded, status: 'inactive' },
        { ...FHIR, 'if-match': 'W/"1"' },
      );
      assert.equal(revoked.statusCode, 200, revoked.body);

      const history = await walk(nurse, `/fhir/Consent/${recorded.id}/_history?_count=1`);
      assert.equal(history.pages.length, 2);
      assert.deepEqual(versionsOf(history.entries), ['PUT 2', 'POST 1']);
      assert.deepEqual(history.entries[1]!.resource, recorded, 'version 1 is what the POST answered');
      assert.deepEqual(history.entries[0]!.resource, revoked.json());
      assert.equal(history.entries[1]!.request.url, 'Consent');
      await assertEntriesAreVreads(nurse, history.entries);
      assertOutcome(await nurse.get(`/fhir/Consent/${recorded.id}/_history/3`), 404, 'not-found');

      // A spärr of the nurse's own unit, lifted.
      const sparr = await nurse.send(
        'POST',
        '/fhir/Consent',
        {
          resourceType: 'Consent',
          status: 'active',
          patient: { reference: `Patient/${w.patientId}` },
          provision: { type: 'deny', actor: [{ reference: { reference: `Organization/${w.unitId}` } }] },
        },
        FHIR,
      );
      assert.equal(sparr.statusCode, 201, sparr.body);
      const blocked = sparr.json<Resource>();
      const lifted = await nurse.send(
        'PUT',
        `/fhir/Consent/${blocked.id}`,
        {
          ...blocked,
          status: 'inactive',
          extension: [{ url: consentSystems.method, valueCode: 'i-person' }],
        },
        { ...FHIR, 'if-match': 'W/"1"' },
      );
      assert.equal(lifted.statusCode, 200, lifted.body);
      const sparrHistory = (await nurse.get(`/fhir/Consent/${blocked.id}/_history`)).json<History>();
      assert.equal(sparrHistory.total, 2);
      assert.deepEqual(sparrHistory.entry?.[1]?.resource, blocked);
      assert.deepEqual(sparrHistory.entry?.[0]?.resource, lifted.json());
      await assertEntriesAreVreads(nurse, sparrHistory.entry ?? []);
    });

    it('dates the end of a consent that ran out at the start of the Swedish day after its last day', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      const other = await makeWorld(db);
      const recorded = consentResource(w.patientId, other.unitId, 'telefon');
      const consent = (body: Record<string, unknown>) =>
        nurse.send(
          'POST',
          '/fhir/Consent',
          { ...recorded, provision: { ...recorded.provision, ...body } },
          FHIR,
        );
      // Recorded in January, valid to 1 February: it ended when 2 February began in Sweden.
      const ran = await consent({ period: { start: '2026-11-01', end: '2027-11-01' } });
      assert.equal(ran.statusCode, 201, ran.body);
      const ranId = ran.json<Resource>().id;
      await db.query(
        `update consent set recorded_at = '2026-01-10T10:00:00Z', valid_from = '2026-01-10T00:00:00Z',
           valid_to = '2026-02-01T00:00:00Z' where id = $1`,
        [ranId.replace('samtycke-', '')],
      );
      const history = (await nurse.get(`/fhir/Consent/${ranId}/_history`)).json<History>();
      assert.deepEqual(versionsOf(history.entry ?? []), ['PUT 2', 'POST 1']);
      assert.equal(history.entry?.[0]?.response.lastModified, '2026-02-01T23:00:00.000Z');
      assert.deepEqual(
        history.entry?.map((e) => e.resource?.status),
        ['inactive', 'active'],
      );
      await assertEntriesAreVreads(nurse, history.entry ?? []);

      // Recorded already past its end: never active, its only version is 2.
      const past = await consent({ period: { start: '2020-01-01', end: '2020-06-01' } });
      assert.equal(past.statusCode, 201, past.body);
      assert.equal(past.headers.etag, 'W/"2"');
      const pastId = past.json<Resource>().id;
      assert.match(String(past.headers.location), /\/_history\/2$/);
      const pastHistory = (await nurse.get(`/fhir/Consent/${pastId}/_history`)).json<History>();
      assert.deepEqual(versionsOf(pastHistory.entry ?? []), ['POST 2']);
      assertOutcome(await nurse.get(`/fhir/Consent/${pastId}/_history/1`), 404, 'not-found');
    });

    it('answers a reader without access like a missing resource, and logs every access', async () => {
      const { w, nurse, contractId } = await withActiveContract(app, db);
      const other = await makeWorld(db);
      const consent = await nurse.send(
        'POST',
        '/fhir/Consent',
        consentResource(w.patientId, other.unitId, 'i-person'),
        FHIR,
      );
      const consentId = consent.json<Resource>().id;
      const stranger = await login(app, { hsaId: (await makeWorld(db)).nurseId });
      const cases: [string, string][] = [
        [`/fhir/Appointment/${contractId}-next`, `/fhir/Appointment/${MISSING}-next`],
        [`/fhir/Goal/${contractId}-g1`, `/fhir/Goal/${MISSING}-g1`],
        [`/fhir/Consent/${consentId}`, `/fhir/Consent/samtycke-${MISSING}`],
      ];
      for (const [url, missingUrl] of cases) {
        for (const suffix of ['/_history', '/_history/1']) {
          const hidden = await stranger.get(`${url}${suffix}`);
          const missing = await stranger.get(`${missingUrl}${suffix}`);
          assertOutcome(hidden, 404, 'not-found');
          assert.equal(hidden.body, missing.body, `${url}${suffix}`);
          assert.ok((await loggedFor(db, hidden, w.patientId)) >= 1, `the refusal of ${url}${suffix} logged`);
          const allowed = await nurse.get(`${url}${suffix}`);
          assert.equal(allowed.statusCode, 200, allowed.body);
          assert.ok((await loggedFor(db, allowed, w.patientId)) >= 1, `the read of ${url}${suffix} logged`);
        }
      }
    });

    it('reads a Subscription at its current version, and no other (earlier versions are not kept)', async () => {
      const w = await makeWorld(db);
      const clientId = `history-${w.providerId}`;
      await db.query(
        `insert into smart_client (client_id, name, provider_id, scopes, subscription_endpoints, created_by)
         values ($1, 'Historik', $2, '{system/Subscription.cruds}', '{https://127.0.0.1:9/hook}', 'test')`,
        [clientId, w.providerId],
      );
      const subscriptionId = '11111111-2222-4333-8444-555555555555';
      await db.query(
        `insert into subscription (id, client_id, provider_id, topic, endpoint, reason, status, version,
           created_at, updated_at)
         values ($1, $2, $3, $4, 'https://127.0.0.1:9/hook', 'Historik', 'active', 3, now(), now())`,
        [subscriptionId, clientId, w.providerId, PLAN_CHANGED_TOPIC],
      );
      const token = await as.mintFor(clientId, 'system/Subscription.rs');
      const get = (url: string) =>
        app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      const read = await get(`/fhir/Subscription/${subscriptionId}`);
      assert.equal(read.statusCode, 200, read.body);
      assert.equal(read.headers.etag, 'W/"3"');
      const vread = await get(`/fhir/Subscription/${subscriptionId}/_history/3`);
      assert.equal(vread.statusCode, 200, vread.body);
      assert.deepEqual(vread.json(), read.json());
      assert.equal(vread.headers.etag, read.headers.etag);
      assertOutcome(await get(`/fhir/Subscription/${subscriptionId}/_history/2`), 404, 'not-found');
      assertOutcome(await get(`/fhir/Subscription/${MISSING}/_history/1`), 404, 'not-found');
      assert.equal((await get(`/fhir/Subscription/${subscriptionId}/_history`)).statusCode, 404);
      // A version read needs the read scope, as a read does.
      const createOnly = await as.mintFor(clientId, 'system/Subscription.c');
      const refused = await app.inject({
        method: 'GET',
        url: `/fhir/Subscription/${subscriptionId}/_history/3`,
        headers: { authorization: `Bearer ${createOnly}` },
      });
      assert.equal(refused.statusCode, 403, refused.body);
      assert.match(String(refused.headers['www-authenticate']), /insufficient_scope/);
    });
  });
}
