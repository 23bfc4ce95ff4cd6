/**
 * Seeds the demo region "Region Exempelland".
 *
 *   npm run seed -- [--patients N] [--seed S] [--today YYYY-MM-DD] [--batch B]
 *
 * Opens the database as the server does: PostgreSQL when DATABASE_URL is set, otherwise PGlite
 * in DATA_DIR (default ./data/pglite); runs the migrations, then seeds. Re-running is safe:
 * on a seeded database only the patients missing among the first N are added (same seed and
 * today give the same patients), nothing is changed or deleted. See src/seed/generate.ts.
 */
import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { swedishToday } from '../domain/swedish-time.ts';
import { DEFAULT_PATIENTS, isSeeded, seedDemo } from '../seed/generate.ts';
import { migrate, openDb } from '../store/db.ts';

const usage = 'Användning: npm run seed -- [--patients N] [--seed S] [--today ÅÅÅÅ-MM-DD] [--batch B]';

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} ska vara ett heltal ≥ 0. ${usage}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      patients: { type: 'string' },
      seed: { type: 'string' },
      today: { type: 'string' },
      batch: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const patients = positiveInt(values.patients, DEFAULT_PATIENTS, 'patients');
  const seed = positiveInt(values.seed, 1, 'seed');
  const batchSize = Math.max(1, positiveInt(values.batch, 5000, 'batch'));
  const today = values.today ? new Date(`${values.today}T12:00:00Z`) : new Date();
  if (Number.isNaN(today.getTime())) throw new Error(`--today ska vara ett datum ÅÅÅÅ-MM-DD. ${usage}`);

  const config = readConfig();
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(db);
    const where = db.engine === 'postgres' ? 'PostgreSQL' : `PGlite (${config.dataDir})`;
    const resuming = await isSeeded(db);
    console.log(
      `${resuming ? 'Kompletterar' : 'Skapar'} Region Exempelland i ${where}: ${patients} patienter, frö ${seed}, ` +
        `dag ${swedishToday(today)}`,
    );
    const started = performance.now();
    let lastLog = 0;
    const result = await seedDemo(db, {
      seed,
      patients,
      today,
      batchSize,
      onProgress: (done) => {
        const now = performance.now();
        if (now - lastLog < 1000 && done < patients) return;
        lastLog = now;
        const rate = Math.round(done / ((now - started) / 1000));
        console.log(
          `  ${done.toLocaleString('sv-SE')} / ${patients.toLocaleString('sv-SE')} patienter (${rate}/s)`,
        );
      },
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `Klart på ${seconds.toFixed(1)} s: ${result.patients} nya patienter (${Math.round(patients / seconds)} patienter/s), ` +
        `${result.contracts} kontrakt, ${result.units} enheter, ${result.staff} medarbetare.`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
