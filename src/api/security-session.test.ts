/**
 * security.md 14, 16 and 17 over HTTP: the session token and cookie, a new token at every
 * login, idle timeout, absolute lifetime, logout on the server; generic error answers; no
 * secret in any body.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildTestApp, login } from '../../test/helpers/api.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makeWorld } from '../../test/helpers/factories.ts';
import type { Db } from '../store/db.ts';
import { createSessionStore } from '../store/session-store.ts';

const tokenOf = (res: LightMyRequestResponse): string => {
  const value = res.cookies.find((c) => c.name === 'pk_session')?.value;
  assert.ok(value, `a session cookie: ${res.statusCode} ${res.body}`);
  return value;
};
const sessionId = (token: string): string => createHash('sha256').update(token).digest('hex');

for (const engine of testEngines) {
  describe(`session policy on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    const others: FastifyInstance[] = [];
    before(async () => {
      db = await engine.open();
      app = await buildTestApp(db);
    });
    after(async () => {
      for (const other of others) await other.close();
      await app.close();
      await db.close();
    });

    const devLogin = (who: object, cookie?: string, on: FastifyInstance = app) =>
      on.inject({
        method: 'POST',
        url: '/auth/dev/login',
        payload: who,
        ...(cookie ? { headers: { cookie: `pk_session=${cookie}` } } : {}),
      });
    const me = (token: string, on: FastifyInstance = app) =>
      on.inject({ url: '/api/me', headers: { cookie: `pk_session=${token}` } });

    it('tells at /auth/session whether someone is logged in, with 200 either way', async () => {
      const w = await makeWorld(db);
      const probe = (token?: string) =>
        app.inject({
          url: '/auth/session',
          ...(token ? { headers: { cookie: `pk_session=${token}` } } : {}),
        });
      for (const res of [await probe(), await probe('not-a-session')]) {
        assert.equal(res.statusCode, 200);
        assert.deepEqual(res.json(), { loggedIn: false });
      }
      const nurse = await login(app, { hsaId: w.nurseId });
      const token = nurse.cookie.replace('pk_session=', '');
      assert.deepEqual((await probe(token)).json(), { loggedIn: true, kind: 'staff', unitChosen: true });
      assert.equal((await nurse.send('POST', '/auth/logout')).statusCode, 204);
      assert.deepEqual((await probe(token)).json(), { loggedIn: false });
    });

    it('issues tokens of at least 128 random bits, stored only as a hash', async () => {
      const w = await makeWorld(db);
      const tokens: string[] = [];
      for (let i = 0; i < 40; i++) tokens.push(tokenOf(await devLogin({ hsaId: w.nurseId })));
      for (const token of tokens) {
        assert.match(token, /^[A-Za-z0-9_-]+$/);
        // base64url: 6 bits a character; 43 characters carry 256 bits (32 random bytes).
        assert.ok(token.length * 6 >= 128, `${token.length} characters`);
        assert.equal(Buffer.from(token, 'base64url').length, 32);
      }
      assert.equal(new Set(tokens).size, tokens.length, 'no token twice');
      // Random, not a counter or a timestamp: the 40 × 43 characters use (nearly) the whole
      // alphabet, and every position varies.
      const alphabet = new Set(tokens.join(''));
      assert.ok(alphabet.size >= 56, `${alphabet.size} distinct characters`);
      for (let position = 0; position < 42; position++) {
        assert.ok(new Set(tokens.map((t) => t[position])).size > 10, `position ${position}`);
      }
      const stored = await db.query<{ id: string }>('select id from session where subject_id = $1', [
        w.nurseId,
      ]);
      const ids = new Set(stored.map((r) => r.id));
      for (const token of tokens) {
        assert.ok(!ids.has(token), 'the token itself is not stored');
        assert.ok(ids.has(sessionId(token)), 'its SHA-256 is');
      }
    });

    it('sets the cookie HttpOnly, SameSite=Strict, Path=/ with the absolute lifetime', async () => {
      const w = await makeWorld(db);
      const res = await devLogin({ hsaId: w.nurseId });
      const header = String(res.headers['set-cookie']);
      assert.match(header, /^pk_session=[\w-]{43};/);
      for (const flag of ['HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${12 * 3600}`]) {
        assert.ok(header.split('; ').includes(flag), `${flag} in ${header}`);
      }
      assert.ok(!header.includes('Secure'), 'not Secure unless COOKIE_SECURE (see the other file)');
      assert.ok(!header.includes('Domain='), 'host-only');
    });

    it('issues a new token at every login and ends the old session', async () => {
      const w = await makeWorld(db);
      const first = tokenOf(await devLogin({ hsaId: w.nurseId }));
      assert.equal((await me(first)).statusCode, 200);
      const second = tokenOf(await devLogin({ hsaId: w.nurseId }, first));
      assert.notEqual(second, first);
      assert.equal((await me(first)).statusCode, 401, 'the old token no longer works');
      assert.equal((await me(second)).statusCode, 200);
      const asDoctor = tokenOf(await devLogin({ hsaId: w.doctorId }, second));
      assert.equal((await me(second)).statusCode, 401);
      assert.equal((await me(asDoctor)).json<{ staffId: string }>().staffId, w.doctorId);
    });

    it('ends a session after the idle timeout (30 minutes by default)', async () => {
      const w = await makeWorld(db);
      const token = tokenOf(await devLogin({ hsaId: w.nurseId }));
      const idle = (minutes: number) =>
        db.query(`update session set last_seen_at = now() - make_interval(mins => $2) where id = $1`, [
          sessionId(token),
          minutes,
        ]);
      await idle(29);
      assert.equal((await me(token)).statusCode, 200, 'still alive after 29 minutes');
      await idle(31);
      const res = await me(token);
      assert.equal(res.statusCode, 401);
      assert.match(res.json<{ error: { message: string } }>().error.message, /logga in/);
    });

    it('takes the idle timeout from SESSION_IDLE_MINUTES', async () => {
      const short = await buildTestApp(db, undefined, { SESSION_IDLE_MINUTES: '5' });
      others.push(short);
      const w = await makeWorld(db);
      const token = tokenOf(await devLogin({ hsaId: w.nurseId }, undefined, short));
      await db.query(`update session set last_seen_at = now() - interval '6 minutes' where id = $1`, [
        sessionId(token),
      ]);
      assert.equal((await me(token, short)).statusCode, 401);
    });

    it('ends a session at its absolute lifetime even while it is in use', async () => {
      const w = await makeWorld(db);
      const token = tokenOf(await devLogin({ hsaId: w.nurseId }));
      const [row] = await db.query<{ seconds: number }>(
        `select extract(epoch from expires_at - created_at)::int as seconds from session where id = $1`,
        [sessionId(token)],
      );
      assert.ok(row && Math.abs(row.seconds - 12 * 3600) <= 2, `lifetime ${row?.seconds} s`);
      await db.query(
        `update session set created_at = now() - interval '12 hours', expires_at = now() - interval '1 second',
           last_seen_at = now() where id = $1`,
        [sessionId(token)],
      );
      assert.equal((await me(token)).statusCode, 401);
    });

    it('deletes ended sessions (idle or expired) at a later login, and keeps live ones', async () => {
      const w = await makeWorld(db);
      const [expired, idle, almostIdle, live] = [
        tokenOf(await devLogin({ hsaId: w.nurseId })),
        tokenOf(await devLogin({ hsaId: w.doctorId })),
        tokenOf(await devLogin({ hsaId: w.doctorId })),
        tokenOf(await devLogin({ hsaId: w.nurseId })),
      ];
      await db.query(`update session set expires_at = now() - interval '1 second' where id = $1`, [
        sessionId(expired),
      ]);
      await db.query(`update session set last_seen_at = now() - interval '31 minutes' where id = $1`, [
        sessionId(idle),
      ]);
      await db.query(`update session set last_seen_at = now() - interval '29 minutes' where id = $1`, [
        sessionId(almostIdle),
      ]);
      // A server process cleans up at its first login, and then at most every ten minutes.
      const fresh = await buildTestApp(db);
      others.push(fresh);
      const next = tokenOf(await devLogin({ hsaId: w.doctorId }, undefined, fresh));
      const left = await db.query<{ id: string }>(`select id from session where id = any($1::text[])`, [
        [expired, idle, almostIdle, live, next].map(sessionId),
      ]);
      assert.deepEqual(left.map((r) => r.id).sort(), [almostIdle, live, next].map(sessionId).sort());
      assert.equal((await me(almostIdle)).statusCode, 200, 'idle 29 of 30 minutes: still live');
      assert.equal((await me(live)).statusCode, 200);
    });

    it('logs in even when deleting ended sessions fails, and says so', async () => {
      const w = await makeWorld(db);
      const errors: unknown[] = [];
      const store = createSessionStore(
        db,
        { idleSeconds: 1800, absoluteSeconds: 3600 },
        { onCleanupError: (error) => errors.push(error) },
      );
      await db.exec(`create function refuse_session_delete() returns trigger language plpgsql as $$
        begin raise exception 'no deletes today'; end $$;
        create trigger refuse_session_delete before delete on session
          for each statement execute function refuse_session_delete()`);
      try {
        const token = await store.create({ kind: 'staff', id: w.nurseId, unitId: w.unitId });
        assert.equal((await me(token)).statusCode, 200);
        assert.equal(errors.length, 1);
        assert.match(String(errors[0]), /no deletes today/);
      } finally {
        await db.exec(`drop trigger refuse_session_delete on session; drop function refuse_session_delete()`);
      }
    });

    it('ends the session on the server at logout', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      const token = nurse.cookie.replace('pk_session=', '');
      const out = await nurse.send('POST', '/auth/logout');
      assert.equal(out.statusCode, 204);
      assert.match(String(out.headers['set-cookie']), /^pk_session=;.*Expires=Thu, 01 Jan 1970/);
      assert.equal((await nurse.get('/api/me')).statusCode, 401, 'the old cookie is dead');
      const rows = await db.query('select 1 from session where id = $1', [sessionId(token)]);
      assert.equal(rows.length, 0);
      assert.equal((await nurse.get('/auth/csrf')).statusCode, 401);
    });

    it('never returns the session token in a body', async () => {
      const w = await makeWorld(db);
      const res = await devLogin({ hsaId: w.nurseId });
      const token = tokenOf(res);
      const cookie = `pk_session=${token}`;
      const bodies = [
        res.body,
        (await me(token)).body,
        (await app.inject({ url: '/auth/csrf', headers: { cookie } })).body,
        (await app.inject({ url: '/auth/dev/users', headers: { cookie } })).body,
        (await app.inject({ url: '/api/no-such-thing', headers: { cookie } })).body,
        (await app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie } })).body,
      ];
      for (const body of bodies) {
        assert.ok(!body.includes(token), body);
        assert.ok(!body.includes(sessionId(token)), body);
      }
    });
  });

  describe(`generic errors on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let failing = false;
    before(async () => {
      db = await engine.open();
      // The same database, but the question sets' read and the health check's `select 1` fail
      // the way a broken query does.
      const flaky: Db = {
        ...db,
        query: async <T>(sql: string, params?: unknown[]): Promise<T[]> => {
          if (failing && (sql === 'select 1' || sql.includes('from question_set'))) {
            throw Object.assign(
              new Error('relation "session" does not exist: select id, token from session'),
              {
                code: '42P01',
              },
            );
          }
          return db.query<T>(sql, params);
        },
      };
      app = await buildTestApp(flaky);
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    const assertClean = (body: string) => {
      for (const leak of [
        /select /i,
        /relation/,
        /\bat .*\.ts/,
        /stack/i,
        /SyntaxError/,
        /JSON at position/,
        /42P01/,
      ]) {
        assert.ok(!leak.test(body), `${String(leak)} in ${body}`);
      }
    };

    it('answers an unexpected failure with a generic 500, no SQL and no stack', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      failing = true;
      const res = await app.inject({ url: '/api/question-sets', headers: { cookie: nurse.cookie } });
      failing = false;
      assert.equal(res.statusCode, 500);
      const { error } = res.json<{ error: { code: string; message: string; requestId: string } }>();
      assert.equal(error.code, 'internal');
      assert.match(error.message, /Något gick fel/);
      assert.ok(error.requestId);
      assertClean(res.body);
    });

    it('answers a failed health check with 503, no SQL and no stack', async () => {
      failing = true;
      const res = await app.inject({ url: '/api/health' });
      failing = false;
      assert.equal(res.statusCode, 503);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'database_unavailable');
      assertClean(res.body);
    });

    it('answers malformed JSON with a generic 400 without parser internals', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      const res = await app.inject({
        method: 'POST',
        url: `/api/patients/${w.patientId}/contract`,
        payload: '{"status": "active", "content": {',
        headers: {
          cookie: nurse.cookie,
          'x-csrf-token': nurse.csrfToken,
          'content-type': 'application/json',
        },
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json<{ error: { message: string } }>().error.message, 'Förfrågan är felaktig.');
      assertClean(res.body);
    });

    it('answers an unknown route with a clean 404', async () => {
      const res = await app.inject({ url: '/api/does-not-exist?x=<script>' });
      assert.equal(res.statusCode, 404);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      const { error } = res.json<{ error: { code: string; message: string } }>();
      assert.deepEqual([error.code, error.message], ['not_found', 'Sidan eller uppgiften finns inte.']);
      assert.ok(!res.body.includes('<script>'));
      assertClean(res.body);
    });
  });
}
