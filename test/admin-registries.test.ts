/**
 * Administration (api/admin-routes.ts) on both engines: the journal systems, the SMART clients
 * and the product roles kept over the JSON API by a systemförvaltare only (every other role and a
 * patient 403 on every route, nothing written; 401 without a session; CSRF like any write); the
 * CLIs' validation with Swedish field errors; every change in the access log and in
 * `admin_change` with who and when; the region's last systemförvaltare kept; a role taken away
 * holds from the holder's very next request.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createEhrSystemService, type EhrSystemRegistration } from '../src/services/ehr-system-service.ts';
import type { Db } from '../src/store/db.ts';
import { createDirectoryStore } from '../src/store/directory-store.ts';
import { createEhrSystemStore } from '../src/store/ehr-system-store.ts';
import { login, openTestApp, type Client } from './helpers/api.ts';
import { apiRoutes, makePersonnummer } from './helpers/access-classes.ts';
import { testEngines } from './helpers/engines.ts';
import { makePatient, makeProvider, makeStaff, makeUnit } from './helpers/factories.ts';

interface ErrorAnswer {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

const journal = {
  name: 'Cosmic',
  iss: 'https://cosmic.example.se/fhir/r4/',
  clientId: 'patientkontrakt',
  clientAuth: 'client_secret_basic',
  secretRef: 'COSMIC',
};

const client = (providerId: string) => ({
  name: 'Journal X',
  providerId,
  scopes: ['system/CarePlan.rs'],
  corsOrigins: ['https://app.example.se'],
  subscriptionEndpoints: [],
});

/** The field paths an error answer names. */
const fieldsOf = (res: LightMyRequestResponse): string[] =>
  (res.json<ErrorAnswer>().error.details ?? []).map((d) => d.path.split('/').filter(Boolean).pop() ?? '');

const setRole = (db: Db, staffId: string, role: string) =>
  db.query('update staff_unit set role = $2 where staff_id = $1', [staffId, role]);

