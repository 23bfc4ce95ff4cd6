/**
 * Prepares one engine's database for the benchmark: creates the PostgreSQL database if it is
 * missing, migrates, seeds the demo region up to the wanted number of patients (a database
 * that already has as many is reused), and picks the staff and the patients they may read.
 * Runs in the parent process and closes the database before the server child opens it (PGlite
 * is one process's database).
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import pg from 'pg';
import type { ContractContent, ContractStatus } from '../src/domain/contract.ts';
import { seedDemo } from '../src/seed/generate.ts';
import { migrate, openDb, type Db, type DbOptions } from '../src/store/db.ts';

export type Engine = 'postgres' | 'pglite';

export interface EngineTarget {
  engine: Engine;
  /** postgres://… for PostgreSQL. */
  databaseUrl?: string;
  /** The PGlite folder. */
  dataDir?: string;
}

/** A member of staff, the unit they act from, and patients listed there with a current contract. */
export interface StaffPick {
  hsaId: string;
  unitId: string;
  patientIds: string[];
}

export interface CurrentContract {
  patientId: string;
  version: number;
  status: ContractStatus;
  content: ContractContent;
}

export interface Prepared {
  /** e.g. "PostgreSQL 15.20" or "PGlite 0.5.16 (PostgreSQL 17.5)". */
  version: string;
  patients: number;
  /** Patients written by this run (0 when the database was reused). */
  seeded: number;
  seedSeconds: number;
  staff: StaffPick[];
  /** The current contracts of the last patients of each staff member's list, for updates. */
  writes: (CurrentContract & { staff: number })[];
}

/** Creates the database named in `url` when it does not exist, connecting to `postgres`. */
export async function ensurePostgresDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new Error(`BENCH_DATABASE_URL names no database: ${url}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * A new schema `<prefix>_<random>` of the PostgreSQL database at `url`, migrated, for one run;
 * closing the answer closes the pool and drops the schema.
 */
export async function openScratchSchema(
  url: string,
  prefix: string,
  options: Pick<DbOptions, 'poolSize' | 'timeouts'>,
): Promise<Db> {
  const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const db = await openDb({ databaseUrl: url, schema, ...options });
  await migrate(db);
  return {
    ...db,
    async close() {
      await db.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

async function open(target: EngineTarget): Promise<Db> {
  if (target.engine === 'postgres') {
    if (!target.databaseUrl) throw new Error('no database URL');
    await ensurePostgresDatabase(target.databaseUrl);
    // No statement bounds: seeding and `vacuum analyze` of a large region take minutes.
    return openDb({
      databaseUrl: target.databaseUrl,
      poolSize: 4,
      timeouts: { statementMs: 0, idleInTransactionMs: 0 },
    });
  }
  if (!target.dataDir) throw new Error('no PGlite folder');
  await mkdir(target.dataDir, { recursive: true });
  return openDb({ dataDir: target.dataDir });
}

async function engineVersion(db: Db, pgliteVersion: string): Promise<string> {
  const rows = await db.query<{ v: string }>("select current_setting('server_version') as v");
  const server = `PostgreSQL ${rows[0]?.v.split(' ')[0] ?? '?'}`;
  return db.engine === 'pglite' ? `PGlite ${pgliteVersion} (${server})` : server;
}

/** The tables the read and update workloads write (the log, sessions, contracts and their history). */
const WRITTEN_TABLES = [
  'access_log',
  'access_log_head',
  'session',
  'contract',
  'contract_version',
  'change_event',
  'notification',
];

const unitsSql = `
with units as (
  select coalesce(c.owner_unit_id, p.listed_unit_id) as unit_id, count(*)::int as n
  from patient p join contract c on c.patient_id = p.id and c.status <> 'ended'
  where coalesce(c.owner_unit_id, p.listed_unit_id) is not null
  group by 1)
select u.unit_id as "unitId", u.n,
  (select min(s.id) from staff s join staff_unit su on su.staff_id = s.id
   where su.unit_id = u.unit_id and s.is_active) as "hsaId"
from units u order by u.n desc, u.unit_id`;

// A stable pseudo-random order, so that the read set is spread over the whole table.
const patientsSql = `
select p.id from patient p join contract c on c.patient_id = p.id and c.status <> 'ended'
where coalesce(c.owner_unit_id, p.listed_unit_id) = $1 order by md5(p.id::text) limit $2`;

/** Seeds (or reuses) the database and picks `staffCount` staff with up to `perStaff` patients each. */
export async function prepare(
  target: EngineTarget,
  options: {
    patients: number;
    staffCount: number;
    perStaff: number;
    /** How many patients the update workload needs, spread over the staff. */
    writeTotal: number;
    pgliteVersion: string;
    log: (line: string) => void;
  },
): Promise<Prepared> {
  const db = await open(target);
  try {
    await migrate(db);
    const count = async (): Promise<number> =>
      (await db.query<{ n: number }>('select count(*)::int as n from patient'))[0]?.n ?? 0;
    const before = await count();
    let seedSeconds = 0;
    if (before < options.patients) {
      options.log(`  seeding ${options.patients.toLocaleString('en')} patients (found ${before}) …`);
      const started = performance.now();
      let lastLog = started;
      await seedDemo(db, {
        patients: options.patients,
        today: new Date(),
        onProgress: (done) => {
          const now = performance.now();
          if (now - lastLog < 5000) return;
          lastLog = now;
          const rate = Math.round(done / ((now - started) / 1000));
          options.log(
            `    ${done.toLocaleString('en')} / ${options.patients.toLocaleString('en')} (${rate}/s)`,
          );
        },
      });
      await db.exec('vacuum analyze');
      seedSeconds = (performance.now() - started) / 1000;
      options.log(`  seeded in ${seedSeconds.toFixed(1)} s`);
    } else {
      // Earlier runs left dead rows in the tables the workloads write; a server without
      // autovacuum (or a slow one) would carry them into this run's figures.
      await db.exec(`vacuum analyze ${WRITTEN_TABLES.join(', ')}`);
      options.log(
        `  reusing the database: ${before.toLocaleString('en')} patients (written tables vacuumed)`,
      );
    }
    const patients = await count();

    const units = await db.query<{ unitId: string; n: number; hsaId: string | null }>(unitsSql);
    const staff: StaffPick[] = [];
    for (const unit of units) {
      if (staff.length >= options.staffCount) break;
      if (!unit.hsaId) continue;
      const rows = await db.query<{ id: string }>(patientsSql, [unit.unitId, options.perStaff]);
      staff.push({ hsaId: unit.hsaId, unitId: unit.unitId, patientIds: rows.map((r) => r.id) });
    }
    if (staff.length === 0) throw new Error('no unit has staff and listed patients with a current contract');
    const writes: Prepared['writes'] = [];
    const writePerStaff = Math.ceil(options.writeTotal / staff.length);
    for (const [index, pick] of staff.entries()) {
      const ids = pick.patientIds.slice(-writePerStaff);
      const rows = await db.query<CurrentContract>(
        `select patient_id as "patientId", version, status, content from contract
         where patient_id = any($1::uuid[]) and status <> 'ended' order by md5(patient_id::text)`,
        [ids],
      );
      writes.push(...rows.map((row) => ({ ...row, staff: index })));
    }
    return {
      version: await engineVersion(db, options.pgliteVersion),
      patients,
      seeded: patients - before,
      seedSeconds,
      staff,
      writes,
    };
  } finally {
    await db.close();
  }
}
