/**
 * Object-level authorisation and the access log, on the running app:
 * - every patient route, enumerated from the app itself, answers a foreign patient's id exactly
 *   like a missing one;
 * - every patient route writes complete log entries, and fails without data when it cannot;
 * - consent, spärr and emergency access take effect on the next request.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../src/store/db.ts';
import { login, openTestApp, type Client, withActiveContract } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { mobileCareBodyFor } from './helpers/mobile-care.ts';
import {
  makePatient,
  makeProvider,
  makeStaff,
  makeUnit,
  makeWorld,
  sampleContent,
} from './helpers/factories.ts';

const MISSING = '00000000-0000-4000-8000-000000000000';

/** A plausible body for each write route, so that the access decision, not the schema, answers. */
function bodyFor(method: string, path: string, unitId: string, staffId: string): unknown {
  if (method === 'GET') return undefined;
  const mobileCare = mobileCareBodyFor(path);
  if (mobileCare !== null) return mobileCare;
  if (path.endsWith('/contract')) return { status: 'active', content: sampleContent(unitId) };
  if (path.endsWith('/care-contacts')) return { role: 'behandlande-roll', staffId, unitId };
  if (path.includes('/care-contacts/')) return { phone: '010-1' };
  if (path.endsWith('/consents')) return { scope: 'unit', unitId, method: 'i-person' };
  if (path.endsWith('/blocks')) return { scope: 'unit', unitId };
  if (path.endsWith('/lift')) return { patientConsent: { method: 'i-person' } };
  if (path.includes('/responsibilities/')) return { done: true };
  if (path.endsWith('/next-contact/response'))
    return { response: 'wants-other', at: '2026-12-01T09:00:00.000Z', message: 'Annan tid' };
  if (path.endsWith('/proposals')) return { whatMatters: 'Trädgården' };
  if (path.endsWith('/self-assessments'))
    return {
      questionSetId: 'skr-7-fragor-patient',
      questionSetVersion: 1,
      items: [{ questionId: 'p1', answer: 'ja' }],
    };
  if (path.endsWith('/proxies'))
    return { personnummer: '189001019802', givenName: 'Ida', familyName: 'Ombud', validTo: '2099-12-31' };
  return {};
}

/** Every route with `{patientId}` in the running app's OpenAPI document, as [method, path]. */
async function patientRoutes(app: FastifyInstance): Promise<(readonly [string, string])[]> {
  const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
    paths: Record<string, Record<string, unknown>>;
  }>();
  return Object.entries(spec.paths).flatMap(([path, ops]) =>
    path.includes('{patientId}') ? Object.keys(ops).map((m) => [m.toUpperCase(), path] as const) : [],
  );
}

/**
 * Calls every route for `foreign` and for a missing id as `client`, and asserts identical
 * refusals (the item ids in the path are the ones of the foreign patient's plan when known).
 */
async function assertForeignIsMissing(
  client: Client,
  routes: readonly (readonly [string, string])[],
  foreign: string,
  w: { unitId: string; nurseId: string },
): Promise<void> {
  for (const [method, path] of routes) {
    const url = (id: string) =>
      path
        .replace('{patientId}', id)
        .replace('{responsibilityId}', 'r1')
        .replace('{goalId}', 'g1')
        .replace(/\{\w+\}/g, MISSING);
    const body = bodyFor(method, path, w.unitId, w.nurseId);
    const headers = { 'if-match': 'W/"1"' };
    const call = (id: string) =>
      method === 'GET' ? client.get(url(id)) : client.send(method as 'POST', url(id), body, headers);
    const [a, b] = [await call(foreign), await call(MISSING)];
    assert.equal(
      a.statusCode,
      b.statusCode,
      `${method} ${path}: ${a.statusCode} vs ${b.statusCode} ${a.body}`,
    );
    assert.ok(a.statusCode >= 400, `${method} ${path} must not answer ${a.statusCode}`);
    assert.deepEqual(strip(a.body), strip(b.body), `${method} ${path}`);
    assert.ok(!a.body.includes(foreign), `${method} ${path} must not echo the patient`);
  }
}

