/**
 * npm run bench:register [-- --persons 500000] [-- --engines postgres,pglite]
 *
 * The population import at a region's size, through the path `npm run import -- population`
 * takes (services/import-reader.ts, with the register's facts applied to patients by
 * person-status-service): one CSV file of `--persons` people (default 500,000), built from
 * Skatteverket's test personnummer (data/skatteverket-testpersonnummer.csv, 41,493 numbers) and
 * reservnummer in the region's format (RESERVNUMMER_PREFIX, PK by default, + ten digits; never
 * invented personnummer or samordningsnummer):
 *
 * - every test personnummer as a `person` row (folkbokföringen's extract): address and
 *   municipality, 1 % sekretessmarkering, 1 % skyddad folkbokföring (address dropped), 0.5 % dead;
 * - the first half of them also listed at a vårdcentral (`listning` without names: the patient is
 *   made from the register's row);
 * - the rest of the persons as reservnummer with names, listed (patients made from the row's names).
 *
 * Each engine starts from an empty, migrated database with two vårdcentraler and measures:
 * 1. the first import (everything new); 2. the same file again (nothing changes); 3. a file of
 * the person rows with 1,000 deaths more (applied to the patients, with their consequences).
 *
 * Writes bench/results/population-register.md. PostgreSQL: BENCH_POPULATION_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test), a schema of its own per run, dropped after.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeReservnummer } from '../src/domain/personnummer.ts';
import { runImport } from '../src/services/import-reader.ts';
import { importedFactsEffect } from '../src/services/person-register.ts';
import { createPersonStatusService } from '../src/services/person-status-service.ts';
import { parseTestPersonnummerCsv } from '../src/seed/identity.ts';
import { migrate, openDb, type Db } from '../src/store/db.ts';
import { createImportStore, type ImportResult } from '../src/store/import-store.ts';
import { openScratchSchema } from './db.ts';

const { values: flags } = parseArgs({
  options: { persons: { type: 'string' }, engines: { type: 'string' } },
});
const total = Number(flags.persons ?? 500_000);
const engines = (flags.engines ?? 'postgres').split(',') as ('postgres' | 'pglite')[];
const databaseUrl = process.env.BENCH_POPULATION_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const reservPrefix = process.env.RESERVNUMMER_PREFIX ?? 'PK';

const root = fileURLToPath(new URL('..', import.meta.url));
const numbers = parseTestPersonnummerCsv(
  readFileSync(`${root}data/skatteverket-testpersonnummer.csv`, 'utf8'),
);
const UNITS = ['SE2321000000-BV01', 'SE2321000000-BV02'];
const HEADER =
  'typ,personnummer,enhet,fran,fornamn,efternamn,adress,postnummer,ort,kommun,skydd,avliden,utflyttad';

function personRow(n: string, i: number, extraDeaths = 0): string {
  const skydd = i % 100 === 1 ? 'sekretessmarkering' : i % 100 === 2 ? 'skyddad-folkbokforing' : '';
  // 0.5 % dead from the start; `extraDeaths` more among the first 20 × extraDeaths (listed: patients).
  const dead = i % 200 === 3 || (i % 20 === 5 && i < 20 * extraDeaths) ? '2026-10-01' : '';
  return `person,${n},,,Förnamn${i},Efternamn${i % 997},Gatan ${i % 300},58${String(i % 1000).padStart(3, '0')},Linköping,0580,${skydd},${dead},`;
}

/** The file of the first import: persons, half of them listed, then reservnummer up to `total`. */
function* firstFile(): Generator<string> {
  yield HEADER;
  for (let i = 0; i < numbers.length; i++) yield personRow(numbers[i]!, i);
  for (let i = 0; i < numbers.length / 2; i++)
    yield `listning,${numbers[i]},${UNITS[i % 2]},2024-01-01,,,,,,,,,`;
  for (let i = 0; i < total - numbers.length; i++)
    yield `listning,${makeReservnummer(8_000_000_000 + i, reservPrefix)},${UNITS[i % 2]},2023-01-01,Res${i},Ervsson${i % 991},,,,,,,`;
}

