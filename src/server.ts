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
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp } from './app.ts';
import { readConfig, type Config } from './config.ts';
import { DomainError } from './domain/errors.ts';
import { emergencyTokenKey, loadAuditKey } from './services/audit-key.ts';
import { createServer } from 'node:http';
import { isToken } from './api/metrics-routes.ts';
import { createClusterScrape, createMetrics, shareWithClusterPrimary } from './services/metrics.ts';
import { demoUsers, isSeeded, seedDemo } from './seed/generate.ts';
import { openChangeBus } from './store/change-bus.ts';
import { migrate, openDb, ping, type Db } from './store/db.ts';

const config = readConfig();
if (config.workers > 1 && !config.databaseUrl) {
  console.error('WORKERS > 1 needs PostgreSQL (DATABASE_URL): PGlite is the database of one process.');
  process.exit(1);
}

/** Where the database is, for messages: host, port and name, never the password. */
function databaseName(): string {
  if (!config.databaseUrl) return `PGlite in ${config.dataDir}`;
  try {
    const url = new URL(config.databaseUrl);
    return `PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}

/** The first line of why the database did not answer (the driver's own error, not the 503). */
function reasonOf(error: unknown): string {
  const cause = error instanceof DomainError && error.cause instanceof Error ? error.cause : error;
  return (cause instanceof Error ? cause.message : String(cause)).split('\n')[0] ?? '';
}

/**
 * Opens the database and waits until it answers: PostgreSQL may start after this server (a
 * rolling deploy, a restarted host). One line per try, with backoff up to 5 s, for at most
 * DATABASE_START_WAIT_SECONDS; then the start fails with a message that says what to check.
 */
async function openReachableDb(): Promise<Db> {
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    timeouts: config.databaseTimeouts,
  });
  if (db.engine !== 'postgres') return db;
  const deadline = Date.now() + config.databaseStartWaitSeconds * 1000;
  for (let attempt = 1, delayMs = 500; ; attempt++, delayMs = Math.min(delayMs * 2, 5000)) {
    try {
      await ping(db);
      if (attempt > 1) console.log(`${databaseName()} answers (try ${attempt}).`);
      return db;
    } catch (error) {
      const left = deadline - Date.now();
      if (left <= 0) {
        await db.close().catch(() => undefined);
        throw new StartError(
          `${databaseName()} did not answer within ${config.databaseStartWaitSeconds} s (${attempt} tries, last: ${reasonOf(error)}). ` +
            'Check DATABASE_URL, that PostgreSQL is running and accepts connections from here; DATABASE_START_WAIT_SECONDS sets how long a start waits.',
        );
      }
      const waitMs = Math.min(delayMs, left);
      console.error(
        `${databaseName()} does not answer (try ${attempt}: ${reasonOf(error)}); trying again in ${(waitMs / 1000).toFixed(1)} s.`,
      );
      await sleep(waitMs);
    }
  }
}

/** A start that cannot go on, with a message that says why; printed without a stack trace. */
class StartError extends Error {}

/** Opens the database, applies migrations and seeds the demo region when it is empty. */
async function prepareDatabase(): Promise<Db> {
  if (!config.databaseUrl) await mkdir(config.dataDir, { recursive: true });
  const db = await openReachableDb();
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
  // Each worker gets the signal and stops as a single server does (stopServer); the primary
  // waits for all of them, a little longer than their grace.
  const shutdown = (): void => {
    if (isStopping) return;
    isStopping = true;
    const workers = Object.values(cluster.workers ?? {});
    let running = workers.length;
    if (running === 0) process.exit(0);
    for (const worker of workers) {
      worker?.once('exit', () => {
        if (--running === 0) process.exit(0);
      });
      // Not worker.kill(): it disconnects first, and the worker would close without its grace.
      worker?.process.kill('SIGTERM');
    }
    setTimeout(() => process.exit(1), (config.shutdownGraceSeconds + 5) * 1000).unref();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  for (let i = 0; i < config.workers; i++) cluster.fork(env);
  serveClusterMetrics();
  console.log(
    `Patientkontrakt is running at http://localhost:${config.port} (PostgreSQL, ${config.workers} worker processes)`,
  );
}

