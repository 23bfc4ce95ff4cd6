/**
 * `npm run drill:restore -- [--engine postgres|pglite|both] [--patients N]`: the backup and
 * restore drill of docs/operations.md, timed, on a scratch database of its own (never the
 * configured one):
 *
 *  1. a source database: migrations, the demo region with N patients, and access-log entries
 *     written as the server writes them, with checkpoints outside the database;
 *  2. the backup as docs/operations.md prescribes it: `pg_dump --format=custom` on PostgreSQL,
 *     a copy of the stopped DATA_DIR on PGlite;
 *  3. the server goes on after the backup: more entries, another checkpoint (the disaster comes
 *     later);
 *  4. the restore into a fresh database (`pg_restore`; the copy put back as a new DATA_DIR);
 *  5. `npm run audit:verify` on the restored database with the live checkpoint file: it must
 *     say the chain is whole and ends at the backup (exit 2, "ends early", with the entries lost
 *     since), not tampered; and with the checkpoints of backup time, intact (exit 0);
 *  6. every table's row count of the restored database against the source at backup time.
 *
 * PostgreSQL: DRILL_DATABASE_URL (or DATABASE_URL, or TEST_DATABASE_URL), a server where the
 * user may create databases; pg_dump and pg_restore on the PATH (PG_BIN: their folder).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { AccessLogEntry } from '../domain/access-log.ts';
import { startCheckpoints } from '../services/audit-checkpoint.ts';
import { DEVELOPMENT_AUDIT_KEY, deriveKey } from '../services/audit-key.ts';
import { seedDemo } from '../seed/generate.ts';
import { createAccessLogStore } from '../store/access-log-store.ts';
import { migrate, openDb, type Db } from '../store/db.ts';
import {
  createDatabase,
  databaseUrlFor,
  dropDatabase,
  samplePatients,
  tableCounts,
} from '../store/drill-store.ts';

export type DrillEngine = 'postgres' | 'pglite';

export interface DrillOptions {
  engine: DrillEngine;
  patients: number;
  /** PostgreSQL: a server URL where the user may create databases. */
  serverUrl?: string | undefined;
  /** Folder of pg_dump and pg_restore (default: the PATH). */
  pgBin?: string | undefined;
  /** Access-log entries before the backup and after it. */
  entriesBefore?: number;
  entriesAfter?: number;
  log?: (line: string) => void;
}

export interface DrillReport {
  engine: DrillEngine;
  patients: number;
  /** Milliseconds per step. */
  timings: { build: number; backup: number; restore: number; verify: number; count: number };
  backupBytes: number;
  /** The access log's last seq in the backup, and after the server went on. */
  backupSeq: number;
  liveSeq: number;
  /** audit:verify on the restored database: exit code and output, with the live checkpoints … */
  verifyLive: { status: number | null; output: string };
  /** … and with the checkpoints as they were at backup time. */
  verifyAtBackup: { status: number | null; output: string };
  /** Tables whose row count differs between the source at backup time and the restore. */
  countMismatches: string[];
  tables: number;
  rows: number;
}

