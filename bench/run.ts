/**
 * npm run bench [-- --quick] [-- --profile] [-- --compare-only] [-- --out FILE] [-- --no-followup]
 *
 * For each engine (PostgreSQL, PGlite): seeds or reuses a database of BENCH_PATIENTS patients,
 * starts the real server as a child process (bench/server.ts), logs in as several staff and
 * measures contract reads (GET overview) and contract updates (PUT with If-Match) at 1, 16 and
 * 64 concurrent connections. Then the same workloads with and without the access log (a
 * bench-only build of the app), back to back, and optionally against another checkout
 * (BENCH_BASELINE_ROOT). Prints Markdown tables and writes bench/results/latest.md. A full run
 * ends with the follow-up part (bench/followup.ts: imports, continuity, the yearly report on a
 * region of 10,000,000 visits; results/followup.md) unless --no-followup, --quick or
 * --compare-only. See bench/README.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { readConfig } from '../src/config.ts';
import { prepare, type Engine, type EngineTarget } from './db.ts';
import { Client, machineBusyPercent, runLoad } from './load.ts';
import {
  comparisonTable,
  loadAverage,
  machineLine,
  report,
  table,
  type Comparison,
  type ComparisonRow,
  type EngineInfo,
  type Row,
} from './report.ts';
import { checkReads, login, readStep, updateWorkload } from './workloads.ts';

const usage =
  'npm run bench [-- --quick] [-- --profile] [-- --compare-only] [-- --out FILE] [-- --no-followup]';
const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    profile: { type: 'boolean' },
    /** Only the A/B comparisons (audited/unaudited, baseline), not the 1/16/64 table. */
    'compare-only': { type: 'boolean' },
    /** Where to write the report (default: results/latest.md, or data/quick.md with --quick). */
    out: { type: 'string' },
    /** Leave out the follow-up part (npm run bench:followup runs it alone). */
    'no-followup': { type: 'boolean' },
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
  /** Access log on vs off (bench-only build), back to back: at these concurrencies; "0" skips it. */
  auditConcurrency: (env.BENCH_AUDIT_CONCURRENCY ?? '1,64')
    .split(',')
    .map((c) => Math.round(Number(c)))
    .filter((c) => c > 0),
  /** How often each variant of a comparison is measured per cell (order A B B A …). */
  compareRounds: Math.round(positiveNumber('BENCH_COMPARE_ROUNDS', 2)),
  /** Another checkout of the project (e.g. the last commit) to compare the current code with. */
  baselineRoot: env.BENCH_BASELINE_ROOT ? resolve(env.BENCH_BASELINE_ROOT) : undefined,
  /** The engines the baseline comparison runs on (a baseline may not read data seeded by newer code). */
  baselineEngines: (env.BENCH_BASELINE_ENGINES ?? 'postgres,pglite').split(',').map((e) => e.trim()),
  /** What the baseline is, for the report (e.g. "commit d964f2c"). */
  baselineLabel: env.BENCH_BASELINE_LABEL || undefined,
  /** Server processes (WORKERS) to compare with the default one, PostgreSQL only; 0 skips it. */
  workersCompare: Math.max(0, Math.round(Number(env.BENCH_WORKERS_COMPARE ?? '0')) || 0),
  workersConcurrency: (env.BENCH_WORKERS_CONCURRENCY ?? '16,64')
    .split(',')
    .map((c) => Math.round(Number(c)))
    .filter((c) => c > 0),
  baselineConcurrency: (env.BENCH_BASELINE_CONCURRENCY ?? '1,64')
    .split(',')
    .map((c) => Math.round(Number(c)))
    .filter((c) => c > 0),
  readPatientsPerStaff: 2000,
  writePatientsPerWorker: 4,
};
if (settings.concurrency.some((c) => !Number.isFinite(c))) throw new Error('BENCH_CONCURRENCY: e.g. 1,16,64');
const maxConcurrency = Math.max(
  ...settings.concurrency,
  ...settings.auditConcurrency,
  ...(settings.baselineRoot ? settings.baselineConcurrency : []),
  ...(settings.workersCompare > 1 ? settings.workersConcurrency : []),
);
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
  /** The cluster workers' pids (BENCH_WORKERS > 1), whose CPU counts as the server's. */
  workerPids: number[];
  stop(): Promise<void>;
}

