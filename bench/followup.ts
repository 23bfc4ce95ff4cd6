/**
 * npm run bench:followup [-- --engines postgres,pglite] [-- --scale 1] [-- --import-rows 1000000]
 *
 * The follow-up benchmark: a generated region of 465,000 listed inhabitants at 44
 * vårdcentraler with 10,000,000 visits over two years (scale 1), made on the database server
 * with generate_series (seconds, not the demo generator's hours). Then it measures:
 *
 * 1. import rate: a CSV file of `--import-rows` visits through the real import (npm run import's
 *    path: CSV split, row checks, binary COPY into staging on PostgreSQL), then the same file again
 *    (every row a duplicate); the imported rows are removed afterwards; three such rounds;
 * 2. continuity per unit for the whole region over 18 months (the SQL and the means);
 * 3. the full yearly report (every section, monthly trends).
 *
 * Goals on PostgreSQL: import ≥ 300,000 rows/s, continuity ≤ 5 s, report ≤ 15 s. PGlite runs at
 * a smaller scale by default (`--pglite-scale`, 0.1). Writes bench/results/followup.md.
 * The region is kept between runs (BENCH_FOLLOWUP_DATABASE_URL, default database
 * bench_followup; PGlite in bench/data/followup-pglite) and reused when it has the wanted size.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultContinuitySettings, meanIndices } from '../src/domain/continuity.ts';
import { windowEnding, yearPeriod } from '../src/domain/followup.ts';
import { buildFollowupReport } from '../src/services/followup-service.ts';
import { runImport } from '../src/services/import-reader.ts';
import { migrate, openDb, type Db } from '../src/store/db.ts';
import { createFollowupStore } from '../src/store/followup-store.ts';
import { createImportStore } from '../src/store/import-store.ts';
import { ensurePostgresDatabase } from './db.ts';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const { values: flags } = parseArgs({
  options: {
    engines: { type: 'string' },
    scale: { type: 'string' },
    'pglite-scale': { type: 'string' },
    'import-rows': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (flags.help) {
  console.log(
    'npm run bench:followup [-- --engines postgres,pglite] [--scale 1] [--pglite-scale 0.1] [--import-rows N]',
  );
  process.exit(0);
}
const settings = {
  engines: (flags.engines ?? 'postgres,pglite').split(',').map((e) => e.trim()),
  scale: Number(flags.scale ?? 1),
  pgliteScale: Number(flags['pglite-scale'] ?? 0.1),
  importRows: Number(flags['import-rows'] ?? 1_000_000),
  databaseUrl: process.env.BENCH_FOLLOWUP_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/bench_followup',
  pgliteDir: here('./data/followup-pglite'),
};
const INHABITANTS = 465_000;
const UNITS = 44;
const YEAR = 2025;
const log = (line: string): void => console.log(line);

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - started) / 1000 };
}

const RUNS = 3;

/**
 * `fn` run RUNS times: the median, and the first run (the caches as the import left them). One
 * run alone moved by a second between runs on this 2-core machine.
 */
async function timedRuns<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; first: number }> {
  const runs: { value: T; seconds: number }[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await timed(fn));
  const median = [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(RUNS / 2)]!;
  return { ...median, first: runs[0]!.seconds };
}

