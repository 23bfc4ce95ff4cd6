/**
 * A database that does not answer: a TCP server that accepts connections and never writes (the
 * fault itself, not a mock of PostgreSQL), and a proxy to the real PostgreSQL that stops passing
 * bytes once the connection is open. Every wait on the database is bounded: the health check by
 * HEALTH_TIMEOUT_MS, a request by the connect or read timeout (503, never a hang), a start by
 * DATABASE_START_WAIT_SECONDS; statements by statement_timeout, open transactions by
 * idle_in_transaction_session_timeout, except in bulk transactions.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../src/domain/errors.ts';
import { openDb, type Db } from '../src/store/db.ts';
import { buildTestApp } from './helpers/api.ts';

const postgresUrl = process.env.TEST_DATABASE_URL;

/** Accepts every connection, reads what is sent and never answers. */
async function openSilentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/silent`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Passes bytes to PostgreSQL and back until `freeze()`; after that it swallows them. */
async function openFreezingProxy(
  target: string,
): Promise<{ url: string; freeze: () => void; close: () => Promise<void> }> {
  const to = new URL(target);
  const sockets = new Set<net.Socket>();
  let isFrozen = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(to.port || 5432), to.hostname);
    for (const [from, into] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from);
      from.on('data', (chunk) => {
        if (!isFrozen) into.write(chunk);
      });
      from.on('error', () => undefined);
      from.on('close', () => into.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const url = new URL(target);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString(),
    freeze: () => (isFrozen = true),
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Milliseconds `work` took, and what it threw (undefined when it did not). */
async function timed(work: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  try {
    await work();
    return { ms: performance.now() - started, error: undefined };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

function assertUnavailable(error: unknown): void {
  assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
  assert.equal(error.code, 'database_unavailable');
}

describe('a database that accepts connections and never answers', () => {
  let silent: Awaited<ReturnType<typeof openSilentServer>>;
  let db: Db;
  before(async () => {
    silent = await openSilentServer();
    db = await openDb({ databaseUrl: silent.url, poolSize: 2, timeouts: { connectMs: 400 } });
  });
  after(async () => {
    await db.close().catch(() => undefined);
    await silent.close();
  });

  it('fails a query as database_unavailable within the connect timeout', async () => {
    const { ms, error } = await timed(() => db.query('select 1'));
    assertUnavailable(error);
    assert.ok(ms < 2000, `took ${Math.round(ms)} ms`);
  });

  it('fails a transaction as database_unavailable within the connect timeout', async () => {
    const { ms, error } = await timed(() => db.transaction((tx) => tx.query('select 1')));
    assertUnavailable(error);
    assert.ok(ms < 2000, `took ${Math.round(ms)} ms`);
  });

  it('answers the health check 503 within HEALTH_TIMEOUT_MS, before the connect timeout', async () => {
    const slow = await openDb({ databaseUrl: silent.url, poolSize: 2, timeouts: { connectMs: 1500 } });
    const app = await buildTestApp(slow, undefined, { HEALTH_TIMEOUT_MS: '300' });
    try {
      let status = 0;
      let body: { status?: string; error?: { code?: string } } = {};
      const { ms } = await timed(async () => {
        const res = await app.inject({ method: 'GET', url: '/api/health' });
        status = res.statusCode;
        body = res.json();
      });
      assert.equal(status, 503);
      assert.equal(body.status, 'unavailable');
      assert.equal(body.error?.code, 'database_unavailable');
      assert.ok(ms < 1500, `took ${Math.round(ms)} ms`);
    } finally {
      await app.close();
      await slow.close().catch(() => undefined);
    }
  });

  it('answers a request that needs the database 503, not a hang and not a 500', async () => {
    const app = await buildTestApp(db);
    try {
      const { ms } = await timed(async () => {
        // A session cookie makes the request look the session up in the database.
        const res = await app.inject({
          method: 'GET',
          url: '/api/patients',
          cookies: { pk_session: 'x'.repeat(43) },
        });
        assert.equal(res.statusCode, 503);
        assert.equal(res.json<{ error: { code: string } }>().error.code, 'database_unavailable');
      });
      assert.ok(ms < 2000, `took ${Math.round(ms)} ms`);
    } finally {
      await app.close();
    }
  });

  it('makes a start retry with one line per try, then exit non-zero with a clear message', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: silent.url,
        DATABASE_CONNECT_TIMEOUT_MS: '300',
        DATABASE_START_WAIT_SECONDS: '2',
        PORT: '0',
        HOST: '127.0.0.1',
        SEED_DEMO: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    // Timed from the first try: loading the code takes its own (and varying) time.
    let firstTry: number | undefined;
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      if (firstTry === undefined && /does not answer/.test(output)) firstTry = performance.now();
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const seconds = (performance.now() - (firstTry ?? 0)) / 1000;
    assert.equal(code, 1, output);
    assert.match(output, /PostgreSQL at 127\.0\.0\.1:\d+\/silent does not answer \(try 1: /);
    assert.match(output, /did not start: PostgreSQL at 127\.0\.0\.1:\d+\/silent did not answer within 2 s/);
    assert.doesNotMatch(output, /^\s+at /m, 'no stack trace');
    // DATABASE_START_WAIT_SECONDS (2) and one last try (0.3 s), with room for a loaded machine.
    assert.ok(seconds < 6, `gave up ${seconds.toFixed(1)} s after the first try`);
  });
});

describe('timeouts on PostgreSQL', { skip: postgresUrl ? false : 'TEST_DATABASE_URL is not set' }, () => {
  const url = postgresUrl ?? '';
  let db: Db;
  before(async () => {
    db = await openDb({
      databaseUrl: url,
      poolSize: 4,
      timeouts: { statementMs: 300, idleInTransactionMs: 300 },
    });
  });
  after(async () => {
    await db.close();
  });

  it('cuts a statement that runs past DATABASE_STATEMENT_TIMEOUT_MS as database_unavailable', async () => {
    const { ms, error } = await timed(() => db.query('select pg_sleep(3)'));
    assertUnavailable(error);
    assert.ok(ms < 2000, `took ${Math.round(ms)} ms`);
  });

  it('ends a transaction left idle past DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', async () => {
    const { error } = await timed(() =>
      db.transaction(async (tx) => {
        await tx.query('select 1');
        await new Promise((resolve) => setTimeout(resolve, 800));
        await tx.query('select 1');
      }),
    );
    assertUnavailable(error);
    assert.deepEqual(await db.query('select 1 as one'), [{ one: 1 }], 'the pool still works');
  });

  it('lets a bulk transaction run long statements and wait between them', async () => {
    const rows = await db.transaction(
      async (tx) => {
        await tx.query('select pg_sleep(0.8)');
        await new Promise((resolve) => setTimeout(resolve, 800));
        return tx.query<{ timeout: string }>("select current_setting('statement_timeout') as timeout");
      },
      { isBulk: true },
    );
    assert.deepEqual(rows, [{ timeout: '0' }]);
    const after = await db.query<{ timeout: string }>(
      "select current_setting('statement_timeout') as timeout",
    );
    assert.deepEqual(
      after,
      [{ timeout: '300ms' }],
      'the next transaction on the connection is bounded again',
    );
  });

  it('gives up on a server that stops answering mid-connection within the read timeout', async () => {
    const proxy = await openFreezingProxy(url);
    const frozen = await openDb({ databaseUrl: proxy.url, poolSize: 1, timeouts: { statementMs: 300 } });
    try {
      assert.deepEqual(await frozen.query('select 1 as one'), [{ one: 1 }]);
      proxy.freeze();
      const { ms, error } = await timed(() => frozen.query('select 1'));
      assertUnavailable(error);
      assert.ok(ms < 2000, `took ${Math.round(ms)} ms`);
    } finally {
      await frozen.close().catch(() => undefined);
      await proxy.close();
    }
  });
});