/** The person rows again, 1,000 deaths more among the listed. */
function* deathsFile(): Generator<string> {
  yield HEADER;
  for (let i = 0; i < numbers.length; i++) yield personRow(numbers[i]!, i, 1000);
}

function stream(lines: Generator<string>): Readable {
  return Readable.from(
    (function* () {
      let chunk: string[] = [];
      for (const line of lines) {
        chunk.push(line);
        if (chunk.length >= 5000) {
          yield `${chunk.join('\n')}\n`;
          chunk = [];
        }
      }
      if (chunk.length > 0) yield `${chunk.join('\n')}\n`;
    })(),
  );
}

async function timed(
  db: Db,
  lines: Generator<string>,
  source: string,
): Promise<{ seconds: number; result: ImportResult }> {
  const now = new Date();
  const facts = importedFactsEffect(
    createPersonStatusService({ db, clock: () => now, regionMunicipalities: [] }),
    'bench',
    now,
  );
  const started = performance.now();
  const result = await runImport(
    createImportStore(db),
    stream(lines),
    {
      kind: 'population',
      format: 'csv',
      mode: 'all-or-nothing',
      source,
      actorId: 'bench',
      unitId: null,
      now,
    },
    { population: facts.after },
  );
  return { seconds: (performance.now() - started) / 1000, result };
}

async function open(
  engine: 'postgres' | 'pglite',
): Promise<{ db: Db; close: () => Promise<void>; version: string }> {
  if (engine === 'pglite') {
    const db = await openDb({});
    await migrate(db);
    const v = await db.query<{ v: string }>('select version() as v');
    return { db, close: () => db.close(), version: `PGlite (${v[0]!.v.split(' ').slice(0, 2).join(' ')})` };
  }
  const db = await openScratchSchema(databaseUrl, 'bench_pop', { poolSize: 4 });
  const v = await db.query<{ v: string }>('select version() as v');
  return { db, version: v[0]!.v.split(' ').slice(0, 2).join(' '), close: () => db.close() };
}

const lines: string[] = [
  '# Population register import',
  '',
  `\`npm run bench:register -- --persons ${total}\`, ${new Date().toISOString().slice(0, 10)}: one CSV file of ${total.toLocaleString('en')} persons, ${numbers.length.toLocaleString('en')} of them Skatteverket test personnummer as \`person\` rows (half of them also listed, so made patients from the register), the rest reservnummer listed with names. All-or-nothing, one transaction each.`,
  '',
  '| engine | step | seconds | rows read | rows/s | imported | updated | unchanged | new patients | errors |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
];
for (const engine of engines) {
  const { db, close, version } = await open(engine);
  try {
    await db.query(
      `insert into care_provider (id, name, kind, huvudman) values ('SE2321000000-BVG', 'Bench', 'region', 'Region Bench')`,
    );
    for (const unit of UNITS)
      await db.query(
        `insert into care_unit (id, provider_id, name, kind) values ($1, 'SE2321000000-BVG', $1, 'vardcentral')`,
        [unit],
      );
    for (const [step, file] of [
      ['first import', firstFile()],
      ['the same file again', firstFile()],
      ['person rows, 1,000 deaths more', deathsFile()],
    ] as const) {
      const { seconds, result } = await timed(db, file, step);
      const r = result;
      console.log(
        engine,
        step,
        seconds.toFixed(1),
        's',
        JSON.stringify({ ...r, errors: r.errors.slice(0, 3) }),
      );
      lines.push(
        `| ${version} | ${step} | ${seconds.toFixed(1)} | ${r.rowsRead} | ${Math.round(r.rowsRead / seconds).toLocaleString('en')} | ${r.imported} | ${r.updated} | ${r.skippedDuplicates} | ${r.createdPersons} | ${r.errorCount} |`,
      );
    }
    const dead = await db.query<{ n: number }>(
      'select count(*)::int as n from patient where deceased_on is not null',
    );
    lines.push('', `${engine}: ${dead[0]!.n} patients dead after step 3.`);
  } finally {
    await close();
  }
}
await mkdir(`${root}bench/results`, { recursive: true });
await writeFile(`${root}bench/results/population-register.md`, `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
