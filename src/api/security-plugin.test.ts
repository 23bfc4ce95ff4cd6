/**
 * security.md 14–15 over HTTP: CSRF tokens and the Origin check on every write made with the
 * session cookie, the login's JSON-only rule, rate limits with Retry-After, security headers.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildTestApp, login, openTestApp } from '../../test/helpers/api.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makeWorld, sampleContent } from '../../test/helpers/factories.ts';
import { readConfig } from '../config.ts';
import { errorCatalogue } from '../domain/errors.ts';
import type { Db } from '../store/db.ts';
import { isOwnOrigin } from './security-plugin.ts';

interface ErrorJson {
  error: { code: string; message: string };
}
const errorOf = (res: LightMyRequestResponse) => res.json<ErrorJson>().error;

/** The development login from a given address; returns the answer. */
const devLogin = (app: FastifyInstance, who: object, extra: { ip?: string; cookie?: string } = {}) =>
  app.inject({
    method: 'POST',
    url: '/auth/dev/login',
    payload: who,
    ...(extra.ip ? { remoteAddress: extra.ip } : {}),
    ...(extra.cookie ? { headers: { cookie: extra.cookie } } : {}),
  });

const sessionCookieOf = (res: LightMyRequestResponse): string => {
  const value = res.cookies.find((c) => c.name === 'pk_session')?.value;
  assert.ok(value, 'a session cookie');
  return `pk_session=${value}`;
};

describe('security settings', () => {
  it('reads the rate limits and secrets from the environment', () => {
    const defaults = readConfig({});
    assert.deepEqual(defaults.rateLimit, {
      enabled: true,
      userPerMinute: 600,
      ipPerMinute: 1200,
      loginPerMinute: 30,
    });
    assert.equal(defaults.sessionSecret, undefined);
    const set = readConfig({
      RATE_LIMIT: 'off',
      RATE_LIMIT_LOGIN_PER_MIN: '3',
      SESSION_SECRET: 's'.repeat(40),
      PUBLIC_BASE_URL: 'https://pk.example.se',
    });
    assert.equal(set.rateLimit.enabled, false);
    assert.equal(set.rateLimit.loginPerMinute, 3);
    assert.equal(set.sessionSecret, 's'.repeat(40));
    assert.equal(set.publicBaseUrl, 'https://pk.example.se');
  });

  it('compares an Origin with the public origin or the Host, default ports included', () => {
    assert.ok(isOwnOrigin('http://localhost', 'localhost:80', undefined));
    assert.ok(isOwnOrigin('https://pk.example.se', 'pk.example.se', undefined));
    assert.ok(isOwnOrigin('http://[::1]:3000', '[::1]:3000', undefined));
    assert.ok(!isOwnOrigin('https://evil.example', 'pk.example.se', undefined));
    assert.ok(!isOwnOrigin('https://pk.example.se.evil.example', 'pk.example.se', undefined));
    assert.ok(!isOwnOrigin('http://localhost:3001', 'localhost:3000', undefined));
    assert.ok(!isOwnOrigin('null', 'localhost', undefined));
    assert.ok(isOwnOrigin('https://pk.example.se', 'internal:3000', 'https://pk.example.se'));
    assert.ok(!isOwnOrigin('http://internal:3000', 'internal:3000', 'https://pk.example.se'));
  });
});

