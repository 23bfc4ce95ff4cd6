/**
 * npm run bench:directory [-- --staff 20000] [-- --engines postgres,pglite]
 *
 * The organisation directory sync at a region's size: a generated directory of `--staff` people
 * (default 20,000) at a region (80 units: vårdcentraler and hospital clinics) and four
 * municipalities (hemsjukvård, SÄBO, hemtjänst), a fifth of them with a second assignment, a
 * twentieth with an assignment for administration only. HSA-ids are generated
 * (SE2321000000-P000001 …); no personnummer. Each engine starts from an empty, migrated database
 * and measures, through the service `npm run import -- directory` uses:
 *
 * 1. the first sync from CSV (everything added);
 * 2. the same file again (nothing changes);
 * 3. a dry run of a file where 3 % of the people left and 2 % changed name or title;
 * 4. that file synced (ends under the 10 % threshold);
 * 5. the first sync from a FHIR Bundle of the same directory, on a second empty database.
 *
 * Writes bench/results/directory-sync.md. PostgreSQL: BENCH_DIRECTORY_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/bench_directory), a schema of its own per run, dropped after.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { directoryFhir } from '../src/domain/directory-formats.ts';
import { HSA_ID_SYSTEM } from '../src/domain/directory-sync.ts';
import {
  createDirectorySyncService,
  type DirectorySyncResult,
} from '../src/services/directory-sync-service.ts';
import { migrate, openDb, type Db } from '../src/store/db.ts';
import { createDirectorySyncStore } from '../src/store/directory-sync-store.ts';
import { ensurePostgresDatabase, openScratchSchema } from './db.ts';

const { values: flags } = parseArgs({
  options: { staff: { type: 'string' }, engines: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (flags.help) {
  console.log('npm run bench:directory [-- --staff 20000] [-- --engines postgres,pglite]');
  process.exit(0);
}
const staffCount = Number(flags.staff ?? 20_000);
const engines = (flags.engines ?? 'postgres,pglite').split(',') as ('postgres' | 'pglite')[];
const databaseUrl =
  process.env.BENCH_DIRECTORY_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_directory';

interface Person {
  id: string;
  given: string;
  family: string;
  title: string;
  profession: string;
  assignments: { unitId: string; purpose: string; role: string }[];
}
interface Provider {
  id: string;
  name: string;
  kind: 'region' | 'kommun';
  units: { id: string; name: string; kind: string; municipality: string }[];
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const givenNames = ['Anna', 'Erik', 'Maria', 'Lars', 'Karin', 'Johan', 'Eva', 'Per', 'Sara', 'Nils'];
const familyNames = [
  'Andersson',
  'Johansson',
  'Karlsson',
  'Nilsson',
  'Eriksson',
  'Larsson',
  'Olsson',
  'Persson',
];
const professions = [
  ['sjukskoterska', 'Sjuksköterska'],
  ['lakare', 'Läkare'],
  ['underskoterska', 'Undersköterska'],
  ['fysioterapeut', 'Fysioterapeut'],
  ['arbetsterapeut', 'Arbetsterapeut'],
] as const;
const municipalities = ['Gävle', 'Sandviken', 'Hofors', 'Ockelbo'];

function generate(): { providers: Provider[]; people: Person[] } {
  const region: Provider = {
    id: 'SE2321000000-G00001',
    name: 'Region Gävleborg (genererad)',
    kind: 'region',
    units: Array.from({ length: 80 }, (_, i) => ({
      id: `SE2321000000-E1${pad(i, 4)}`,
      name: i < 40 ? `Vårdcentral ${i + 1}` : `Klinik ${i - 39}`,
      kind: i < 40 ? 'vardcentral' : 'sjukhus',
      municipality: municipalities[i % 4]!,
    })),
  };
  const kommuner: Provider[] = municipalities.map((m, k) => ({
    id: `SE2321000000-G0001${k}`,
    name: `${m} kommun (genererad)`,
    kind: 'kommun',
    units: Array.from({ length: 15 }, (_, i) => ({
      id: `SE2321000000-E2${k}${pad(i, 3)}`,
      name: `${['Hemsjukvård', 'SÄBO', 'Hemtjänst'][i % 3]} ${m} ${i + 1}`,
      kind: ['hemsjukvard', 'sabo', 'hemtjanst'][i % 3]!,
      municipality: m,
    })),
  }));
  const providers = [region, ...kommuner];
  const units = providers.flatMap((p) => p.units);
  const people = Array.from({ length: staffCount }, (_, i): Person => {
    const [profession, title] = professions[i % professions.length]!;
    // Two thirds at the region, a third in the municipalities.
    const home = i % 3 === 2 ? units[80 + (i % 60)]! : units[i % 80]!;
    const assignments = [
      { unitId: home.id, purpose: i % 20 === 7 ? 'administration' : 'vard-och-behandling', role: '' },
    ];
    if (i % 5 === 0)
      assignments.push({
        unitId: units[(i * 7 + 3) % units.length]!.id,
        purpose: 'vard-och-behandling',
        role: '',
      });
    if (i % 997 === 0) assignments[0]!.role = 'verksamhetschef';
    return {
      id: `SE2321000000-P${pad(i + 1, 6)}`,
      given: givenNames[i % givenNames.length]!,
      family: familyNames[(i * 3) % familyNames.length]!,
      title,
      profession,
      assignments: assignments.filter((a, j) => j === 0 || a.unitId !== assignments[0]!.unitId),
    };
  });
  return { providers, people };
}

function toCsv(providers: Provider[], people: Person[]): string {
  const unitOf = new Map(providers.flatMap((p) => p.units.map((u) => [u.id, { p, u }] as const)));
  const place = (unitId: string): string => {
    const { p, u } = unitOf.get(unitId)!;
    return [p.id, p.name, p.kind, '', u.id, u.name, u.kind, u.municipality].join(';');
  };
  const rows = [
    'vardgivare;vardgivare_namn;vardgivare_typ;huvudman;enhet;enhet_namn;enhet_typ;kommun;hsaid;fornamn;efternamn;titel;yrke;andamal;roll',
  ];
  for (const p of providers) for (const u of p.units) rows.push(`${place(u.id)};;;;;;;`);
  for (const person of people)
    for (const a of person.assignments)
      rows.push(
        `${place(a.unitId)};${person.id};${person.given};${person.family};${person.title};${person.profession};${a.purpose};${a.role}`,
      );
  return rows.join('\n') + '\n';
}

function toBundle(providers: Provider[], people: Person[]): string {
  const hsa = (value: string) => [{ system: HSA_ID_SYSTEM, value }];
  const ref = (value: string) => ({ identifier: { system: HSA_ID_SYSTEM, value } });
  const resources: object[] = [];
  for (const p of providers) {
    resources.push({
      resourceType: 'Organization',
      identifier: hsa(p.id),
      name: p.name,
      type: [{ coding: [{ system: directoryFhir.organisationType, code: p.kind }] }],
    });
    for (const u of p.units)
      resources.push({
        resourceType: 'Organization',
        identifier: hsa(u.id),
        name: u.name,
        type: [{ coding: [{ system: directoryFhir.organisationType, code: u.kind }] }],
        address: [{ district: u.municipality }],
        partOf: ref(p.id),
      });
  }
  for (const person of people) {
    resources.push({
      resourceType: 'Practitioner',
      identifier: hsa(person.id),
      name: [{ family: person.family, given: [person.given] }],
      qualification: [{ code: { coding: [{ code: person.profession }], text: person.title } }],
    });
    for (const a of person.assignments)
      resources.push({
        resourceType: 'PractitionerRole',
        practitioner: ref(person.id),
        organization: ref(a.unitId),
        code: [
          { coding: [{ system: directoryFhir.purpose, code: a.purpose }] },
          ...(a.role ? [{ coding: [{ system: directoryFhir.role, code: a.role }] }] : []),
        ],
      });
  }
  return JSON.stringify({
    resourceType: 'Bundle',
    type: 'collection',
    entry: resources.map((resource) => ({ resource })),
  });
}

async function openFresh(engine: 'postgres' | 'pglite'): Promise<Db> {
  if (engine === 'pglite') {
    const db = await openDb({});
    await migrate(db);
    return db;
  }
  await ensurePostgresDatabase(databaseUrl);
  return openScratchSchema(databaseUrl, 'bench', {
    poolSize: 2,
    timeouts: { statementMs: 0, idleInTransactionMs: 0 },
  });
}

const summary = (r: DirectorySyncResult): string =>
  r.status === 'invalid'
    ? `invalid (${r.errors.length} errors: ${JSON.stringify(r.errors.slice(0, 2))})`
    : `${r.status}: ${(['providers', 'units', 'staff', 'assignments'] as const)
        .map((k) => `${k} +${r.counts[k].added} ~${r.counts[k].changed} -${r.counts[k].ended}`)
        .join(', ')}`;

async function timed(
  label: string,
  db: Db,
  text: string,
  format: 'csv' | 'fhir',
  options: { dry?: boolean } = {},
): Promise<{ label: string; seconds: number; result: string }> {
  const service = createDirectorySyncService({ store: createDirectorySyncStore(db) });
  const started = performance.now();
  const result = await service.sync({
    text,
    format,
    source: `bench.${format}`,
    actorId: 'cli:bench',
    isDryRun: options.dry ?? false,
    confirmEnds: false,
  });
  const seconds = (performance.now() - started) / 1000;
  const line = { label, seconds, result: summary(result) };
  console.log(`  ${label}: ${seconds.toFixed(2)} s — ${line.result}`);
  if (result.status === 'invalid' || result.status === 'needs-confirmation') throw new Error(line.result);
  return line;
}

const { providers, people } = generate();
const csv = toCsv(providers, people);
const bundle = toBundle(providers, people);
// The next export: 3 % left, 2 % renamed or retitled.
const next = people
  .filter((_, i) => i % 33 !== 5)
  .map((p, i) => (i % 50 === 11 ? { ...p, family: `${p.family}-Berg`, title: `${p.title}, specialist` } : p));
const nextCsv = toCsv(providers, next);
const assignmentCount = people.reduce((n, p) => n + p.assignments.length, 0);
console.log(
  `Directory: ${people.length} people, ${assignmentCount} assignments, ${providers.length} care providers, ` +
    `${providers.reduce((n, p) => n + p.units.length, 0)} units; CSV ${(csv.length / 1e6).toFixed(1)} MB, ` +
    `FHIR Bundle ${(bundle.length / 1e6).toFixed(1)} MB`,
);

const report: string[] = [];
for (const engine of engines) {
  console.log(engine);
  const db = await openFresh(engine);
  const rows = [];
  try {
    rows.push(await timed('first sync, CSV (everything added)', db, csv, 'csv'));
    rows.push(await timed('same file again (nothing changes)', db, csv, 'csv'));
    rows.push(await timed('dry run: 3 % left, 2 % changed', db, nextCsv, 'csv', { dry: true }));
    rows.push(await timed('that file synced', db, nextCsv, 'csv'));
  } finally {
    await db.close();
  }
  const fresh = await openFresh(engine);
  try {
    rows.push(await timed('first sync, FHIR Bundle (everything added)', fresh, bundle, 'fhir'));
  } finally {
    await fresh.close();
  }
  report.push(
    `### ${engine}`,
    '',
    '| step | seconds | result |',
    '| --- | ---: | --- |',
    ...rows.map((r) => `| ${r.label} | ${r.seconds.toFixed(2)} | ${r.result} |`),
    '',
  );
}

const out = fileURLToPath(new URL('results/directory-sync.md', import.meta.url));
await mkdir(fileURLToPath(new URL('results/', import.meta.url)), { recursive: true });
await writeFile(
  out,
  [
    '# Directory sync benchmark',
    '',
    `\`npm run bench:directory\` on ${new Date().toISOString().slice(0, 10)}: ${people.length} people, ` +
      `${assignmentCount} assignments, ${providers.length} care providers; CSV ${(csv.length / 1e6).toFixed(1)} MB, ` +
      `FHIR Bundle ${(bundle.length / 1e6).toFixed(1)} MB. Each engine from an empty, migrated database.`,
    '',
    ...report,
  ].join('\n'),
);
console.log(`Written: ${out}`);
