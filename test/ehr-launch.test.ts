/**
 * SMART EHR launch at the API level, against a real authorization server (oidc-provider) and a
 * small journal system (test/helpers/smart-ehr.ts), on both engines: the launch that opens the
 * patient, and every way it ends otherwise (an unregistered or switched-off journal system, a
 * forged, replayed or foreign state, an unknown user, a patient who is missing or not visible,
 * a patient without personnummer), each as one page before anything of ours is shown.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { launchRefusals } from '../src/domain/ehr-launch.ts';
import { launchCookieName, UNIT_CHOICE_COOKIE } from '../src/services/ehr-launch-service.ts';
import type { Db } from '../src/store/db.ts';
import { createEhrSystemStore } from '../src/store/ehr-system-store.ts';
import { buildTestApp, login } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makeProvider, makeStaff, makeUnit, sampleContent } from './helpers/factories.ts';
import { authorizeAt, browser, type Browser } from './helpers/oidc-provider.ts';
import {
  HSA_SYSTEM,
  startLaunchApp,
  startTestEhr,
  type LaunchApp,
  type LaunchContext,
  type TestEhr,
} from './helpers/smart-ehr.ts';

/** From data/skatteverket-testpersonnummer.csv. */
const PNR_WITH_PLAN = '199001012385';
const PNR_WITHOUT_PLAN = '199001022384';
const PNR_ELSEWHERE = '199001032383';
const PNR_NOT_OURS = '199001052381';
const PNR_AT_OTHER_UNIT = '199001072397';

const listen = async (server: Server): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

async function makeNamedPatient(db: Db, personnummer: string, listedUnitId: string): Promise<string> {
  const rows = await db.query<{ id: string }>(
    `insert into patient (identifier, identifier_kind, given_name, family_name, listed_unit_id)
     values ($1, 'personnummer', 'Testa', 'Journalsson', $2) returning id`,
    [personnummer, listedUnitId],
  );
  return rows[0]!.id;
}

describe('a launch where SMART launch is not configured', () => {
  it('answers the page "not enabled" before looking anything up', async () => {
    const engine = testEngines[0]!;
    const db = await engine.open();
    const app = await buildTestApp(db);
    try {
      const res = await app.inject({
        method: 'GET',
        url: '/launch?iss=https%3A%2F%2Fehr.example%2Ffhir&launch=x',
      });
      assert.equal(res.statusCode, 404);
      assert.match(res.headers['content-type'] as string, /^text\/html/);
      assert.match(res.body, new RegExp(launchRefusals['not-enabled'].title));
      assert.equal(res.headers.location, undefined);
    } finally {
      await app.close();
      await db.close();
    }
  });
});

describe('the rate limit on launches', () => {
  it('counts /launch and its callback with the logins (RATE_LIMIT_LOGIN_PER_MIN per address)', async () => {
    const db = await testEngines[0]!.open();
    const app = await buildTestApp(db, undefined, { RATE_LIMIT: 'on', RATE_LIMIT_LOGIN_PER_MIN: '3' });
    try {
      const statuses: number[] = [];
      for (const url of [
        '/launch?iss=x&launch=y',
        '/launch/callback?state=s',
        '/launch/resume',
        '/launch?iss=x',
      ]) {
        statuses.push((await app.inject({ method: 'GET', url })).statusCode);
      }
      assert.deepEqual(
        statuses.slice(0, 3).map((s) => s !== 429),
        [true, true, true],
      );
      assert.equal(statuses[3], 429);
    } finally {
      await app.close();
      await db.close();
    }
  });
});