for (const engine of testEngines) {
  describe(`CSRF, Origin and headers on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it('gives the CSRF token in the login answer and at GET /auth/csrf, never the session token', async () => {
      const w = await makeWorld(db);
      const res = await devLogin(app, { hsaId: w.nurseId });
      const token = res.cookies.find((c) => c.name === 'pk_session')?.value ?? '';
      const { csrfToken } = res.json<{ csrfToken: string }>();
      assert.match(csrfToken, /^[\w-]{43}$/);
      assert.notEqual(csrfToken, token);
      assert.ok(!res.body.includes(token));
      const again = await app.inject({ url: '/auth/csrf', headers: { cookie: `pk_session=${token}` } });
      assert.equal(again.statusCode, 200);
      assert.deepEqual(again.json(), { csrfToken });
      const anonymous = await app.inject({ url: '/auth/csrf' });
      assert.equal(anonymous.statusCode, 401);
    });

    it('refuses a write without or with a wrong CSRF token (403, Swedish, nothing done)', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      const other = await login(app, { hsaId: w.doctorId });
      const url = `/api/patients/${w.patientId}/contract`;
      const body = { status: 'active', content: sampleContent(w.unitId) };
      const refused = [
        await app.inject({ method: 'POST', url, payload: body, headers: { cookie: nurse.cookie } }),
        await nurse.send('POST', url, body, { 'x-csrf-token': 'wrong' }),
        await nurse.send('POST', url, body, { 'x-csrf-token': other.csrfToken }),
        await nurse.send('POST', url, body, { 'x-csrf-token': `${nurse.csrfToken}x` }),
      ];
      for (const res of refused) {
        assert.equal(res.statusCode, 403, res.body);
        assert.equal(errorOf(res).code, 'forbidden');
        assert.match(errorOf(res).message, /säkerhetstoken/);
      }
      assert.equal((await nurse.get(url)).statusCode, 404);
      const created = await nurse.send('POST', url, body);
      assert.equal(created.statusCode, 201, created.body);
      const put = await app.inject({
        method: 'PUT',
        url,
        payload: { status: 'active', content: sampleContent(w.unitId, { whatMatters: 'Ändrat' }) },
        headers: { cookie: nurse.cookie, 'if-match': '"1"' },
      });
      assert.equal(put.statusCode, 403);
      assert.equal((await nurse.get(url)).headers.etag, 'W/"1"');
    });

    it('needs the token for logout, FHIR and unknown routes when the cookie is sent', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      for (const [method, url] of [
        ['POST', '/auth/logout'],
        ['POST', '/fhir/Patient'],
        ['DELETE', '/api/nothing-here'],
        ['PATCH', '/api/nothing-here'],
      ] as const) {
        const res = await app.inject({ method, url, payload: {}, headers: { cookie: nurse.cookie } });
        assert.equal(res.statusCode, 403, `${method} ${url}: ${res.body}`);
      }
      assert.equal((await nurse.get('/api/me')).statusCode, 200, 'the session is still alive');
      const out = await nurse.send('POST', '/auth/logout');
      assert.equal(out.statusCode, 204);
    });

    it('answers 401, not 403, to a write without a session or with a dead one', async () => {
      const w = await makeWorld(db);
      const url = `/api/patients/${w.patientId}/contract`;
      const body = { status: 'active', content: sampleContent(w.unitId) };
      const none = await app.inject({ method: 'POST', url, payload: body });
      assert.equal(none.statusCode, 401);
      const dead = await app.inject({
        method: 'POST',
        url,
        payload: body,
        headers: { cookie: 'pk_session=x' },
      });
      assert.equal(dead.statusCode, 401);
    });

    it('refuses a write with a cross-site Origin even with the right token', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      const url = `/api/patients/${w.patientId}/contract`;
      const body = { status: 'draft', content: sampleContent(w.unitId) };
      for (const origin of ['https://evil.example', 'null', 'http://localhost:8080']) {
        const res = await nurse.send('POST', url, body, { origin });
        assert.equal(res.statusCode, 403, origin);
        assert.match(errorOf(res).message, /annan webbplats/);
      }
      assert.equal((await nurse.get(url)).statusCode, 404);
      const same = await nurse.send('POST', url, body, { origin: 'http://localhost' });
      assert.equal(same.statusCode, 201, same.body);
    });

    it('lets the login through only as JSON from our own origin', async () => {
      const w = await makeWorld(db);
      const payload = JSON.stringify({ hsaId: w.nurseId });
      const attempts = [
        { 'content-type': 'text/plain' },
        { 'content-type': 'application/x-www-form-urlencoded' },
        { 'content-type': 'multipart/form-data; boundary=x' },
        { 'content-type': 'application/json', origin: 'https://evil.example' },
      ];
      for (const headers of attempts) {
        const res = await app.inject({ method: 'POST', url: '/auth/dev/login', payload, headers });
        assert.ok([403, 415].includes(res.statusCode), `${JSON.stringify(headers)}: ${res.statusCode}`);
        assert.match(errorOf(res).message, /[åäö]|inte/);
        assert.equal(res.headers['set-cookie'], undefined);
      }
      const ok = await app.inject({
        method: 'POST',
        url: '/auth/dev/login',
        payload,
        headers: { 'content-type': 'application/json; charset=utf-8', origin: 'http://localhost' },
      });
      assert.equal(ok.statusCode, 200, ok.body);
    });

    it('sends the security headers on every answer', async (t) => {
      // Its own built app, so that the answers do not depend on whether web/dist was built.
      const webRoot = mkdtempSync(join(tmpdir(), 'web-root-'));
      t.after(() => rmSync(webRoot, { recursive: true, force: true }));
      writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Patientkontrakt</title>');
      const served = await buildTestApp(db, undefined, {}, { webRoot });
      t.after(() => served.close());
      const w = await makeWorld(db);
      const nurse = await login(served, { hsaId: w.nurseId });
      const shell = await served.inject({ url: '/no/such/page' });
      assert.match(String(shell.headers['content-type']), /^text\/html/);
      const answers = [
        await served.inject({ url: '/api/health' }),
        shell,
        await served.inject({ url: '/api/no/such/route' }),
        await nurse.get('/api/me'),
        await served.inject({ method: 'POST', url: '/auth/logout', headers: { cookie: nurse.cookie } }),
      ];
      for (const res of answers) {
        const csp = String(res.headers['content-security-policy']);
        for (const directive of [
          "default-src 'self'",
          "script-src 'self'",
          "object-src 'none'",
          "frame-ancestors 'none'",
          "base-uri 'self'",
        ]) {
          assert.ok(csp.includes(directive), `${directive} in ${csp}`);
        }
        assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), csp);
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
        assert.equal(res.headers['referrer-policy'], 'no-referrer');
        assert.equal(res.headers['x-frame-options'], 'DENY');
        // The app's shell (any path the app routes itself, an unknown one too) holds no patient
        // data and is revalidated on every load so a new build shows at once; nothing else is stored.
        assert.equal(res.headers['cache-control'], res === shell ? 'no-cache' : 'no-store');
        assert.equal(res.headers['x-powered-by'], undefined);
        assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP');
      }
    });
  });

  describe(`settings that change the app on ${engine.name}`, () => {
    let db: Db;
    const apps: FastifyInstance[] = [];
    const build = async (env: NodeJS.ProcessEnv) => {
      const app = await buildTestApp(db, undefined, env);
      apps.push(app);
      return app;
    };
    before(async () => {
      db = await engine.open();
    });
    after(async () => {
      for (const app of apps) await app.close();
      await db.close();
    });

    it('sends HSTS and Secure cookies when COOKIE_SECURE is on', async () => {
      const app = await build({ COOKIE_SECURE: 'true' });
      const w = await makeWorld(db);
      const res = await devLogin(app, { hsaId: w.nurseId });
      assert.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
      assert.match(String(res.headers['set-cookie']), /; Secure/);
      assert.match(String(res.headers['content-security-policy']), /upgrade-insecure-requests/);
    });

    it('checks Origin against PUBLIC_BASE_URL when it is set', async () => {
      const app = await build({ PUBLIC_BASE_URL: 'https://pk.example.se/app' });
      const w = await makeWorld(db);
      const login = (origin: string) =>
        app.inject({
          method: 'POST',
          url: '/auth/dev/login',
          payload: { hsaId: w.nurseId },
          headers: { origin },
        });
      assert.equal((await login('http://localhost')).statusCode, 403);
      assert.equal((await login('https://pk.example.se')).statusCode, 200);
    });

    it('refuses a SESSION_SECRET that is too short, and keeps tokens stable with one', async () => {
      await assert.rejects(build({ SESSION_SECRET: 'short' }), /at least 32/);
      const secret = 'a-long-enough-secret-for-the-csrf-tokens';
      const one = await build({ SESSION_SECRET: secret });
      const two = await build({ SESSION_SECRET: secret });
      const w = await makeWorld(db);
      const res = await devLogin(one, { hsaId: w.nurseId });
      const cookie = sessionCookieOf(res);
      const fromTwo = await two.inject({ url: '/auth/csrf', headers: { cookie } });
      assert.equal(
        fromTwo.json<{ csrfToken: string }>().csrfToken,
        res.json<{ csrfToken: string }>().csrfToken,
      );
    });

    it('limits logins per IP and answers 429 with Retry-After and the Swedish message', async () => {
      const app = await build({ RATE_LIMIT: 'on', RATE_LIMIT_LOGIN_PER_MIN: '3' });
      const w = await makeWorld(db);
      for (let i = 0; i < 3; i++) {
        assert.equal((await devLogin(app, { hsaId: w.nurseId }, { ip: '10.0.0.1' })).statusCode, 200);
      }
      const limited = await devLogin(app, { hsaId: w.nurseId }, { ip: '10.0.0.1' });
      assert.equal(limited.statusCode, 429);
      const retryAfter = Number(limited.headers['retry-after']);
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `${retryAfter}`);
      assert.deepEqual(
        { code: errorOf(limited).code, message: errorOf(limited).message },
        { code: 'rate_limited', message: errorCatalogue.rate_limited.message },
      );
      assert.equal(limited.headers['set-cookie'], undefined);
      assert.equal((await devLogin(app, { hsaId: w.nurseId }, { ip: '10.0.0.2' })).statusCode, 200);
      const other = await app.inject({ url: '/api/health', remoteAddress: '10.0.0.1' });
      assert.equal(other.statusCode, 200, 'only the login routes have the stricter limit');
    });

    it('limits requests per user, whatever the address', async () => {
      const app = await build({
        RATE_LIMIT: 'on',
        RATE_LIMIT_USER_PER_MIN: '5',
        RATE_LIMIT_LOGIN_PER_MIN: '0',
      });
      const w = await makeWorld(db);
      const cookie = sessionCookieOf(await devLogin(app, { hsaId: w.nurseId }, { ip: '10.0.1.1' }));
      const me = (ip: string, c: string) =>
        app.inject({ url: '/api/me', remoteAddress: ip, headers: { cookie: c } });
      for (let i = 0; i < 5; i++) assert.equal((await me('10.0.1.1', cookie)).statusCode, 200);
      const limited = await me('10.0.1.1', cookie);
      assert.equal(limited.statusCode, 429);
      assert.ok(Number(limited.headers['retry-after']) >= 1);
      assert.equal((await me('10.0.1.2', cookie)).statusCode, 429, 'the user, not the address');
      const doctor = sessionCookieOf(await devLogin(app, { hsaId: w.doctorId }, { ip: '10.0.1.1' }));
      assert.equal((await me('10.0.1.1', doctor)).statusCode, 200, 'another user on the same address');
    });

    it('limits requests per IP', async () => {
      const app = await build({ RATE_LIMIT: 'on', RATE_LIMIT_IP_PER_MIN: '8' });
      const health = (ip: string) => app.inject({ url: '/api/health', remoteAddress: ip });
      for (let i = 0; i < 8; i++) assert.equal((await health('10.0.2.1')).statusCode, 200);
      const limited = await health('10.0.2.1');
      assert.equal(limited.statusCode, 429);
      assert.ok(Number(limited.headers['retry-after']) >= 1);
      assert.equal(limited.headers['x-content-type-options'], 'nosniff');
      assert.equal((await health('10.0.2.2')).statusCode, 200);
    });

    it('turns every limit off with RATE_LIMIT=off', async () => {
      const app = await build({
        RATE_LIMIT: 'off',
        RATE_LIMIT_LOGIN_PER_MIN: '1',
        RATE_LIMIT_IP_PER_MIN: '1',
      });
      const w = await makeWorld(db);
      for (let i = 0; i < 5; i++) {
        assert.equal((await devLogin(app, { hsaId: w.nurseId }, { ip: '10.0.3.1' })).statusCode, 200);
      }
    });
  });
}