/** Generates the region on the server: directory, inhabitants, register, contracts, visits. */
async function generateRegion(db: Db, inhabitants: number): Promise<void> {
  const unit = (i: string) => `'BENCH-V' || lpad((1 + (${i} * 7 % ${UNITS}))::text, 3, '0')`;
  const nphys = (i: string) => `(3 + (1 + (${i} * 7 % ${UNITS})) % 8)`;
  const steps: [string, string][] = [
    [
      'directory',
      `insert into care_provider (id, name, kind, huvudman) values
         ('BENCH-R', 'Region Benchmark', 'region', 'Region Benchmark'),
         ('BENCH-K', 'Benchkommunen', 'kommun', 'Benchkommunen') on conflict do nothing;
       insert into care_unit (id, provider_id, name, kind)
         select 'BENCH-V' || lpad(u::text, 3, '0'), 'BENCH-R', 'Vårdcentral ' || u, 'vardcentral' from generate_series(1, ${UNITS}) u
         union all select 'BENCH-S' || lpad(s::text, 3, '0'), 'BENCH-K', 'SÄBO ' || s, 'sabo' from generate_series(1, 30) s
         on conflict do nothing;
       insert into staff (id, given_name, family_name, profession)
         select 'BENCH-V' || lpad(u::text, 3, '0') || '-L' || k, 'Läkare', 'Nr ' || k, 'lakare'
           from generate_series(1, ${UNITS}) u, generate_series(1, 3 + u % 8) k
         union all select 'BENCH-V' || lpad(u::text, 3, '0') || '-S1', 'Sjuksköterska', 'Nr 1', 'sjukskoterska'
           from generate_series(1, ${UNITS}) u
         on conflict do nothing;
       insert into staff_unit (staff_id, unit_id) select id, substr(id, 1, 10) from staff where id like 'BENCH-V%'
         on conflict do nothing;`,
    ],
    [
      'inhabitants (the listing history by trigger)',
      `insert into patient (id, identifier, identifier_kind, given_name, family_name, birth_date, listed_unit_id, listed_since)
       select md5('bench' || i)::uuid, 'PK' || lpad(i::text, 10, '0'), 'reservnummer', 'Bench', 'Person ' || i,
              date '1930-01-01' + (i * 37 % 30000), ${unit('i')}, date '2012-01-01' + (i % 3000)
         from generate_series(1, ${inhabitants}) i`,
    ],
    [
      'diagnoses, fast läkarkontakt, SÄBO',
      `insert into patient_diagnosis (patient_id, icd10)
         select md5('bench' || i)::uuid, d from generate_series(1, ${inhabitants}) i,
                lateral (values ('J44', i % 13 = 0), ('E11', i % 9 = 0), ('I50', i % 17 = 0)) as x(d, has) where has;
       insert into care_contact (patient_id, role, staff_id, unit_id, status, start_date, created_by)
         select md5('bench' || i)::uuid, 'fast-lakarkontakt', ${unit('i')} || '-L' || (1 + i % ${nphys('i')}),
                ${unit('i')}, 'active', date '2018-01-01' + (i % 2500), 'bench'
           from generate_series(1, ${inhabitants}) i where (i * 31 % 100) < 49 or (i % 64 = 0 and i % 5 <> 0);
       insert into register_period (patient_id, kind, unit_id, valid_from)
         select md5('bench' || i)::uuid, 'sabo', 'BENCH-S' || lpad((1 + i % 30)::text, 3, '0'), date '2021-01-01' + (i % 1400)
           from generate_series(1, ${inhabitants}) i where i % 64 = 0;`,
    ],
    [
      'contracts',
      `insert into contract (id, patient_id, status, version, content, review_date, next_contact_at, created_by,
                             created_at, updated_by, owner_unit_id)
         select md5('contract' || i)::uuid, md5('bench' || i)::uuid, 'active', 1, c.content,
                (c.content ->> 'reviewDate')::date, (c.content #>> '{nextContact,at}')::timestamptz, 'bench',
                timestamptz '2024-01-01 09:00+00' + (i % 700) * interval '1 day', 'bench', ${unit('i')}
           from generate_series(20, ${inhabitants}, 20) i,
           lateral (select jsonb_build_object(
             'whatMatters', 'Att klara mig själv', 'goals', '[]'::jsonb, 'patientResponsibilities', '[]'::jsonb,
             'activities', '[]'::jsonb, 'linkedPlans', '[]'::jsonb, 'ifWorse', 'Ring vårdcentralen',
             'reviewDate', to_char(date '2025-06-01' + (i % 400), 'YYYY-MM-DD'),
             'nextContact', jsonb_build_object('at', to_char(timestamptz '2025-10-01 08:00+00' + (i % 200) * interval '1 day',
                   'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'unitId', ${unit('i')}, 'mode', 'besok',
                   'agreement', case when i % 10 < 7 then 'overenskommen' else 'erbjuden' end),
             'answers', case when i % 3 = 0 then jsonb_build_object('questionSetId', 'skr-7-fragor-patient',
                   'questionSetVersion', 1, 'answeredAt', to_char(timestamptz '2025-01-10 10:00+00' + (i % 300) * interval '1 day',
                   'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   'items', (select jsonb_agg(jsonb_build_object('questionId', 'p' || q,
                              'answer', case when (i + q * 7) % 10 < 6 then 'ja' else 'nej' end)) from generate_series(1, 7) q))
               else null end) as content) c;
       insert into contract_version (contract_id, version, status, content, changed_at, actor_kind, actor_id, actor_name, changes)
         select id, 1, status, content, created_at, 'staff', 'bench', 'Bench', '[]' from contract where created_by = 'bench';
       insert into care_contact (patient_id, role, staff_id, unit_id, status, start_date, created_by)
         select patient_id, 'fast-vardkontakt', owner_unit_id || '-S1', owner_unit_id, 'active', date '2023-06-01', 'bench'
           from contract where created_by = 'bench' and abs(hashtext(id::text)) % 10 < 6;`,
    ],
    [
      'visits',
      `select visit_add_partitions(array(select visit_month(make_timestamptz(y, m, 15, 12, 0, 0, 'Europe/Stockholm'))
                                           from generate_series(2024, 2025) y, generate_series(1, 12) m));
       insert into visit (patient_id, at, staff_id, unit_id, profession, contact_type, is_assessment, sought_on)
       select md5('bench' || i)::uuid,
              timestamptz '2024-01-01 07:00+00' + (x % 730) * interval '1 day' + (x / 730 % 36) * interval '15 minutes',
              case when x / 17 % 100 < 20 then ${unit('i')} || '-S1'
                   when x % 100 < 10 + (1 + (i * 7 % ${UNITS})) * 37 % 50 then ${unit('i')} || '-L' || (1 + i % ${nphys('i')})
                   when x % 2 = 0 then ${unit('i')} || '-L' || (1 + x / 100 % ${nphys('i')})
                   else ${unit('i')} || '-H' || (1 + x / 100 % 6) end,
              ${unit('i')},
              case when x / 17 % 100 < 20 then 'sjukskoterska' else 'lakare' end,
              case when x / 7 % 100 < 75 then 'besok' when x / 7 % 100 < 88 then 'telefon'
                   when x / 7 % 100 < 95 then 'video' else 'hembesok' end,
              x / 11 % 100 < 25,
              case when x / 11 % 100 < 25 then
                (date '2024-01-01' + (x % 730)::int) - (array[0, 0, 0, 1, 1, 2, 3, 5, 8])[1 + (x / 13 % 9)::int] end
         from generate_series(1, ${inhabitants}) i
        cross join lateral generate_series(1, abs(hashint4(i)) % 44) k
        cross join lateral (select (i::bigint * 2654435761 + k * 40503 + k * k * 7919) % 1000000007 as x) h
       on conflict do nothing`,
    ],
    ['vacuum analyze', 'vacuum analyze'],
  ];
  for (const [name, sql] of steps) {
    const { seconds } = await timed(() => db.exec(sql));
    log(`  ${name}: ${seconds.toFixed(1)} s`);
  }
}