const KEY = DEVELOPMENT_AUDIT_KEY;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function since(started: number): number {
  return Math.round(performance.now() - started);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(command, args, { env, encoding: 'utf8', cwd: ROOT, maxBuffer: 64 * 1024 ** 2 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/** Entries as the server writes them: reads of the sampled patients by staff at their unit. */
async function writeEntries(db: Db, count: number, tag: string): Promise<number> {
  const people = await samplePatients(db, Math.max(1, Math.min(count, 500)));
  const log = createAccessLogStore(db, KEY);
  const entries: AccessLogEntry[] = [];
  for (let i = 0; i < count && people.length > 0; i++) {
    const p = people[i % people.length]!;
    entries.push({
      at: new Date().toISOString(),
      action: 'read',
      actorKind: 'staff',
      actorId: p.staffId,
      unitId: p.unitId,
      providerId: p.providerId,
      patientId: p.patientId,
      outcome: 'allowed',
      legalBasis: 'own-unit',
      isEmergency: false,
      requestId: `drill-${tag}-${i}`,
      route: 'GET /api/patients/:patientId/overview',
      detail: null,
    });
  }
  for (let i = 0; i < entries.length; i += 1000) await log.write(...entries.slice(i, i + 1000));
  return (await log.head()).seq;
}

/** Appends a checkpoint of the database's head to the file, as the server's timer does. */
async function checkpoint(db: Db, file: string): Promise<void> {
  const log = createAccessLogStore(db, KEY);
  const head = await log.head();
  const writer = startCheckpoints({
    file,
    key: deriveKey(KEY, 'access-log-checkpoint'),
    intervalSeconds: 3600,
    lastWritten: () => head,
    clock: () => new Date(),
    onError: (error) => {
      throw error;
    },
  });
  await writer.stop();
}

/** Runs the drill once; cleans up its scratch databases and files. */
export async function runRestoreDrill(options: DrillOptions): Promise<DrillReport> {
  const say = options.log ?? (() => undefined);
  const work = await mkdtemp(join(tmpdir(), 'pk-restore-drill-'));
  const suffix = randomBytes(4).toString('hex');
  const names = { source: `pk_drill_source_${suffix}`, restored: `pk_drill_restored_${suffix}` };
  const checkpoints = join(work, 'audit-checkpoints.jsonl');
  const checkpointsAtBackup = join(work, 'audit-checkpoints-at-backup.jsonl');
  const bin = (name: string): string => (options.pgBin ? join(options.pgBin, name) : name);
  const server = options.serverUrl;
  if (options.engine === 'postgres' && !server)
    throw new Error('PostgreSQL drill: set DRILL_DATABASE_URL (a server where you may create databases).');
  const urlOf = (name: string): string => databaseUrlFor(server!, name);
  const openSource = (): Promise<Db> =>
    options.engine === 'postgres'
      ? openDb({ databaseUrl: urlOf(names.source), poolSize: 4 })
      : openDb({ dataDir: join(work, 'source') });
  try {
    // 1. The source database.
    let started = performance.now();
    if (options.engine === 'postgres') await createDatabase(server!, names.source);
    let db = await openSource();
    await migrate(db);
    await seedDemo(db, { patients: options.patients, today: new Date() });
    const backupSeq = await writeEntries(db, options.entriesBefore ?? 200, 'before');
    await checkpoint(db, checkpoints);
    const sourceCounts = await tableCounts(db);
    const build = since(started);
    say(`source: ${options.patients} patients, ${backupSeq} access-log entries (${build} ms)`);

    // 2. The backup.
    started = performance.now();
    const dump = join(work, 'backup.dump');
    let backupBytes: number;
    if (options.engine === 'postgres') {
      const result = run(bin('pg_dump'), ['--format=custom', `--file=${dump}`, urlOf(names.source)]);
      if (result.status !== 0) throw new Error(`pg_dump failed: ${result.output}`);
      backupBytes = (await stat(dump)).size;
    } else {
      // PGlite: the server is stopped, DATA_DIR copied whole.
      await db.close();
      await cp(join(work, 'source'), join(work, 'backup'), { recursive: true });
      backupBytes = await folderBytes(join(work, 'backup'));
      db = await openSource();
    }
    await copyFile(checkpoints, checkpointsAtBackup);
    const backup = since(started);
    say(`backup: ${backupBytes} bytes (${backup} ms)`);

    // 3. The server goes on after the backup.
    const liveSeq = await writeEntries(db, options.entriesAfter ?? 50, 'after');
    await checkpoint(db, checkpoints);
    await db.close();

    // 4. The restore, into a fresh database.
    started = performance.now();
    let restoredEnv: NodeJS.ProcessEnv;
    if (options.engine === 'postgres') {
      await createDatabase(server!, names.restored);
      const result = run(bin('pg_restore'), [
        '--no-owner',
        '--exit-on-error',
        `--dbname=${urlOf(names.restored)}`,
        dump,
      ]);
      if (result.status !== 0) throw new Error(`pg_restore failed: ${result.output}`);
      restoredEnv = { DATABASE_URL: urlOf(names.restored), DATA_DIR: '' };
    } else {
      await cp(join(work, 'backup'), join(work, 'restored'), { recursive: true });
      restoredEnv = { DATABASE_URL: '', DATA_DIR: join(work, 'restored') };
    }
    const restore = since(started);
    say(`restore: ${restore} ms`);

    // 5. audit:verify on the restored database, as an operator runs it.
    started = performance.now();
    const verifyWith = (file: string) =>
      run(process.execPath, ['--import', 'tsx', 'src/cli/audit-verify.ts'], {
        ...process.env,
        NODE_ENV: 'development',
        AUDIT_KEY: KEY,
        AUDIT_CHECKPOINT_FILE: file,
        ...restoredEnv,
      });
    const verifyLive = verifyWith(checkpoints);
    const verify = since(started);
    const verifyAtBackup = verifyWith(checkpointsAtBackup);
    say(`audit:verify: exit ${verifyLive.status} (${verify} ms)\n${verifyLive.output}`);

    // 6. Counts.
    started = performance.now();
    const restored =
      options.engine === 'postgres'
        ? await openDb({ databaseUrl: urlOf(names.restored), poolSize: 2 })
        : await openDb({ dataDir: join(work, 'restored') });
    const restoredCounts = await tableCounts(restored);
    await restored.close();
    const count = since(started);
    const tables = new Set([...Object.keys(sourceCounts), ...Object.keys(restoredCounts)]);
    const countMismatches = [...tables].filter((t) => sourceCounts[t] !== restoredCounts[t]);
    const rows = Object.values(restoredCounts).reduce((n, c) => n + c, 0);
    say(`counts: ${tables.size} tables, ${rows} rows, ${countMismatches.length} differ (${count} ms)`);
    return {
      engine: options.engine,
      patients: options.patients,
      timings: { build, backup, restore, verify, count },
      backupBytes,
      backupSeq,
      liveSeq,
      verifyLive,
      verifyAtBackup,
      countMismatches,
      tables: tables.size,
      rows,
    };
  } finally {
    if (options.engine === 'postgres') {
      await dropDatabase(server!, names.source).catch(() => undefined);
      await dropDatabase(server!, names.restored).catch(() => undefined);
    }
    await rm(work, { recursive: true, force: true });
  }
}

async function folderBytes(dir: string): Promise<number> {
  let bytes = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) bytes += (await stat(join(entry.parentPath, entry.name))).size;
  return bytes;
}

/** Whether the drill passed: the restore verifies as a restore, and nothing is missing. */
export function drillPassed(report: DrillReport): boolean {
  return (
    report.verifyLive.status === 2 &&
    report.verifyAtBackup.status === 0 &&
    report.countMismatches.length === 0 &&
    report.liveSeq > report.backupSeq
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'both' },
      patients: { type: 'string', default: '200' },
    },
  });
  const engines: DrillEngine[] =
    values.engine === 'both' ? ['pglite', 'postgres'] : [values.engine as DrillEngine];
  const serverUrl =
    process.env.DRILL_DATABASE_URL || process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
  let isFailed = false;
  const lines = [
    '| engine | patients | build | backup | size | restore | audit:verify | counts | result |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const engine of engines) {
    if (engine === 'postgres' && !serverUrl) {
      console.warn('PostgreSQL skipped: set DRILL_DATABASE_URL.');
      continue;
    }
    console.log(`== ${engine}`);
    const report = await runRestoreDrill({
      engine,
      patients: Number(values.patients),
      serverUrl,
      pgBin: process.env.PG_BIN,
      log: (line) => console.log(line),
    });
    const ok = drillPassed(report);
    isFailed ||= !ok;
    const t = report.timings;
    lines.push(
      `| ${engine} | ${report.patients} | ${t.build} ms | ${t.backup} ms | ${(report.backupBytes / 1024 ** 2).toFixed(1)} MB | ${t.restore} ms | ${t.verify} ms (exit ${report.verifyLive.status}) | ${report.tables} tables, ${report.rows} rows, ${report.countMismatches.length} differ | ${ok ? 'ok' : 'FAILED'} |`,
    );
  }
  console.log(lines.join('\n'));
  if (isFailed) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
