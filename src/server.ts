/**
 * Starts Patientkontrakt: opens the database (PGlite in DATA_DIR, or PostgreSQL at
 * DATABASE_URL), applies migrations, seeds the demo region on first start, and listens.
 */
import { mkdir } from 'node:fs/promises';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { loadAuditKey } from './services/audit-key.ts';
import { demoUsers, isSeeded, seedDemo } from './seed/generate.ts';
import { migrate, openDb } from './store/db.ts';

const config = readConfig();
if (!config.databaseUrl) await mkdir(config.dataDir, { recursive: true });
const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
const applied = await migrate(db);
if (applied.length > 0) console.log(`Migrations applied: ${applied.join(', ')}`);

if (config.seedDemo && !(await isSeeded(db))) {
  console.log(`Seeding the demo region with ${config.demoPatients} patients …`);
  const counts = await seedDemo(db, { patients: config.demoPatients, today: new Date() });
  console.log(
    `Seeded ${counts.patients} patients, ${counts.contracts} contracts, ${counts.staff} staff, ${counts.units} units.`,
  );
}

const { app } = await buildApp({
  db,
  config,
  auditKey: await loadAuditKey(config),
  logger: { level: config.logLevel },
  demoUsers: {
    staffIds: demoUsers.staff.map((s) => s.hsaId),
    patientIdentifiers: demoUsers.patients.map((p) => p.personnummer),
  },
});

const shutdown = async (): Promise<void> => {
  await app.close();
  await db.close();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());

await app.listen({ port: config.port, host: config.host });
console.log(
  `Patientkontrakt is running at http://localhost:${config.port} (${db.engine === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL'})`,
);
