/**
 * Demo data for one Swedish region, "Region Exempelland": providers, units, staff, patients
 * with chronic diagnoses, fixed contacts and Patientkontrakt with their history.
 *
 * Deterministic: the data is a pure function of (seed, number of patients, today). Patient n
 * is drawn from its own PRNG stream and gets a uuid built from (seed, n), so the first N
 * patients are the same whatever the total, and the generator runs in batches of constant
 * memory. Identities: Skatteverket's test personnummer (data/, shipped with the product) first,
 * by age band, then reservnummer; see identity.ts. The directory and the demo users do not
 * depend on the seed (directory.ts, demo.ts).
 *
 * Re-running on a seeded database is idempotent: the directory is left as it is, and patients
 * 0…N-1 that already exist (same uuid or identifier) are skipped with all their rows, so
 * `--patients` can grow a database but never duplicates, and a seeding cut off half-way is
 * finished by the next run. Nothing is deleted. A marker row written last (demo_seed) tells a
 * finished seeding from a cut-off one.
 * No change_event, notification or session rows are written.
 */
import { readFile } from 'node:fs/promises';
import type { Db, Queryable } from '../store/db.ts';
import { createSeedStore } from '../store/seed-store.ts';
import { isoOf, swedishDayOf, swedishInstant } from './calendar.ts';
import { consentRows } from './consents.ts';
import { drawContracts } from './contracts.ts';
import { buildDemoPatient, demoPersonnummer } from './demo.ts';
import { seedMobileTeams } from './mobile-teams.ts';
import { seedSurveys } from './surveys.ts';
import { seedProtectedIdentity } from './person-status.ts';
import { seedPopulationRegister } from './population-register.ts';
import { buildDirectory, REGION_ID } from './directory.ts';
import { IdentityPool, parseTestPersonnummerCsv } from './identity.ts';
import { contactRows, drawContacts } from './contacts.ts';
import { diagnosisRows, drawPerson, type GenContext, type Person } from './patients.ts';
import { mix32, Rng, seededUuid } from './random.ts';
import { drawVisits, registerRows } from './visits.ts';
import { emptyBatch, writeBatch, writeDirectory, type Batch } from './write.ts';

export { demoUsers } from './demo.ts';

export interface SeedOptions {
  /** Same seed, same data. Default 1. */
  seed?: number;
  /** Patients in the region, the four demo patients included. Default 2,000. */
  patients?: number;
  /** The seeding day: dates (listing, next contacts, reviews) are relative to it. */
  today: Date;
  /** Called after each batch with the number of patients done so far. */
  onProgress?: (done: number) => void;
  /** Patients per transaction. Default 5,000. */
  batchSize?: number;
}

/** Rows this call wrote (a re-run writes only what was missing). */
export interface SeedResult {
  patients: number;
  units: number;
  staff: number;
  contracts: number;
}

export const DEFAULT_PATIENTS = 2000;
const DEMO_SEED = 0xde30;
const KIND_PATIENT = 1;
const KIND_CONTACT = 2;
const KIND_CONTRACT = 3;
const KIND_CONSENT = 4;

const CSV_URL = new URL('../../data/skatteverket-testpersonnummer.csv', import.meta.url);

/** Skatteverket's test personnummer (12 digits), read from the file shipped in data/. */
export async function loadTestPersonnummer(): Promise<string[]> {
  return parseTestPersonnummerCsv(await readFile(CSV_URL, 'utf8'));
}

export interface GenerateOptions {
  seed: number;
  patients: number;
  today: Date;
  batchSize: number;
  /** The test personnummer to use (see loadTestPersonnummer). */
  testPersonnummer: readonly string[];
}

/** The batches of patient rows, in patient order. Pure given the options. */
export function* generatePatientBatches(options: GenerateOptions): Generator<Batch> {
  const today = swedishDayOf(options.today);
  const seedHash = mix32(options.seed);
  const ctx: GenContext = { dir: buildDirectory(), today };
  const pool = new IdentityPool(
    options.testPersonnummer,
    options.today,
    today,
    options.seed,
    demoPersonnummer,
  );
  let batch = emptyBatch();
  for (let i = 0; i < options.patients; i++) {
    if (i < demoPersonnummer.size) {
      const id = seededUuid(DEMO_SEED, KIND_PATIENT, i);
      const { person, contract } = buildDemoPatient(ctx, i, id, seededUuid(DEMO_SEED, KIND_CONTRACT, i));
      const contactId = (n: number): string => seededUuid(DEMO_SEED, KIND_CONTACT, i, n);
      addPerson(
        ctx,
        batch,
        person,
        contactId,
        { contracts: [contract.row], versions: contract.versions },
        today - 500,
      );
    } else {
      const rng = new Rng(options.seed, i + 1);
      const identity = pool.draw(rng, i);
      const person = drawPerson(ctx, rng, i, seededUuid(seedHash, KIND_PATIENT, i), identity);
      person.contacts = drawContacts(ctx, rng, person);
      const drawn = drawContracts(ctx, rng, person, (n) => seededUuid(seedHash, KIND_CONTRACT, i, n));
      const contactId = (n: number): string => seededUuid(seedHash, KIND_CONTACT, i, n);
      addPerson(ctx, batch, person, contactId, drawn, today - rng.int(1, 400));
      batch.consents.push(
        ...consentRows(ctx, person, drawn.contracts, drawn.versions, options.seed, (n) =>
          seededUuid(seedHash, KIND_CONSENT, i, n),
        ),
      );
    }
    if (batch.patients.length >= options.batchSize) {
      yield batch;
      batch = emptyBatch();
    }
  }
  if (batch.patients.length > 0) yield batch;
}

