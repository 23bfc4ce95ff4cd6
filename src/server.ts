/**
 * Starts Patientkontrakt: opens the database (PGlite in DATA_DIR, or PostgreSQL at
 * DATABASE_URL), applies migrations, seeds the demo region on first start, and listens.
 *
 * With WORKERS > 1 (PostgreSQL only) this process is the primary of a node:cluster: it
 * migrates and seeds, then starts WORKERS server processes that share the port (connections
 * are handed out round-robin) and starts a new one when one ends. The workers share the CSRF
 * key (a random one drawn here when SESSION_SECRET is unset), carry live updates to each other
 * over PostgreSQL LISTEN/NOTIFY (store/change-bus.ts) and count 1/WORKERS of each rate limit.
 */
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { buildApp } from './app.ts';
import { readConfig, type Config } from './config.ts';
import { loadAuditKey } from './services/audit-key.ts';
import { demoUsers, isSeeded, seedDemo } from './seed/generate.ts';
import { openChangeBus } from './store/change-bus.ts';
import { migrate, openDb, type Db } from './store/db.ts';

const config = readConfig();
if (config.workers > 1 && !config.databaseUrl) {
  console.error('WORKERS > 1 needs PostgreSQL (DATABASE_URL): PGlite is the database of one process.');
  process.exit(1);
}

/** Opens the database, applies migrations and seeds the demo region when it is empty. */
async function prepareDatabase(): Promise<Db> {
  if (!config.databaseUrl) await mkdir(config.dataDir, { recursive: true });
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  const applied = await migrate(db);
  if (applied.length > 0) console.log(`Migrations applied: ${applied.join(', ')}`);
  if (config.seedDemo && !(await isSeeded(db))) {
    console.log(`Seeding the demo region with ${config.demoPatients} patients …`);
    const counts = await seedDemo(db, { patients: config.demoPatients, today: new Date() });
    console.log(
      `Seeded ${counts.patients} patients, ${counts.contracts} contracts, ${counts.staff} staff, ${counts.units} units.`,
    );
  }
  return db;
}

/** A worker's share of the rate limits: connections are spread evenly, so the sum stays near the setting. */
function perWorker(c: Config): Config {
  const share = (n: number): number => Math.ceil(n / c.workers);
  return {
    ...c,
    rateLimit: {
      ...c.rateLimit,
      userPerMinute: share(c.rateLimit.userPerMinute),
      ipPerMinute: share(c.rateLimit.ipPerMinute),
      loginPerMinute: share(c.rateLimit.loginPerMinute),
    },
  };
}

async function runPrimary(): Promise<void> {
  const db = await prepareDatabase();
  await loadAuditKey(config); // fails here, once, when production lacks AUDIT_KEY
  await db.close();
  const env = { SESSION_SECRET: config.sessionSecret ?? randomBytes(32).toString('base64url') };
  let isStopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (isStopping) return;
    console.error(`Worker ${worker.process.pid} ended (${signal ?? code}); starting another.`);
    setTimeout(() => cluster.fork(env), 1000);
  });
  const shutdown = (): void => {
    isStopping = true;
    const workers = Object.values(cluster.workers ?? {});
    let running = workers.length;
    if (running === 0) process.exit(0);
    for (const worker of workers) {
      worker?.once('exit', () => {
        if (--running === 0) process.exit(0);
      });
      worker?.kill('SIGTERM');
    }
    setTimeout(() => process.exit(1), 15_000).unref();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  for (let i = 0; i < config.workers; i++) cluster.fork(env);
  console.log(
    `Patientkontrakt is running at http://localhost:${config.port} (PostgreSQL, ${config.workers} worker processes)`,
  );
}

async function runServer(): Promise<void> {
  const isWorker = cluster.isWorker;
  const db = isWorker
    ? await openDb({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        poolSize: config.databasePoolSize,
      })
    : await prepareDatabase();
  let warn: (error: unknown) => void = (error) => console.error('change bus:', error);
  const changeBus =
    isWorker && config.databaseUrl
      ? await openChangeBus(db, config.databaseUrl, { onError: (error) => warn(error) })
      : undefined;
  const { app } = await buildApp({
    db,
    config: isWorker ? perWorker(config) : config,
    auditKey: await loadAuditKey(config),
    logger: { level: config.logLevel },
    demoUsers: {
      staffIds: demoUsers.staff.map((s) => s.hsaId),
      patientIdentifiers: demoUsers.patients.map((p) => p.personnummer),
    },
    ...(changeBus ? { changeBus } : {}),
  });
  warn = (error) => app.log.warn({ err: error }, 'change bus');

  const shutdown = async (): Promise<void> => {
    await app.close();
    await changeBus?.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());

  await app.listen({ port: config.port, host: config.host });
  if (!isWorker) {
    console.log(
      `Patientkontrakt is running at http://localhost:${config.port} (${db.engine === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL'})`,
    );
  }
}

if (config.workers > 1 && cluster.isPrimary) await runPrimary();
else await runServer();
