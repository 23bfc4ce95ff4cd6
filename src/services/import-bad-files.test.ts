/**
 * Every kind of import, in every format, on every path (both engines; on PostgreSQL the bulk
 * path too), against every bad shape of file: the answer names the line (and the field where
 * there is one) in Swedish, repeats at most a bounded excerpt of the input, and nothing is written.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { EXCERPT_CHARS, MAX_LINE_BYTES } from '../domain/import-bounds.ts';
import type { ImportKind } from '../domain/import-formats.ts';
import { makePatient, makeProvider, makeStaff, makeUnit } from '../../test/helpers/factories.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import type { Db } from '../store/db.ts';
import { createImportStore, type ImportResult } from '../store/import-store.ts';
import { runImport, type ImportFormat } from './import-reader.ts';
import { makeSurveyTeam } from '../../test/helpers/surveys.ts';

const now = new Date('2025-06-01T12:00:00Z');

const variants = [
  ...testEngines.map((engine) => ({ engine, bulkFrom: 20_000, label: engine.name })),
  ...testEngines
    .filter((engine) => engine.name === 'postgres')
    .map((engine) => ({ engine, bulkFrom: 0, label: `${engine.name}, bulk path` })),
];

const header: Record<ImportKind, string[]> = {
  visits: [
    'personnummer',
    'tidpunkt',
    'enhet',
    'personal',
    'yrke',
    'kontakttyp',
    'medicinsk_bedomning',
    'sokte_vard',
  ],
  population: ['typ', 'personnummer', 'enhet', 'personal', 'fran', 'till', 'fornamn', 'efternamn'],
  admissions: ['personnummer', 'enhet', 'inskriven', 'utskriven'],
  surveys: ['enkat', 'version', 'svar_id', 'team', 'svarande', 'datum', 'fraga', 'svar'],
  diagnoses: ['personnummer', 'diagnos', 'fran', 'enhet', 'till'],
};

/** A file's lines and the first error it must give. */
interface Shape {
  name: string;
  lines: (good: Record<string, string>[]) => string[];
  line: number;
  field?: string;
}

/** A record as a CSV line or an NDJSON line. */
const write = (format: ImportFormat, kind: ImportKind, record: Record<string, string>): string =>
  format === 'csv' ? header[kind].map((name) => record[name] ?? '').join(',') : JSON.stringify(record);

function shapes(kind: ImportKind, format: ImportFormat): Shape[] {
  const csv = format === 'csv';
  const head = csv ? [header[kind].join(',')] : [];
  const first = csv ? 2 : 1;
  const rows = (good: Record<string, string>[]) => good.map((r) => write(format, kind, r));
  const long = 'a'.repeat(MAX_LINE_BYTES + 1);
  const required = {
    visits: 'kontakttyp',
    population: 'fran',
    admissions: 'inskriven',
    surveys: 'svar',
    diagnoses: 'diagnos',
  }[kind];
  return [
    {
      name: 'a line longer than the bound',
      lines: (good) => [...head, ...rows(good), long, ...rows(good)],
      line: first + 2,
    },
    {
      name: 'a line longer than the bound ended by \\r\\n in pieces',
      lines: (good) => [...head, ...rows(good), `${long}\r`, ...rows(good)],
      line: first + 2,
    },
    {
      name: 'a quote that is never closed, at the end of the file',
      lines: (good) => [
        ...head,
        ...rows(good),
        csv ? `"${rows(good)[0]}` : rows(good)[0]!.slice(0, -2),
        ...rows(good),
      ],
      line: first + 2,
    },
    {
      name: 'a quote that is never closed, with more than the bound after it',
      lines: (good) => [
        ...head,
        ...rows(good),
        csv ? `x,"${rows(good)[0]}` : rows(good)[0]!.slice(0, -2),
        ...Array.from({ length: 2000 }, () => rows(good)).flat(),
      ],
      line: first + 2,
    },
    {
      name: 'a row that lacks a field',
      lines: (good) => {
        const [a, b] = good;
        const short = csv
          ? header[kind]
              .slice(0, -1)
              .map((name) => b![name] ?? '')
              .join(',')
          : JSON.stringify({ ...b, [required]: undefined });
        return [...head, write(format, kind, a!), short];
      },
      line: first + 1,
      field: csv ? header[kind].at(-1)! : required,
    },
    { name: 'nothing but the header', lines: () => [...head, ''], line: 1 },
    {
      name: 'a header (or a key) of unknown columns, 60 KiB long',
      lines: (good) =>
        csv
          ? [`${header[kind].join(',')},${'x'.repeat(60 * 1024)}`, ...rows(good)]
          : [JSON.stringify({ ...good[0], ['x'.repeat(60 * 1024)]: 1 }), ...rows(good)],
      line: 1,
    },
  ];
}