/** Adds a person's rows; the patient record dates from its first contact or contract, or `fallbackDay`. */
function addPerson(
  ctx: GenContext,
  batch: Batch,
  p: Person,
  contactId: (n: number) => string,
  drawn: Pick<Batch, 'contracts' | 'versions'>,
  fallbackDay: number,
): void {
  const firstDay = Math.min(
    fallbackDay,
    ...p.contacts.map((c) => c.startDay),
    ...drawn.contracts.map((c) => Date.parse(c.created_at) / 86_400_000),
  );
  batch.patients.push({
    id: p.id,
    identifier: p.identity.identifier,
    identifier_kind: p.identity.kind,
    given_name: p.givenName,
    family_name: p.familyName,
    birth_date: p.identity.birthDate,
    sex: p.identity.sex,
    phone: p.phone,
    listed_unit_id: p.vc?.unit.id ?? null,
    listed_since: p.listedSinceDay === null ? null : isoOf(p.listedSinceDay),
    created_at: swedishInstant(Math.floor(firstDay), 8, p.index % 60),
  });
  batch.diagnoses.push(...diagnosisRows(p));
  batch.contacts.push(...contactRows(ctx, p, contactId));
  batch.contracts.push(...drawn.contracts);
  batch.versions.push(...drawn.versions);
  batch.visits.push(...drawVisits(ctx, p));
  batch.registrations.push(...registerRows(ctx, p));
}

/**
 * True when a seeding of the demo region has finished: its marker (migration 010) is written
 * after the last batch, so a seeding cut off half-way does not count.
 */
export async function isSeeded(db: Queryable): Promise<boolean> {
  return createSeedStore(db).isSeeded(REGION_ID);
}

/**
 * Seeds the demo region: the directory, then the patients in batches, one transaction each.
 * On a seeded database it adds only the patients that are missing (see the file header).
 */
export async function seedDemo(db: Db, options: SeedOptions): Promise<SeedResult> {
  const patients = options.patients ?? DEFAULT_PATIENTS;
  const batchSize = Math.max(1, options.batchSize ?? 5000);
  // Only after an earlier seeding are whole batches looked up before they are sent (a fresh
  // database has none of them); either way writeBatch skips what exists.
  const resuming = await createSeedStore(db).hasRegion(REGION_ID);
  const directory = await writeDirectory(db, buildDirectory());
  const result: SeedResult = { patients: 0, units: directory.units, staff: directory.staff, contracts: 0 };
  // Generated in small chunks, written in large batches: between chunks the event loop lets the
  // previous batch's statements run, so that PostgreSQL writes while the next batch is drawn.
  const chunks = generatePatientBatches({
    seed: options.seed ?? 1,
    patients,
    today: options.today,
    batchSize: Math.min(batchSize, 500),
    testPersonnummer: await loadTestPersonnummer(),
  });
  let done = 0;
  const write = async (batch: Batch): Promise<void> => {
    if (!resuming || !(await isBatchPresent(db, batch))) {
      const written = await writeBatch(db, batch);
      result.patients += written.patients;
      result.contracts += written.contracts;
    }
    done += batch.patients.length;
    options.onProgress?.(done);
  };
  let writing: Promise<void> = Promise.resolve();
  let batch = emptyBatch();
  try {
    for (const chunk of chunks) {
      appendBatch(batch, chunk);
      if (batch.patients.length >= batchSize) {
        await writing;
        writing = write(batch);
        // Handled now, thrown at the next `await writing`: a failed write must not be an
        // unhandled rejection while the next batch is drawn.
        writing.catch(() => undefined);
        batch = emptyBatch();
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await writing;
    if (batch.patients.length > 0) await write(batch);
  } finally {
    await writing.catch(() => undefined);
  }
  // The mobile care teams and their enrolled demo patients, once the patients are there.
  await seedMobileTeams(db, options.today);
  // Their survey answers and the region's sub-regions (docs/mobile-teams.md, follow-up).
  await seedSurveys(db, options.today);
  // One demo patient with sekretessmarkering (docs/security.md, Skyddade personuppgifter).
  await seedProtectedIdentity(db, options.today);
  // The imported population register: the patients, and people to register by number.
  await seedPopulationRegister(db, await loadTestPersonnummer(), options.today);
  // Last: only a seeding that got here counts as done (isSeeded).
  await createSeedStore(db).markSeeded(REGION_ID, patients, options.seed ?? 1);
  return result;
}

function appendBatch(to: Batch, from: Batch): void {
  to.patients.push(...from.patients);
  to.diagnoses.push(...from.diagnoses);
  to.contacts.push(...from.contacts);
  to.contracts.push(...from.contracts);
  to.versions.push(...from.versions);
  to.visits.push(...from.visits);
  to.registrations.push(...from.registrations);
  to.consents.push(...from.consents);
}

/** True when every patient of the batch is already there (a re-run), so it need not be sent. */
async function isBatchPresent(db: Queryable, batch: Batch): Promise<boolean> {
  return (await createSeedStore(db).countPatients(batch.patients.map((p) => p.id))) === batch.patients.length;
}