for (const engine of testEngines) {
  describe(`administration on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));
    let providerId: string;
    let unitId: string;
    let adminId: string;
    let admin: Client;

    const changeCount = async (): Promise<number> =>
      (await db.query<{ n: number }>('select count(*)::int as n from admin_change'))[0]!.n;
    const adminLog = (requestId?: string) =>
      db.query<{ actor_id: string; detail: string; request_id: string; patient_id: string | null }>(
        `select actor_id, detail, request_id, patient_id from access_log
          where action = 'administration' and ($1::text is null or request_id = $1) order by seq`,
        [requestId ?? null],
      );

    before(async () => {
      providerId = await makeProvider(db);
      unitId = await makeUnit(db, providerId);
      adminId = await makeStaff(db, unitId, 'administrator');
      await setRole(db, adminId, 'systemforvaltare');
      admin = await login(app, { hsaId: adminId });
    });

    it('refuses the region’s only systemförvaltare taking their own role away (409), and changes nothing', async () => {
      const before = await changeCount();
      const res = await admin.send('POST', '/api/admin/product-roles/remove', {
        staffId: adminId,
        unitId,
        role: 'systemforvaltare',
      });
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(res.json<ErrorAnswer>().error.code, 'last_system_admin');
      assert.match(res.json<ErrorAnswer>().error.message, /sista systemförvaltare/);
      assert.equal(await changeCount(), before);
      assert.equal((await admin.get('/api/admin/product-roles')).statusCode, 200);
    });

    it('answers 403 on every admin route to every other role and to a patient, and 401 without a session; nothing is written', async () => {
      const routes = (await apiRoutes(app)).filter(([, path]) => path.startsWith('/api/admin/'));
      assert.ok(routes.length >= 11, `the admin routes are found: ${routes.length}`);
      const others: Client[] = [];
      for (const role of ['medarbetare', 'verksamhetschef', 'loggansvarig', 'uppfoljning', 'administrativ']) {
        const id = await makeStaff(db, unitId);
        await setRole(db, id, role);
        others.push(await login(app, { hsaId: id }));
      }
      const personnummer = makePersonnummer().replace('-', '');
      const patientId = await makePatient(db, unitId);
      await db.query("update patient set identifier = $1, identifier_kind = 'personnummer' where id = $2", [
        personnummer,
        patientId,
      ]);
      others.push(await login(app, { personnummer }));
      const before = await changeCount();
      const failures: string[] = [];
      for (const [method, path] of routes) {
        const url = path.replace('{id}', 'cosmic').replace('{clientId}', 'journal-x');
        const body =
          method === 'GET'
            ? undefined
            : path.includes('ehr-systems/{id}') && method === 'PUT'
              ? journal
              : path.includes('smart-clients/{clientId}') && method === 'PUT'
                ? client(providerId)
                : path.includes('product-roles')
                  ? { staffId: adminId, unitId, role: 'systemforvaltare' }
                  : undefined;
        for (const other of others) {
          const res = method === 'GET' ? await other.get(url) : await other.send(method as 'POST', url, body);
          if (res.statusCode !== 403) failures.push(`${method} ${path}: ${res.statusCode}`);
        }
        // Nonsense in the body changes nothing: the role is decided first.
        if (method !== 'GET') {
          const res = await others[0]!.send(method as 'POST', url, { nonsense: true });
          if (res.statusCode !== 403) failures.push(`${method} ${path} with a bad body: ${res.statusCode}`);
        }
        const anonymous = await app.inject({ method: method as 'GET', url });
        if (anonymous.statusCode !== 401)
          failures.push(`${method} ${path} anonymous: ${anonymous.statusCode}`);
      }
      assert.deepEqual(failures, []);
      assert.equal(await changeCount(), before);
      assert.deepEqual(await adminLog(), []);
    });

    it('refuses a write without the CSRF token', async () => {
      const res = await app.inject({
        method: 'PUT',
        url: '/api/admin/ehr-systems/cosmic',
        headers: { cookie: admin.cookie },
        payload: journal,
      });
      assert.equal(res.statusCode, 403);
      assert.equal(
        (await admin.get('/api/admin/ehr-systems')).json<{ systems: unknown[] }>().systems.length,
        0,
      );
    });

    it('registers, changes, switches off and on a journal system, each change logged with who, when and the request', async () => {
      const added = await admin.send('PUT', '/api/admin/ehr-systems/cosmic', journal);
      assert.equal(added.statusCode, 201, added.body);
      assert.equal(added.json<{ system: { iss: string } }>().system.iss, 'https://cosmic.example.se/fhir/r4');
      const off = await admin.send('POST', '/api/admin/ehr-systems/cosmic/disable');
      assert.equal(off.statusCode, 204);
      // A change keeps a switched-off journal system off.
      const changed = await admin.send('PUT', '/api/admin/ehr-systems/cosmic', {
        ...journal,
        name: 'Cosmic R8',
      });
      assert.equal(changed.statusCode, 200, changed.body);
      const list = (await admin.get('/api/admin/ehr-systems')).json<{
        systems: { id: string; name: string; active: boolean }[];
      }>().systems;
      assert.deepEqual(
        list.map((s) => [s.id, s.name, s.active]),
        [['cosmic', 'Cosmic R8', false]],
      );
      assert.equal((await admin.send('POST', '/api/admin/ehr-systems/cosmic/enable')).statusCode, 204);
      const rows = await db.query<{ change: string; by_id: string; request_id: string | null; at: string }>(
        `select change, by_id, request_id, at from admin_change where registry = 'ehr-system' order by id`,
      );
      assert.deepEqual(
        rows.map((r) => r.change),
        ['registered', 'disabled', 'changed', 'enabled'],
      );
      assert.ok(rows.every((r) => r.by_id === adminId && r.request_id !== null && r.at));
      const logged = await adminLog(rows[0]!.request_id!);
      assert.equal(logged.length, 1);
      assert.equal(logged[0]!.actor_id, adminId);
      assert.equal(logged[0]!.patient_id, null);
      assert.match(logged[0]!.detail, /journalsystem cosmic/);
      assert.equal((await adminLog()).length, 4);
      const changes = (await admin.get('/api/admin/changes')).json<{
        changes: { registry: string; change: string; byId: string; byName: string }[];
      }>().changes;
      assert.equal(changes[0]!.change, 'enabled');
      assert.equal(changes[0]!.byId, adminId);
      assert.ok(changes[0]!.byName);
    });

    it('records a change made through the CLI’s service too, by the --by HSA-id and without a request', async () => {
      const cli = createEhrSystemService({
        systems: createEhrSystemStore(db),
        directory: createDirectoryStore(db),
      });
      await cli.register(
        { ...journal, id: 'from-cli', iss: 'https://cli.example.se/fhir' } as EhrSystemRegistration,
        adminId,
      );
      const rows = await db.query<{ change: string; by_id: string; request_id: string | null }>(
        `select change, by_id, request_id from admin_change where subject = 'from-cli'`,
      );
      assert.deepEqual(rows, [{ change: 'registered', by_id: adminId, request_id: null }]);
      // The CLI writes no access-log entry: it is no request of a logged-in user.
      assert.equal((await adminLog()).filter((e) => e.detail.includes('from-cli')).length, 0);
    });

    it('refuses a bad journal system with the CLI’s Swedish field errors, and writes nothing', async () => {
      const before = await changeCount();
      const cases: [string, Record<string, unknown>, string, number][] = [
        ['plain', { ...journal, iss: 'http://ehr.example.se/fhir' }, 'iss', 400],
        ['twice', journal, 'iss', 400],
        [
          'nosecret',
          { ...journal, iss: 'https://b.example.se/fhir', secretRef: undefined },
          'secretRef',
          400,
        ],
        ['Bad-Id', { ...journal, iss: 'https://d.example.se/fhir' }, 'id', 400],
        ['nameless', { ...journal, iss: 'https://e.example.se/fhir', name: ' ' }, 'name', 400],
        ['extra', { ...journal, iss: 'https://f.example.se/fhir', admin: true }, 'admin', 400],
        ['auth', { ...journal, iss: 'https://g.example.se/fhir', clientAuth: 'mtls' }, 'clientAuth', 400],
      ];
      for (const [id, body, field, status] of cases) {
        const res = await admin.send('PUT', `/api/admin/ehr-systems/${id}`, body);
        assert.equal(res.statusCode, status, `${id}: ${res.body}`);
        assert.ok(fieldsOf(res).includes(field), `${id}: ${res.body}`);
        assert.doesNotMatch(res.json<ErrorAnswer>().error.message, /must|should|Error/);
      }
      const missing = await admin.send('POST', '/api/admin/ehr-systems/nosuch/disable');
      assert.equal(missing.statusCode, 404);
      assert.match(missing.json<ErrorAnswer>().error.message, /Det finns inget journalsystem/);
      assert.equal(await changeCount(), before);
    });

    it('registers a SMART client for one care provider, refuses bad ones with field errors, and deactivates it', async () => {
      const bad: [Record<string, unknown>, string][] = [
        [{ ...client(providerId), scopes: ['system/*.everything'] }, 'scopes'],
        [{ ...client(providerId), corsOrigins: ['http://app.example.se'] }, 'corsOrigins'],
        [{ ...client(providerId), corsOrigins: ['https://app.example.se/path'] }, 'corsOrigins'],
        [
          { ...client(providerId), subscriptionEndpoints: ['http://hook.example.se'] },
          'subscriptionEndpoints',
        ],
        [{ ...client('SE2321000000-GNOSUCH') }, 'providerId'],
        [{ ...client(providerId), providerId: undefined }, 'providerId'],
        [{ ...client(providerId), providerIds: [providerId] }, 'providerIds'],
      ];
      const before = await changeCount();
      for (const [body, field] of bad) {
        const res = await admin.send('PUT', '/api/admin/smart-clients/journal-x', body);
        assert.equal(res.statusCode, 400, res.body);
        // A missing field is named in the message of its object (the schema's `required`).
        assert.ok(fieldsOf(res).includes(field) || res.body.includes(`Fältet ${field} saknas`), res.body);
      }
      assert.equal(await changeCount(), before);
      const added = await admin.send('PUT', '/api/admin/smart-clients/journal-x', client(providerId));
      assert.equal(added.statusCode, 201, added.body);
      assert.deepEqual(
        added.json<{ client: { providerId: string; isActive: boolean } }>().client.providerId,
        providerId,
      );
      const again = await admin.send('PUT', '/api/admin/smart-clients/journal-x', {
        ...client(providerId),
        scopes: ['system/CarePlan.rs', 'system/Patient.rs'],
      });
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(
        (await admin.send('POST', '/api/admin/smart-clients/journal-x/deactivate')).statusCode,
        204,
      );
      assert.equal((await admin.send('POST', '/api/admin/smart-clients/nosuch/deactivate')).statusCode, 404);
      const list = (await admin.get('/api/admin/smart-clients')).json<{
        clients: { clientId: string; scopes: string[]; isActive: boolean }[];
      }>().clients;
      assert.deepEqual(list, [
        {
          clientId: 'journal-x',
          name: 'Journal X',
          providerId,
          scopes: ['system/CarePlan.rs', 'system/Patient.rs'],
          corsOrigins: ['https://app.example.se'],
          subscriptionEndpoints: [],
          isActive: false,
        },
      ]);
      const rows = await db.query<{ change: string; by_id: string }>(
        `select change, by_id from admin_change where registry = 'smart-client' order by id`,
      );
      assert.deepEqual(
        rows.map((r) => [r.change, r.by_id]),
        [
          ['registered', adminId],
          ['changed', adminId],
          ['deactivated', adminId],
        ],
      );
      assert.equal((await adminLog()).filter((e) => e.detail.startsWith('SMART-klient journal-x')).length, 3);
    });

    it('gives a product role, lists its holder, and refuses a second role, an unknown person or unit, and a role twice', async () => {
      const nurseId = await makeStaff(db, unitId);
      const give = (body: Record<string, unknown>) => admin.send('POST', '/api/admin/product-roles', body);
      const given = await give({ staffId: nurseId, unitId, role: 'loggansvarig' });
      assert.equal(given.statusCode, 201, given.body);
      assert.deepEqual(given.json(), { roleAfter: 'loggansvarig' });
      const holders = (await admin.get('/api/admin/product-roles')).json<{
        holders: {
          staffId: string;
          unitId: string;
          role: string;
          givenBy: string | null;
          givenAt: string | null;
        }[];
      }>().holders;
      const held = holders.find((h) => h.staffId === nurseId);
      assert.equal(held?.role, 'loggansvarig');
      assert.equal(held?.givenBy, adminId);
      assert.ok(held?.givenAt);
      assert.ok(holders.some((h) => h.staffId === adminId && h.role === 'systemforvaltare'));

      const twice = await give({ staffId: nurseId, unitId, role: 'loggansvarig' });
      assert.equal(twice.statusCode, 409);
      assert.match(twice.json<ErrorAnswer>().error.message, /har redan rollen loggansvarig/);
      const second = await give({ staffId: nurseId, unitId, role: 'systemforvaltare' });
      assert.equal(second.statusCode, 409);
      assert.match(second.json<ErrorAnswer>().error.message, /ta bort den först/);
      const nobody = await give({ staffId: 'SE2321000000-PNOSUCH', unitId, role: 'loggansvarig' });
      assert.equal(nobody.statusCode, 422);
      assert.deepEqual(fieldsOf(nobody), ['staffId']);
      const nowhere = await give({ staffId: nurseId, unitId: 'SE2321000000-ENOSUCH', role: 'loggansvarig' });
      assert.equal(nowhere.statusCode, 422);
      assert.deepEqual(fieldsOf(nowhere), ['unitId']);
      const badRole = await give({ staffId: nurseId, unitId, role: 'medarbetare' });
      assert.equal(badRole.statusCode, 400);
      assert.deepEqual(fieldsOf(badRole), ['role']);
      const notHeld = await admin.send('POST', '/api/admin/product-roles/remove', {
        staffId: nurseId,
        unitId,
        role: 'uppfoljning',
      });
      assert.equal(notHeld.statusCode, 409);
      assert.match(notHeld.json<ErrorAnswer>().error.message, /har inte rollen uppföljning/);
    });

    it('takes a role away from the holder’s very next request, leaving what their assignments give', async () => {
      const reviewerId = await makeStaff(db, unitId, 'administrator');
      const given = await admin.send('POST', '/api/admin/product-roles', {
        staffId: reviewerId,
        unitId,
        role: 'loggansvarig',
      });
      assert.equal(given.statusCode, 201, given.body);
      const reviewer = await login(app, { hsaId: reviewerId });
      assert.equal((await reviewer.get('/api/audit/entries')).statusCode, 200);
      const taken = await admin.send('POST', '/api/admin/product-roles/remove', {
        staffId: reviewerId,
        unitId,
        role: 'loggansvarig',
      });
      assert.equal(taken.statusCode, 200, taken.body);
      // No assignment for vård och behandling behind the place: a role that opens no patient.
      assert.deepEqual(taken.json(), { roleAfter: 'administrativ' });
      // The same session, the next request.
      assert.equal((await reviewer.get('/api/audit/entries')).statusCode, 403);
      const me = (await reviewer.get('/api/me')).json<{ units?: { role: string }[] }>();
      assert.ok(JSON.stringify(me).includes('administrativ'), JSON.stringify(me));
      const rows = await db.query<{ change: string; role: string; role_after: string; by_id: string }>(
        `select change, role, role_after, by_id from admin_change where registry = 'product-role' and subject = $1 order by id`,
        [reviewerId],
      );
      assert.deepEqual(
        rows.map((r) => [r.change, r.role, r.role_after, r.by_id]),
        [
          ['given', 'loggansvarig', 'loggansvarig', adminId],
          ['taken', 'loggansvarig', 'administrativ', adminId],
        ],
      );
      const logged = await adminLog();
      assert.ok(
        logged.some((e) => e.detail === `produktroll loggansvarig tas bort: ${reviewerId} på ${unitId}`),
      );
    });

    it('keeps care access for a manager whose assignment is for vård och behandling', async () => {
      const chiefId = await makeStaff(db, unitId, 'lakare');
      await setRole(db, chiefId, 'verksamhetschef');
      const run = await db.query<{ id: string }>(
        `insert into directory_sync_run (source, format, provider_ids, actor_id, counts)
         values ('test', 'csv', array[$1], 'test', '{}') returning id`,
        [providerId],
      );
      await db.query(
        `insert into staff_assignment (staff_id, unit_id, purpose, role, started_by_run)
         values ($1, $2, 'vard-och-behandling', 'verksamhetschef', $3)`,
        [chiefId, unitId, run[0]!.id],
      );
      const taken = await admin.send('POST', '/api/admin/product-roles/remove', {
        staffId: chiefId,
        unitId,
        role: 'verksamhetschef',
      });
      assert.equal(taken.statusCode, 200, taken.body);
      assert.deepEqual(taken.json(), { roleAfter: 'medarbetare' });
    });

    it('passes the systemförvaltare role on: given to another, then taken from the first, who is refused at once', async () => {
      const successorId = await makeStaff(db, unitId, 'administrator');
      const given = await admin.send('POST', '/api/admin/product-roles', {
        staffId: successorId,
        unitId,
        role: 'systemforvaltare',
      });
      assert.equal(given.statusCode, 201, given.body);
      const successor = await login(app, { hsaId: successorId });
      const taken = await successor.send('POST', '/api/admin/product-roles/remove', {
        staffId: adminId,
        unitId,
        role: 'systemforvaltare',
      });
      assert.equal(taken.statusCode, 200, taken.body);
      assert.equal((await admin.get('/api/admin/ehr-systems')).statusCode, 403);
      // And now the successor is the last one.
      const last = await successor.send('POST', '/api/admin/product-roles/remove', {
        staffId: successorId,
        unitId,
        role: 'systemforvaltare',
      });
      assert.equal(last.statusCode, 409);
      // Give it back, so that the suite's administrator is one again.
      assert.equal(
        (
          await successor.send('POST', '/api/admin/product-roles', {
            staffId: adminId,
            unitId,
            role: 'systemforvaltare',
          })
        ).statusCode,
        201,
      );
      assert.equal((await admin.get('/api/admin/ehr-systems')).statusCode, 200);
    });

    it('lets only one of two systemförvaltare take the role from the other at the same moment', async () => {
      const otherId = await makeStaff(db, unitId, 'administrator');
      await admin.send('POST', '/api/admin/product-roles', {
        staffId: otherId,
        unitId,
        role: 'systemforvaltare',
      });
      // Leave exactly two: the suite's administrator and the other.
      await db.query(
        `update staff_unit set role = 'administrativ'
          where role = 'systemforvaltare' and staff_id <> all($1::text[])`,
        [[adminId, otherId]],
      );
      const other = await login(app, { hsaId: otherId });
      const [a, b] = await Promise.all([
        admin.send('POST', '/api/admin/product-roles/remove', {
          staffId: otherId,
          unitId,
          role: 'systemforvaltare',
        }),
        other.send('POST', '/api/admin/product-roles/remove', {
          staffId: adminId,
          unitId,
          role: 'systemforvaltare',
        }),
      ]);
      const statuses = [a.statusCode, b.statusCode].sort();
      assert.ok(
        JSON.stringify(statuses) === '[200,403]' || JSON.stringify(statuses) === '[200,409]',
        `${a.statusCode} ${a.body} / ${b.statusCode} ${b.body}`,
      );
      const left = await db.query<{ n: number }>(
        `select count(*)::int as n from staff_unit where role = 'systemforvaltare' and ended_at is null`,
      );
      assert.equal(left[0]!.n, 1);
    });
  });
}
