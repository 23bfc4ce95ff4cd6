/**
 * The launch log (`ehr_launch_event`) in log review and under the access log's retention, on both
 * engines: a loggansvarig lists the SMART launches of their care provider, opened and refused, by
 * journal system, user, period and outcome, and the look is logged; nobody else may; launches
 * older than ACCESS_LOG_RETENTION_YEARS move to the archive with their month of the access log and
 * are still listed; the launch log is append-only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createAccessLogArchiveService } from '../src/services/access-log-archive-service.ts';
import { createAccessLogArchiveStore } from '../src/store/access-log-archive-store.ts';
import type { Db } from '../src/store/db.ts';
import { createEhrLaunchStore, type LaunchEvent, type LoggedLaunch } from '../src/store/ehr-launch-store.ts';
import { setUp } from './helpers/access-classes.ts';
import { buildTestApp } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';

const NOW = new Date('2026-12-07T10:00:00Z');

interface LaunchList {
  launches: LoggedLaunch[];
  systems: { id: string; name: string }[];
}

for (const engine of testEngines) {
  describe(`the launch log on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let world: Awaited<ReturnType<typeof setUp>>;
    const system = `journal-${engine.name}`;
    const otherSystem = `annat-${engine.name}`;
    /** Request ids of the launches written below, by what each one is. */
    const req = (name: string) => `${engine.name}-${name}`;

    before(async () => {
      db = await engine.open();
      app = await buildTestApp(db);
      world = await setUp(app, db);
      for (const [id, name] of [
        [system, 'Cosmic'],
        [otherSystem, 'TakeCare'],
      ] as const)
        await db.query(
          `insert into ehr_system (id, name, iss, client_id, created_by) values ($1, $2, $3, 'patientkontrakt', 'test')`,
          [id, name, `https://${id}.example.org/fhir`],
        );
      // Written as the launch writes them (services/ehr-launch-service.ts#logEvent).
      const log = createEhrLaunchStore(db);
      const launch = (name: string, fields: Partial<LaunchEvent>): LaunchEvent => ({
        ehrSystemId: system,
        iss: `https://${system}.example.org/fhir`,
        outcome: 'opened',
        staffId: null,
        unitId: null,
        patientId: null,
        requestId: req(name),
        detail: null,
        ...fields,
      });
      const { w, strangerId, strangerUnit } = world;
      for (const event of [
        launch('opened', { staffId: w.nurseId, unitId: w.unitId, patientId: w.patientId }),
        launch('refused-patient', {
          outcome: 'no-patient',
          staffId: w.nurseId,
          unitId: w.unitId,
          patientId: w.patientId,
          detail: 'access refused',
        }),
        // Before a unit was chosen: theirs by the user's place at one of the provider's units.
        launch('choose-unit', { outcome: 'choose-unit', staffId: w.nurseId }),
        launch('other-system', { ehrSystemId: otherSystem, outcome: 'unknown-user', staffId: w.nurseId }),
        // Not this provider's: another provider's unit and user, and a launch with no user at all.
        launch('stranger', { staffId: strangerId, unitId: strangerUnit }),
        launch('stranger-unit-choice', { outcome: 'choose-unit', staffId: strangerId }),
        launch('no-user', { ehrSystemId: null, iss: 'https://okand.example.org', outcome: 'unknown-system' }),
      ])
        await log.logEvent(event);
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    const list = async (query = ''): Promise<LoggedLaunch[]> => {
      const res = await world.reviewer.get(`/api/audit/launches${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json<LaunchList>().launches;
    };
    const mine = (launches: LoggedLaunch[]) =>
      launches.map((l) => l.requestId).filter((id) => id.startsWith(`${engine.name}-`));

    it('lists the launches of the reviewer’s care provider, opened and refused, newest first, with names', async () => {
      const res = await world.reviewer.get('/api/audit/launches');
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json<LaunchList>();
      assert.deepEqual(mine(body.launches), [
        req('other-system'),
        req('choose-unit'),
        req('refused-patient'),
        req('opened'),
      ]);
      const opened = body.launches.find((l) => l.requestId === req('opened'))!;
      assert.equal(opened.ehrSystemName, 'Cosmic');
      assert.equal(opened.outcome, 'opened');
      assert.equal(opened.staffId, world.w.nurseId);
      assert.ok(opened.staffName && opened.unitName, 'the user and the unit by name');
      assert.equal(opened.patientId, world.w.patientId);
      assert.deepEqual(
        body.systems.filter((s) => s.id.endsWith(engine.name)),
        [
          { id: system, name: 'Cosmic' },
          { id: otherSystem, name: 'TakeCare' },
        ],
        'the registry by name, for the filter: id and name only',
      );
      assert.ok(!res.body.includes('patientkontrakt'), 'the client registration is not shown');
    });

    it('filters by journal system, user, period and outcome', async () => {
      assert.deepEqual(mine(await list(`?ehrSystemId=${otherSystem}`)), [req('other-system')]);
      assert.deepEqual(mine(await list('?outcome=refused')), [req('other-system'), req('refused-patient')]);
      assert.deepEqual(mine(await list('?outcome=opened')), [req('opened')]);
      assert.deepEqual(mine(await list('?outcome=choose-unit')), [req('choose-unit')]);
      assert.equal(mine(await list(`?userId=${world.strangerId}`)).length, 0, 'another provider’s user');
      assert.equal(mine(await list(`?userId=${world.w.nurseId}&limit=2`)).length, 2);
      const future = encodeURIComponent('2099-01-01T00:00:00Z');
      assert.equal(mine(await list(`?from=${future}`)).length, 0);
      assert.equal(mine(await list(`?to=${future}&outcome=opened`)).length, 1);
    });

    it('logs each look as log review', async () => {
      const res = await world.reviewer.get(`/api/audit/launches?ehrSystemId=${system}`);
      const logged = await db.query<{ action: string; patient_id: string | null; detail: string }>(
        'select action, patient_id, detail from access_log where request_id = $1',
        [res.headers['x-request-id']],
      );
      assert.deepEqual(logged, [
        { action: 'log-review', patient_id: null, detail: `SMART-starter {"ehrSystemId":"${system}"}` },
      ]);
    });

    it('refuses the launch log to staff without the role loggansvarig and to patients, and a bad filter in Swedish', async () => {
      for (const client of [world.nurse, world.stranger, world.patient]) {
        const res = await client.get('/api/audit/launches');
        assert.equal(res.statusCode, 403, res.body);
      }
      for (const query of ['?outcome=kanske', '?from=igår', '?ehrSystemId=..', '?limit=501', '?okand=1']) {
        const res = await world.reviewer.get(`/api/audit/launches${query}`);
        assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
        assert.match(res.body, /[åäö]|ogiltig|får|ska/i, query);
      }
    });

    it('archives launches older than the retention with their month, still lists them, and deletes nothing', async () => {
      for (const [at, name] of [
        ['2020-01-10T08:00:00Z', 'old-jan'],
        ['2020-02-29T23:30:00Z', 'old-mar'], // 1 March in Sweden: stays live
        ['2020-02-15T08:00:00Z', 'old-feb'],
      ] as const)
        await db.query(
          `insert into ehr_launch_event (at, ehr_system_id, iss, outcome, staff_id, unit_id, patient_id, request_id)
           values ($1, $2, 'https://x', 'opened', $3, $4, $5, $6)`,
          [at, system, world.w.nurseId, world.w.unitId, world.w.patientId, req(name)],
        );
      const service = createAccessLogArchiveService({
        store: createAccessLogArchiveStore(db),
        clock: () => NOW,
        retentionYears: 5,
      });
      const dry = await service.archive({ before: '2020-03', isDryRun: true });
      assert.deepEqual(
        dry.months.map((m) => [m.month, m.launchEvents]),
        [
          ['2020-01', 1],
          ['2020-02', 1],
        ],
      );
      const where = async (table: string) =>
        (
          await db.query<{ requestId: string }>(
            `select request_id as "requestId" from only ${table} where request_id like $1 order by at`,
            [req('old-%')],
          )
        ).map((r) => r.requestId);
      assert.deepEqual(await where('ehr_launch_event_archive'), []);

      const done = await service.archive({ before: '2020-03', isDryRun: false });
      assert.deepEqual(
        done.months.map((m) => [m.month, m.launchEvents]),
        [
          ['2020-01', 1],
          ['2020-02', 1],
        ],
      );
      assert.deepEqual(await where('ehr_launch_event_archive'), [req('old-jan'), req('old-feb')]);
      assert.deepEqual(await where('ehr_launch_event'), [req('old-mar')]);
      // Still in log review: a read of ehr_launch_event reads the archive too.
      const old = await list(`?to=${encodeURIComponent('2020-03-31T00:00:00Z')}`);
      assert.deepEqual(mine(old), [req('old-mar'), req('old-feb'), req('old-jan')]);
      // Nothing more to move.
      const again = await service.archive({ before: '2020-03', isDryRun: false });
      assert.equal(
        again.months.reduce((n, m) => n + m.launchEvents, 0),
        0,
      );
    });

    it('keeps the launch log append-only: no change, no delete but the archive’s move', async () => {
      const refused = /append-only/;
      await assert.rejects(
        db.query("update ehr_launch_event set outcome = 'opened' where request_id = $1", [
          req('choose-unit'),
        ]),
        refused,
      );
      await assert.rejects(
        db.query('delete from only ehr_launch_event where request_id = $1', [req('opened')]),
        refused,
      );
      await assert.rejects(
        db.query('delete from ehr_launch_event_archive where request_id = $1', [req('old-jan')]),
        refused,
      );
      await assert.rejects(
        db.query("update ehr_launch_event_archive set detail = 'x' where request_id = $1", [req('old-jan')]),
        refused,
      );
      const rows = await db.query<{ n: number }>(
        'select count(*)::int as n from ehr_launch_event where request_id like $1',
        [`${engine.name}-%`],
      );
      assert.equal(rows[0]!.n, 10);
    });
  });
}