/** A build of the server under test: this checkout's, the unaudited bench build, or a baseline checkout's. */
interface Variant {
  key: 'audited' | 'unaudited' | 'baseline' | 'workers';
  label: string;
  /** The checkout whose bench/server.ts runs. */
  root: string;
  env: Record<string, string>;
}

const VARIANTS: Record<Variant['key'], Variant> = {
  audited: { key: 'audited', label: 'access log on', root: ROOT, env: {} },
  // bench/server.ts passes benchOnlyUnaudited to buildApp (refused with NODE_ENV=production).
  unaudited: { key: 'unaudited', label: 'access log off', root: ROOT, env: { BENCH_UNAUDITED: '1' } },
  baseline: { key: 'baseline', label: 'baseline', root: settings.baselineRoot ?? ROOT, env: {} },
  workers: {
    key: 'workers',
    label: `WORKERS=${settings.workersCompare}`,
    root: ROOT,
    env: { BENCH_WORKERS: String(settings.workersCompare) },
  },
};

// Every server of a run shares one CSRF key, so that one login serves all of them.
const SESSION_SECRET = randomBytes(32).toString('base64url');

/** Starts bench/server.ts of `variant` on `target` and waits for its port (at most 2 minutes). */
async function startServer(target: EngineTarget, variant: Variant = VARIANTS.audited): Promise<Server> {
  const nodeArgs = ['--import', 'tsx'];
  if (flags.profile)
    nodeArgs.push('--cpu-prof', '--cpu-prof-dir', here(`./data/profiles/${target.engine}-${variant.key}`));
  const child = spawn(process.execPath, [...nodeArgs, join(variant.root, 'bench/server.ts')], {
    cwd: variant.root,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...env,
      ...variant.env,
      SESSION_SECRET,
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
  const { port, pids } = await new Promise<{ port: number; pids?: number[] }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start within 2 minutes')), 120_000);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (/^\{"port":\d+(,"pids":\[[\d,]*\])?\}$/.test(line.trim())) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { port: number; pids?: number[] });
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
    workerPids: pids ?? [],
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

/**
 * The servers of one engine, one per variant, started when first needed. On PostgreSQL they
 * stay up side by side (an idle one costs nothing), so that A and B alternate without waiting;
 * PGlite is one process's database, so there the running one is stopped first.
 */
function serverPool(engine: Engine, target: EngineTarget) {
  const running = new Map<Variant['key'], { server: Server; client: Client }>();
  return {
    async get(variant: Variant): Promise<{ server: Server; client: Client }> {
      const found = running.get(variant.key);
      if (found) return found;
      if (engine === 'pglite') await this.stopAll();
      const server = await startServer(target, variant);
      const entry = { server, client: new Client('127.0.0.1', server.port, maxConcurrency) };
      running.set(variant.key, entry);
      return entry;
    },
    async stopAll(): Promise<void> {
      for (const [key, { server, client }] of running) {
        client.close();
        await server.stop();
        running.delete(key);
      }
    },
  };
}

async function benchEngine(
  engine: Engine,
  rows: Row[],
  comparisons: { audit: ComparisonRow[]; baseline: ComparisonRow[]; workers: ComparisonRow[] },
  pgliteVersion: string,
): Promise<EngineInfo> {
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
  const servers = serverPool(engine, target);
  const backends = engine === 'postgres' ? await postgresBackends(settings.databaseUrl) : undefined;
  try {
    const first = await servers.get(VARIANTS.audited);
    const sessions = await Promise.all(prepared.staff.map((pick) => login(first.client, pick)));
    await checkReads(first.client, sessions);
    const updates = updateWorkload(first.client, sessions, prepared.writes);
    /** One measured cell of `operation` at `concurrency` against the server of `variant`. */
    const cell = async (variant: Variant, operation: Row['operation'], concurrency: number) => {
      const { server, client } = await servers.get(variant);
      const step = operation === 'read' ? readStep(client, sessions) : updates.step(concurrency, client);
      const result = await runLoad({
        concurrency,
        seconds: settings.seconds,
        warmupSeconds: settings.warmupSeconds,
        step,
        serverPid: server.child.pid,
        serverPids: server.workerPids,
        dbPids: backends ? () => backends.pids() : undefined,
      });
      const msPer = (seconds: number | null): string =>
        seconds === null ? '–' : ((seconds * 1000) / Math.max(1, result.requests)).toFixed(2);
      log(
        `  ${variant === VARIANTS.audited ? '' : `[${variant.label}] `}${operation.padEnd(6)} c=${String(concurrency).padStart(2)}: ` +
          `${Math.round(result.rps)} req/s, ` +
          `p50 ${result.p50.toFixed(2)} p95 ${result.p95.toFixed(2)} p99 ${result.p99.toFixed(2)} ms, ` +
          `${result.errors} errors${errorList(result.errorKinds)}; CPU ms/request server ${msPer(result.cpuSeconds.server)} ` +
          `db ${msPer(result.cpuSeconds.db)} client ${msPer(result.cpuSeconds.client)}; ` +
          `machine ${Math.round((result.cpuSeconds.machine / result.seconds) * 100)}%`,
      );
      return result;
    };
    /** A against B at each concurrency, in the order A B B A A B … (a drifting load cancels out). */
    const compare = async (a: Variant, b: Variant, concurrencies: number[], into: ComparisonRow[]) => {
      log(`  -- ${a.label} (A) vs ${b.label} (B)`);
      for (const operation of ['read', 'update'] as const) {
        if (!settings.operations.includes(operation)) continue;
        for (const concurrency of concurrencies) {
          const row: ComparisonRow = { engine, operation, concurrency, a: [], b: [] };
          for (let round = 0; round < settings.compareRounds; round++) {
            for (const which of round % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const)) {
              row[which].push(await cell(which === 'a' ? a : b, operation, concurrency));
            }
          }
          into.push(row);
        }
      }
    };

    if (!flags['compare-only']) {
      for (const operation of ['read', 'update'] as const) {
        if (!settings.operations.includes(operation)) continue;
        for (const concurrency of settings.concurrency) {
          rows.push({
            engine,
            operation,
            concurrency,
            result: await cell(VARIANTS.audited, operation, concurrency),
          });
        }
      }
    }
    if (settings.auditConcurrency.length > 0)
      await compare(VARIANTS.audited, VARIANTS.unaudited, settings.auditConcurrency, comparisons.audit);
    if (settings.baselineRoot && settings.baselineEngines.includes(engine))
      await compare(VARIANTS.audited, VARIANTS.baseline, settings.baselineConcurrency, comparisons.baseline);
    if (settings.workersCompare > 1 && engine === 'postgres')
      await compare(VARIANTS.workers, VARIANTS.audited, settings.workersConcurrency, comparisons.workers);
    if (updates.conflicts() > 0) log(`  ${updates.conflicts()} updates answered 412 (counted as errors)`);
  } finally {
    await servers.stopAll();
    await backends?.close();
  }
  const readPatients = new Set(prepared.staff.flatMap((s) => s.patientIds)).size;
  return {
    engine,
    version: prepared.version,
    where:
      engine === 'postgres'
        ? `${redact(settings.databaseUrl)} (pool ${readConfig().databasePoolSize}${settings.prepared ? '; **experiment BENCH_PREPARED=1: named prepared statements**' : ''})`
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
  const loadBefore = await loadAverage();
  const rows: Row[] = [];
  const engines: EngineInfo[] = [];
  const compared = {
    audit: [] as ComparisonRow[],
    baseline: [] as ComparisonRow[],
    workers: [] as ComparisonRow[],
  };
  for (const engine of settings.engines)
    engines.push(await benchEngine(targetOf(engine).engine, rows, compared, pglite.version));

  const comparisons: Comparison[] = [];
  if (compared.audit.length > 0) {
    comparisons.push({
      title: 'Access log: audited vs unaudited',
      note:
        'The same workloads with the access log as in production (every access decision writes its entry, ' +
        'committed by the group-commit writer before the answer) and with a bench-only build that makes the ' +
        'same decisions but writes no entry (`benchOnlyUnaudited` in buildApp: only bench/server.ts sets it, ' +
        'no setting reaches it, and it is refused with NODE_ENV=production). req/s A/B is what the log leaves ' +
        'of the throughput; 1 − A/B is its overhead.',
      aLabel: 'audited',
      bLabel: 'unaudited',
      rows: compared.audit,
    });
  }
  if (compared.baseline.length > 0) {
    comparisons.push({
      title: 'This checkout vs baseline',
      note:
        `This checkout against the checkout in BENCH_BASELINE_ROOT (\`${settings.baselineRoot}\`` +
        `${settings.baselineLabel ? `: ${settings.baselineLabel}` : ''}), both with the access log.`,
      aLabel: 'current',
      bLabel: 'baseline',
      rows: compared.baseline,
    });
  }
  if (compared.workers.length > 0) {
    comparisons.push({
      title: `Server processes: WORKERS=${settings.workersCompare} vs ${env.BENCH_WORKERS ?? '1'}`,
      note:
        'The same server as node:cluster workers sharing one port (connections handed out round-robin), ' +
        'with the change feed carried over PostgreSQL LISTEN/NOTIFY, against the default. CPU of all workers ' +
        'counts as the server.',
      aLabel: `${settings.workersCompare} workers`,
      bLabel: `${env.BENCH_WORKERS ?? '1'} worker`,
      rows: compared.workers,
    });
  }
  const markdown = report({
    date: started,
    rows,
    engines,
    seconds: settings.seconds,
    warmupSeconds: settings.warmupSeconds,
    command: [
      ...Object.entries(env)
        .filter(([k]) => k.startsWith('BENCH_') && k !== 'BENCH_DATABASE_URL')
        .map(([k, v]) => `${k}=${v}`),
      'npm run bench',
      ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : []),
    ].join(' '),
    busyBefore: idleBusy,
    loadBefore,
    loadAfter: await loadAverage(),
    comparisons,
  });
  // A smoke run, a partial run or an experiment must not overwrite the committed results.
  const file = flags.out
    ? resolve(flags.out)
    : quick || flags['compare-only']
      ? here('./data/quick.md')
      : settings.prepared
        ? here('./data/prepared.md')
        : here('./results/latest.md');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, markdown);
  log(
    [
      '',
      ...(rows.length > 0 ? [table(rows), ''] : []),
      ...comparisons.flatMap((c) => [`${c.title}:`, comparisonTable(c), '']),
      markdown.slice(markdown.indexOf('## Goals')),
    ].join('\n'),
  );
  log(`Written to ${file} in ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s.`);
  if (!quick && !flags['compare-only'] && !flags['no-followup']) await followupPart();
}

/** The follow-up benchmark as the last part of a full run, in its own process. */
async function followupPart(): Promise<void> {
  log('\nThe follow-up part (bench/followup.ts, npm run bench:followup alone) …');
  const child = spawn(process.execPath, ['--import', 'tsx', here('./followup.ts')], { stdio: 'inherit' });
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  if (code !== 0) throw new Error(`bench/followup.ts exited with ${code}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
