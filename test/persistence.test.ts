/** A restart keeps everything: file-backed PGlite and PostgreSQL. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { createCareContactStore } from '../src/store/care-contact-store.ts';
import { createContractStore } from '../src/store/contract-store.ts';
import { migrate, openDb, type Db, type DbOptions } from '../src/store/db.ts';
import { createOverviewStore } from '../src/store/overview-store.ts';
import { makeWorld, sampleContent } from './helpers/factories.ts';
import { contextAs, relateUnit, servicesOn } from './helpers/services.ts';

async function writeThenRestart(options: DbOptions): Promise<void> {
  let db: Db = await openDb(options);
  await migrate(db);
  const w = await makeWorld(db);
  await createCareContactStore(db).assign(
    w.patientId,
    { role: 'fast-vardkontakt', staffId: w.nurseId, unitId: w.unitId, reason: 'behov' },
    w.nurse,
    '2026-11-23',
  );
  // The doctor, at another unit, writes too.
  await relateUnit(db, w.patientId, w.otherUnitId);
  const contracts = servicesOn(db).contracts;
  const { contract } = await contracts.create(contextAs(w.nurse), w.patientId, () => ({
    status: 'active',
    content: sampleContent(w.unitId),
  }));
  await contracts.update(contextAs(w.doctor), w.patientId, {
    expectedVersion: () => 1,
    input: { status: 'active', content: { ...contract.content, whatMatters: 'Efter omstart' } },
    isAsSeen: true,
  });
  const before = await createOverviewStore(db).read(w.patientId);
  await db.close();

  db = await openDb(options);
  assert.deepEqual(await migrate(db), [], 'no migration runs twice');
  const after = await createOverviewStore(db).read(w.patientId);
  assert.deepEqual(after, before);
  assert.equal(after?.contract?.content.whatMatters, 'Efter omstart');
  assert.equal((await createContractStore(db).listVersions(contract.id)).length, 2);
  await db.close();
}

describe('a restart', () => {
  it('keeps everything in a file-backed PGlite', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pk-pglite-'));
    try {
      await writeThenRestart({ dataDir: dir });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  const url = process.env.TEST_DATABASE_URL;
  it('keeps everything on PostgreSQL', { skip: url ? false : 'TEST_DATABASE_URL is not set' }, async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    try {
      await writeThenRestart({ databaseUrl: url, schema });
    } finally {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  });
});

describe('servers starting together', () => {
  const url = process.env.TEST_DATABASE_URL;
  it(
    'migrate an empty PostgreSQL once, whichever comes first',
    { skip: url ? false : 'TEST_DATABASE_URL is not set' },
    async () => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        for (let round = 0; round < 5; round++) {
          const schema = `t_${randomBytes(6).toString('hex')}`;
          await admin.query(`create schema ${schema}`);
          const servers = await Promise.all(
            [1, 2, 3].map(() => openDb({ databaseUrl: url, schema, poolSize: 2 })),
          );
          try {
            const applied = await Promise.all(servers.map((db) => migrate(db)));
            const names = applied.flat();
            assert.ok(names.length > 0, 'the migrations ran');
            assert.equal(new Set(names).size, names.length, 'each migration ran once');
          } finally {
            for (const db of servers) await db.close();
            await admin.query(`drop schema ${schema} cascade`);
          }
        }
      } finally {
        await admin.end();
      }
    },
  );
});
