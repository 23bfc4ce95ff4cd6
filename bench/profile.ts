/**
 * Where a request's time goes, statement by statement:
 *
 *   npx tsx bench/profile.ts [--engine postgres|pglite] [--requests N]
 *
 * Builds the real app in this process on a database prepared as `npm run bench` prepares it
 * (same env vars), with every SQL statement timed. Sends N overview reads and N contract
 * updates one after another through `app.inject()` (no network, no concurrency) and prints,
 * per statement, how often it runs per request and how long it takes; what is left of the
 * request's time is JavaScript (routing, validation, hooks, JSON). Then EXPLAIN ANALYZE of the
 * slowest read statements.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { DEVELOPMENT_AUDIT_KEY } from '../src/services/audit-key.ts';
import { openDb, type Db, type Queryable } from '../src/store/db.ts';
import { prepare, type Engine } from './db.ts';
import { processCpuSeconds } from './load.ts';

interface Stat {
  calls: number;
  ms: number;
  sql: string;
  params: unknown[] | undefined;
}

const label = (sql: string): string => sql.replace(/\s+/g, ' ').trim().slice(0, 90);

/** `db` with every statement timed into `stats` (by its text); transactions as a whole too. */
function instrument(db: Db, stats: Map<string, Stat>): Db {
  const add = (sql: string, ms: number, params?: unknown[]): void => {
    const key = label(sql);
    const stat = stats.get(key) ?? { calls: 0, ms: 0, sql, params };
    stat.calls++;
    stat.ms += ms;
    stats.set(key, stat);
  };
  const timed = async <T>(sql: string, params: unknown[] | undefined, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await run();
    } finally {
      add(sql, performance.now() - started, params);
    }
  };
  const wrap = (q: Queryable): Queryable => ({
    query: <T>(sql: string, params?: unknown[]) => timed(sql, params, () => q.query<T>(sql, params)),
    exec: (sql: string) => timed(sql, undefined, () => q.exec(sql)),
  });
  return {
    engine: db.engine,
    ...wrap(db),
    transaction: (fn, options) =>
      timed('[transaction: begin … commit, all of it]', undefined, () =>
        db.transaction((tx) => fn(wrap(tx)), options),
      ),
    close: () => db.close(),
  };
}

function print(title: string, stats: Map<string, Stat>, requests: number, totalMs: number): void {
  const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const sqlMs = rows.filter(([k]) => !k.startsWith('[')).reduce((sum, [, s]) => sum + s.ms, 0);
  console.log(`\n## ${title}: ${requests} requests, ${(totalMs / requests).toFixed(2)} ms each`);
  console.log('| ms/request | calls/request | ms/call | statement |');
  console.log('| ---: | ---: | ---: | --- |');
  for (const [key, s] of rows) {
    console.log(
      `| ${(s.ms / requests).toFixed(3)} | ${(s.calls / requests).toFixed(2)} | ${(s.ms / s.calls).toFixed(3)} | \`${key}\` |`,
    );
  }
  console.log(
    `| ${((totalMs - sqlMs) / requests).toFixed(3)} | | | everything else (JS: hooks, validation, serialisation; waits) |`,
  );
}

async function explain(db: Db, stats: Map<string, Stat>, top: number): Promise<void> {
  const rows = [...stats.values()]
    .filter((s) => /^\s*(select|with)/i.test(s.sql))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
  for (const s of rows) {
    const plan = await db.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${s.sql}`, s.params);
    console.log(`\n### EXPLAIN ANALYZE ${label(s.sql).slice(0, 60)}…\n`);
    console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
  }
}

/**
 * The cost of one round trip and of each read statement on one connection, measured alone:
 * wall time, and the CPU of this process and of the PostgreSQL backend per call, as sent now
 * (unnamed statement: parsed and planned every time) and as a named prepared statement.
 */