/**
 * WORKERS > 1: the sum of every worker's metrics on METRICS_PORT (a scrape through the shared
 * port would reach one worker at random), behind the same bearer token as `GET /metrics`.
 */
function serveClusterMetrics(): void {
  if (config.metricsPort === undefined) return;
  const token = config.metricsToken;
  if (token === undefined) {
    console.error("METRICS_PORT is set without METRICS_TOKEN: the workers' metrics are not served.");
    return;
  }
  const scrape = createClusterScrape();
  createServer((req, res) => {
    const isMetrics = req.method === 'GET' && (req.url ?? '').split('?')[0] === '/metrics';
    if (!isMetrics) return void res.writeHead(404).end();
    if (!isToken(req.headers.authorization, token))
      return void res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"' }).end();
    scrape().then(
      ({ contentType, text }) => res.writeHead(200, { 'content-type': contentType }).end(text),
      (error: unknown) => {
        console.error('metrics of the workers:', error);
        res.writeHead(503).end();
      },
    );
  })
    .listen(config.metricsPort, config.host)
    .unref();
  console.log(`Metrics of all ${config.workers} workers at :${config.metricsPort}/metrics`);
}

async function runServer(): Promise<void> {
  const isWorker = cluster.isWorker;
  const db = isWorker ? await openReachableDb() : await prepareDatabase();
  let warn: (error: unknown) => void = (error) => console.error('change bus:', error);
  const changeBus =
    isWorker && config.databaseUrl
      ? await openChangeBus(db, config.databaseUrl, { onError: (error) => warn(error) })
      : undefined;
  const auditKey = await loadAuditKey(config);
  const metrics = createMetrics();
  if (isWorker) shareWithClusterPrimary(metrics);
  const { app } = await buildApp({
    db,
    config: isWorker ? perWorker(config) : config,
    auditKey,
    emergencyTokenKey: emergencyTokenKey(config, auditKey),
    ...(config.auditCheckpoint.file
      ? {
          auditCheckpoint: {
            file: config.auditCheckpoint.file,
            intervalSeconds: config.auditCheckpoint.intervalSeconds,
          },
        }
      : {}),
    logger: { level: config.logLevel },
    // The process metrics too (memory, event-loop lag, GC), beside the app's own.
    metrics,
    demoUsers: {
      staffIds: demoUsers.staff.map((s) => s.hsaId),
      patientIdentifiers: demoUsers.patients.map((p) => p.personnummer),
    },
    ...(changeBus ? { changeBus } : {}),
  });
  warn = (error) => app.log.warn({ err: error }, 'change bus');
  if (config.isProduction && !config.auditCheckpoint.file)
    app.log.warn(
      'AUDIT_CHECKPOINT_FILE is not set: a cut-off end of the access log cannot be detected (docs/security.md)',
    );

  /**
   * Stops within SHUTDOWN_GRACE_SECONDS: no new connections; each keep-alive connection closed as
   * soon as it has no request in flight (otherwise it stays open for Fastify's 72 s keep-alive
   * timeout); live-update streams ended (event-routes.ts, on preClose); requests still running
   * at the end of the grace cut off.
   */
  let isStopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (isStopping) return;
    isStopping = true;
    app.log.info({ signal }, 'stopping');
    setTimeout(() => process.exit(1), (config.shutdownGraceSeconds + 5) * 1000).unref();
    const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
    const cutOff = setTimeout(() => app.server.closeAllConnections(), config.shutdownGraceSeconds * 1000);
    try {
      await app.close();
    } finally {
      clearInterval(sweep);
      clearTimeout(cutOff);
    }
    await changeBus?.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  if (!isWorker) {
    console.log(
      `Patientkontrakt is running at http://localhost:${config.port} (${db.engine === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL'})`,
    );
  }
}

try {
  if (config.workers > 1 && cluster.isPrimary) await runPrimary();
  else await runServer();
} catch (error) {
  if (!(error instanceof StartError)) throw error;
  console.error(`Patientkontrakt did not start: ${error.message}`);
  process.exit(1);
}
