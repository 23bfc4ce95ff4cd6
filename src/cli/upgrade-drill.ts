/**
 * `npm run drill:upgrade -- --base <git ref> [--patients N] [--access-log N]`: times the
 * migrations an upgrade runs, on a copy of a large database (docs/operations.md, "Upgrades").
 *
 *  1. The release being upgraded from (`--base`, a commit or tag) is unpacked from git into a
 *     scratch folder (`git archive`; nothing in this checkout changes) and builds its own
 *     database on PostgreSQL: its migrations, then its demo generator with N patients (the
 *     benchmark region's shape), then `--access-log` rows in the access log (filler for size:
 *     migrations that index the log meet a log of that size; the rows are no valid chain).
 *  2. A copy of that database (`create database … template …`), as a region upgrades a copy
 *     before its production database.
 *  3. This checkout's migrations on the copy, each timed; then a count of the copy's rows.
 *
 * DRILL_DATABASE_URL (or DATABASE_URL, TEST_DATABASE_URL): a PostgreSQL server where the user
 * may create databases. `--keep` leaves both databases for a look afterwards.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { migrate, openDb } from '../store/db.ts';
import {
  copyDatabase,
  createDatabase,
  databaseUrlFor,
  dropDatabase,
  fillAccessLog,
  tableCounts,
} from '../store/drill-store.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 ** 2,
    shell: false,
  });
  if (result.error) throw result.error;
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}): ${result.stdout}${result.stderr}`,
    );
  return result.stdout;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      patients: { type: 'string', default: '20000' },
      'access-log': { type: 'string', default: '0' },
      keep: { type: 'boolean', default: false },
    },
  });
  const server = process.env.DRILL_DATABASE_URL || process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!values.base || !server) {
    console.error(
      'Användning: DRILL_DATABASE_URL=postgres://… npm run drill:upgrade -- --base <git-ref> [--patients N] [--access-log N] [--keep]',
    );
    process.exitCode = 1;
    return;
  }
  const patients = Number(values.patients);
  const accessLogRows = Number(values['access-log']);
  const suffix = randomBytes(4).toString('hex');
  const names = { old: `pk_upgrade_old_${suffix}`, copy: `pk_upgrade_copy_${suffix}` };
  const work = await mkdtemp(join(tmpdir(), 'pk-upgrade-drill-'));
  const base = run('git', ['rev-parse', '--short', values.base]).trim();
  try {
    // 1. The old release's own database.
    let started = performance.now();
    const archive = join(work, 'base.tar');
    run('git', ['archive', '--format=tar', `--output=${archive}`, base]);
    const release = join(work, 'release');
    run('mkdir', ['-p', release]);
    run('tar', ['-xf', archive, '-C', release]);
    await symlink(join(ROOT, 'node_modules'), join(release, 'node_modules'));
    await createDatabase(server, names.old);
    const oldUrl = databaseUrlFor(server, names.old);
    run(process.execPath, ['--import', 'tsx', 'src/cli/seed.ts', '--patients', String(patients)], {
      cwd: release,
      env: { ...process.env, DATABASE_URL: oldUrl, NODE_ENV: 'development' },
    });
    const old = await openDb({ databaseUrl: oldUrl, poolSize: 2 });
    // Bulk: millions of rows in one statement, beyond the statement timeout of requests.
    if (accessLogRows > 0) await old.transaction((tx) => fillAccessLog(tx, accessLogRows), { isBulk: true });
    const oldMigrations = await old.query<{ name: string }>(
      'select name from schema_migration order by name',
    );
    await old.close();
    const built = performance.now() - started;
    console.log(
      `Release ${base}: ${oldMigrations.length} migrations, ${patients} patients, ${accessLogRows} access-log rows (${seconds(built)}).`,
    );

    // 2. The copy.
    started = performance.now();
    await copyDatabase(server, names.old, names.copy);
    console.log(`Copy: ${seconds(performance.now() - started)}.`);

    // 3. This checkout's migrations on the copy, timed.
    const copy = await openDb({ databaseUrl: databaseUrlFor(server, names.copy), poolSize: 2 });
    const timings: { name: string; ms: number }[] = [];
    started = performance.now();
    await migrate(copy, { onApplied: (name, ms) => timings.push({ name, ms }) });
    const total = performance.now() - started;
    const counts = await tableCounts(copy);
    const [size] = await copy.query<{ size: string }>(
      'select pg_size_pretty(pg_database_size(current_database())) as size',
    );
    await copy.close();
    const rows = Object.values(counts).reduce((n, c) => n + c, 0);
    console.log(`\n| migration | time |\n|---|---|`);
    for (const t of timings) console.log(`| ${t.name} | ${(t.ms / 1000).toFixed(2)} s |`);
    console.log(`| all ${timings.length} | ${(total / 1000).toFixed(2)} s |`);
    console.log(
      `\nFrom ${base} (${patients} patients, ${accessLogRows} access-log rows): ${timings.length} migrations in ${seconds(total)}; the upgraded copy holds ${rows} rows in ${Object.keys(counts).length} tables, ${size?.size}; patients ${counts.patient}, access_log ${counts.access_log}.`,
    );
  } finally {
    if (!values.keep) {
      await dropDatabase(server, names.copy).catch(() => undefined);
      await dropDatabase(server, names.old).catch(() => undefined);
    }
    await rm(work, { recursive: true, force: true });
  }
}

await main();
