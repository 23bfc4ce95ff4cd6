/**
 * A first seeding cut off (the process killed) at any step must not leave a region that later
 * starts take for seeded: src/server.ts seeds when `isSeeded` is false, and the next seeding
 * finishes the job to the same data as one that was never interrupted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testEngines } from '../../test/helpers/engines.ts';
import type { Db } from '../store/db.ts';
import { buildDirectory } from './directory.ts';
import { isSeeded, seedDemo } from './generate.ts';
import { writeDirectory } from './write.ts';

const options = { seed: 7, patients: 60, batchSize: 20, today: new Date('2026-11-23T09:00:00Z') };

async function counts(db: Db): Promise<{ patients: number; contracts: number; staff: number }> {
  const [row] = await db.query<{ patients: number; contracts: number; staff: number }>(
    `select (select count(*)::int from patient) as patients, (select count(*)::int from contract) as contracts,
       (select count(*)::int from staff) as staff`,
  );
  return row!;
}

/** The start's decision (src/server.ts): seed unless a seeding has finished. */
async function start(db: Db): Promise<void> {
  if (!(await isSeeded(db))) await seedDemo(db, options);
}

class Interrupted extends Error {}

for (const engine of testEngines) {
  describe(`an interrupted first seeding on ${engine.name}`, () => {
    it('is finished by the next start when it stopped after the directory, before any patient', async () => {
      const db = await engine.open();
      try {
        await writeDirectory(db, buildDirectory());
        assert.equal(await isSeeded(db), false, 'staff and units alone are not a seeded region');
        await start(db);
        assert.equal(await isSeeded(db), true);
        assert.equal((await counts(db)).patients, 60);
      } finally {
        await db.close();
      }
    });

    it('is finished by the next start, to the same data, when it stopped between batches of patients', async () => {
      const cut = await engine.open();
      const whole = await engine.open();
      try {
        await assert.rejects(
          seedDemo(cut, {
            ...options,
            onProgress: (done) => {
              if (done >= 20) throw new Interrupted('killed');
            },
          }),
          Interrupted,
        );
        const partial = await counts(cut);
        assert.ok(
          partial.patients > 0 && partial.patients < 60,
          `${partial.patients} patients after the cut`,
        );
        assert.equal(await isSeeded(cut), false);

        await start(cut);
        assert.equal(await isSeeded(cut), true);
        await seedDemo(whole, options);
        assert.deepEqual(await counts(cut), await counts(whole));

        const again = await counts(cut);
        await start(cut);
        assert.deepEqual(await counts(cut), again, 'a finished seeding is not run again');
      } finally {
        await cut.close();
        await whole.close();
      }
    });
  });
}
