/**
 * npm run bench [-- --quick] [-- --profile]
 *
 * For each engine (PostgreSQL, PGlite): seeds or reuses a database of BENCH_PATIENTS patients,
 * starts the real server as a child process (bench/server.ts), logs in as several staff and
 * measures contract reads (GET overview) and contract updates (PUT with If-Match) at 1, 16 and
 * 64 concurrent connections. Prints a Markdown table and writes bench/results/latest.md.
 * See bench/README.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { prepare, type Engine, type EngineTarget } from './db.ts';
import { Client, machineBusyPercent, runLoad } from './load.ts';
import { machineLine, report, table, type EngineInfo, type Row } from './report.ts';
import { checkReads, login, readStep, updateWorkload } from './workloads.ts';

const usage = 'npm run bench [-- --quick] [-- --profile]';
const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    profile: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (flags.help) {
  console.log(`${usage}\nSee bench/README.md for the environment variables.`);
  process.exit(0);
}

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const ROOT = here('../');
const env = process.env;
const quick = flags.quick === true;

function positiveNumber(name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return n;
}

const settings = {
  patients: Math.round(positiveNumber('BENCH_PATIENTS', quick ? 5000 : 100_000)),
  seconds: positiveNumber('BENCH_DURATION', quick ? 3 : 10),
  warmupSeconds: quick ? 1 : 2,
  concurrency: (env.BENCH_CONCURRENCY ?? '1,16,64').split(',').map((c) => Math.max(1, Math.round(Number(c)))),
  engines: (env.BENCH_ENGINES ?? 'postgres,pglite').split(',').map((e) => e.trim()),
  operations: (env.BENCH_OPERATIONS ?? 'read,update').split(',').map((o) => o.trim()),
  databaseUrl: env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/bench',
  pgliteDir: env.BENCH_PGLITE_DIR || here('./data/pglite'),
  staffCount: Math.round(positiveNumber('BENCH_STAFF', 8)),
  /** Experiment: the server sends named prepared statements (see bench/server.ts). */
  prepared: env.BENCH_PREPARED === '1',
  readPatientsPerStaff: 2000,
  writePatientsPerWorker: 4,
};
if (settings.concurrency.some((c) => !Number.isFinite(c))) throw new Error('BENCH_CONCURRENCY: e.g. 1,16,64');
const maxConcurrency = Math.max(...settings.concurrency);
const log = (line: string): void => console.log(line);

function targetOf(engine: string): EngineTarget {
  if (engine === 'postgres') return { engine, databaseUrl: settings.databaseUrl };
  if (engine === 'pglite') return { engine, dataDir: settings.pgliteDir };
  throw new Error(`BENCH_ENGINES: unknown engine "${engine}" (postgres, pglite)`);
}

const redact = (url: string): string => {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
};