async function replay(url: string, stats: Map<string, Stat>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    const measure = async (calls: number, fn: () => Promise<unknown>): Promise<string> => {
      for (let i = 0; i < 20; i++) await fn();
      const node0 = process.cpuUsage();
      const db0 = (await processCpuSeconds(pid)) ?? NaN;
      const started = performance.now();
      for (let i = 0; i < calls; i++) await fn();
      const wall = (performance.now() - started) / calls;
      const node = process.cpuUsage(node0);
      const db = (((await processCpuSeconds(pid)) ?? NaN) - db0) / calls;
      return `${wall.toFixed(3)} | ${((node.user + node.system) / 1000 / calls).toFixed(3)} | ${(db * 1000).toFixed(3)}`;
    };
    console.log('\n## One connection, one statement at a time (ms per call)\n');
    console.log(
      '| statement | as sent: wall / Node CPU / backend CPU | prepared: wall / Node CPU / backend CPU |',
    );
    console.log('| --- | --- | --- |');
    console.log(`| \`select 1\` (a round trip) | ${await measure(2000, () => client.query('select 1'))} | |`);
    const reads = [...stats.values()].filter((s) => /^\s*(select|with)/i.test(s.sql));
    for (const [i, s] of reads.entries()) {
      const asSent = await measure(1000, () => client.query(s.sql, s.params));
      const prepared = await measure(1000, () =>
        client.query({ name: `bench_${i}`, text: s.sql, values: s.params }),
      );
      console.log(`| \`${label(s.sql).slice(0, 60)}\` | ${asSent} | ${prepared} |`);
    }
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'postgres' },
      requests: { type: 'string', default: '500' },
    },
  });
  const engine = values.engine as Engine;
  if (engine !== 'postgres' && engine !== 'pglite') throw new Error('--engine postgres|pglite');
  const requests = Math.max(1, Number(values.requests));
  const databaseUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/bench';
  const dataDir = process.env.BENCH_PGLITE_DIR || fileURLToPath(new URL('./data/pglite', import.meta.url));
  const target = engine === 'postgres' ? { engine, databaseUrl } : { engine, dataDir };
  const patients = Number(process.env.BENCH_PATIENTS || 100_000);
  const prepared = await prepare(target, {
    patients,
    staffCount: 4,
    perStaff: 500,
    writeTotal: 64,
    pgliteVersion: '',
    log: (line) => console.log(line),
  });
  console.log(`# ${prepared.version}, ${prepared.patients} patients`);

  const raw = await openDb(engine === 'postgres' ? { databaseUrl } : { dataDir });
  const stats = new Map<string, Stat>();
  const db = instrument(raw, stats);
  const config = readConfig({
    ...process.env,
    RATE_LIMIT: 'off',
    NODE_ENV: 'development',
    OIDC_STAFF_ISSUER: '',
  });
  const { app } = await buildApp({ db, config, auditKey: DEVELOPMENT_AUDIT_KEY });
  try {
    const sessions: { pick: (typeof prepared.staff)[number]; headers: Record<string, string> }[] = [];
    for (const pick of prepared.staff) {
      const res = await app.inject({
        method: 'POST',
        url: '/auth/dev/login',
        payload: { hsaId: pick.hsaId, unitId: pick.unitId },
      });
      const cookie = res.cookies.find((c) => c.name === 'pk_session');
      if (res.statusCode !== 200 || !cookie) throw new Error(`login: ${res.statusCode} ${res.body}`);
      const csrf = /"csrfToken"\s*:\s*"([^"]+)"/.exec(res.body)?.[1];
      sessions.push({
        pick,
        headers: { cookie: `pk_session=${cookie.value}`, ...(csrf ? { 'x-csrf-token': csrf } : {}) },
      });
    }

    const run = async (title: string, one: (i: number) => Promise<void>): Promise<void> => {
      for (let i = 0; i < Math.min(50, requests); i++) await one(i); // warm-up
      stats.clear();
      const started = performance.now();
      for (let i = 0; i < requests; i++) await one(i);
      print(title, stats, requests, performance.now() - started);
    };

    await run('GET /api/patients/:id/overview', async (i) => {
      const s = sessions[i % sessions.length]!;
      const id = s.pick.patientIds[Math.floor(Math.random() * s.pick.patientIds.length)]!;
      const res = await app.inject({
        method: 'GET',
        url: `/api/patients/${id}/overview`,
        headers: s.headers,
      });
      if (res.statusCode !== 200) throw new Error(`overview: ${res.statusCode} ${res.body}`);
    });
    const readStats = new Map(stats);

    const versions = new Map(prepared.writes.map((w) => [w.patientId, w.version]));
    await run('PUT /api/patients/:id/contract', async (i) => {
      const w = prepared.writes[i % prepared.writes.length]!;
      const s = sessions[w.staff]!;
      const res = await app.inject({
        method: 'PUT',
        url: `/api/patients/${w.patientId}/contract`,
        headers: { ...s.headers, 'if-match': `W/"${versions.get(w.patientId)}"` },
        payload: {
          status: w.status,
          content: { ...w.content, whatMatters: `${w.content.whatMatters.slice(0, 3900)} (profile ${i})` },
        },
      });
      if (res.statusCode !== 200) throw new Error(`update: ${res.statusCode} ${res.body}`);
      versions.set(w.patientId, Number(/(\d+)/.exec(String(res.headers.etag))?.[1]));
    });

    await explain(raw, readStats, 3);
    if (engine === 'postgres') await replay(databaseUrl, readStats);
  } finally {
    await app.close();
    await raw.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
