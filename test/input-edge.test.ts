/**
 * Text at the edge (src/api/input-guard.ts), for every route the OpenAPI document lists and the
 * FHIR routes: a refused character in any path, query or body string answers 400, never 500;
 * bad requests sent at the same moment as good ones fail only themselves; and an id's case
 * changes neither the answer nor the access log, which stays verifiable.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { DEVELOPMENT_AUDIT_KEY } from '../src/services/audit-key.ts';
import { verifyAccessLog } from '../src/services/audit-verify.ts';
import { createAccessLogStore } from '../src/store/access-log-store.ts';
import type { Db } from '../src/store/db.ts';
import { buildTestApp, login, type Client } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makeStaff, makeWorld, sampleContent } from './helpers/factories.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Route {
  method: Method;
  /** OpenAPI form: /api/patients/{patientId}/… */
  path: string;
  params: string[];
  query: string[];
}

/** Refused text, as sent in a URL (percent-encoded) and in a JSON body. */
const refusedInUrl = ['Lindqvist%00', '%00', 'a%01b', '%7F', '%FF', '%ED%A0%80', 'x%C3'];
const refusedInBody = ['Lindqvist\u0000', '\u0000', 'a\u0001b', '\ud800', 'x\udc00y'];

const upper = (id: string) => id.toUpperCase();
const mixed = (id: string) =>
  id
    .split('')
    .map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c))
    .join('');

