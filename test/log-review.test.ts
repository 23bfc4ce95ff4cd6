/** Log review (loggkontroll): only for the role loggansvarig, only for its own care provider. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../src/store/db.ts';
import { login, openTestApp } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makeStaff, makeWorld } from './helpers/factories.ts';

for (const engine of testEngines) {
  describe(`log review on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it('filters by user and patient, samples, and records the conclusion', async () => {
      const w = await makeWorld(db);
      const reviewerId = await makeStaff(db, w.unitId, 'administrator');
      await db.query("update staff_unit set role = 'loggansvarig' where staff_id = $1", [reviewerId]);
      const nurse = await login(app, { hsaId: w.nurseId });
      for (let i = 0; i < 3; i++) await nurse.get(`/api/patients/${w.patientId}/overview`);

      const reviewer = await login(app, { hsaId: reviewerId });
      const byUser = await reviewer.get(`/api/audit/entries?userId=${w.nurseId}&patientId=${w.patientId}`);
      assert.equal(byUser.statusCode, 200);
      const entries = byUser.json<{ entries: { seq: number; actorId: string; patientId: string }[] }>()
        .entries;
      assert.equal(entries.length, 3);
      assert.ok(entries.every((e) => e.actorId === w.nurseId && e.patientId === w.patientId));

      const sample = await reviewer.get('/api/audit/sample?size=2');
      assert.equal(sample.json<{ entries: unknown[] }>().entries.length, 2);

      const review = await reviewer.send('POST', '/api/audit/reviews', {
        kind: 'riktad',
        filter: `userId=${w.nurseId}`,
        entrySeqs: entries.map((e) => e.seq),
        conclusion: 'Åtkomsterna hör till patientens vård. Ingen anmärkning.',
        isRemark: false,
      });
      assert.equal(review.statusCode, 201);
      const reviews = await reviewer.get('/api/audit/reviews');
      assert.equal(reviews.json<{ reviews: unknown[] }>().reviews.length, 1);
      // The review itself is logged.
      const own = await db.query("select 1 from access_log where actor_id = $1 and action = 'log-review'", [
        reviewerId,
      ]);
      assert.ok(own.length >= 2);
    });

    it('refuses log review to staff without the role', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      assert.equal((await nurse.get('/api/audit/entries')).statusCode, 403);
    });

    it('refuses patient data to a log reviewer who has no care role', async () => {
      const w = await makeWorld(db);
      const reviewerId = await makeStaff(db, w.unitId, 'administrator');
      await db.query("update staff_unit set role = 'loggansvarig' where staff_id = $1", [reviewerId]);
      const reviewer = await login(app, { hsaId: reviewerId });
      assert.equal((await reviewer.get(`/api/patients/${w.patientId}/overview`)).statusCode, 404);
    });
  });
}