for (const engine of testEngines) {
  describe(`SMART EHR launch on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let launchApp: LaunchApp;
    let appBase: string;
    let ehr: TestEhr;
    let unitId: string;
    let otherUnitId: string;
    let nurseId: string;
    let travellerId: string;
    let withPlan: string;
    let withoutPlan: string;
    let elsewhere: string;
    let atOtherUnit: string;

    before(async () => {
      db = await engine.open();
      launchApp = await startLaunchApp(db, {
        id: 'testjournalen',
        name: 'Testjournalen',
        secretRef: 'TESTJOURNAL',
      });
      ({ app, appBase, ehr } = launchApp);
      const providerId = await makeProvider(db);
      unitId = await makeUnit(db, providerId);
      otherUnitId = await makeUnit(db, providerId);
      const strangerUnit = await makeUnit(db, await makeProvider(db));
      nurseId = await makeStaff(db, unitId);
      travellerId = await makeStaff(db, unitId);
      await db.query('insert into staff_unit (staff_id, unit_id) values ($1, $2)', [
        travellerId,
        otherUnitId,
      ]);
      withPlan = await makeNamedPatient(db, PNR_WITH_PLAN, unitId);
      withoutPlan = await makeNamedPatient(db, PNR_WITHOUT_PLAN, unitId);
      elsewhere = await makeNamedPatient(db, PNR_ELSEWHERE, strangerUnit);
      atOtherUnit = await makeNamedPatient(db, PNR_AT_OTHER_UNIT, otherUnitId);
      const nurse = await login(app, { hsaId: nurseId });
      const created = await nurse.send('POST', `/api/patients/${withPlan}/contract`, {
        status: 'draft',
        content: sampleContent(unitId),
      });
      assert.equal(created.statusCode, 201, created.body);
    });
    after(async () => {
      await launchApp.close();
      await db.close();
    });

    /** Starts a launch at the app as the EHR's link does; the answer (a redirect, or a page). */
    const start = (b: Browser, context: LaunchContext): Promise<Response> =>
      b.request(ehr.appLaunchUrl(ehr.newLaunch(context)));

    /** Launch, sign in at the EHR's authorization server; the callback URL it sends the browser to. */
    const authorize = async (b: Browser, practitioner: string, context: LaunchContext): Promise<URL> => {
      const res = await start(b, context);
      assert.equal(res.status, 302, await res.text());
      const location = res.headers.get('location')!;
      assert.ok(location.startsWith(`${ehr.asIssuer}/auth?`), location);
      return authorizeAt(b, location, practitioner);
    };

    const launch = async (b: Browser, practitioner: string, context: LaunchContext): Promise<Response> =>
      b.request(await authorize(b, practitioner, context));

    const eventsOf = async (requestId: string) =>
      db.query<{ outcome: string; staffId: string | null; patientId: string | null }>(
        `select outcome, staff_id as "staffId", patient_id as "patientId" from ehr_launch_event where request_id = $1`,
        [requestId],
      );

    const refusalOf = async (res: Response): Promise<string> => {
      const body = await res.text();
      assert.equal(res.headers.get('location'), null);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      const code = /Felkod: ([a-z-]+)/.exec(body)?.[1];
      assert.ok(code, body);
      return code;
    };

    it('asks the authorization server for code + PKCE S256 with aud, launch, state, nonce and the SMART scopes', async () => {
      const b = browser();
      const res = await start(b, { patient: ehr.addPatient(PNR_WITH_PLAN) });
      assert.equal(res.status, 302);
      const url = new URL(res.headers.get('location')!);
      const q = url.searchParams;
      assert.equal(q.get('response_type'), 'code');
      assert.equal(q.get('client_id'), ehr.clientId);
      assert.equal(q.get('redirect_uri'), `${appBase}/launch/callback`);
      assert.equal(q.get('code_challenge_method'), 'S256');
      assert.equal(q.get('aud'), ehr.iss);
      assert.ok(q.get('launch'));
      assert.ok(q.get('state') && q.get('nonce') && q.get('code_challenge'));
      assert.deepEqual(q.get('scope')?.split(' '), ['openid', 'fhirUser', 'launch', 'patient/Patient.rs']);
      assert.ok(b.cookie(launchCookieName(q.get('state')!)), 'the launch is bound to the browser');
    });

    it("opens the patient's page for a clinician of the unit, logged in the access log", async () => {
      const b = browser();
      const practitioner = ehr.addPractitioner(nurseId);
      const callback = await authorize(b, practitioner, { patient: ehr.addPatient(PNR_WITH_PLAN) });
      const cookieName = launchCookieName(callback.searchParams.get('state')!);
      assert.ok(b.cookie(cookieName));
      const res = await b.request(callback);
      assert.equal(res.status, 302, await res.text());
      assert.equal(res.headers.get('location'), `/patient/${withPlan}`);
      assert.equal(b.cookie(cookieName), undefined, 'the launch cookie is used up');
      const me = await b.request(`${appBase}/api/me`);
      assert.equal(me.status, 200);
      const body = (await me.json()) as { staffId?: string; unitId?: string };
      assert.equal(body.staffId, nurseId);
      assert.equal(body.unitId, unitId);
      const requestId = res.headers.get('x-request-id')!;
      const log = await db.query<{ outcome: string; detail: string; actorId: string }>(
        `select outcome, detail, actor_id as "actorId" from access_log where request_id = $1 and patient_id = $2`,
        [requestId, withPlan],
      );
      assert.deepEqual(
        log.map((e) => [e.outcome, e.actorId]),
        [['allowed', nurseId]],
      );
      assert.match(log[0]!.detail, /SMART-start från Testjournalen/);
      assert.deepEqual(
        (await eventsOf(requestId)).map((e) => e.outcome),
        ['opened'],
      );
    });

    it('completes two launches under way in one browser (two tabs), each to its own patient', async () => {
      const b = browser();
      const practitioner = ehr.addPractitioner(nurseId);
      const first = await authorize(b, practitioner, { patient: ehr.addPatient(PNR_WITH_PLAN) });
      const second = await authorize(b, practitioner, { patient: ehr.addPatient(PNR_WITHOUT_PLAN) });
      const secondDone = await b.request(second);
      const firstDone = await b.request(first);
      assert.equal(secondDone.headers.get('location'), `/patient/${withoutPlan}/nytt-kontrakt`);
      assert.equal(firstDone.headers.get('location'), `/patient/${withPlan}`);
    });

    it('goes to "draw up a contract" when the patient has none', async () => {
      const b = browser();
      const res = await launch(b, ehr.addPractitioner(nurseId), {
        patient: ehr.addPatient(PNR_WITHOUT_PLAN),
      });
      assert.equal(res.headers.get('location'), `/patient/${withoutPlan}/nytt-kontrakt`);
    });

    it('refuses a journal system that is not in the registry before any redirect', async () => {
      const b = browser();
      const reads = ehr.fhirReads.length;
      const res = await b.request(
        `${appBase}/launch?${new URLSearchParams({ iss: 'https://ehr.example.org/fhir', launch: 'abc' }).toString()}`,
      );
      assert.equal(res.status, 400);
      assert.equal(await refusalOf(res), 'unknown-system');
      assert.equal(b.cookie(UNIT_CHOICE_COOKIE), undefined);
      assert.equal(ehr.fhirReads.length, reads);
      assert.deepEqual(
        (await eventsOf(res.headers.get('x-request-id')!)).map((e) => e.outcome),
        ['unknown-system'],
      );
    });

    it('refuses a launch without iss or launch', async () => {
      const res = await browser().request(`${appBase}/launch?iss=${encodeURIComponent(ehr.iss)}`);
      assert.equal(res.status, 400);
      assert.equal(await refusalOf(res), 'bad-request');
    });

    it('refuses a registered journal system once it is switched off', async () => {
      const systems = createEhrSystemStore(db);
      await systems.setActive('testjournalen', false, { hsaId: 'test' });
      try {
        const res = await start(browser(), { patient: ehr.addPatient(PNR_WITH_PLAN) });
        assert.equal(res.status, 400);
        assert.equal(await refusalOf(res), 'unknown-system');
      } finally {
        await systems.setActive('testjournalen', true, { hsaId: 'test' });
      }
    });

    it('refuses a forged state, whether or not the browser holds a launch cookie', async () => {
      const b = browser();
      const callback = await authorize(b, ehr.addPractitioner(nurseId), {
        patient: ehr.addPatient(PNR_WITH_PLAN),
      });
      const forged = new URL(callback);
      forged.searchParams.set('state', 'forged-state');
      // No launch of this browser has that state.
      const res = await b.request(forged);
      assert.equal(res.status, 400);
      assert.equal(await refusalOf(res), 'lost-launch');
      assert.equal(b.cookie('pk_session'), undefined);
      // The browser's own launch cookie sent under the forged state's name: the launch's state is
      // compared, the forged one refused, and the launch used up.
      const realName = launchCookieName(callback.searchParams.get('state')!);
      b.setCookie(launchCookieName('forged-state'), b.cookie(realName)!);
      const withCookie = await b.request(forged);
      assert.equal(await refusalOf(withCookie), 'lost-launch');
      assert.equal(b.cookie('pk_session'), undefined);
      const again = await b.request(callback);
      assert.equal(await refusalOf(again), 'lost-launch', 'the launch was used up by the forged attempt');
    });

    it('refuses a replayed state and a state from another browser', async () => {
      const b = browser();
      const callback = await authorize(b, ehr.addPractitioner(nurseId), {
        patient: ehr.addPatient(PNR_WITH_PLAN),
      });
      const cookieName = launchCookieName(callback.searchParams.get('state')!);
      const cookie = b.cookie(cookieName)!;
      const first = await b.request(callback);
      assert.equal(first.status, 302);
      // The same callback again, with the launch cookie the browser had: used up.
      const replay = browser();
      replay.setCookie(cookieName, cookie);
      const res = await replay.request(callback);
      assert.equal(res.status, 400);
      assert.equal(await refusalOf(res), 'lost-launch');
      assert.equal(replay.cookie('pk_session'), undefined);
      // Another browser, without the cookie.
      const other = await browser().request(
        await authorize(browser(), ehr.addPractitioner(nurseId), {
          patient: ehr.addPatient(PNR_WITH_PLAN),
        }),
      );
      assert.equal(await refusalOf(other), 'lost-launch');
    });

    it('refuses a user who is not in our directory, and one whose Practitioner has no HSA-id', async () => {
      for (const hsaId of ['SE2321000000-PNOBODY1', null]) {
        const b = browser();
        const res = await launch(b, ehr.addPractitioner(hsaId), { patient: ehr.addPatient(PNR_WITH_PLAN) });
        assert.equal(res.status, 403);
        assert.equal(await refusalOf(res), 'unknown-user');
        assert.equal(b.cookie('pk_session'), undefined, 'no session');
        const events = await eventsOf(res.headers.get('x-request-id')!);
        assert.deepEqual(
          events.map((e) => [e.outcome, e.staffId]),
          [['unknown-user', hsaId]],
        );
      }
    });

    it('shows a patient the user may not see exactly as a patient we do not have', async () => {
      const practitioner = ehr.addPractitioner(nurseId);
      const hidden = await launch(browser(), practitioner, { patient: ehr.addPatient(PNR_ELSEWHERE) });
      const missing = await launch(browser(), practitioner, { patient: ehr.addPatient(PNR_NOT_OURS) });
      assert.equal(hidden.status, 404);
      assert.equal(hidden.status, missing.status);
      const [hiddenBody, missingBody] = [await hidden.text(), await missing.text()];
      assert.equal(hiddenBody, missingBody);
      assert.match(hiddenBody, /Felkod: no-patient/);
      assert.doesNotMatch(hiddenBody, new RegExp(elsewhere));
      // Both refusals are in the access log as refused reads by the user.
      const refused = await db.query<{ outcome: string; patientId: string | null }>(
        `select outcome, patient_id as "patientId" from access_log where request_id = any($1::text[]) order by seq`,
        [[hidden.headers.get('x-request-id'), missing.headers.get('x-request-id')]],
      );
      assert.deepEqual(refused, [
        { outcome: 'denied', patientId: elsewhere },
        { outcome: 'denied', patientId: null },
      ]);
    });

    it('refuses a patient without personnummer or samordningsnummer in the journal', async () => {
      const res = await launch(browser(), ehr.addPractitioner(nurseId), { patient: ehr.addPatient(null) });
      assert.equal(res.status, 404);
      assert.equal(await refusalOf(res), 'no-patient-identifier');
    });

    it('lets a user with several units choose one, then opens the patient from it', async () => {
      const b = browser();
      const res = await launch(b, ehr.addPractitioner(travellerId), {
        patient: ehr.addPatient(PNR_AT_OTHER_UNIT),
      });
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), '/valj-enhet?nasta=%2Flaunch%2Fresume');
      // Nothing of the patient before the unit is chosen.
      assert.equal((await b.request(`${appBase}/api/patients/${withPlan}`)).status, 401);
      const csrf = (await (await b.request(`${appBase}/auth/csrf`)).json()) as { csrfToken: string };
      const chosen = await b.request(`${appBase}/auth/unit`, {
        method: 'POST',
        body: JSON.stringify({ unitId: otherUnitId }),
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf.csrfToken },
      });
      assert.equal(chosen.status, 200, await chosen.text());
      const resumed = await b.request(`${appBase}/launch/resume`);
      assert.equal(resumed.status, 302, await resumed.text());
      assert.equal(resumed.headers.get('location'), `/patient/${atOtherUnit}/nytt-kontrakt`);
      const again = await b.request(`${appBase}/launch/resume`);
      assert.equal(await refusalOf(again), 'lost-launch', 'the waiting launch is used up');
    });

    it('takes the unit from an HSA-id in fhirContext', async () => {
      const b = browser();
      const res = await launch(b, ehr.addPractitioner(travellerId), {
        patient: ehr.addPatient(PNR_AT_OTHER_UNIT),
        fhirContext: [{ type: 'Organization', identifier: { system: HSA_SYSTEM, value: otherUnitId } }],
      });
      assert.equal(res.headers.get('location'), `/patient/${atOtherUnit}/nytt-kontrakt`);
      const me = (await (await b.request(`${appBase}/api/me`)).json()) as { unitId?: string };
      assert.equal(me.unitId, otherUnitId);
    });

    it('refuses a resume without a waiting launch, or from another user', async () => {
      const res = await browser().request(`${appBase}/launch/resume`);
      assert.equal(await refusalOf(res), 'lost-launch');
    });
  });
}

for (const engine of testEngines) {
  describe(`SMART EHR launch when the journal system fails or lies, on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let server: Server;
    let appBase: string;
    const ehrs: TestEhr[] = [];
    let keyJournal: TestEhr;
    let foreignJwks: TestEhr;
    let wrongIssuer: TestEhr;
    let nurseId: string;
    let patientId: string;

    before(async () => {
      db = await engine.open();
      server = createServer();
      appBase = `http://127.0.0.1:${await listen(server)}`;
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      keyJournal = await startTestEhr(appBase, { clientPublicJwk: publicKey.export({ format: 'jwk' }) });
      foreignJwks = await startTestEhr(appBase, { tamper: 'foreign-jwks' });
      wrongIssuer = await startTestEhr(appBase, { tamper: 'wrong-issuer' });
      ehrs.push(keyJournal, foreignJwks, wrongIssuer);
      app = await buildTestApp(db, undefined, {
        SMART_LAUNCH_REDIRECT_URI: `${appBase}/launch/callback`,
        SMART_SECRET_KEYJOURNAL: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        SMART_SECRET_FOREIGN: foreignJwks.clientSecret,
        SMART_SECRET_WRONGISS: wrongIssuer.clientSecret,
      });
      server.on('request', (req, res) => app.routing(req, res));
      const systems = createEhrSystemStore(db);
      const register = (
        id: string,
        ehr: TestEhr,
        auth: 'client_secret_basic' | 'private_key_jwt',
        ref: string,
      ) =>
        systems.upsert(
          {
            id,
            name: id,
            iss: ehr.iss,
            clientId: ehr.clientId,
            clientAuth: auth,
            secretRef: ref,
            keyId: auth === 'private_key_jwt' ? 'pk-1' : null,
          },
          { hsaId: 'test' },
        );
      await register('keyjournal', keyJournal, 'private_key_jwt', 'KEYJOURNAL');
      await register('foreign', foreignJwks, 'client_secret_basic', 'FOREIGN');
      await register('wrongiss', wrongIssuer, 'client_secret_basic', 'WRONGISS');
      // A registered journal system whose servers are down: a port nobody listens on.
      const closed = createServer();
      const closedPort = await listen(closed);
      await new Promise((resolve) => closed.close(resolve));
      await systems.upsert(
        {
          id: 'down',
          name: 'down',
          iss: `http://127.0.0.1:${closedPort}/fhir`,
          clientId: 'pk',
          clientAuth: 'none',
          secretRef: null,
          keyId: null,
        },
        { hsaId: 'test' },
      );
      const unitId = await makeUnit(db, await makeProvider(db));
      nurseId = await makeStaff(db, unitId);
      patientId = await makeNamedPatient(db, PNR_WITH_PLAN, unitId);
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await app.close();
      for (const ehr of ehrs) await ehr.close();
      await db.close();
    });

    const launchAt = async (ehr: TestEhr, account: string | null): Promise<Response> => {
      const b = browser();
      const res = await b.request(
        ehr.appLaunchUrl(ehr.newLaunch({ patient: ehr.addPatient(PNR_WITH_PLAN) })),
      );
      assert.equal(res.status, 302, await res.text());
      return b.request(await authorizeAt(b, res.headers.get('location')!, account));
    };

    const codeOf = async (res: Response): Promise<string> =>
      /Felkod: ([a-z-]+)/.exec(await res.text())?.[1] ?? `no page (${res.status})`;

    /** Why the launch log says it ended (the page says less). */
    const detailOf = async (res: Response): Promise<string> =>
      (
        await db.query<{ detail: string }>('select detail from ehr_launch_event where request_id = $1', [
          res.headers.get('x-request-id'),
        ])
      )[0]?.detail ?? '';

    it('authenticates with private_key_jwt when the registration says so', async () => {
      const res = await launchAt(keyJournal, keyJournal.addPractitioner(nurseId));
      assert.equal(res.status, 302, await res.text());
      assert.equal(res.headers.get('location'), `/patient/${patientId}/nytt-kontrakt`);
    });

    it('refuses an ID token not signed by a key of the JWKS the journal system names', async () => {
      const res = await launchAt(foreignJwks, foreignJwks.addPractitioner(nurseId));
      assert.equal(res.status, 403);
      assert.equal(await codeOf(res), 'rejected');
      assert.match(await detailOf(res), /signature/i);
    });

    it('refuses an ID token from another issuer than the one the journal system names', async () => {
      const res = await launchAt(wrongIssuer, wrongIssuer.addPractitioner(nurseId));
      assert.equal(res.status, 403);
      assert.equal(await codeOf(res), 'rejected');
      assert.match(await detailOf(res), /"iss"|issuer/i);
    });

    it('refuses when the user cancels at the journal system', async () => {
      const res = await launchAt(keyJournal, null);
      assert.equal(res.status, 403);
      assert.equal(await codeOf(res), 'rejected');
      assert.match(await detailOf(res), /access_denied/);
    });

    it('answers "unavailable" when the journal system does not answer, before any redirect', async () => {
      const down = (await createEhrSystemStore(db).findById('down'))!;
      const res = await browser().request(
        `${appBase}/launch?${new URLSearchParams({ iss: down.iss, launch: 'x' }).toString()}`,
      );
      assert.equal(res.status, 502);
      assert.equal(res.headers.get('location'), null);
      assert.equal(await codeOf(res), 'unavailable');
    });
  });
}
