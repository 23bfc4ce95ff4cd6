/**
 * npm run bench:floor [-- --out FILE]
 *
 * The floor of this machine: how many requests per second a server of the product's design
 * (Fastify, node-postgres with a pool of 8, PostgreSQL on the same 2 cores, the same load
 * generator) answers when it does almost nothing. bench/floor-server.ts serves four routes:
 * an answer without the database, one read statement, the product's own read statement (session,
 * access facts and overview), and one committed write. Whatever the
 * product does on top (session, access decision, access log, validation, history, events) can
 * only cost more; so a goal above a floor cannot be reached by this design on this machine.
 *
 * Uses the benchmark's PostgreSQL database (BENCH_DATABASE_URL, seeded by `npm run bench`) for
 * patients with a contract, and adds a scratch table `bench_floor_write` to it. Prints a table
 * and writes bench/results/floor.md.
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Client, runLoad, type LoadResult, type Step } from './load.ts';
import { GOALS, loadAverage, machineLine } from './report.ts';

const { values: flags } = parseArgs({ options: { out: { type: 'string' } } });
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const databaseUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/bench';
const seconds = Number(process.env.BENCH_DURATION ?? 10);
const concurrencies = (process.env.BENCH_CONCURRENCY ?? '1,16,64').split(',').map(Number);
const out = flags.out ?? here('./results/floor.md');
const WRITE_ROWS = 64;

const db = new pg.Client({ connectionString: databaseUrl });
await db.connect();
const patients = (
  await db.query<{ id: string }>(
    `select patient_id as id from contract where status <> 'ended' order by patient_id limit 8000`,
  )
).rows.map((r) => r.id);
if (patients.length === 0) throw new Error(`no contracts in ${databaseUrl}: run npm run bench first`);
const sample = (
  await db.query<{ json: string }>(`select content::text as json from contract where patient_id = $1`, [
    patients[0],
  ])
).rows[0]!.json;
await db.query(`create table if not exists bench_floor_write (n int primary key, version int not null,
  content jsonb not null)`);
await db.query(
  `insert into bench_floor_write select n, 1, $1::jsonb from generate_series(0, $2 - 1) n on conflict do nothing`,
  [sample, WRITE_ROWS],
);
const version = (await db.query<{ v: string }>('select version() as v')).rows[0]!.v.split(' on ')[0]!;

const backends = async (): Promise<number[]> =>
  (
    await db.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    )
  ).rows.map((r) => r.pid);

const child = spawn(process.execPath, ['--import', 'tsx', here('./floor-server.ts')], {
  stdio: ['pipe', 'pipe', 'inherit'],
  env: { ...process.env, DATABASE_URL: databaseUrl },
});
const port = await new Promise<number>((resolve, reject) => {
  createInterface({ input: child.stdout }).on('line', (line) => {
    const m = /^\{"port":(\d+)\}$/.exec(line.trim());
    if (m) resolve(Number(m[1]));
  });
  child.once('exit', (code) => reject(new Error(`the floor server exited with code ${code}`)));
});
const client = new Client('127.0.0.1', port, Math.max(...concurrencies));

const ok = (status: number): string | null => (status < 300 ? null : String(status));
let next = 0;
const floors: { name: string; what: string; step: Step }[] = [
  {
    name: 'answer without the database',
    what: 'GET /static',
    step: async () => ok((await client.request({ method: 'GET', path: '/static' })).status),
  },
  {
    name: 'one read statement',
    what: 'GET /read/:patientId',
    step: async () => {
      const id = patients[next++ % patients.length]!;
      return ok((await client.request({ method: 'GET', path: `/read/${id}` })).status);
    },
  },
  {
    name: "the product's read statement",
    what: 'GET /session-read/:patientId',
    step: async () => {
      const id = patients[next++ % patients.length]!;
      return ok((await client.request({ method: 'GET', path: `/session-read/${id}` })).status);
    },
  },
  {
    name: 'one committed write',
    what: 'PUT /write/:n',
    step: async (worker) =>
      ok(
        (await client.request({ method: 'PUT', path: `/write/${worker % WRITE_ROWS}`, body: sample })).status,
      ),
  },
];

const rows: string[] = [];
const loadBefore = await loadAverage();
for (const floor of floors) {
  for (const concurrency of concurrencies) {
    const result: LoadResult = await runLoad({
      concurrency,
      seconds,
      warmupSeconds: 2,
      step: floor.step,
      serverPid: child.pid,
      dbPids: backends,
    });
    const ms = (s: number | null): string => (s === null ? '–' : ((s * 1000) / result.requests).toFixed(2));
    const row = `| ${floor.name} (\`${floor.what}\`) | ${concurrency} | ${Math.round(result.rps).toLocaleString('en-US')} | ${result.p50.toFixed(2)} | ${result.p99.toFixed(1)} | ${result.errors} | ${ms(result.cpuSeconds.server)} / ${ms(result.cpuSeconds.db)} / ${ms(result.cpuSeconds.client)} | ${Math.round((result.cpuSeconds.machine / result.seconds) * 100)} |`;
    console.log(row);
    rows.push(row);
  }
}
const loadAfter = await loadAverage();
client.close();
child.kill('SIGTERM');
await db.end();

const text = `# The floor of this machine

- Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC (\`npm run bench:floor\`)
- Machine: ${machineLine()}; load average ${loadBefore ?? '?'} at the start, ${loadAfter ?? '?'} at the end
- ${version}, ${databaseUrl.replace(/\/\/[^@]*@/, '//')}; Fastify and node-postgres (pool of 8, named prepared statements), as in the product
- Each cell: ${seconds} s measured after 2 s warm-up, closed loop, server in a child process and load generator in this one (bench/load.ts, as \`npm run bench\`)

What a server of this design answers when it does almost nothing (bench/floor-server.ts): no access decision, no access log, no validation. The product's contract read and update do all of that on top, so they cannot go above these rows. "The product's read statement" is the one statement a contract read sends before its log entry (the session, the access facts and the whole overview, \`store/prefetch-store.ts\`), through the product's store but without the rest of the product: the database's share of a read. Goals of \`npm run bench\` on PostgreSQL: ≥ ${GOALS.readsPerSecond.toLocaleString('en-US')} reads/s at p99 ≤ ${GOALS.readP99Ms} ms, ≥ ${GOALS.updatesPerSecond} updates/s.

| Floor | Conc. | Requests/s | p50 ms | p99 ms | Errors | CPU ms/request: server / db / client | Machine CPU % |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}
`;
await mkdir(dirname(out), { recursive: true });
await writeFile(out, text);
console.log(`\nWritten to ${out}`);
process.exit(0);
