import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { testEngines } from '../../test/helpers/engines.ts';
import { login, openTestApp, withActiveContract } from '../../test/helpers/api.ts';
import {
  makePatient,
  makeProvider,
  makeStaff,
  makeUnit,
  makeWorld,
  sampleContent,
} from '../../test/helpers/factories.ts';
import type { Db } from '../store/db.ts';
import { createOverviewStore } from '../store/overview-store.ts';

for (const engine of testEngines) {
  describe(`contract API on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it('answers 401 without a session', async () => {
      const w = await makeWorld(db);
      const res = await app.inject({ method: 'GET', url: `/api/patients/${w.patientId}/contract` });
      assert.equal(res.statusCode, 401);
      assert.match(res.json<{ error: { message: string } }>().error.message, /logga in/);
    });

    it('draws up a contract and reads it back with an ETag', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      const created = await nurse.send('POST', `/api/patients/${w.patientId}/contract`, {
        status: 'active',
        content: sampleContent(w.unitId),
      });
      assert.equal(created.statusCode, 201);
      assert.equal(created.headers.etag, 'W/"1"');
      const read = await nurse.get(`/api/patients/${w.patientId}/contract`);
      assert.equal(read.statusCode, 200);
      assert.equal(read.headers.etag, 'W/"1"');
      assert.equal(
        read.json<{ content: { whatMatters: string } }>().content.whatMatters,
        'Att kunna promenera till affären',
      );
    });

    it('answers 412 to a stale If-Match and changes nothing', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      const v2 = await nurse.send(
        'PUT',
        `/api/patients/${w.patientId}/contract`,
        { status: 'active', content: sampleContent(w.unitId, { whatMatters: 'Andra' }) },
        { 'if-match': 'W/"1"' },
      );
      assert.equal(v2.statusCode, 200);
      assert.equal(v2.headers.etag, 'W/"2"');
      const stale = await nurse.send(
        'PUT',
        `/api/patients/${w.patientId}/contract`,
        { status: 'active', content: sampleContent(w.unitId, { whatMatters: 'Tredje' }) },
        { 'if-match': 'W/"1"' },
      );
      assert.equal(stale.statusCode, 412);
      const now = await nurse.get(`/api/patients/${w.patientId}/contract`);
      assert.equal(
        now.json<{ version: number; content: { whatMatters: string } }>().content.whatMatters,
        'Andra',
      );
      assert.equal(now.headers.etag, 'W/"2"');
    });

    it('asks for If-Match (428) before changing a contract', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      await nurse.send('POST', `/api/patients/${w.patientId}/contract`, {
        status: 'draft',
        content: sampleContent(w.unitId),
      });
      const res = await nurse.send('PUT', `/api/patients/${w.patientId}/contract`, {
        status: 'active',
        content: sampleContent(w.unitId),
      });
      assert.equal(res.statusCode, 428);
    });

    it('lists every version with who made it', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      const created = await nurse.send('POST', `/api/patients/${w.patientId}/contract`, {
        status: 'draft',
        content: sampleContent(w.unitId),
      });
      const id = created.json<{ id: string }>().id;
      await nurse.send(
        'PUT',
        `/api/patients/${w.patientId}/contract`,
        { status: 'active', content: sampleContent(w.unitId) },
        { 'if-match': '"1"' },
      );
      const res = await nurse.get(`/api/patients/${w.patientId}/contracts/${id}/versions`);
      const versions = res.json<{
        versions: { version: number; actor: { id: string }; changes: { part: string }[] }[];
      }>().versions;
      assert.deepEqual(
        versions.map((v) => v.version),
        [2, 1],
      );
      assert.equal(versions[0]?.actor.id, w.nurseId);
      assert.deepEqual(versions[0]?.changes, [{ part: 'status', kind: 'changed' }]);
    });

    it('notifies the fast vårdkontakt through the API when another user changes the contract', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      await nurse.send('POST', `/api/patients/${w.patientId}/care-contacts`, {
        role: 'fast-vardkontakt',
        staffId: w.nurseId,
        unitId: w.unitId,
        reason: 'patientens-begaran',
      });
      // The physician's unit takes part through a planned activity.
      await nurse.send('POST', `/api/patients/${w.patientId}/contract`, {
        status: 'active',
        content: sampleContent(w.otherUnitId),
      });
      const doctor = await login(app, { hsaId: w.doctorId });
      const changed = await doctor.send(
        'PUT',
        `/api/patients/${w.patientId}/contract`,
        { status: 'active', content: sampleContent(w.otherUnitId, { whatMatters: 'Att kunna cykla' }) },
        { 'if-match': 'W/"1"' },
      );
      assert.equal(changed.statusCode, 200);
      const list = await nurse.get('/api/notifications');
      const body = list.json<{ unread: number; notifications: { id: string; patientId: string }[] }>();
      assert.equal(body.unread, 1);
      assert.equal(body.notifications[0]?.patientId, w.patientId);
      const read = await nurse.send('POST', `/api/notifications/${body.notifications[0].id}/read`);
      assert.equal(read.statusCode, 204);
      assert.equal((await nurse.get('/api/notifications')).json<{ unread: number }>().unread, 0);
    });

    it('answers a foreign patient exactly like a missing one', async () => {
      const w = await makeWorld(db);
      const stranger = await makePatient(db); // listed nowhere, no relationship to the nurse's unit
      const nurse = await login(app, { hsaId: w.nurseId });
      const foreign = await nurse.get(`/api/patients/${stranger}/overview`);
      const missing = await nurse.get('/api/patients/00000000-0000-4000-8000-000000000000/overview');
      assert.equal(foreign.statusCode, 404);
      assert.equal(missing.statusCode, 404);
      const strip = (b: string) => ({ ...(JSON.parse(b) as { error: object }).error, requestId: undefined });
      assert.deepEqual(strip(foreign.body), strip(missing.body));
    });

    it('shows the whole overview for a patient at the unit', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      const res = await nurse.get(`/api/patients/${w.patientId}/overview`);
      assert.equal(res.statusCode, 200);
      const body = res.json<{
        patient: { id: string };
        contract: { version: number };
        units: Record<string, unknown>;
      }>();
      assert.equal(body.patient.id, w.patientId);
      assert.equal(body.contract.version, 1);
      assert.ok(body.units[w.unitId]);
    });

    it('reads the session with the access facts on the hot routes, and still decides and logs each request', async () => {
      // GET …/overview and PUT …/contract read the session and the access facts in one
      // statement (config.prefetch, api/prefetch-plugin.ts): the same answers, one log entry per request,
      // a logout and a foreign reader count at once.
      const { w, nurse } = await withActiveContract(app, db);
      const entriesOf = async (requestId: unknown) =>
        db.query<{ outcome: string; action: string; patientId: string }>(
          `select outcome, action, patient_id as "patientId" from access_log where request_id = $1`,
          [String(requestId)],
        );
      const read = await nurse.get(`/api/patients/${w.patientId}/overview`);
      assert.equal(read.statusCode, 200);
      assert.equal(read.headers.etag, 'W/"1"');
      assert.match(String(read.headers['content-type']), /^application\/json/);
      const overview = read.json<{
        patient: { id: string };
        contract: { version: number };
        hasBlockedInformation: boolean;
      }>();
      assert.equal(overview.patient.id, w.patientId);
      assert.equal(overview.contract.version, 1);
      assert.equal(overview.hasBlockedInformation, false);
      assert.deepEqual(await entriesOf(read.headers['x-request-id']), [
        { outcome: 'allowed', action: 'read', patientId: w.patientId },
      ]);
      const saved = await nurse.send(
        'PUT',
        `/api/patients/${w.patientId}/contract`,
        { status: 'active', content: sampleContent(w.unitId, { whatMatters: 'Ny' }) },
        { 'if-match': 'W/"1"' },
      );
      assert.equal(saved.statusCode, 200);
      assert.deepEqual(await entriesOf(saved.headers['x-request-id']), [
        { outcome: 'allowed', action: 'write', patientId: w.patientId },
      ]);

      // Refused before the route (CSRF, a bad body): no decision, no entry, and the log's
      // reservation is let go (the next request is logged as usual).
      const forged = await app.inject({
        method: 'PUT',
        url: `/api/patients/${w.patientId}/contract`,
        headers: { cookie: nurse.cookie, 'if-match': 'W/"2"' },
        payload: { status: 'active', content: sampleContent(w.unitId) },
      });
      assert.equal(forged.statusCode, 403);
      assert.deepEqual(await entriesOf(forged.headers['x-request-id']), []);
      const bad = await nurse.send(
        'PUT',
        `/api/patients/${w.patientId}/contract`,
        { status: 'x' },
        {
          'if-match': 'W/"2"',
        },
      );
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(await entriesOf(bad.headers['x-request-id']), []);

      // Another reader without a relationship: denied like a missing patient, and logged.
      const stranger = await login(app, { hsaId: await makeStaff(db, await makeUnit(db, w.providerId)) });
      const denied = await stranger.get(`/api/patients/${w.patientId}/overview`);
      assert.equal(denied.statusCode, 404);
      assert.deepEqual(await entriesOf(denied.headers['x-request-id']), [
        { outcome: 'denied', action: 'read', patientId: w.patientId },
      ]);
      const missing = await nurse.get(`/api/patients/${crypto.randomUUID()}/overview`);
      assert.equal(missing.statusCode, 404);
      assert.equal(
        missing.body.replace(/"requestId":"[^"]+"/, ''),
        denied.body.replace(/"requestId":"[^"]+"/, ''),
      );

      // A logout ends the session on the very next request of either route.
      assert.equal((await nurse.send('POST', '/auth/logout')).statusCode, 204);
      assert.equal((await nurse.get(`/api/patients/${w.patientId}/overview`)).statusCode, 401);
      const after = await nurse.send(
        'PUT',
        `/api/patients/${w.patientId}/contract`,
        { status: 'active', content: sampleContent(w.unitId) },
        { 'if-match': 'W/"2"' },
      );
      assert.equal(after.statusCode, 401);
      assert.deepEqual(await entriesOf(after.headers['x-request-id']), []);
    });

    it('answers the overview, read with the session, as the overview store reads it after the last save', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      const saved = await nurse.send(
        'PUT',
        `/api/patients/${w.patientId}/contract`,
        { status: 'active', content: sampleContent(w.unitId, { whatMatters: 'Sparat nyss' }) },
        { 'if-match': 'W/"1"' },
      );
      assert.equal(saved.statusCode, 200);
      const read = await nurse.get(`/api/patients/${w.patientId}/overview`);
      assert.equal(read.statusCode, 200);
      assert.equal(read.headers.etag, 'W/"2"');
      const stored = await createOverviewStore(db).readJson(w.patientId);
      assert.ok(stored);
      assert.deepEqual(read.json(), { ...JSON.parse(stored.json), hasBlockedInformation: false });
      assert.equal(
        read.json<{ contract: { content: { whatMatters: string } } }>().contract.content.whatMatters,
        'Sparat nyss',
      );
    });

    it('carries over, on a save, the items of a blocked unit the writer cannot see', async () => {
      const w = await makeWorld(db);
      const kommunUnit = await makeUnit(db, await makeProvider(db, 'kommun'), 'hemsjukvard');
      const nurse = await login(app, { hsaId: w.nurseId });
      const content = sampleContent(w.unitId);
      content.activities.push({
        id: 'a2',
        what: 'Hembesök',
        unitId: kommunUnit,
        when: '2026-12-02',
        status: 'planerad',
      });
      await nurse.send('POST', `/api/patients/${w.patientId}/contract`, { status: 'active', content });
      const identifier = (
        await db.query<{ identifier: string }>('select identifier from patient where id = $1', [w.patientId])
      )[0]!.identifier;
      const patient = await login(app, { personnummer: identifier });
      const block = await patient.send('POST', `/api/patients/${w.patientId}/blocks`, {
        scope: 'unit',
        unitId: kommunUnit,
      });
      assert.equal(block.statusCode, 201);
      const seen = await nurse.get(`/api/patients/${w.patientId}/contract`);
      const visible = seen.json<{ content: typeof content }>().content;
      assert.ok(
        visible.activities.every((a) => a.unitId !== kommunUnit),
        'hidden from the writer',
      );
      const saved = await nurse.send(
        'PUT',
        `/api/patients/${w.patientId}/contract`,
        { status: 'active', content: { ...visible, whatMatters: 'Ändrat' } },
        { 'if-match': String(seen.headers.etag) },
      );
      assert.equal(saved.statusCode, 200);
      const [stored] = await db.query<{ content: typeof content }>(
        `select content from contract where patient_id = $1 and status <> 'ended'`,
        [w.patientId],
      );
      assert.equal(stored!.content.whatMatters, 'Ändrat');
      assert.ok(
        stored!.content.activities.some((a) => a.unitId === kommunUnit && a.what === 'Hembesök'),
        "the blocked unit's activity is kept",
      );
    });

    it('documents every route in OpenAPI', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
      const paths = Object.keys(res.json<{ paths: Record<string, unknown> }>().paths);
      for (const p of [
        '/api/patients/{patientId}/contract',
        '/api/patients/{patientId}/care-contacts',
        '/api/notifications',
      ]) {
        assert.ok(paths.includes(p), `${p} is documented`);
      }
    });
  });
}