for (const { engine, bulkFrom, label } of variants) {
  describe(`bad import files on ${label}`, () => {
    let db: Db;
    const good: Record<ImportKind, Record<string, string>[]> = {
      visits: [],
      population: [],
      admissions: [],
      surveys: [],
      diagnoses: [],
    };
    const written = async (): Promise<number[]> => {
      const rows = await db.query<{
        visits: number;
        periods: number;
        stays: number;
        answers: number;
        diagnoses: number;
        runs: number;
        patients: number;
      }>(
        `select (select count(*)::int from visit) as visits, (select count(*)::int from register_period) as periods, (select count(*)::int from hospital_stay) as stays, (select count(*)::int from survey_answer) as answers, (select count(*)::int from patient_diagnosis) as diagnoses,
                (select count(*)::int from import_run) as runs, (select count(*)::int from patient) as patients`,
      );
      return Object.values(rows[0]!);
    };
    const run = (kind: ImportKind, format: ImportFormat, input: Readable): Promise<ImportResult> =>
      runImport(createImportStore(db, { bulkFrom, partitionFrom: 1000 }), input, {
        kind,
        format,
        mode: 'all-or-nothing',
        source: `test.${format}`,
        actorId: 'cli:test',
        unitId: null,
        now,
      });

    before(async () => {
      db = await engine.open();
      const vc = await makeUnit(db, await makeProvider(db));
      const gp = await makeStaff(db, vc, 'lakare');
      const teamId = await makeSurveyTeam(db);
      for (let i = 0; i < 2; i++) {
        const id = await makePatient(db);
        const pnr = (
          await db.query<{ identifier: string }>('select identifier from patient where id = $1', [id])
        )[0]!.identifier;
        good.visits.push({
          personnummer: pnr,
          tidpunkt: `2025-03-0${i + 1} 09:30`,
          enhet: vc,
          personal: gp,
          yrke: 'lakare',
          kontakttyp: 'besok',
        });
        good.population.push({ typ: 'listning', personnummer: pnr, enhet: vc, fran: '2024-01-01' });
        good.admissions.push({ personnummer: pnr, enhet: vc, inskriven: `2025-03-0${i + 1} 09:30` });
        good.diagnoses.push({
          personnummer: pnr,
          diagnos: i === 0 ? 'I50.9' : 'J44',
          fran: '2024-01-01',
          enhet: vc,
        });
        good.surveys.push({
          enkat: 'exempel-teamfunktion',
          version: '1',
          svar_id: `s-${i}`,
          team: teamId,
          svarande: 'personal-kommun',
          datum: `2025-03-0${i + 1}`,
          fraga: 'roller',
          svar: '4',
        });
      }
    });
    after(() => db.close());

    for (const kind of ['visits', 'population', 'admissions', 'surveys', 'diagnoses'] as const)
      for (const format of ['csv', 'ndjson'] as const)
        for (const shape of shapes(kind, format))
          it(`refuses ${kind} ${format} with ${shape.name}: line ${shape.line}, bounded, in Swedish, nothing written`, async () => {
            const before = await written();
            const text = shape.lines(good[kind]).join('\n');
            // In pieces of 1000 bytes, as a body or a file comes, so that lines span them.
            const bytes = Buffer.from(text);
            const pieces = Array.from({ length: Math.ceil(bytes.length / 1000) }, (_, i) =>
              bytes.subarray(i * 1000, i * 1000 + 1000),
            );
            const result = await run(kind, format, Readable.from(pieces));
            assert.equal(result.importId, null, JSON.stringify(result).slice(0, 500));
            assert.ok(result.errors.length > 0);
            const [first] = result.errors;
            assert.equal(first!.line, shape.line, JSON.stringify(result.errors).slice(0, 500));
            if (shape.field) assert.equal(first!.field, shape.field);
            for (const e of result.errors) {
              assert.ok(e.field === null || e.field.length <= EXCERPT_CHARS + 1, 'a bounded field name');
              assert.ok(e.message.length <= 400, 'a bounded message');
              assert.doesNotMatch(e.message, /\b(the|at line|Quote|Invalid|record|Unexpected)\b/, 'Swedish');
            }
            assert.ok(JSON.stringify(result).length < 8 * 1024, 'a bounded answer');
            assert.deepEqual(await written(), before);
          });

    for (const kind of ['visits', 'population'] as const)
      it(`logs a slow ${kind} import as ending when it ended, not when its transaction began`, async () => {
        const lines = [header[kind].join(','), ...good[kind].map((r) => write('csv', kind, r))];
        async function* slowly(): AsyncGenerator<Buffer> {
          for (const line of lines) {
            yield Buffer.from(`${line}\n`);
            await sleep(150);
          }
        }
        const result = await run(kind, 'csv', Readable.from(slowly()));
        assert.ok(result.importId !== null, JSON.stringify(result));
        const [logged] = await db.query<{ ms: number }>(
          `select (extract(epoch from finished_at - started_at) * 1000)::int as ms from import_run where id = $1`,
          [result.importId],
        );
        assert.ok(logged!.ms >= 300, `logged as ${logged!.ms} ms`);
        assert.ok(logged!.ms < 60_000, `logged as ${logged!.ms} ms`);
      });
  });
}
