/**
 * Login through OpenID Connect against a real provider (oidc-provider, started here on a random
 * port). The app listens on a random port too, so the provider redirects the browser to the
 * app's exact, registered redirect URI; the browser is plain fetch without automatic redirects.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { readConfig } from '../config.ts';
import type { Db } from '../store/db.ts';
import { buildTestApp } from '../../test/helpers/api.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makePatient, makeProvider, makeStaff, makeUnit } from '../../test/helpers/factories.ts';
import {
  authorizeAt,
  browser,
  PATIENT_CLAIM,
  STAFF_CLAIM,
  startTestIdp,
  type Browser,
  type TestClient,
  type TestIdp,
} from '../../test/helpers/oidc-provider.ts';
import { devLoginAllowed } from './oidc-routes.ts';

/** From data/skatteverket-testpersonnummer.csv. */
const PATIENT_PNR = '199001012385';
const PATIENT_WITHOUT_PLAN_PNR = '199001022384';

interface ErrorBody {
  error: { code: string; message: string };
}

const listen = async (server: Server): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

describe('which logins are allowed', () => {
  it('allows the development login only outside production and without an OIDC issuer', () => {
    assert.equal(devLoginAllowed(readConfig({ NODE_ENV: 'test' })), true);
    assert.equal(devLoginAllowed(readConfig({ NODE_ENV: 'production' })), false);
    const withIssuer = {
      NODE_ENV: 'test',
      OIDC_PATIENT_ISSUER: 'https://idp.example.se',
      OIDC_PATIENT_CLIENT_ID: 'pk',
      OIDC_PATIENT_REDIRECT_URI: 'https://pk.example.se/auth/patient/callback',
    };
    assert.equal(devLoginAllowed(readConfig(withIssuer)), false);
    assert.throws(() => readConfig({ ...withIssuer, OIDC_PATIENT_REDIRECT_URI: '' }), /REDIRECT_URI/);
  });
});