for (const engine of testEngines) {
  describe(`text at the edge on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let world: Awaited<ReturnType<typeof makeWorld>>;
    let nurse: Client;
    let patient: Client;
    let routes: Route[];
    /** Real ids for the path parameters that name something. */
    let ids: Record<string, string>;

    before(async () => {
      db = await engine.open();
      app = await buildTestApp(db);
      world = await makeWorld(db);
      nurse = await login(app, { hsaId: world.nurseId });
      const contract = await nurse.send('POST', `/api/patients/${world.patientId}/contract`, {
        status: 'active',
        content: sampleContent(world.unitId),
      });
      const contact = await nurse.send('POST', `/api/patients/${world.patientId}/care-contacts`, {
        role: 'fast-vardkontakt',
        staffId: world.nurseId,
        unitId: world.unitId,
        reason: 'behov',
      });
      const [row] = await db.query<{ identifier: string }>('select identifier from patient where id = $1', [
        world.patientId,
      ]);
      patient = await login(app, { personnummer: row!.identifier });
      ids = {
        patientId: world.patientId,
        contractId: contract.json<{ id: string }>().id,
        contactId: contact.json<{ id: string }>().id,
      };
      const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
        paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
      }>();
      routes = Object.entries(spec.paths).flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({
          method: method.toUpperCase() as Method,
          path,
          params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
          query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        })),
      );
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    /** Fills a route's path with real ids (a random UUID for those without one), each through `form`. */
    function urlOf(route: Route, form: (id: string) => string = (id) => id): string {
      return route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
        form(ids[name] ?? (name === 'section' ? 'kontinuitet' : '7c9e6679-7425-40de-944b-e07fc1f90ae7')),
      );
    }

    async function send(
      client: Client,
      method: Method,
      url: string,
      body?: unknown,
    ): Promise<LightMyRequestResponse> {
      if (method === 'GET') return client.get(url);
      return client.send(method, url, body);
    }

    function assertRefused(res: LightMyRequestResponse, what: string): void {
      assert.equal(res.statusCode, 400, `${what}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      if (what.includes('/fhir')) {
        assert.equal(res.json<{ resourceType: string }>().resourceType, 'OperationOutcome', what);
      } else {
        assert.equal(res.json<{ error: { code: string } }>().error.code, 'invalid_input', what);
      }
    }

    it('refuses a control character, a lone surrogate or bytes that are not UTF-8 in every path parameter of every route', async () => {
      let sent = 0;
      for (const route of routes.filter((r) => r.params.length > 0)) {
        for (const param of route.params) {
          for (const bad of refusedInUrl) {
            const url = route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
              name === param ? bad : encodeURIComponent(ids[name] ?? 'x'),
            );
            assertRefused(await send(nurse, route.method, url, {}), `${route.method} ${url}`);
            sent += 1;
          }
        }
      }
      assert.ok(sent > 100, `sent ${sent}`);
    });

    it('refuses them in every query parameter of every route, and in an unknown one', async () => {
      let sent = 0;
      for (const route of routes) {
        for (const name of [...route.query, 'q', 'unknown']) {
          for (const bad of refusedInUrl) {
            const url = `${urlOf(route)}?${name}=${bad}`;
            assertRefused(await send(nurse, route.method, url, {}), `${route.method} ${url}`);
            sent += 1;
          }
        }
      }
      assert.ok(sent > 500, `sent ${sent}`);
    });

    it('refuses them in a JSON body of every write route, as a value, deep inside, or as a key', async () => {
      const writes = routes.filter((r) => r.method !== 'GET');
      for (const route of writes) {
        for (const bad of refusedInBody) {
          for (const body of [{ reason: bad }, { content: { goals: [{ text: bad }] } }, { [bad]: 'x' }]) {
            const what = `${route.method} ${route.path} ${JSON.stringify(body)}`;
            assertRefused(await send(nurse, route.method, urlOf(route), body), what);
          }
        }
      }
      // The development login has no session yet: refused all the same.
      const res = await app.inject({
        method: 'POST',
        url: '/auth/dev/login',
        payload: { hsaId: 'SE\u0000' },
      });
      assertRefused(res, 'POST /auth/dev/login');
    });

    it('refuses them on the FHIR routes with an OperationOutcome', async () => {
      const p = world.patientId;
      const urls = [
        '/fhir/Patient?name=Lindqvist%00',
        '/fhir/Patient?identifier=%FF',
        '/fhir/Patient/%00',
        `/fhir/CarePlan?patient=${p}%00`,
        '/fhir/CareTeam?patient=%ED%A0%80',
        '/fhir/Goal?patient=%01',
        '/fhir/Appointment?patient=%00',
        '/fhir/CarePlan/%00',
        '/fhir/metadata?_format=%00',
      ];
      for (const url of urls) assertRefused(await nurse.get(url), url);
      for (const bad of refusedInBody) {
        const res = await nurse.send('POST', '/fhir/Patient', {
          resourceType: 'Patient',
          name: [{ family: bad, given: ['A'] }],
        });
        assertRefused(res, `/fhir/Patient POST ${JSON.stringify(bad)}`);
      }
    });

    it('refuses a NUL or a lone surrogate in an imported file as a line error, never a 500', async () => {
      const analystId = await makeStaff(db, world.unitId, 'administrator');
      await db.query("update staff_unit set role = 'uppfoljning' where staff_id = $1", [analystId]);
      const analyst = await login(app, { hsaId: analystId });
      const row = (given: string) => ({
        personnummer: '189001019802',
        typ: 'listning',
        enhet: world.unitId,
        fran: '2024-01-01',
        fornamn: given,
        efternamn: 'B',
      });
      const files: [string, string][] = [
        [
          'text/csv',
          `personnummer,typ,enhet,fran,fornamn,efternamn\n189001019802,listning,${world.unitId},2024-01-01,Ann\u0000a,B\n`,
        ],
        [
          'text/csv',
          `personnummer,typ,enhet,fran,fornamn,efternamn\n189001019802,listning,${world.unitId},2024-01-01,A\u0001,B\n`,
        ],
        // JSON escapes carry what UTF-8 cannot: a lone surrogate.
        ['application/x-ndjson', `${JSON.stringify(row('A\ud800'))}\n`],
        ['application/x-ndjson', `${JSON.stringify(row('A\u0000'))}\n`],
      ];
      for (const [type, file] of files) {
        const res = await analyst.send('POST', '/api/imports/population?source=register', file, {
          'content-type': type,
        });
        assert.equal(res.statusCode, 422, `${JSON.stringify(file)}: ${res.body}`);
        assert.match(res.body, /Otillåtet tecken/);
      }
    });

    it('answers every good read while bad requests are sent at the same moment', async () => {
      const good = Array.from({ length: 40 }, () => nurse.get(`/api/patients/${world.patientId}/overview`));
      const bad = Array.from({ length: 40 }, (_, i) =>
        [
          () => nurse.get('/api/patients?q=Lindqvist%00'),
          () => nurse.get('/fhir/Patient?name=a%00'),
          () => nurse.send('POST', `/api/patients/${world.patientId}/consents/%00/revoke`),
          () => nurse.send('POST', `/api/patients/${world.patientId}/blocks/%00/lift`, {}),
          () =>
            nurse.send('POST', '/api/patients', {
              identifier: '189001019802',
              givenName: 'A\u0000',
              familyName: 'B',
            }),
        ][i % 5]!(),
      );
      const [goodAnswers, badAnswers] = await Promise.all([Promise.all(good), Promise.all(bad)]);
      assert.deepEqual(
        goodAnswers.map((r) => r.statusCode),
        goodAnswers.map(() => 200),
      );
      assert.deepEqual(
        badAnswers.map((r) => r.statusCode),
        badAnswers.map(() => 400),
      );
    });

    it('answers every id in every path the same in any case, as staff and as the patient, and logs it in one form', async () => {
      const requestIds: string[] = [];
      let compared = 0;
      for (const route of routes.filter((r) => r.params.some((p) => p !== 'section'))) {
        for (const client of [nurse, patient]) {
          if (route.method === 'GET') {
            const canonical = await send(client, 'GET', urlOf(route));
            for (const form of [upper, mixed]) {
              const res = await send(client, 'GET', urlOf(route, form));
              requestIds.push(String(res.headers['x-request-id']));
              assert.equal(
                res.statusCode,
                canonical.statusCode,
                `${route.path} as ${client === nurse ? 'staff' : 'patient'} in ${form.name} case: ${res.body.slice(0, 200)}`,
              );
              compared += 1;
            }
          } else {
            // Writes change what they touch: no answer to compare, but never a 500.
            for (const form of [upper, mixed]) {
              const res = await send(client, route.method, urlOf(route, form), {});
              requestIds.push(String(res.headers['x-request-id']));
              assert.ok(res.statusCode < 500, `${route.method} ${route.path}: ${res.statusCode} ${res.body}`);
            }
          }
        }
      }
      // The FHIR reads, by id and by patient reference.
      const p = world.patientId;
      for (const client of [nurse, patient]) {
        for (const url of [
          `/fhir/Patient/${upper(p)}`,
          `/fhir/Patient?_id=${mixed(p)}`,
          `/fhir/CarePlan?patient=${upper(p)}`,
          `/fhir/CarePlan?patient=Patient/${mixed(p)}`,
          `/fhir/CareTeam?patient=${upper(p)}`,
          `/fhir/Goal?patient=${mixed(p)}`,
          `/fhir/Appointment?patient=${upper(p)}`,
          `/fhir/CarePlan/${upper(ids.contractId!)}`,
        ]) {
          const res = await client.get(url);
          requestIds.push(String(res.headers['x-request-id']));
          const canonical = await client.get(url.replace(/[0-9A-Fa-f-]{36}/, (id) => id.toLowerCase()));
          assert.equal(res.statusCode, canonical.statusCode, `${url}: ${res.body.slice(0, 200)}`);
          compared += 1;
        }
      }
      assert.ok(compared > 30, `compared ${compared}`);
      const own = await patient.get(`/api/patients/${upper(p)}/overview`);
      assert.equal(own.statusCode, 200, 'the patient reads their own plan by an upper-case id');

      const logged = await db.query<{ patientId: string | null; actorId: string }>(
        `select patient_id::text as "patientId", actor_id as "actorId" from access_log
         where request_id = any($1::text[])`,
        [requestIds],
      );
      assert.ok(logged.filter((e) => e.patientId === p).length > 20, `logged ${logged.length}`);
      for (const e of logged) {
        assert.ok(e.patientId === null || e.patientId === e.patientId.toLowerCase(), e.patientId ?? '');
        assert.equal(e.actorId, /^[0-9a-f-]{36}$/i.test(e.actorId) ? e.actorId.toLowerCase() : e.actorId);
      }
      const result = await verifyAccessLog(
        createAccessLogStore(db, DEVELOPMENT_AUDIT_KEY),
        DEVELOPMENT_AUDIT_KEY,
      );
      assert.deepEqual(result.problems, []);
    });
  });
}
