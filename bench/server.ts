/**
 * The server under test, run by bench/run.ts as a child process so that the load generator
 * does not share its event loop. Opens the database the parent prepared (DATABASE_URL, or
 * PGlite in DATA_DIR), builds the real app and listens on a free port on 127.0.0.1, then
 * prints one line `{"port": N}` on stdout. Stops cleanly on SIGTERM or SIGINT, so that a
 * `--cpu-prof` profile is written.
 *
 * BENCH_UNAUDITED=1 (set by bench/run.ts for the audited/unaudited comparison only) builds the
 * app with `benchOnlyUnaudited`: access decisions without their access-log entries. The option
 * exists only in buildApp's dependencies, which only this file sets; src/server.ts never does,
 * and buildApp refuses it when NODE_ENV=production.
 *
 * BENCH_WORKERS=N (PostgreSQL) runs N server processes on one port as WORKERS=N does in
 * src/server.ts (node:cluster, change feed over LISTEN/NOTIFY); the line printed then also
 * names the workers' pids: `{"port": N, "pids": [...]}`.
 */
import cluster from 'node:cluster';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { demoUsers } from '../src/seed/generate.ts';
import { loadAuditKey } from '../src/services/audit-key.ts';
import { openChangeBus } from '../src/store/change-bus.ts';
import { openDb } from '../src/store/db.ts';

/**
 * Experiment (BENCH_PREPARED=1): every parameterised query becomes a named prepared statement,
 * as if src/store/db.ts passed `{ name, text, values }` to pg. PostgreSQL then parses and plans
 * each statement once per connection instead of on every call. Measures what that change gains.
 */
function usePreparedStatements(): void {
  type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;
  const proto = pg.Client.prototype as unknown as { query: QueryFn };
  const original = proto.query;
  const names = new Map<string, string>();
  const nameOf = (text: string): string => {
    let name = names.get(text);
    if (!name) {
      name = `pk_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      names.set(text, name);
    }
    return name;
  };
  proto.query = function (this: pg.Client, ...args: unknown[]): unknown {
    const [text, values, ...rest] = args;
    if (typeof text === 'string' && Array.isArray(values)) {
      return original.call(this, { name: nameOf(text), text, values }, ...rest);
    }
    return original.apply(this, args);
  };
}
if (process.env.BENCH_PREPARED === '1') usePreparedStatements();

const config = readConfig();
/** BENCH_WORKERS (set by bench/run.ts): server processes sharing the port, as WORKERS does in src/server.ts. */
const workers = Math.max(1, Math.round(Number(process.env.BENCH_WORKERS ?? '1')) || 1);
if (workers > 1 && !config.databaseUrl) throw new Error('BENCH_WORKERS > 1 needs PostgreSQL');

if (workers > 1 && cluster.isPrimary) {
  // The primary only forks, waits for every worker's port and reports it with their pids (for
  // their CPU time); the parent talks to the shared port.
  const forked = Array.from({ length: workers }, () => cluster.fork());
  const ports = await Promise.all(
    forked.map(
      (worker) =>
        new Promise<number>((resolve, reject) => {
          worker.once('message', (m: { port: number }) => resolve(m.port));
          worker.once('exit', (code) => reject(new Error(`worker exited with code ${code}`)));
        }),
    ),
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    let running = forked.length;
    for (const worker of forked) {
      worker.once('exit', () => {
        if (--running === 0) process.exit(0);
      });
      worker.kill('SIGTERM');
    }
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdin.resume();
  process.stdin.on('end', stop);
  process.stdout.write(`${JSON.stringify({ port: ports[0], pids: forked.map((w) => w.process.pid) })}\n`);
} else {
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  const changeBus =
    cluster.isWorker && config.databaseUrl ? await openChangeBus(db, config.databaseUrl) : undefined;
  const { app } = await buildApp({
    db,
    config,
    auditKey: await loadAuditKey(config),
    benchOnlyUnaudited: process.env.BENCH_UNAUDITED === '1',
    demoUsers: {
      staffIds: demoUsers.staff.map((s) => s.hsaId),
      patientIdentifiers: demoUsers.patients.map((p) => p.personnummer),
    },
    ...(changeBus ? { changeBus } : {}),
  });

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await changeBus?.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  if (cluster.isPrimary) {
    // The parent closes stdin when it goes away: never outlive it.
    process.stdin.resume();
    process.stdin.on('end', () => void stop());
  }

  // Workers of a cluster that listen on port 0 all get the same port.
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  if (cluster.isWorker) process.send?.({ port: address.port });
  else process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
}
