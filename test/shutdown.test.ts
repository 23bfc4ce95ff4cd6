/**
 * A rolling restart: the real server as a child process gets SIGTERM while a browser holds an
 * idle keep-alive connection, a live-update stream (/api/events) and a request still in flight.
 * It must finish the request, end the rest and exit within seconds, not wait out the keep-alive
 * timeout (72 s) or the stream (15 min).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { demoUsers } from '../src/seed/generate.ts';

const postgresUrl = process.env.TEST_DATABASE_URL;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Running {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts src/server.ts and waits until it listens. */
async function startServer(env: NodeJS.ProcessEnv): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  while (!/is running at/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // With several workers the primary reports before they listen.
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`server did not answer:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, port, output: () => output, exited };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(
  port: number,
  agent: http.Agent,
  options: { method: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: options.method,
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Logs a demo member of staff in; returns the Cookie header. */
async function loginCookie(port: number, agent: http.Agent): Promise<string> {
  const res = await request(port, agent, {
    method: 'POST',
    path: '/auth/dev/login',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ hsaId: demoUsers.staff[0]!.hsaId }),
  });
  assert.equal(res.status, 200, res.body);
  const cookie = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('pk_session='));
  assert.ok(cookie, 'a session cookie');
  return cookie.split(';')[0]!;
}

/**
 * Opens the three kinds of connection, sends SIGTERM, completes the in-flight request and
 * returns how long the process took to exit and what the in-flight request got.
 */
async function stopUnderLoad(
  server: Running,
): Promise<{ seconds: number; inFlight: Answer; code: number | null }> {
  const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const cookie = await loginCookie(server.port, keepAlive);
  // The keep-alive connection is now idle.

  const streamEnded = new Promise<void>((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port: server.port, path: '/api/events', headers: { cookie }, agent: false },
      (res) => {
        assert.equal(res.statusCode, 200);
        res.resume();
        res.on('end', resolve);
        res.on('close', resolve);
      },
    );
    req.on('error', reject);
  });
  await new Promise((resolve) => setTimeout(resolve, 300));

  // A request in flight: its body arrives in two parts, the second after SIGTERM.
  const body = JSON.stringify({ hsaId: demoUsers.staff[0]!.hsaId });
  const inFlight = new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/auth/dev/login',
        agent: new http.Agent({ keepAlive: true }),
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, 5));
    setTimeout(() => req.end(body.slice(5)), 1000);
  });
  await new Promise((resolve) => setTimeout(resolve, 200));

  const started = performance.now();
  server.child.kill('SIGTERM');
  const code = await server.exited;
  const seconds = (performance.now() - started) / 1000;
  await streamEnded;
  keepAlive.destroy();
  return { seconds, inFlight: await inFlight, code };
}

describe('SIGTERM with connections open (PGlite)', () => {
  let dataDir: string;
  let server: Running;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pk-shutdown-'));
    server = await startServer({ DATA_DIR: dataDir, DEMO_PATIENTS: '5', SHUTDOWN_GRACE_SECONDS: '10' });
  });
  after(async () => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('finishes the request in flight, ends the stream and idle connections, and exits within seconds', async () => {
    const { seconds, inFlight, code } = await stopUnderLoad(server);
    assert.equal(inFlight.status, 200, inFlight.body);
    assert.equal(code, 0, server.output());
    assert.ok(seconds < 5, `exit took ${seconds.toFixed(1)} s`);
  });
});

describe(
  'SIGTERM with connections open (PostgreSQL, WORKERS=2)',
  { skip: postgresUrl ? false : 'TEST_DATABASE_URL is not set' },
  () => {
    // The server works in the public schema: a database of its own, dropped afterwards.
    const name = `pk_shutdown_${process.pid}`;
    const admin = (): pg.Client => new pg.Client({ connectionString: postgresUrl });
    let server: Running;
    before(async () => {
      const c = admin();
      await c.connect();
      await c.query(`create database ${name}`);
      await c.end();
      const url = new URL(postgresUrl!);
      url.pathname = `/${name}`;
      server = await startServer({ DATABASE_URL: url.toString(), WORKERS: '2', DEMO_PATIENTS: '5' });
    });
    after(async () => {
      if (server?.child.exitCode === null) server.child.kill('SIGKILL');
      const c = admin();
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    });

    it('forwards the signal to the workers, which finish the request in flight, and exits within seconds', async () => {
      const { seconds, inFlight, code } = await stopUnderLoad(server);
      assert.equal(inFlight.status, 200, inFlight.body);
      assert.equal(code, 0, server.output());
      assert.ok(seconds < 5, `exit took ${seconds.toFixed(1)} s`);
    });
  },
);
