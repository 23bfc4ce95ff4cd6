import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { makePatient, makeProvider, makeStaff, makeUnit } from '../../test/helpers/factories.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { kept } from '../../test/helpers/visit-series.ts';
import type { Db } from './db.ts';

type Step =
  | { op: 'insert'; visits: { patient: number; day: number; staff: number; type: number }[] }
  | { op: 'delete'; patient: number; fromDay: number }
  | { op: 'update'; patient: number; staff: number }
  | { op: 'truncate' }
  | { op: 'compact' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('insert' as const),
      visits: fc.array(
        fc.record({
          patient: fc.nat(3),
          day: fc.nat(20),
          staff: fc.nat(2),
          type: fc.nat(1),
        }),
        { minLength: 1, maxLength: 8 },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('delete' as const), patient: fc.nat(3), fromDay: fc.nat(20) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('update' as const), patient: fc.nat(3), staff: fc.nat(2) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('compact' as const) }) },
);

for (const engine of testEngines) {
  describe(`visit_series on ${engine.name}`, () => {
    let db: Db;
    let patients: string[];
    let staff: string[];
    let unit: string;

    before(async () => {
      db = await engine.open();
      unit = await makeUnit(db, await makeProvider(db));
      staff = [
        await makeStaff(db, unit, 'lakare'),
        await makeStaff(db, unit, 'lakare'),
        await makeStaff(db, unit),
      ];
      patients = [];
      for (let i = 0; i < 4; i += 1) patients.push(await makePatient(db, unit));
    });
    after(() => db.close());

    it('keeps every patient’s packed visits equal to the visit table through inserts, deletes, updates, truncates and compactions', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
          await db.exec('truncate visit');
          for (const s of steps) {
            if (s.op === 'insert') {
              const rows = s.visits.map((v) => [
                patients[v.patient],
                new Date(Date.UTC(2025, 0, 1 + v.day, 9)).toISOString(),
                staff[v.staff],
                unit,
                v.staff === 2 ? 'sjukskoterska' : 'lakare',
                v.type === 0 ? 'besok' : 'telefon',
              ]);
              await db.query(
                `insert into visit (patient_id, at, staff_id, unit_id, profession, contact_type)
                 select * from json_to_recordset($1::json)
                   as r(patient_id uuid, at timestamptz, staff_id text, unit_id text, profession text, contact_type text)
                 on conflict do nothing`,
                [
                  JSON.stringify(
                    rows.map(([patient_id, at, staff_id, unit_id, profession, contact_type]) => ({
                      patient_id,
                      at,
                      staff_id,
                      unit_id,
                      profession,
                      contact_type,
                    })),
                  ),
                ],
              );
            } else if (s.op === 'delete')
              await db.query(`delete from visit where patient_id = $1 and at >= $2`, [
                patients[s.patient],
                new Date(Date.UTC(2025, 0, 1 + s.fromDay)).toISOString(),
              ]);
            else if (s.op === 'update')
              // A new staff member: the update must number it too.
              await db.query(`update visit set staff_id = staff_id || '-' || $2 where patient_id = $1`, [
                patients[s.patient],
                s.staff,
              ]);
            else if (s.op === 'compact') await db.query('select visit_series_compact(true)');
            else await db.exec('truncate visit');
            const { series, rebuilt } = await kept(db);
            assert.deepEqual(series, rebuilt);
          }
        }),
        { numRuns: engine.name === 'pglite' ? 40 : 60 },
      );
    });

    it('a rolled-back import leaves the packed visits as they were', async () => {
      await db.exec('truncate visit');
      await db.query(
        `insert into visit (patient_id, at, staff_id, unit_id, profession, contact_type)
         values ($1, '2025-02-01T09:00Z', $2, $3, 'lakare', 'besok')`,
        [patients[0], staff[0], unit],
      );
      const before = await kept(db);
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query(
            `insert into visit (patient_id, at, staff_id, unit_id, profession, contact_type)
             values ($1, '2025-02-02T09:00Z', $2, $3, 'lakare', 'besok')`,
            [patients[0], staff[1], unit],
          );
          throw new Error('rollback');
        }),
      );
      assert.deepEqual(await kept(db), before);
      assert.equal(before.series.length, 1);
    });

    it('compaction merges a patient’s rows into one, and only past twice the patients unless forced', async () => {
      await db.exec('truncate visit');
      for (let day = 1; day <= 9; day += 1)
        await db.query(
          `insert into visit (patient_id, at, staff_id, unit_id, profession, contact_type)
           values ($1, $2, $3, $4, 'lakare', 'besok')`,
          [patients[0], `2025-03-0${day}T09:00Z`, staff[day % 2], unit],
        );
      const rows = async () =>
        (await db.query<{ n: number }>('select count(*)::int as n from visit_series'))[0]!.n;
      assert.equal(await rows(), 9);
      const before = await kept(db);
      // 9 rows, 4 patients in the register: past twice.
      assert.deepEqual(await db.query('select visit_series_compact() as done'), [{ done: true }]);
      assert.equal(await rows(), 1);
      assert.deepEqual(await kept(db), before);
      assert.deepEqual(await db.query('select visit_series_compact() as done'), [{ done: false }]);
    });
  });
}
