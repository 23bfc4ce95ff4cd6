/**
 * Imports follow-up data into the configured database (DATABASE_URL, or PGlite in DATA_DIR):
 *
 *   npm run import -- visits FILE [--format csv|ndjson] [--mode all-or-nothing|valid-rows]
 *   npm run import -- population FILE …
 *   npm run import -- admissions FILE …   (vårdtillfällen: an admission pauses a mobile-team enrolment)
 *   npm run import -- diagnoses FILE …    (the patients' ICD-10 diagnoses, with the unit that made them)
 *   npm run import -- directory FILE [--dry-run] [--confirm-ends]
 *   npm run import -- assessment-config FILE
 *   npm run import -- surveys FILE …               (anonymous survey answers, patient experience and team function)
 *   npm run import -- survey-definition FILE.json  (a survey's questions and scale, one version)
 *   npm run import -- subregions FILE.json         (the region's sub-regions: each municipality in one)
 *
 * FILE is CSV or NDJSON (by its extension, or --format; `-` reads standard input). The formats are
 * in docs/imports.md. All-or-nothing by default: a file with any error writes nothing, and every
 * error is printed with its line and field. Exits 1 when anything was wrong.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { importKinds, type ImportKind } from '../domain/import-formats.ts';
import { createAssessmentConfigService } from '../services/assessment-config-service.ts';
import {
  createDirectorySyncService,
  describeDirectorySync,
  directoryFormatOf,
} from '../services/directory-sync-service.ts';
import {
  importFormats,
  runImport,
  type ImportFormat,
  type ImportRequest,
} from '../services/import-reader.ts';
import { importedFactsEffect } from '../services/person-register.ts';
import { createPersonStatusService } from '../services/person-status-service.ts';
import type { Readable } from 'node:stream';
import type { ImportResult } from '../store/import-store.ts';
import type { Db } from '../store/db.ts';
import { createDirectorySyncStore } from '../store/directory-sync-store.ts';
import { createAssessmentConfigStore } from '../store/assessment-config-store.ts';
import { migrate, openDb } from '../store/db.ts';
import { createEnrolmentStore } from '../store/enrolment-store.ts';
import { createImportStore, type ImportMode } from '../store/import-store.ts';
import { createSurveyStore } from '../store/survey-store.ts';
import { createSurveyService } from '../services/survey-service.ts';
import { reportDomainError, withMigratedDb } from './cli-run.ts';
import { createAdmissionService } from '../services/admission-service.ts';

const usage =
  'Användning: npm run import -- visits|population|admissions|surveys|diagnoses FIL [--format csv|ndjson] [--mode all-or-nothing|valid-rows] [--max-errors N]\n' +
  '            npm run import -- directory FIL [--dry-run] [--confirm-ends] [--max-errors N]\n' +
  '            npm run import -- assessment-config FIL.json\n' +
  '            npm run import -- survey-definition FIL.json\n' +
  '            npm run import -- subregions FIL.json';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      mode: { type: 'string' },
      'max-errors': { type: 'string' },
      'dry-run': { type: 'boolean' },
      'confirm-ends': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void console.log(usage);
  const [kind, file] = positionals;
  if (kind === 'directory' && file && positionals.length === 2)
    return syncDirectory(file, {
      isDryRun: values['dry-run'] ?? false,
      confirmEnds: values['confirm-ends'] ?? false,
      maxShown: Number(values['max-errors'] ?? 50),
    });
  if (kind === 'assessment-config' && file && positionals.length === 2) return loadAssessmentConfig(file);
  if ((kind === 'survey-definition' || kind === 'subregions') && file && positionals.length === 2)
    return loadSurveyFile(kind, file);
  if (!kind || !(importKinds as readonly string[]).includes(kind) || !file || positionals.length > 2)
    throw new Error(usage);
  const format = (values.format ?? (/\.(nd)?jsonl?$/i.test(file) ? 'ndjson' : 'csv')) as ImportFormat;
  if (!importFormats.includes(format)) throw new Error(`--format ska vara csv eller ndjson. ${usage}`);
  const mode = (values.mode ?? 'all-or-nothing') as ImportMode;
  if (mode !== 'all-or-nothing' && mode !== 'valid-rows')
    throw new Error(`--mode: all-or-nothing eller valid-rows. ${usage}`);
  const maxShown = Number(values['max-errors'] ?? 50);

  const config = readConfig();
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(db);
    const started = performance.now();
    const input = file === '-' ? process.stdin : createReadStream(file);
    const request = {
      kind: kind as ImportKind,
      format,
      mode,
      source: file === '-' ? 'stdin' : basename(file),
      actorId: `cli:${userInfo().username}`,
      unitId: null,
      now: new Date(),
    };
    const imports = createImportStore(db);
    const result =
      kind === 'admissions'
        ? await createAdmissionService({ imports, enrolments: createEnrolmentStore(db) }).importAdmissions(
            input,
            request,
          )
        : kind === 'population'
          ? await importPopulation(imports, input, request, config.regionMunicipalities, db)
          : await runImport(imports, input, request);
    const seconds = (performance.now() - started) / 1000;
    for (const e of result.errors.slice(0, maxShown))
      console.error(`rad ${e.line}${e.field ? `, ${e.field}` : ''}: ${e.message}`);
    if (result.errorCount > maxShown) console.error(`… och ${result.errorCount - maxShown} fel till.`);
    console.log(
      `${result.importId === null ? 'Inget importerades' : `Import ${result.importId}`}: ${result.rowsRead} rader lästa, ` +
        `${result.imported} nya, ${result.updated} ändrade, ${result.skippedDuplicates} fanns redan` +
        `${result.createdPersons ? `, ${result.createdPersons} nya personer` : ''}, ${result.errorCount} fel ` +
        `(${seconds.toFixed(1)} s, ${Math.round(result.rowsRead / Math.max(seconds, 0.001)).toLocaleString('sv-SE')} rader/s).`,
    );
    if (result.errorCount > 0) process.exitCode = 1;
  } finally {
    await db.close();
  }
}

/** `directory FILE`: the organisation directory (FHIR Bundle or CSV), see docs/imports.md. */
async function syncDirectory(
  file: string,
  options: { isDryRun: boolean; confirmEnds: boolean; maxShown: number },
): Promise<void> {
  const text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  const config = readConfig();
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(db);
    const started = performance.now();
    const service = createDirectorySyncService({ store: createDirectorySyncStore(db) });
    const result = await service.sync({
      text,
      format: directoryFormatOf(file, text),
      source: file === '-' ? 'stdin' : basename(file),
      actorId: `cli:${userInfo().username}`,
      isDryRun: options.isDryRun,
      confirmEnds: options.confirmEnds,
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    for (const line of describeDirectorySync(result, options.maxShown)) console.log(line);
    console.log(`(${seconds} s)`);
    if (result.status === 'invalid' || result.status === 'needs-confirmation') process.exitCode = 1;
  } finally {
    await db.close();
  }
}

/** `assessment-config FILE`: the region's own version of the assessment checklist (JSON). */
async function loadAssessmentConfig(file: string): Promise<void> {
  await loadJsonFile(file, async (db, request) => {
    const service = createAssessmentConfigService({ db, configs: createAssessmentConfigStore(db) });
    const loaded = await service.load(request);
    return `${loaded.name}, version ${loaded.version} (${loaded.id}) gäller nu för nya bedömningar.`;
  });
}

/**
 * `survey-definition FILE`: one version of a survey (questions and scale); `subregions FILE`: the
 * region's list of sub-regions, replacing the one before. JSON, checked whole before anything is
 * written (docs/imports.md).
 */
async function loadSurveyFile(kind: 'survey-definition' | 'subregions', file: string): Promise<void> {
  await loadJsonFile(file, async (db, request) => {
    const service = createSurveyService({ db, surveys: createSurveyStore(db) });
    if (kind === 'survey-definition') {
      const loaded = await service.loadDefinition(request);
      return `${loaded.name}, version ${loaded.version} (${loaded.id}): ${loaded.questions.length} frågor, skala ${loaded.scale.min}–${loaded.scale.max}.`;
    }
    const rows = await service.loadSubregions(request);
    const count = new Set(rows.map((r) => r.subregion)).size;
    return `${count} delregioner med ${rows.length} kommuner gäller nu för uppföljningen.`;
  });
}

/**
 * Reads one JSON file (or stdin for `-`) and has `load` check and write it on the migrated
 * database; prints the line `load` answers, or the refusal with each place in the file.
 */
async function loadJsonFile(
  file: string,
  load: (db: Db, request: { text: string; source: string; actorId: string; now: Date }) => Promise<string>,
): Promise<void> {
  const text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  await withMigratedDb(async (db) => {
    const request = {
      text,
      source: file === '-' ? 'stdin' : basename(file),
      actorId: `cli:${userInfo().username}`,
      now: new Date(),
    };
    try {
      console.log(await load(db, request));
    } catch (error) {
      reportDomainError(error, (d) => `${d.path || '(filen)'}: ${d.message}`);
    }
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});

/**
 * `population FILE`: the register's periods and persons; the persons' facts (a death, a move, a
 * protection marker) are applied to the patients they concern, with their consequences.
 */
async function importPopulation(
  imports: ReturnType<typeof createImportStore>,
  input: Readable,
  request: ImportRequest,
  regionMunicipalities: readonly string[],
  db: Db,
): Promise<ImportResult> {
  const facts = importedFactsEffect(
    createPersonStatusService({ db, clock: () => new Date(), regionMunicipalities }),
    request.actorId,
    request.now,
  );
  const result = await runImport(imports, input, request, { population: facts.after });
  if (result.importId !== null) facts.publish();
  return result;
}
