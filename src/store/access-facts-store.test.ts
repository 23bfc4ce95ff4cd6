/**
 * The SQL of the care-relationship rule (access-facts-store.ts, also inside the session statement
 * of prefetch-store.ts) against the rule itself (domain/care-relationship.ts), on the same data:
 * generated patients with every source present or absent, current or not.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { relationshipUnitIdsOf, type CareRelationshipSources } from '../domain/care-relationship.ts';
import { isoDayOfNumber, swedishDayNumber, swedishToday } from '../domain/swedish-time.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makePatient, makeProvider, makeStaff, makeUnit, staffActor } from '../../test/helpers/factories.ts';
import { createAccessFactsStore } from './access-facts-store.ts';
import type { Db } from './db.ts';
import { createPrefetchStore } from './prefetch-store.ts';
import { createSessionStore } from './session-store.ts';

/** A small deterministic generator, so that a failure can be run again as it was. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  return {
    chance: (p: number): boolean => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}

/** What the sources hold, read as plain rows (not through the rule's SQL). */
async function sourcesOf(db: Db, patientId: string): Promise<CareRelationshipSources> {
  const [patient] = await db.query<{ listedUnitId: string | null }>(
    'select listed_unit_id as "listedUnitId" from patient where id = $1',
    [patientId],
  );
  const contacts = await db.query<{ unitId: string; status: string }>(
    'select unit_id as "unitId", status from care_contact where patient_id = $1',
    [patientId],
  );
  const plans = await db.query<{
    status: string;
    ownerUnitId: string | null;
    content: { activities: { unitId?: string | null }[]; nextContact: { unitId?: string | null } | null };
  }>('select status, owner_unit_id as "ownerUnitId", content from contract where patient_id = $1', [
    patientId,
  ]);
  const current = plans.find((p) => p.status !== 'ended');
  const registered = await db.query<{
    unitId: string;
    startDate: string;
    endDate: string | null;
    endedAt: string | null;
  }>(
    `select unit_id as "unitId", start_date as "startDate", end_date as "endDate", ended_at as "endedAt"
     from care_relationship where patient_id = $1`,
    [patientId],
  );
  return {
    listedUnitId: patient!.listedUnitId,
    activeCareContactUnitIds: contacts.filter((c) => c.status === 'active').map((c) => c.unitId),
    currentPlan: current
      ? {
          ownerUnitId: current.ownerUnitId,
          activityUnitIds: current.content.activities.map((a) => a.unitId),
          nextContactUnitId: current.content.nextContact?.unitId,
        }
      : null,
    registered,
  };
}

for (const engine of testEngines) {
  describe(`the care-relationship SQL against the domain rule on ${engine.name}`, () => {
    let db: Db;
    before(async () => {
      db = await engine.open();
    });
    after(async () => {
      await db.close();
    });

    it('finds the units the rule names, for generated patients, in the facts and in the session statement', async () => {
      const random = generator(20261207);
      const providerId = await makeProvider(db);
      const units = await Promise.all(Array.from({ length: 6 }, () => makeUnit(db, providerId)));
      const staffId = await makeStaff(db, units[0]!);
      const reader = staffActor(staffId, units[0]!, providerId);
      const sessions = createSessionStore(db, { idleSeconds: 3600, absoluteSeconds: 3600 });
      const token = await sessions.create({ kind: 'staff', id: staffId, unitId: units[0]! });
      const facts = createAccessFactsStore(db);
      const prefetch = createPrefetchStore(db, { sessions, idleSeconds: 3600 });
      const today = swedishDayNumber(Date.now());
      // Around today, so that "from today" and "until today" are both met (days, both included).
      const days = [-30, -1, 0, 1, 30].map((offset) => isoDayOfNumber(today + offset));

      for (let n = 0; n < 40; n++) {
        const patientId = await makePatient(db, random.chance(0.5) ? random.pick(units) : null);
        for (const status of ['active', 'ended', 'declined'] as const) {
          if (!random.chance(0.4)) continue;
          await db.query(
            `insert into care_contact (patient_id, role, staff_id, unit_id, status, start_date, end_date, created_by)
             values ($1, 'behandlande-roll', $2, $3, $4, $5, $6, $2)`,
            [patientId, staffId, random.pick(units), status, days[0], status === 'ended' ? days[1] : null],
          );
        }
        for (const status of ['ended', 'draft', 'active'] as const) {
          if (!random.chance(0.4)) continue;
          if (status !== 'ended' && (await sourcesOf(db, patientId)).currentPlan) continue;
          const content = {
            activities: Array.from({ length: random.pick([0, 1, 2]) }, (_, i) => ({
              id: `a${i}`,
              what: 'Besök',
              unitId: random.chance(0.8) ? random.pick(units) : null,
            })),
            nextContact: random.chance(0.5) ? { unitId: random.pick(units) } : null,
          };
          await db.query(
            `insert into contract (patient_id, status, version, content, created_by, updated_by, owner_unit_id, ended_at)
             values ($1, $2, 1, $3, $4, $4, $5, case when $2 = 'ended' then now() end)`,
            [patientId, status, content, staffId, random.chance(0.7) ? random.pick(units) : null],
          );
        }
        for (let r = 0; r < random.pick([0, 1, 2]); r++) {
          const start = random.pick(days);
          const end = random.chance(0.5) ? random.pick(days.filter((d) => d >= start)) : null;
          await db.query(
            `insert into care_relationship (patient_id, unit_id, start_date, end_date, reason, created_by, ended_at)
             values ($1, $2, $3, $4, 'Övertag', $5, case when $6 then now() end)`,
            [patientId, random.pick(units), start, end, staffId, random.chance(0.2)],
          );
        }

        const gathered = await facts.gather(reader, patientId);
        const expected = relationshipUnitIdsOf(
          await sourcesOf(db, patientId),
          swedishToday(new Date(gathered.now)),
        );
        assert.deepEqual([...gathered.relationshipUnitIds].sort(), expected, `patient ${n}`);
        const prefetched = await prefetch.read(token, patientId, 'access');
        assert.deepEqual(
          [...prefetched!.facts.relationshipUnitIds].sort(),
          expected,
          `patient ${n}, prefetched`,
        );
      }
    });
  });
}