for (const engine of testEngines) {
  describe(`OpenID Connect login on ${engine.name}`, () => {
    let db: Db;
    let idp: TestIdp;
    let app: FastifyInstance;
    let server: Server;
    let appBase: string;
    let staffClient: TestClient;
    let patientClient: TestClient;
    let unitId: string;
    let otherUnitId: string;

    before(async () => {
      db = await engine.open();
      server = createServer();
      appBase = `http://127.0.0.1:${await listen(server)}`;
      idp = await startTestIdp([`${appBase}/auth/staff/callback`, `${appBase}/auth/patient/callback`]);
      [staffClient, patientClient] = idp.clients as [TestClient, TestClient];
      app = await buildTestApp(db, undefined, {
        OIDC_STAFF_ISSUER: idp.issuer,
        OIDC_STAFF_CLIENT_ID: staffClient.clientId,
        OIDC_STAFF_CLIENT_SECRET: staffClient.clientSecret,
        OIDC_STAFF_REDIRECT_URI: staffClient.redirectUri,
        OIDC_STAFF_HSA_CLAIM: STAFF_CLAIM,
        OIDC_PATIENT_ISSUER: idp.issuer,
        OIDC_PATIENT_CLIENT_ID: patientClient.clientId,
        OIDC_PATIENT_CLIENT_SECRET: patientClient.clientSecret,
        OIDC_PATIENT_REDIRECT_URI: patientClient.redirectUri,
        OIDC_PATIENT_PNR_CLAIM: PATIENT_CLAIM,
      });
      server.on('request', (req, res) => app.routing(req, res));
      const providerId = await makeProvider(db);
      unitId = await makeUnit(db, providerId);
      otherUnitId = await makeUnit(db, providerId);
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await app.close();
      await idp.close();
      await db.close();
    });

    const sessionCount = async (): Promise<number> =>
      (await db.query<{ n: number }>('select count(*)::int as n from session'))[0]!.n;

    /** Starts a login at the app and signs in at the provider; returns the callback URL. */
    const signIn = async (b: Browser, kind: 'staff' | 'patient', accountId: string | null): Promise<URL> => {
      const start = await b.request(`${appBase}/auth/${kind}/login`);
      assert.equal(start.status, 302);
      return authorizeAt(b, start.headers.get('location')!, accountId);
    };

    /** A whole login; returns the callback's answer. */
    const logIn = async (b: Browser, kind: 'staff' | 'patient', accountId: string): Promise<Response> =>
      b.request(await signIn(b, kind, accountId));

    const me = (b: Browser) => b.request(`${appBase}/api/me`);

    it('tells the login page which methods exist and refuses the development login', async () => {
      const config = await app.inject({ method: 'GET', url: '/auth/config' });
      assert.deepEqual(config.json(), { devLogin: false, staffOidc: true, patientOidc: true });
      const users = await app.inject({ method: 'GET', url: '/auth/dev/users' });
      assert.equal(users.statusCode, 403);
      assert.equal(users.json<ErrorBody>().error.code, 'dev_login_disabled');
      const devLogin = await app.inject({
        method: 'POST',
        url: '/auth/dev/login',
        payload: { hsaId: 'SE1-P1' },
      });
      assert.equal(devLogin.statusCode, 403);
      assert.equal(devLogin.json<ErrorBody>().error.code, 'dev_login_disabled');
    });

    it('sends the browser to the provider with PKCE S256, state, nonce and the configured redirect URI', async () => {
      // Forged Host and forwarding headers change nothing: the redirect URI comes from the configuration.
      const res = await app.inject({
        method: 'GET',
        url: '/auth/staff/login',
        headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
      });
      assert.equal(res.statusCode, 302);
      const url = new URL(res.headers.location!);
      assert.equal(url.origin, idp.issuer);
      assert.equal(url.searchParams.get('redirect_uri'), staffClient.redirectUri);
      assert.equal(url.searchParams.get('client_id'), staffClient.clientId);
      assert.equal(url.searchParams.get('response_type'), 'code');
      assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
      assert.match(url.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
      assert.ok((url.searchParams.get('state') ?? '').length >= 32);
      assert.ok((url.searchParams.get('nonce') ?? '').length >= 32);
      assert.ok(!res.headers.location!.includes(staffClient.clientSecret));
      const cookie = String(res.headers['set-cookie']);
      assert.match(cookie, /^pk_oidc_staff=[A-Za-z0-9_-]{43};/);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
    });

    it('logs a member of staff with one unit in; /api/me shows the HSA-id and the unit', async () => {
      const hsaId = await makeStaff(db, unitId);
      idp.setAccount('anna', { [STAFF_CLAIM]: hsaId });
      const b = browser();
      const callback = await signIn(b, 'staff', 'anna');
      assert.equal(`${callback.origin}${callback.pathname}`, staffClient.redirectUri);
      const res = await b.request(callback);
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), '/');
      const cookies = res.headers.getSetCookie().join('\n');
      assert.match(cookies, /pk_session=[^;]+;.*HttpOnly/);
      assert.match(cookies, /pk_session=[^;]+;.*SameSite=Strict/);
      assert.equal(b.cookie('pk_oidc_staff'), undefined);
      const who = await me(b);
      assert.equal(who.status, 200);
      const actor = (await who.json()) as { kind: string; staffId: string; unitId: string };
      assert.deepEqual([actor.kind, actor.staffId, actor.unitId], ['staff', hsaId, unitId]);

      // The code and the login transaction are used up: the same callback again is refused.
      const sessions = await sessionCount();
      const replay = await browser().request(callback);
      assert.equal(replay.status, 400);
      const again = await b.request(callback);
      assert.equal(again.status, 400);
      assert.equal(await sessionCount(), sessions);
    });

    it('makes a member of staff with two units choose one before any patient data is reachable', async () => {
      const hsaId = await makeStaff(db, unitId);
      await db.query('insert into staff_unit (staff_id, unit_id) values ($1, $2)', [hsaId, otherUnitId]);
      const foreignUnit = await makeUnit(db, await makeProvider(db));
      const patientId = await makePatient(db, unitId);
      idp.setAccount('bertil', { [STAFF_CLAIM]: hsaId });
      const b = browser();
      const res = await logIn(b, 'staff', 'bertil');
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), '/valj-enhet');
      const before = b.cookie('pk_session');
      assert.ok(before);

      assert.equal((await me(b)).status, 401);
      assert.equal((await b.request(`${appBase}/api/patients/${patientId}`)).status, 401);
      assert.equal((await b.request(`${appBase}/api/patients/${patientId}/overview`)).status, 401);

      const units = await b.request(`${appBase}/auth/units`);
      assert.equal(units.status, 200);
      const list = (await units.json()) as { units: { unitId: string }[]; currentUnitId: string | null };
      assert.deepEqual(list.units.map((u) => u.unitId).sort(), [unitId, otherUnitId].sort());
      assert.equal(list.currentUnitId, null);

      const choose = (id: string) =>
        b.request(`${appBase}/auth/unit`, {
          method: 'POST',
          body: JSON.stringify({ unitId: id }),
          headers: { 'content-type': 'application/json' },
        });
      const wrong = await choose(foreignUnit);
      assert.equal(wrong.status, 403);
      assert.match(((await wrong.json()) as ErrorBody).error.message, /enheten/);
      assert.equal((await me(b)).status, 401);

      const chosen = await choose(unitId);
      assert.equal(chosen.status, 200);
      const { csrfToken } = (await chosen.json()) as { unitId: string; csrfToken?: string };
      const after = b.cookie('pk_session');
      assert.ok(after && after !== before, 'the session token is rotated');
      const actor = (await (await me(b)).json()) as { staffId: string; unitId: string };
      assert.deepEqual([actor.staffId, actor.unitId], [hsaId, unitId]);
      assert.equal((await b.request(`${appBase}/api/patients/${patientId}`)).status, 200);

      // Switching later is a write with a session: it needs the session's CSRF token.
      assert.equal((await choose(otherUnitId)).status, 403);
      const switched = await b.request(`${appBase}/auth/unit`, {
        method: 'POST',
        body: JSON.stringify({ unitId: otherUnitId }),
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken ?? '' },
      });
      assert.equal(switched.status, 200);
      assert.equal(((await (await me(b)).json()) as { unitId: string }).unitId, otherUnitId);

      const stale = browser();
      stale.setCookie('pk_session', before);
      assert.equal((await me(stale)).status, 401);
      assert.equal((await stale.request(`${appBase}/auth/units`)).status, 401);
    });

    it('refuses a member of staff whose HSA-id is not a user here', async () => {
      idp.setAccount('okand', { [STAFF_CLAIM]: 'SE2321000000-PNOBODY' });
      const b = browser();
      const sessions = await sessionCount();
      const res = await logIn(b, 'staff', 'okand');
      assert.equal(res.status, 403);
      assert.match(((await res.json()) as ErrorBody).error.message, /finns inte som användare/);
      assert.equal(b.cookie('pk_session'), undefined);
      assert.equal(await sessionCount(), sessions);
    });

    it('logs a patient in by personnummer and sends them to their plan', async () => {
      const rows = await db.query<{ id: string }>(
        `insert into patient (identifier, identifier_kind, given_name, family_name)
         values ($1, 'personnummer', 'Tolvan', 'Tolvansson') returning id`,
        [PATIENT_PNR],
      );
      idp.setAccount('tolvan', { [PATIENT_CLAIM]: PATIENT_PNR });
      const b = browser();
      const res = await logIn(b, 'patient', 'tolvan');
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), '/min-plan');
      const actor = (await (await me(b)).json()) as { kind: string; patientId: string };
      assert.deepEqual([actor.kind, actor.patientId], ['patient', rows[0]!.id]);
    });

    it('tells a person without a plan so, and creates no session', async () => {
      idp.setAccount('utan-plan', { [PATIENT_CLAIM]: PATIENT_WITHOUT_PLAN_PNR });
      const b = browser();
      const sessions = await sessionCount();
      const res = await logIn(b, 'patient', 'utan-plan');
      assert.equal(res.status, 403);
      assert.match(((await res.json()) as ErrorBody).error.message, /Vi hittar ingen plan för dig/);
      assert.equal(b.cookie('pk_session'), undefined);
      assert.equal(await sessionCount(), sessions);
    });

    it('refuses a tampered state, a callback in another browser and a cancelled login, without a session', async () => {
      idp.setAccount('tolvan2', { [PATIENT_CLAIM]: PATIENT_PNR });
      const sessions = await sessionCount();

      const b = browser();
      const callback = await signIn(b, 'patient', 'tolvan2');
      const tampered = new URL(callback);
      tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`);
      const res = await b.request(tampered);
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as ErrorBody).error.message, /Börja om inloggningen/);
      assert.equal(b.cookie('pk_session'), undefined);
      // The login transaction is spent: the untampered callback does not work afterwards either.
      assert.equal((await b.request(callback)).status, 400);

      // A callback carried to another browser (login CSRF) lacks the login cookie.
      const elsewhere = await signIn(browser(), 'patient', 'tolvan2');
      const other = browser();
      assert.equal((await other.request(elsewhere)).status, 400);
      assert.equal(other.cookie('pk_session'), undefined);

      // The user cancels at the provider.
      const c = browser();
      const cancelled = await signIn(c, 'patient', null);
      assert.equal(cancelled.searchParams.get('error'), 'access_denied');
      const answer = await c.request(cancelled);
      assert.equal(answer.status, 401);
      assert.match(((await answer.json()) as ErrorBody).error.message, /Inloggningen kunde inte genomföras/);
      assert.equal(c.cookie('pk_session'), undefined);

      assert.equal(await sessionCount(), sessions);
    });

    it('answers in Swedish, without secrets, when the provider cannot be reached', async () => {
      const closed = createServer();
      const port = await listen(closed);
      await new Promise((resolve) => closed.close(resolve));
      const offline = await buildTestApp(db, undefined, {
        OIDC_STAFF_ISSUER: `http://127.0.0.1:${port}`,
        OIDC_STAFF_CLIENT_ID: 'pk',
        OIDC_STAFF_CLIENT_SECRET: 'very-secret-value',
        OIDC_STAFF_REDIRECT_URI: 'http://127.0.0.1:1/auth/staff/callback',
      });
      try {
        for (let attempt = 0; attempt < 2; attempt++) {
          const res = await offline.inject({ method: 'GET', url: '/auth/staff/login' });
          assert.equal(res.statusCode, 500);
          assert.match(res.json<ErrorBody>().error.message, /Inloggningstjänsten svarar inte/);
          assert.ok(!res.body.includes('very-secret-value'));
          assert.equal(res.headers['set-cookie'], undefined);
        }
        const patient = await offline.inject({ method: 'GET', url: '/auth/patient/login' });
        assert.equal(patient.statusCode, 404);
        assert.match(patient.json<ErrorBody>().error.message, /inte aktiverad/);
      } finally {
        await offline.close();
      }
    });

    it('is refused by the provider when the redirect URI only starts with the registered one', async () => {
      for (const redirectUri of [
        `${staffClient.redirectUri}.evil`,
        `${staffClient.redirectUri}/extra`,
        `${staffClient.redirectUri}?next=https://evil.example`,
        staffClient.redirectUri.replace('127.0.0.1', 'localhost'),
      ]) {
        const url = new URL(`${idp.issuer}/auth`);
        url.search = new URLSearchParams({
          client_id: staffClient.clientId,
          response_type: 'code',
          scope: 'openid',
          redirect_uri: redirectUri,
          state: 'abcdefghijklmnopqrstuvwxyz012345',
          nonce: 'abcdefghijklmnopqrstuvwxyz012345',
          code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          code_challenge_method: 'S256',
        }).toString();
        const res = await browser().request(url);
        assert.equal(res.status, 400, redirectUri);
        assert.equal(res.headers.get('location'), null, redirectUri);
        assert.match(await res.text(), /redirect_uri/);
      }
    });
  });
}
