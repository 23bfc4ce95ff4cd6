/**
 * Two checkouts in one process: `npx tsx bench/inproc-ab.ts DIR_A DIR_B [--rounds 20] [--block 300]`
 * builds each checkout's app (its own `src/app.ts`) on ONE database handle, logs four staff members
 * in, and times blocks of `GET /api/patients/:id/overview` through `app.inject()`, A B then B A,
 * round after round. Each block's CPU time (process.cpuUsage: JavaScript and, on PGlite, the
 * database) is divided by its requests; the report is the median A/B ratio with its range.
 *
 * Why next to `npm run bench`'s baseline comparison: on a machine that other work keeps busy, two
 * server processes measured one after the other see different neighbours; here both variants run on
 * the same core, the same database pages and the same sessions, within a second of each other.
 * What it leaves out: HTTP parsing and sockets (inject), and concurrency.
 *
 * The database: BENCH_DATABASE_URL (PostgreSQL), else the PGlite folder BENCH_PGLITE_DIR
 * (default bench/data/pglite), seeded by `npm run bench` first. It migrates nothing: the database
 * must already be at the newer checkout's migrations, and the older must read it unchanged.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type * as AppModule from '../src/app.ts';
import type * as AuditKeyModule from '../src/services/audit-key.ts';
import type * as ConfigModule from '../src/config.ts';
import type * as DbModule from '../src/store/db.ts';
import type * as GenerateModule from '../src/seed/generate.ts';

type App = Awaited<ReturnType<typeof AppModule.buildApp>>['app'];
interface Variant {
  label: string;
  app: App;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '20' }, block: { type: 'string', default: '300' } },
});
const [dirA, dirB] = positionals;
if (!dirA || !dirB) throw new Error('usage: npx tsx bench/inproc-ab.ts DIR_A DIR_B [--rounds N] [--block N]');
const rounds = Number(values.rounds);
const blockSize = Number(values.block);

const here = fileURLToPath(new URL('.', import.meta.url));
const { openDb } = (await import(`${dirA}/src/store/db.ts`)) as typeof DbModule;
const db = await openDb({
  databaseUrl: process.env.BENCH_DATABASE_URL,
  dataDir: process.env.BENCH_PGLITE_DIR ?? `${here}data/pglite`,
});

/** The app of the checkout in `dir`, on the shared database. */
async function appOf(dir: string): Promise<App> {
  const { buildApp } = (await import(`${dir}/src/app.ts`)) as typeof AppModule;
  const { readConfig } = (await import(`${dir}/src/config.ts`)) as typeof ConfigModule;
  const { loadAuditKey } = (await import(`${dir}/src/services/audit-key.ts`)) as typeof AuditKeyModule;
  const { demoUsers } = (await import(`${dir}/src/seed/generate.ts`)) as typeof GenerateModule;
  const config = readConfig();
  const { app } = await buildApp({
    db,
    config,
    auditKey: await loadAuditKey(config),
    demoUsers: {
      staffIds: demoUsers.staff.map((s) => s.hsaId),
      patientIdentifiers: demoUsers.patients.map((p) => p.personnummer),
    },
  });
  return app;
}

const variants: [Variant, Variant] = [
  { label: dirA, app: await appOf(dirA) },
  { label: dirB, app: await appOf(dirB) },
];

// The four units holding the most current plans, a member of staff at each, 300 of their patients.
const units = await db.query<{ unitId: string; hsaId: string }>(`with units as (
  select coalesce(c.owner_unit_id, p.listed_unit_id) as unit_id, count(*)::int as n
  from patient p join contract c on c.patient_id = p.id and c.status <> 'ended'
  where coalesce(c.owner_unit_id, p.listed_unit_id) is not null group by 1)
select u.unit_id as "unitId", (select min(s.id) from staff s join staff_unit su on su.staff_id = s.id
  where su.unit_id = u.unit_id and s.is_active) as "hsaId"
from units u order by u.n desc, u.unit_id limit 4`);
const sessions: { cookie: string; patientIds: string[] }[] = [];
for (const unit of units) {
  const res = await variants[0].app.inject({
    method: 'POST',
    url: '/auth/dev/login',
    payload: { hsaId: unit.hsaId, unitId: unit.unitId },
  });
  const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
  const rows = await db.query<{ id: string }>(
    `select p.id from patient p join contract c on c.patient_id = p.id and c.status <> 'ended'
     where coalesce(c.owner_unit_id, p.listed_unit_id) = $1 order by md5(p.id::text) limit 300`,
    [unit.unitId],
  );
  sessions.push({ cookie, patientIds: rows.map((r) => r.id) });
}

/** CPU milliseconds per request over one block of overview reads. */
async function block(variant: Variant): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < blockSize; i++) {
    const session = sessions[i % sessions.length]!;
    const id = session.patientIds[(i * 7919) % session.patientIds.length]!;
    const res = await variant.app.inject({
      method: 'GET',
      url: `/api/patients/${id}/overview`,
      headers: { cookie: session.cookie },
    });
    if (res.statusCode !== 200)
      throw new Error(`${variant.label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / blockSize;
}

await block(variants[0]);
await block(variants[1]); // warm-up
const ratios: number[] = [];
const sums = [0, 0];
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? [0, 1] : [1, 0];
  const ms = [0, 0];
  for (const index of order) ms[index] = await block(variants[index]!);
  sums[0]! += ms[0]!;
  sums[1]! += ms[1]!;
  ratios.push(ms[0]! / ms[1]!);
  console.log(
    `round ${round + 1}: A ${ms[0]!.toFixed(2)} ms, B ${ms[1]!.toFixed(2)} ms, A/B ${(ms[0]! / ms[1]!).toFixed(3)}`,
  );
}
ratios.sort((x, y) => x - y);
console.log(
  `CPU ms per overview read: A ${(sums[0]! / rounds).toFixed(2)}, B ${(sums[1]! / rounds).toFixed(2)}; ` +
    `A/B median ${ratios[Math.floor(rounds / 2)]!.toFixed(3)} (range ${ratios[0]!.toFixed(3)}–${ratios.at(-1)!.toFixed(3)}, ${rounds} rounds of ${blockSize})`,
);
for (const variant of variants) await variant.app.close();
await db.close();
