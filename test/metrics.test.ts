/**
 * GET /metrics: the Prometheus text after real requests, on both engines. Series by route
 * pattern (never a URL with an id in it), access-log batches, imports and directory syncs by
 * result, live-event streams, and the pool on PostgreSQL. Not public: a bearer token, 404
 * without one configured.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, login, withActiveContract, type Client } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makeStaff } from './helpers/factories.ts';
import type { Db } from '../src/store/db.ts';

const TOKEN = 'metrics-token-for-the-test-0123456789abcdef';

/** The value of one series (`name{labels}`), or undefined when the text has no such line. */
function valueOf(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{(.*)\}/.exec(line)?.[1] ?? '';
    const has = Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`));
    if (has) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

for (const engine of testEngines) {
  describe(`metrics on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    before(async () => {
      db = await engine.open();
      app = await buildTestApp(db, undefined, { METRICS_TOKEN: TOKEN });
    });
    after(async () => {
      await app.close();
      await db.close();
    });
    const scrape = async (): Promise<string> => {
      const res = await app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      return res.body;
    };

    it('refuses a scrape without the token, or with another, with 401', async () => {
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: TOKEN }]) {
        const res = await app.inject({ method: 'GET', url: '/metrics', headers });
        assert.equal(res.statusCode, 401);
        assert.equal(res.headers['www-authenticate'], 'Bearer realm="metrics"');
        assert.ok(!res.body.includes('patientkontrakt_'));
      }
    });

    it('counts requests and their time by route pattern, method and status, never by URL', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      const route = '/api/patients/:patientId/overview';
      const before = valueOf(await scrape(), 'patientkontrakt_http_request_duration_seconds_count', {
        route,
        status_code: '200',
      });
      for (let i = 0; i < 3; i++)
        assert.equal((await nurse.get(`/api/patients/${w.patientId}/overview`)).statusCode, 200);
      await app.inject({ method: 'GET', url: '/api/no/such/route' });
      const text = await scrape();
      const labels = { method: 'GET', route, status_code: '200' };
      assert.equal(
        valueOf(text, 'patientkontrakt_http_request_duration_seconds_count', labels),
        (before ?? 0) + 3,
      );
      assert.ok(valueOf(text, 'patientkontrakt_http_request_duration_seconds_sum', labels)! > 0);
      assert.equal(
        valueOf(text, 'patientkontrakt_http_request_duration_seconds_bucket', { ...labels, le: '+Inf' }),
        (before ?? 0) + 3,
      );
      assert.ok(
        valueOf(text, 'patientkontrakt_http_request_duration_seconds_count', {
          route: 'unmatched',
          status_code: '404',
        })! >= 1,
      );
      // No id, personnummer or name of a patient is ever a label.
      assert.ok(!text.includes(w.patientId));
      assert.ok(!text.includes('/api/no/such/route'));
    });

    it('tells the access log’s batches: every entry written is in one', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      await nurse.get(`/api/patients/${w.patientId}/overview`);
      const text = await scrape();
      const entries = (await db.query<{ n: number }>('select count(*)::int as n from access_log'))[0]!.n;
      assert.equal(valueOf(text, 'patientkontrakt_access_log_batch_entries_sum'), entries);
      const batches = valueOf(text, 'patientkontrakt_access_log_batch_entries_count')!;
      assert.ok(batches >= 1 && batches <= entries);
      assert.equal(valueOf(text, 'patientkontrakt_access_log_batch_failures_total'), 0);
      assert.equal(valueOf(text, 'patientkontrakt_access_log_entries_refused_total'), 0);
    });

    it('counts imports by kind and result, directory syncs by result, and when the last ran', async () => {
      const { w } = await withActiveContract(app, db);
      const analystId = await makeStaff(db, w.unitId, 'administrator');
      await db.query("update staff_unit set role = 'uppfoljning' where staff_id = $1", [analystId]);
      const analyst = await login(app, { hsaId: analystId });
      const [patient] = await db.query<{ identifier: string }>(
        'select identifier from patient where id = $1',
        [w.patientId],
      );
      const csv = (line: string): string =>
        `personnummer;tidpunkt;enhet;personal;yrke;kontakttyp;medicinsk_bedomning;sokte_vard\n${line}\n`;
      const post = (c: Client, url: string, body: string) =>
        c.send('POST', url, body, { 'content-type': 'text/csv' });
      const good = await post(
        analyst,
        '/api/imports/visits',
        csv(`${patient!.identifier};2025-03-04 09:30;${w.unitId};${w.nurseId};distriktsskoterska;besok;nej;`),
      );
      assert.equal(good.statusCode, 200, good.body);
      const bad = await post(analyst, '/api/imports/visits', csv('inte-ett-nummer;igår;;;;;;'));
      assert.equal(bad.statusCode, 422, bad.body);

      const adminId = await makeStaff(db, w.unitId, 'administrator');
      await db.query("update staff_unit set role = 'systemforvaltare' where staff_id = $1", [adminId]);
      const admin = await login(app, { hsaId: adminId });
      const sync = await post(admin, '/api/directory/sync?dryRun=1', 'vardgivare;enhet\nx;y\n');
      assert.ok(sync.statusCode >= 400 && sync.statusCode < 500, sync.body);

      const text = await scrape();
      const runs = (result: string) =>
        valueOf(text, 'patientkontrakt_import_runs_total', { kind: 'visits', result });
      assert.equal(runs('imported'), 1);
      assert.equal(runs('refused'), 1);
      assert.equal(valueOf(text, 'patientkontrakt_directory_syncs_total', { result: 'invalid' }), 1);
      const last = valueOf(text, 'patientkontrakt_last_run_timestamp_seconds', { kind: 'import-visits' })!;
      assert.ok(Math.abs(last - Date.now() / 1000) < 120, `${last}`);
    });

    it('counts the open live-event streams', async () => {
      const { nurse } = await withActiveContract(app, db);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      assert.ok(address !== null && typeof address === 'object');
      const controller = new AbortController();
      const res = await fetch(`http://127.0.0.1:${address.port}/api/events`, {
        headers: { cookie: nurse.cookie },
        signal: controller.signal,
      });
      assert.equal(res.status, 200);
      const reader = res.body!.getReader();
      await reader.read(); // the stream is open once its first comment arrives
      assert.equal(valueOf(await scrape(), 'patientkontrakt_live_event_connections'), 1);
      controller.abort();
      await reader.cancel().catch(() => undefined);
      for (let i = 0; i < 50; i++) {
        if (valueOf(await scrape(), 'patientkontrakt_live_event_connections') === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(valueOf(await scrape(), 'patientkontrakt_live_event_connections'), 0);
    });

    it(`shows the pool's connections on PostgreSQL and none on PGlite`, async () => {
      const text = await scrape();
      if (engine.name === 'postgres') {
        assert.equal(valueOf(text, 'patientkontrakt_db_pool_connections', { state: 'max' }), 60);
        assert.ok(valueOf(text, 'patientkontrakt_db_pool_connections', { state: 'idle' })! >= 1);
        assert.equal(valueOf(text, 'patientkontrakt_db_pool_connections', { state: 'waiting' }), 0);
      } else assert.equal(valueOf(text, 'patientkontrakt_db_pool_connections', { state: 'max' }), undefined);
    });
  });
}

describe('metrics without METRICS_TOKEN', () => {
  it('answer 404, like a page that does not exist', async () => {
    const db = await testEngines[0]!.open();
    const app = await buildTestApp(db);
    try {
      const res = await app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      assert.equal(res.statusCode, 404);
    } finally {
      await app.close();
      await db.close();
    }
  });
});