interface Server {
  child: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

/** Starts bench/server.ts on `target` and waits for its port (at most 2 minutes). */
async function startServer(target: EngineTarget): Promise<Server> {
  const nodeArgs = ['--import', 'tsx'];
  if (flags.profile) nodeArgs.push('--cpu-prof', '--cpu-prof-dir', here(`./data/profiles/${target.engine}`));
  const child = spawn(process.execPath, [...nodeArgs, here('./server.ts')], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...env,
      NODE_ENV: 'development',
      DATABASE_URL: target.databaseUrl ?? '',
      DATA_DIR: target.dataDir ?? '',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      // The documented benchmark setting: per-user and per-IP limits would cap the load.
      RATE_LIMIT: 'off',
      // The development login is only offered without an OIDC issuer.
      OIDC_STAFF_ISSUER: '',
      OIDC_PATIENT_ISSUER: '',
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start within 2 minutes')), 120_000);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const parsed = /^\{"port":(\d+)\}$/.exec(line.trim());
      if (parsed) {
        clearTimeout(timer);
        resolve(Number(parsed[1]));
      } else console.log(`  [server] ${line}`);
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the server exited with code ${child.exitCode}`));
    });
  });
  return {
    child,
    port,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

const errorList = (kinds: Record<string, number>): string => {
  const list = Object.entries(kinds).map(([kind, n]) => `${n} × ${kind}`);
  return list.length > 0 ? ` (${list.join(', ')})` : '';
};

/** The backends connected to the benchmark database (the server's pool), for their CPU use. */
async function postgresBackends(url: string): Promise<{ pids(): Promise<number[]>; close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    pids: async () =>
      (
        await client.query<{ pid: number }>(
          'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
        )
      ).rows.map((r) => r.pid),
    close: () => client.end(),
  };
}

async function benchEngine(engine: Engine, rows: Row[], pgliteVersion: string): Promise<EngineInfo> {
  const target = targetOf(engine);
  log(
    `\n== ${engine === 'postgres' ? `PostgreSQL (${redact(settings.databaseUrl)})` : `PGlite (${settings.pgliteDir})`}`,
  );
  const prepared = await prepare(target, {
    patients: settings.patients,
    staffCount: settings.staffCount,
    perStaff: settings.readPatientsPerStaff,
    writeTotal: maxConcurrency * settings.writePatientsPerWorker,
    pgliteVersion,
    log,
  });
  log(
    `  ${prepared.version}; ${prepared.staff.length} staff: ` +
      prepared.staff.map((s) => `${s.hsaId}@${s.unitId} (${s.patientIds.length})`).join(', '),
  );
  const server = await startServer(target);
  const client = new Client('127.0.0.1', server.port, maxConcurrency);
  const backends = engine === 'postgres' ? await postgresBackends(settings.databaseUrl) : undefined;
  try {
    const sessions = await Promise.all(prepared.staff.map((pick) => login(client, pick)));
    await checkReads(client, sessions);
    const run = async (
      operation: Row['operation'],
      concurrency: number,
      step: Parameters<typeof runLoad>[0]['step'],
    ) => {
      const result = await runLoad({
        concurrency,
        seconds: settings.seconds,
        warmupSeconds: settings.warmupSeconds,
        step,
        serverPid: server.child.pid,
        dbPids: backends ? () => backends.pids() : undefined,
      });
      const row: Row = { engine, operation, concurrency, result };
      const msPer = (seconds: number | null): string =>
        seconds === null ? '–' : ((seconds * 1000) / Math.max(1, result.requests)).toFixed(2);
      rows.push(row);
      log(
        `  ${operation.padEnd(6)} c=${String(concurrency).padStart(2)}: ${Math.round(result.rps)} req/s, ` +
          `p50 ${result.p50.toFixed(2)} p95 ${result.p95.toFixed(2)} p99 ${result.p99.toFixed(2)} ms, ` +
          `${result.errors} errors${errorList(result.errorKinds)}; CPU ms/request server ${msPer(result.cpuSeconds.server)} ` +
          `db ${msPer(result.cpuSeconds.db)} client ${msPer(result.cpuSeconds.client)}; ` +
          `machine ${Math.round((result.cpuSeconds.machine / result.seconds) * 100)}%`,
      );
    };
    const reads = readStep(client, sessions);
    if (settings.operations.includes('read'))
      for (const c of settings.concurrency) await run('read', c, reads);
    const updates = updateWorkload(client, sessions, prepared.writes);
    if (settings.operations.includes('update')) {
      for (const c of settings.concurrency) await run('update', c, updates.step(c));
    }
    if (updates.conflicts() > 0) log(`  ${updates.conflicts()} updates answered 412 (counted as errors)`);
  } finally {
    client.close();
    await backends?.close();
    await server.stop();
  }
  const readPatients = new Set(prepared.staff.flatMap((s) => s.patientIds)).size;
  return {
    engine,
    version: prepared.version,
    where:
      engine === 'postgres'
        ? `${redact(settings.databaseUrl)} (pool 20${settings.prepared ? '; **experiment BENCH_PREPARED=1: named prepared statements**' : ''})`
        : 'bench/data/pglite',
    patients: prepared.patients,
    staff: prepared.staff.length,
    readPatients,
    writePatients: prepared.writes.length,
    seedSeconds: prepared.seedSeconds,
  };
}

async function main(): Promise<void> {
  const started = new Date();
  const idleBusy = await machineBusyPercent(3000);
  if (idleBusy > 20) {
    log(
      `Note: before the run the machine is already ${Math.round(idleBusy)} % busy (100 % = one core): other work skews the results.`,
    );
  }
  const pglite = JSON.parse(
    await readFile(`${ROOT}node_modules/@electric-sql/pglite/package.json`, 'utf8'),
  ) as { version: string };
  log(
    `Patientkontrakt benchmark${quick ? ' (quick)' : ''}: ${settings.patients.toLocaleString('en')} patients, ` +
      `${settings.seconds} s per cell, concurrency ${settings.concurrency.join('/')}\n${machineLine()}`,
  );
  const rows: Row[] = [];
  const engines: EngineInfo[] = [];
  for (const engine of settings.engines)
    engines.push(await benchEngine(targetOf(engine).engine, rows, pglite.version));

  const markdown = report({
    date: started,
    rows,
    engines,
    seconds: settings.seconds,
    warmupSeconds: settings.warmupSeconds,
    command: `npm run bench${quick ? ' -- --quick' : ''}`,
    busyBefore: idleBusy,
  });
  // A smoke run or an experiment must not overwrite the committed results.
  const file = quick
    ? here('./data/quick.md')
    : settings.prepared
      ? here('./data/prepared.md')
      : here('./results/latest.md');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, markdown);
  log(`\n${table(rows)}\n\n${markdown.slice(markdown.indexOf('## Goals'))}`);
  log(`Written to ${file.slice(ROOT.length)} in ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
