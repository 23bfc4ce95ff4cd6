/**
 * npx tsx bench/import-faults.ts [-- --engine pglite|postgres] [-- --sizes 25,50]
 *
 * What one hostile import costs everyone else: a real server (HTTP on a local port) receives
 * single-line files of the given sizes (MB), sent by curl, through `POST /api/imports/visits` and
 * `/api/imports/population`, while another client asks `GET /api/health` every 20 ms. Prints,
 * per file, the time to the answer, the answer's size and status, the slowest health check, and
 * the longest the event loop was held (client and server share this process: that is the
 * longest single step of either). First the same for two seconds without an import.
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), a schema of
 * its own, dropped at the end.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { DEVELOPMENT_AUDIT_KEY } from '../src/services/audit-key.ts';
import { migrate, openDb, type Db } from '../src/store/db.ts';
import { makeStaff, makeWorld } from '../test/helpers/factories.ts';

const { values: flags } = parseArgs({
  options: { engine: { type: 'string' }, sizes: { type: 'string' } },
});
const engine = flags.engine ?? 'pglite';
const sizes = (flags.sizes ?? '25,50').split(',').map(Number);
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `bench_${randomBytes(4).toString('hex')}`;

async function open(): Promise<Db> {
  if (engine === 'pglite') return openDb({});
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return openDb({ databaseUrl: url, schema });
}

const db = await open();
await migrate(db);
const config = readConfig({ NODE_ENV: 'test', RATE_LIMIT: 'off', LOG_LEVEL: 'error' });
const { app } = await buildApp({ db, config, auditKey: DEVELOPMENT_AUDIT_KEY });
const w = await makeWorld(db);
const analyst = await makeStaff(db, w.unitId, 'administrator');
await db.query("update staff_unit set role = 'uppfoljning' where staff_id = $1", [analyst]);
const login = await app.inject({ method: 'POST', url: '/auth/dev/login', payload: { hsaId: analyst } });
const cookie = `pk_session=${login.cookies.find((c) => c.name === 'pk_session')!.value}`;
const csrf = login.json<{ csrfToken: string }>().csrfToken;
const address = await app.listen({ port: 0, host: '127.0.0.1' });

/** Polls the health check until `stop`, and gives the slowest answer (ms). */
function watchHealth(): { stop: () => Promise<number> } {
  let running = true;
  let worst = 0;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      await fetch(`${address}/api/health`).then((r) => r.arrayBuffer());
      worst = Math.max(worst, performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return worst;
    },
  };
}

const shapes: { name: string; kind: 'visits' | 'population'; type: string; body: (mb: number) => Buffer }[] =
  [
    {
      name: 'visits CSV, the whole file one header line',
      kind: 'visits',
      type: 'text/csv',
      body: (mb) => Buffer.alloc(mb * 1024 * 1024, 'a'),
    },
    {
      name: 'visits CSV, a header, then one long line',
      kind: 'visits',
      type: 'text/csv',
      body: (mb) =>
        Buffer.concat([
          Buffer.from('personnummer,tidpunkt,enhet,personal,yrke,kontakttyp\n'),
          Buffer.alloc(mb * 1024 * 1024, 'a'),
        ]),
    },
    {
      name: 'population NDJSON, one long line',
      kind: 'population',
      type: 'application/x-ndjson',
      body: (mb) => Buffer.alloc(mb * 1024 * 1024, 'a'),
    },
  ];

try {
  {
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const health = watchHealth();
    await new Promise((r) => setTimeout(r, 2000));
    const worst = await health.stop();
    loop.disable();
    console.log(
      `${engine}: no import, 2 s: slowest health check ${worst.toFixed(0)} ms, event loop held at most ${(loop.max / 1e6).toFixed(0)} ms`,
    );
  }
  for (const shape of shapes) {
    for (const mb of sizes) {
      // Sent by curl, another process: this one's event loop is then the server's alone.
      const file = join(tmpdir(), `import-faults-${process.pid}`);
      await writeFile(file, shape.body(mb));
      const loop = monitorEventLoopDelay({ resolution: 1 });
      loop.enable();
      const health = watchHealth();
      const t = performance.now();
      const { stdout } = await promisify(execFile)(
        'curl',
        [
          '-s',
          '-w',
          '\n%{http_code}',
          '-H',
          `cookie: ${cookie}`,
          '-H',
          `x-csrf-token: ${csrf}`,
          '-H',
          `content-type: ${shape.type}`,
          '-H',
          `origin: ${address}`,
          '--data-binary',
          `@${file}`,
          `${address}/api/imports/${shape.kind}`,
        ],
        { maxBuffer: 256 * 1024 * 1024 },
      );
      await rm(file);
      const answer = stdout.slice(0, stdout.lastIndexOf('\n'));
      const res = { status: stdout.slice(stdout.lastIndexOf('\n') + 1) };
      const seconds = (performance.now() - t) / 1000;
      const worst = await health.stop();
      loop.disable();
      console.log(
        `${engine}: ${shape.name}, ${mb} MB: ${res.status} in ${seconds.toFixed(2)} s, answer ${answer.length} bytes, ` +
          `slowest health check ${worst.toFixed(0)} ms, event loop held at most ${(loop.max / 1e6).toFixed(0)} ms; ` +
          answer.slice(0, 160),
      );
    }
  }
} finally {
  await app.close();
  await db.close();
  if (engine !== 'pglite') {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}
