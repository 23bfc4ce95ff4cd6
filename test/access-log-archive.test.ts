/**
 * The access log's retention and monthly archive, on both engines: months older than the
 * retention move to the archive whole; the chain still verifies across live and archive; an
 * archived entry changed is found; log review and the patient's own log still show archived
 * entries; a month the retention keeps, and a retention under five years, are refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { readConfig } from '../src/config.ts';
import type { AccessLogEntry } from '../src/domain/access-log.ts';
import { assertArchivable, firstMonthKept, monthStart } from '../src/domain/access-log-archive.ts';
import { DomainError } from '../src/domain/errors.ts';
import { createAccessLogArchiveService } from '../src/services/access-log-archive-service.ts';
import { DEVELOPMENT_AUDIT_KEY } from '../src/services/audit-key.ts';
import { verifyAccessLog } from '../src/services/audit-verify.ts';
import { createAccessLogArchiveStore } from '../src/store/access-log-archive-store.ts';
import { createAccessLogStore } from '../src/store/access-log-store.ts';
import type { Db } from '../src/store/db.ts';
import { setUp } from './helpers/access-classes.ts';
import { buildTestApp } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';

const KEY = DEVELOPMENT_AUDIT_KEY;
const NOW = new Date('2026-12-07T10:00:00Z');

describe('which months may be archived', () => {
  it('keeps every month of the last five years live (Swedish calendar)', () => {
    assert.equal(firstMonthKept(NOW, 5), '2021-12');
    assert.equal(firstMonthKept(new Date('2026-12-31T23:30:00Z'), 5), '2022-01'); // already 1 January in Sweden
    assert.doesNotThrow(() => assertArchivable('2021-12', NOW, 5));
    assert.throws(
      () => assertArchivable('2022-01', NOW, 5),
      (e: unknown) => e instanceof DomainError && /månader före 2021-12 kan arkiveras/.test(e.message),
    );
    assert.throws(() => assertArchivable('2020-12', NOW, 7), DomainError);
  });

  it('begins a month at midnight Swedish time', () => {
    assert.equal(monthStart('2021-01'), '2020-12-31T23:00:00.000Z');
    assert.equal(monthStart('2021-07'), '2021-06-30T22:00:00.000Z');
  });

  it('refuses a retention under five years at start', () => {
    assert.equal(readConfig({}).accessLogRetentionYears, 5);
    assert.equal(readConfig({ ACCESS_LOG_RETENTION_YEARS: '10' }).accessLogRetentionYears, 10);
    for (const value of ['4', '0', 'fem', '5.5'])
      assert.throws(() => readConfig({ ACCESS_LOG_RETENTION_YEARS: value }), /at least 5/);
  });
});

for (const engine of testEngines) {
  describe(`the access-log archive on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let world: Awaited<ReturnType<typeof setUp>>;
    const marker = `arkiv-${engine.name}`;
    before(async () => {
      db = await engine.open();
      app = await buildTestApp(db);
      world = await setUp(app, db);
      // Entries of three old months (the last one across midnight of its end in Swedish time),
      // written as the server writes them, chained after what the app has written.
      const log = createAccessLogStore(db, KEY);
      const old = (at: string, i: number): AccessLogEntry => ({
        at,
        action: 'read',
        actorKind: 'staff',
        actorId: world.w.nurseId,
        unitId: world.w.unitId,
        providerId: world.w.providerId,
        patientId: world.w.patientId,
        outcome: 'allowed',
        legalBasis: 'own-unit',
        isEmergency: false,
        requestId: `${marker}-${i}`,
        route: 'GET /api/patients/:patientId/overview',
        detail: marker,
      });
      await log.write(
        old('2020-01-10T08:00:00.000Z', 1),
        old('2020-01-31T23:30:00.000Z', 2), // 1 February in Sweden
        old('2020-02-15T08:00:00.000Z', 3),
        old('2020-03-01T08:00:00.000Z', 4),
      );
    });
    after(async () => {
      await app.close();
      await db.close();
    });
    const service = () =>
      createAccessLogArchiveService({
        store: createAccessLogArchiveStore(db),
        clock: () => NOW,
        retentionYears: 5,
      });
    const count = async (table: string): Promise<number> =>
      (
        await db.query<{ n: number }>(`select count(*)::int as n from only ${table} where detail = $1`, [
          marker,
        ])
      )[0]!.n;

    it('refuses a month the retention keeps, and moves nothing', async () => {
      await assert.rejects(service().archive({ before: '2022-06', isDryRun: false }), DomainError);
      assert.equal(await count('access_log'), 4);
    });

    it('moves whole months before the one asked for, one transaction each, and the chain still verifies', async () => {
      const total = (await db.query<{ n: number }>('select count(*)::int as n from access_log'))[0]!.n;
      const dry = await service().archive({ before: '2020-03', isDryRun: true });
      assert.deepEqual(
        dry.months.map((m) => [m.month, m.entries]),
        [
          ['2020-01', 1],
          ['2020-02', 2],
        ],
      );
      assert.equal(await count('access_log_archive'), 0);

      const done = await service().archive({ before: '2020-03', isDryRun: false });
      assert.deepEqual(
        done.months.map((m) => [m.month, m.entries]),
        [
          ['2020-01', 1],
          ['2020-02', 2],
        ],
      );
      assert.equal(await count('access_log'), 1);
      assert.equal(await count('access_log_archive'), 3);
      const months = await service().months();
      assert.deepEqual(
        months.map((m) => [m.month, m.entries]),
        [
          ['2020-01', 1],
          ['2020-02', 2],
        ],
      );
      const [feb] = await db.query<{ hash: string }>('select hash from access_log_archive where seq = $1', [
        months[1]!.lastSeq,
      ]);
      assert.equal(months[1]!.lastHash, feb!.hash);

      const result = await verifyAccessLog(createAccessLogStore(db, KEY), KEY);
      assert.equal(result.problemCount, 0, JSON.stringify(result.problems));
      assert.equal(result.entries, total);
      // Again: nothing more to move.
      const again = await service().archive({ before: '2020-03', isDryRun: false });
      assert.equal(
        again.months.reduce((n, m) => n + m.entries, 0),
        0,
      );
    });

    it('shows archived entries to log review and in the patient’s own log', async () => {
      const review = await world.reviewer.get(`/api/audit/entries?patientId=${world.w.patientId}&limit=100`);
      assert.equal(review.statusCode, 200, review.body);
      const seen = review.json<{ entries: { requestId: string }[] }>().entries.map((e) => e.requestId);
      for (const i of [1, 2, 3, 4])
        assert.ok(seen.includes(`${marker}-${i}`), `${marker}-${i} in ${seen.join()}`);

      const own = await world.patient.get('/api/me/access-log?limit=500');
      assert.equal(own.statusCode, 200, own.body);
      const ats = own.json<{ entries: { at: string }[] }>().entries.map((e) => e.at);
      for (const at of ['2020-01-10T08:00:00.000Z', '2020-01-31T23:30:00.000Z', '2020-02-15T08:00:00.000Z'])
        assert.ok(ats.includes(at), `${at} in the patient's own log`);
    });

    it('keeps the archive append-only, and lets nothing leave the live log that is not archived', async () => {
      await assert.rejects(
        db.query('delete from access_log_archive where detail = $1', [marker]),
        /append-only/,
      );
      await assert.rejects(
        db.query("update access_log_archive set detail = 'x' where detail = $1", [marker]),
        /append-only/,
      );
      await assert.rejects(db.query('delete from access_log where detail = $1', [marker]), /append-only/);
      await assert.rejects(db.query('delete from access_log_archive_month'), /append-only/);
      assert.equal(await count('access_log_archive'), 3);
      assert.equal(await count('access_log'), 1);
    });

    it('finds an archived entry that was changed', async () => {
      const [target] = await db.query<{ seq: number }>(
        'select seq from access_log_archive where request_id = $1',
        [`${marker}-2`],
      );
      await db.exec(
        `alter table access_log_archive disable trigger user;
         update access_log_archive set unit_id = 'SE0000000000-E9999' where seq = ${target!.seq};
         alter table access_log_archive enable trigger user;`,
      );
      const result = await verifyAccessLog(createAccessLogStore(db, KEY), KEY);
      assert.deepEqual(result.problems, [{ kind: 'altered', seq: target!.seq }]);
    });
  });
}