/** Writes a CSV of visits for existing inhabitants, in 2023 (outside the generated years). */
async function writeImportFile(file: string, rows: number, inhabitants: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('personnummer,tidpunkt,enhet,personal,yrke,kontakttyp,medicinsk_bedomning,sokte_vard\n');
  let chunk = '';
  for (let n = 0; n < rows; n++) {
    const i = 1 + ((n * 7919) % inhabitants);
    const u = `BENCH-V${String(1 + ((i * 7) % UNITS)).padStart(3, '0')}`;
    const day = 1 + ((n * 13) % 28);
    const month = 1 + ((n * 7) % 12);
    const date = `2023-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const minute = (n % 32) * 15;
    const time = `${String(8 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    const assess = n % 4 === 0;
    chunk += `PK${String(i).padStart(10, '0')},${date} ${time},${u},${u}-L${1 + (n % 3)},lakare,besok,${assess ? 'ja' : 'nej'},${assess ? date : ''}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

interface Result {
  engine: string;
  version: string;
  inhabitants: number;
  visits: number;
  generateSeconds: number | null;
  importRate: number;
  importFirst: number;
  reimportRate: number;
  importRows: number;
  continuitySeconds: number;
  continuityFirst: number;
  continuityUnits: number;
  reportSeconds: number;
  reportFirst: number;
}

async function benchEngine(engine: string): Promise<Result> {
  const scale = engine === 'postgres' ? settings.scale : settings.pgliteScale;
  const inhabitants = Math.round(INHABITANTS * scale);
  log(`\n== ${engine}: ${inhabitants.toLocaleString('en')} inhabitants (scale ${scale})`);
  let db: Db;
  if (engine === 'postgres') {
    await ensurePostgresDatabase(settings.databaseUrl);
    // No statement bounds: building a region of millions of visits takes single statements of minutes.
    db = await openDb({
      databaseUrl: settings.databaseUrl,
      poolSize: 8,
      timeouts: { statementMs: 0, idleInTransactionMs: 0 },
    });
  } else {
    await mkdir(settings.pgliteDir, { recursive: true });
    db = await openDb({ dataDir: settings.pgliteDir });
  }
  try {
    await migrate(db);
    const version = (
      await db.query<{ v: string }>("select current_setting('server_version') as v")
    )[0]!.v.split(' ')[0]!;
    const have = (
      await db.query<{ n: number }>("select count(*)::int as n from patient where identifier like 'PK%'")
    )[0]!.n;
    let generateSeconds: number | null = null;
    if (have < inhabitants) {
      if (have > 0)
        throw new Error(
          `the ${engine} database has ${have} bench inhabitants, not ${inhabitants}: drop it first`,
        );
      log('  generating the region …');
      generateSeconds = (await timed(() => generateRegion(db, inhabitants))).seconds;
    } else log('  reusing the generated region');
    const visits = (await db.query<{ n: number }>('select count(*)::int as n from visit'))[0]!.n;
    log(`  ${visits.toLocaleString('en')} visits`);

    const importRows = Math.round(settings.importRows * (engine === 'postgres' ? 1 : settings.pgliteScale));
    const file = here(`./data/followup-import-${importRows}.csv`);
    await mkdir(here('./data'), { recursive: true });
    await writeImportFile(file, importRows, inhabitants);
    const request = {
      kind: 'visits' as const,
      format: 'csv' as const,
      mode: 'all-or-nothing' as const,
      source: 'bench',
      actorId: 'bench',
      unitId: null,
      now: new Date(),
    };
    const imports = createImportStore(db);
    // An import and its re-import, then the rows removed, as a round; RUNS rounds.
    const rounds: { imported: number; seconds: number; again: number; againSeconds: number }[] = [];
    for (let round = 0; round < RUNS; round++) {
      const first = await timed(() => runImport(imports, createReadStream(file), request));
      if (first.value.errorCount > 0)
        throw new Error(`import errors: ${JSON.stringify(first.value.errors.slice(0, 3))}`);
      const again = await timed(() => runImport(imports, createReadStream(file), request));
      log(
        `  import: ${first.value.imported.toLocaleString('en')} rows in ${first.seconds.toFixed(2)} s; ` +
          `re-import: ${again.value.skippedDuplicates.toLocaleString('en')} duplicates in ${again.seconds.toFixed(2)} s`,
      );
      rounds.push({
        imported: first.value.imported,
        seconds: first.seconds,
        again: again.value.skippedDuplicates,
        againSeconds: again.seconds,
      });
      await db.query('delete from visit where import_id = $1', [first.value.importId]);
      // The import made the partition of its months (before the generated years): dropped, so
      // that the next import takes the same way (docs/imports.md, "Partitions").
      for (const { name } of await db.query<{ name: string }>(
        `select name from visit_partition where ends <= visit_month('2024-01-15')`,
      ))
        await db.exec(`drop table "${name}"`);
      // As docs/operations.md says after a large import (or its removal): the deletes rebuilt the
      // packed rows of every patient they touched, and visit_series is read whole.
      if (engine === 'postgres') {
        await db.exec('vacuum analyze visit');
        await db.exec('vacuum full analyze visit_series');
      }
    }
    await rm(file);
    const median = (values: number[]): number =>
      [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    const importRate = median(rounds.map((r) => r.imported / r.seconds));
    const reimportRate = median(rounds.map((r) => r.again / r.againSeconds));
    const importFirst = rounds[0]!.imported / rounds[0]!.seconds;
    log(
      `  import: ${Math.round(importRate).toLocaleString('en')} rows/s (median of ${RUNS}; first ` +
        `${Math.round(importFirst).toLocaleString('en')}); re-import ${Math.round(reimportRate).toLocaleString('en')} rows/s`,
    );

    const store = createFollowupStore(db);
    const window = windowEnding(`${YEAR}-12-31`, defaultContinuitySettings.windowMonths);
    const continuity = await timedRuns(async () => {
      const rows = await store.continuity(window, defaultContinuitySettings);
      const units = [...new Set(rows.map((r) => r.unitId))].filter((u) => u !== null);
      return units.map((u) =>
        meanIndices(
          rows.filter((r) => r.unitId === u),
          defaultContinuitySettings.minVisits,
        ),
      );
    });
    const cocs = continuity.value.map((m) => m?.coc ?? 0);
    log(
      `  continuity, ${continuity.value.length} units: ${continuity.seconds.toFixed(2)} s ` +
        `(median of ${RUNS}; first ${continuity.first.toFixed(2)} s) ` +
        `(COC ${Math.min(...cocs).toFixed(2)}–${Math.max(...cocs).toFixed(2)})`,
    );
    const report = await timedRuns(() => buildFollowupReport(store, { period: yearPeriod(YEAR) }));
    log(
      `  yearly report, ${report.value.tables.length} tables: ${report.seconds.toFixed(2)} s ` +
        `(median of ${RUNS}; first ${report.first.toFixed(2)} s)`,
    );
    return {
      engine,
      version,
      inhabitants,
      visits,
      generateSeconds,
      importRate,
      importFirst,
      reimportRate,
      importRows,
      continuitySeconds: continuity.seconds,
      continuityFirst: continuity.first,
      continuityUnits: continuity.value.length,
      reportSeconds: report.seconds,
      reportFirst: report.first,
    };
  } finally {
    await db.close();
  }
}

function markdown(results: Result[], started: Date): string {
  const n = (v: number): string => Math.round(v).toLocaleString('en');
  const goal = (r: Result, value: string, ok: boolean, text: string): string =>
    r.engine === 'postgres' ? `${value} (goal ${text}: ${ok ? 'met' : 'not met'})` : value;
  const lines = [
    '# Follow-up benchmark',
    '',
    `${started.toISOString().slice(0, 16).replace('T', ' ')} UTC, \`npm run bench:followup\`; ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}. Client, server and database share the machine.`,
    '',
    '| engine | inhabitants | visits | import rows/s | re-import rows/s | continuity, whole region | yearly report |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.engine === 'postgres' ? `PostgreSQL ${r.version}` : `PGlite (PostgreSQL ${r.version})`} | ${n(r.inhabitants)} | ${n(r.visits)} | ` +
        `${goal(r, n(r.importRate), r.importRate >= 300_000, '≥ 300,000')} (first run ${n(r.importFirst)}) | ${n(r.reimportRate)} | ` +
        `${goal(r, `${r.continuitySeconds.toFixed(2)} s`, r.continuitySeconds <= 5, '≤ 5 s')} (${r.continuityUnits} units; first run ${r.continuityFirst.toFixed(2)} s) | ` +
        `${goal(r, `${r.reportSeconds.toFixed(2)} s`, r.reportSeconds <= 15, '≤ 15 s')} (first run ${r.reportFirst.toFixed(2)} s) |`,
    ),
    '',
    'Import: a CSV of ' +
      results.map((r) => `${n(r.importRows)} visits (${r.engine})`).join(', ') +
      ' through the real import path (stream, CSV split, row checks, binary COPY/batched inserts into staging, resolve, insert), ' +
      'then the same file again (all duplicates), and the rows removed: the median of ' +
      RUNS +
      ' such rounds, and the first. Continuity and report: the median of ' +
      RUNS +
      ' runs, and the first run. ' +
      'Continuity: COC/UPC/MMCI/SECON per unit over 18 months ending ' +
      `${YEAR}-12-31, patients with ≥ 3 physician visits. Report: every section for ${YEAR} with monthly trends.`,
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = new Date();
  const results: Result[] = [];
  for (const engine of settings.engines) {
    if (engine !== 'postgres' && engine !== 'pglite') throw new Error(`unknown engine ${engine}`);
    results.push(await benchEngine(engine));
  }
  const text = markdown(results, started);
  const file = here('./results/followup.md');
  await mkdir(here('./results'), { recursive: true });
  const previous = await readFile(file, 'utf8').catch(() => '');
  await writeFile(file, text);
  log(`\n${text}\nWritten to bench/results/followup.md${previous ? ' (replacing the previous run)' : ''}.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