const strip = (body: string): unknown => {
  try {
    const parsed = JSON.parse(body) as { error?: Record<string, unknown> };
    return parsed.error ? { ...parsed.error, requestId: undefined } : parsed;
  } catch {
    return body;
  }
};

for (const engine of testEngines) {
  describe(`access control on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it('answers every patient route for a foreign patient exactly like a missing one', async () => {
      const w = await makeWorld(db);
      // A patient at another provider, with a contract and fixed contacts: the nurse has no relationship.
      const elsewhere = await makeProvider(db, 'kommun');
      const elsewhereUnit = await makeUnit(db, elsewhere, 'hemsjukvard');
      const elsewhereNurse = await makeStaff(db, elsewhereUnit);
      const foreign = await makePatient(db, elsewhereUnit);
      const owner = await login(app, { hsaId: elsewhereNurse });
      await owner.send('POST', `/api/patients/${foreign}/contract`, {
        status: 'active',
        content: sampleContent(elsewhereUnit),
      });
      await owner.send('POST', `/api/patients/${foreign}/care-contacts`, {
        role: 'fast-vardkontakt',
        staffId: elsewhereNurse,
        unitId: elsewhereUnit,
        reason: 'behov',
      });
      const routes = await patientRoutes(app);
      assert.ok(routes.length >= 10, `found ${routes.length} patient routes`);
      const nurse = await login(app, { hsaId: w.nurseId });
      const before = await db.query<{ n: number }>('select count(*)::int as n from contract_version');
      await assertForeignIsMissing(nurse, routes, foreign, w);
      const afterCount = await db.query<{ n: number }>('select count(*)::int as n from contract_version');
      assert.deepEqual(afterCount, before, 'nothing was written');
    });

    it("answers a patient, and a närstående who may only read, on another patient's routes like a missing one", async () => {
      const { w } = await withActiveContract(app, db);
      const identifierOf = async (id: string) =>
        (await db.query<{ identifier: string }>('select identifier from patient where id = $1', [id]))[0]!
          .identifier;
      const routes = await patientRoutes(app);
      const counts = () =>
        db.query<{ v: number; g: number }>(
          'select (select count(*)::int from contract_version) as v, (select count(*)::int from proxy_grant) as g',
        );
      const before = await counts();
      const stranger = await login(app, { personnummer: await identifierOf(await makePatient(db)) });
      await assertForeignIsMissing(stranger, routes, w.patientId, w);
      // A närstående reads the plan, but every write answers as if the patient did not exist.
      const relative = await makePatient(db);
      await db.query(
        `insert into proxy_grant (patient_id, grantee_patient_id, valid_to) values ($1, $2, now() + interval '1 day')`,
        [w.patientId, relative],
      );
      const proxy = await login(app, { personnummer: await identifierOf(relative) });
      assert.equal((await proxy.get(`/api/patients/${w.patientId}/overview`)).statusCode, 200);
      await assertForeignIsMissing(
        proxy,
        routes.filter(([method, path]) => method !== 'GET' || path.endsWith('/proxies')),
        w.patientId,
        w,
      );
      const after = await counts();
      assert.deepEqual(after, [{ ...before[0]!, g: before[0]!.g + 1 }], 'nothing was written');
    });

    it('does not show a foreign patient in a search, by personnummer or by name', async () => {
      const w = await makeWorld(db);
      const foreign = await makePatient(db);
      const row = (
        await db.query<{ identifier: string; family_name: string }>(
          'select identifier, family_name from patient where id = $1',
          [foreign],
        )
      )[0]!;
      const nurse = await login(app, { hsaId: w.nurseId });
      for (const q of [row.identifier, row.family_name]) {
        const res = await nurse.get(`/api/patients?q=${encodeURIComponent(q)}`);
        assert.equal(res.statusCode, 200);
        assert.deepEqual(res.json(), { patients: [] });
      }
    });

    it('writes one complete log entry per access, committed before the response', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      for (const url of [
        `/api/patients/${w.patientId}`,
        `/api/patients/${w.patientId}/overview`,
        `/api/patients/${w.patientId}/contract`,
        `/api/patients/${w.patientId}/care-contacts`,
      ]) {
        const res = await nurse.get(url);
        assert.equal(res.statusCode, 200);
        const entries = await db.query<Record<string, unknown>>(
          'select * from access_log where request_id = $1',
          [res.headers['x-request-id']],
        );
        assert.equal(entries.length, 1, url);
        const e = entries[0]!;
        assert.equal(e.action, 'read');
        assert.equal(e.actor_id, w.nurseId);
        assert.equal(e.unit_id, w.unitId);
        assert.equal(e.provider_id, w.providerId);
        assert.equal(e.patient_id, w.patientId);
        assert.equal(e.outcome, 'allowed');
        assert.equal(e.legal_basis, 'own-unit');
        assert.match(String(e.at), /Z$/);
      }
      const search = await nurse.get(`/api/patients?q=Testa`);
      const logged = await db.query('select patient_id from access_log where request_id = $1', [
        search.headers['x-request-id'],
      ]);
      assert.equal(
        logged.length,
        search.json<{ patients: unknown[] }>().patients.length,
        'a search logs each patient it returns',
      );
    });

    it('logs a denied access too', async () => {
      const w = await makeWorld(db);
      const foreign = await makePatient(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      const res = await nurse.get(`/api/patients/${foreign}/overview`);
      const e = await db.query<{ outcome: string }>('select outcome from access_log where request_id = $1', [
        res.headers['x-request-id'],
      ]);
      assert.deepEqual(e, [{ outcome: 'denied' }]);
    });

    it('sends no data when the log entry cannot be written', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      await db.exec(`create function pk_test_fail() returns trigger language plpgsql as $$ begin raise exception 'log down'; end; $$;
        create trigger pk_test_fail before insert on access_log for each row execute function pk_test_fail();`);
      try {
        const res = await nurse.get(`/api/patients/${w.patientId}/overview`);
        assert.equal(res.statusCode, 500);
        assert.ok(!res.body.includes(w.patientId));
        assert.ok(!res.body.includes('Testa'));
      } finally {
        await db.exec('drop trigger pk_test_fail on access_log; drop function pk_test_fail();');
      }
      assert.equal((await nurse.get(`/api/patients/${w.patientId}/overview`)).statusCode, 200);
    });

    it('refuses updates and deletes of log entries in the database', async () => {
      await assert.rejects(db.query("update access_log set detail = 'x'"), /append-only/);
      await assert.rejects(db.query('delete from access_log'), /append-only/);
    });

    describe('across care providers', () => {
      let world: Awaited<ReturnType<typeof makeWorld>>;
      let kommunNurse: Client;
      let kommunUnit: string;
      let patientClient: Client;
      before(async () => {
        world = await makeWorld(db);
        const kommun = await makeProvider(db, 'kommun');
        kommunUnit = await makeUnit(db, kommun, 'hemsjukvard');
        const kommunNurseId = await makeStaff(db, kommunUnit);
        const nurse = await login(app, { hsaId: world.nurseId });
        // The plan is drawn up at the region's unit and has a home visit by the municipality.
        const content = sampleContent(world.unitId);
        content.activities.push({
          id: 'a2',
          what: 'Hembesök',
          unitId: kommunUnit,
          when: '2026-12-02',
          status: 'planerad',
        });
        await nurse.send('POST', `/api/patients/${world.patientId}/contract`, { status: 'active', content });
        kommunNurse = await login(app, { hsaId: kommunNurseId });
        const identifier = (
          await db.query<{ identifier: string }>('select identifier from patient where id = $1', [
            world.patientId,
          ])
        )[0]!.identifier;
        patientClient = await login(app, { personnummer: identifier });
      });

      it('denies a reader at another provider without consent, allows with it, denies at once after revocation', async () => {
        const url = `/api/patients/${world.patientId}/overview`;
        assert.equal((await kommunNurse.get(url)).statusCode, 404);
        const given = await patientClient.send('POST', `/api/patients/${world.patientId}/consents`, {
          scope: 'unit',
          unitId: kommunUnit,
          method: 'digitalt',
        });
        assert.equal(given.statusCode, 201);
        const ok = await kommunNurse.get(url);
        assert.equal(ok.statusCode, 200);
        const log = await db.query<{ legal_basis: string }>(
          'select legal_basis from access_log where request_id = $1',
          [ok.headers['x-request-id']],
        );
        assert.equal(log[0]?.legal_basis, 'consent');
        const revoked = await patientClient.send(
          'POST',
          `/api/patients/${world.patientId}/consents/${given.json<{ id: string }>().id}/revoke`,
        );
        assert.equal(revoked.statusCode, 204);
        assert.equal((await kommunNurse.get(url)).statusCode, 404);
      });

      it("hides a blocked unit's information and tells only that something is blocked", async () => {
        const consent = await patientClient.send('POST', `/api/patients/${world.patientId}/consents`, {
          scope: 'unit',
          unitId: kommunUnit,
          method: 'digitalt',
        });
        const block = await patientClient.send('POST', `/api/patients/${world.patientId}/blocks`, {
          scope: 'unit',
          unitId: kommunUnit,
        });
        assert.equal(block.statusCode, 201);
        const nurse = await login(app, { hsaId: world.nurseId });
        const seen = (await nurse.get(`/api/patients/${world.patientId}/overview`)).json<{
          hasBlockedInformation: boolean;
          contract: { content: { activities: { unitId: string }[] } };
          units: Record<string, unknown>;
        }>();
        assert.equal(seen.hasBlockedInformation, true);
        assert.ok(seen.contract.content.activities.every((a) => a.unitId !== kommunUnit));
        assert.equal(seen.units[kommunUnit], undefined);
        // The blocked unit itself still sees its own information.
        const own = (await kommunNurse.get(`/api/patients/${world.patientId}/overview`)).json<{
          contract: { content: { activities: { unitId: string }[] } };
        }>();
        assert.ok(own.contract.content.activities.some((a) => a.unitId === kommunUnit));
        await patientClient.send(
          'POST',
          `/api/patients/${world.patientId}/blocks/${block.json<{ id: string }>().id}/lift`,
          {},
        );
        await patientClient.send(
          'POST',
          `/api/patients/${world.patientId}/consents/${consent.json<{ id: string }>().id}/revoke`,
        );
      });

      it('opens emergency access in two steps with a reason, flagged in the log and queued for review', async () => {
        const identifier = (
          await db.query<{ identifier: string }>('select identifier from patient where id = $1', [
            world.patientId,
          ])
        )[0]!.identifier;
        assert.equal((await kommunNurse.get(`/api/patients/${world.patientId}/overview`)).statusCode, 404);
        const intent = await kommunNurse.send('POST', '/api/access/emergency/intent', { identifier });
        assert.equal(intent.statusCode, 200);
        const token = intent.json<{ confirmationToken: string }>().confirmationToken;
        const noReason = await kommunNurse.send('POST', '/api/access/emergency', {
          identifier,
          confirmationToken: token,
          reason: 'kort',
        });
        assert.equal(noReason.statusCode, 400);
        const opened = await kommunNurse.send('POST', '/api/access/emergency', {
          identifier,
          confirmationToken: token,
          reason: 'Medvetslös patient, behöver läkemedelslistan',
        });
        assert.equal(opened.statusCode, 201);
        const res = await kommunNurse.get(`/api/patients/${world.patientId}/overview`);
        assert.equal(res.statusCode, 200);
        const log = await db.query<{ is_emergency: boolean; legal_basis: string }>(
          'select is_emergency, legal_basis from access_log where request_id = $1',
          [res.headers['x-request-id']],
        );
        assert.deepEqual(log, [{ is_emergency: true, legal_basis: 'emergency' }]);
        const queued = await db.query(
          'select 1 from emergency_access where patient_id = $1 and reviewed_at is null',
          [world.patientId],
        );
        assert.equal(queued.length, 1);
      });

      it('shows the patient which units looked at their data, and when', async () => {
        const res = await patientClient.get('/api/me/access-log');
        assert.equal(res.statusCode, 200);
        const entries = res.json<{ entries: { unitName: string; at: string }[] }>().entries;
        assert.ok(entries.length > 0);
        assert.ok(entries.every((e) => e.unitName && e.at));
      });
    });
  });
}
