/**
 * Stays in hospital recorded by staff through the JSON API, on both engines: an admission pauses
 * the enrolment in the mobile team and a discharge resumes it, each step in the enrolment's
 * history with who recorded it and a change event in the plan that the fast vårdkontakt is told
 * of; the discharge answers with the plan, its next contact and what is missing (lag (2017:612));
 * a second open stay, a discharge before the admission or twice are refused in Swedish with
 * nothing written, also when two are recorded at once (one open stay per patient is a unique
 * index, migration 031, and the admissions import refuses on its line an open stay that would be
 * a second); every read and write is in the access log.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../src/store/db.ts';
import { login, openTestApp } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { appointFastVardkontakt, makeProvider, makeStaff, makeUnit } from './helpers/factories.ts';
import { enrol, makeMobileWorld, type MobileWorld } from './helpers/mobile-care.ts';

interface Stay {
  id: string;
  unitId: string;
  unitName: string;
  admittedAt: string;
  dischargedAt: string | null;
  source: string;
  admittedBy: { staffId: string; unitId: string } | null;
  dischargedBy: { staffId: string; unitId: string } | null;
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

async function statusOf(db: Db, enrolmentId: string): Promise<string> {
  const rows = await db.query<{ status: string }>('select status from enrolment where id = $1', [
    enrolmentId,
  ]);
  return rows[0]!.status;
}

async function stayCount(db: Db, patientId: string): Promise<number> {
  const rows = await db.query<{ n: number }>(
    'select count(*)::int as n from hospital_stay where patient_id = $1',
    [patientId],
  );
  return rows[0]!.n;
}

for (const engine of testEngines) {
  describe(`hospital stays recorded by staff on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    /** The patient's personnummer, and signed in someone of role uppföljning at `w.vc` (who imports admissions). */
    async function importer(w: MobileWorld) {
      const [{ pnr }] = (await db.query<{ pnr: string }>(
        'select identifier as pnr from patient where id = $1',
        [w.patientId],
      )) as [{ pnr: string }];
      const analyst = await makeStaff(db, w.vc);
      await db.query("update staff_unit set role = 'uppfoljning' where staff_id = $1", [analyst]);
      return { pnr, client: await login(app, { hsaId: analyst }) };
    }

    it('pauses the enrolment on an admission and resumes it on the discharge, with who, in the plan', async () => {
      const w = await makeMobileWorld(app, db);
      const enrolmentId = await enrol(w);
      const ward = await makeUnit(db, w.regionProvider, 'sjukhus');
      // The municipal nurse is the fast vårdkontakt: she is told when the region's nurse records.
      await appointFastVardkontakt(db, w.patientId, w.homeNurse, w.home);
      const url = `/api/patients/${w.patientId}/hospital-stays`;

      const admitted = await w.clients.regionNurse.send('POST', url, {
        unitId: ward,
        admittedAt: hoursAgo(30),
      });
      assert.equal(admitted.statusCode, 201, admitted.body);
      const stay = admitted.json<Stay>();
      assert.equal(stay.source, 'staff');
      assert.equal(stay.unitId, ward);
      assert.deepEqual([stay.admittedBy?.staffId, stay.admittedBy?.unitId], [w.regionNurse, w.vc]);
      assert.equal(await statusOf(db, enrolmentId), 'paused');

      // A second open stay is refused at its field, and nothing is written.
      const second = await w.clients.physician.send('POST', url, { unitId: ward, admittedAt: hoursAgo(2) });
      assert.equal(second.statusCode, 422, second.body);
      const error = second.json<{ error: { code: string; details: { path: string; message: string }[] } }>()
        .error;
      assert.equal(error.code, 'hospital_stay_invalid');
      assert.equal(error.details[0]!.path, '/admittedAt');
      assert.match(error.details[0]!.message, /redan inlagd/);
      assert.equal(await stayCount(db, w.patientId), 1);

      const listed = await w.clients.homeNurse.get(url);
      assert.equal(listed.statusCode, 200, listed.body);
      assert.deepEqual(
        listed.json<{ stays: Stay[] }>().stays.map((s) => [s.id, s.dischargedAt]),
        [[stay.id, null]],
      );

      // A discharge before the admission, then in the future, is refused.
      const discharge = `${url}/${stay.id}/discharge`;
      for (const dischargedAt of [hoursAgo(40), '2999-01-01T00:00:00.000Z']) {
        const bad = await w.clients.regionNurse.send('POST', discharge, { dischargedAt });
        assert.equal(bad.statusCode, 422, bad.body);
        assert.equal(
          bad.json<{ error: { details: { path: string }[] } }>().error.details[0]!.path,
          '/dischargedAt',
        );
      }
      assert.equal(await statusOf(db, enrolmentId), 'paused');

      const done = await w.clients.regionNurse.send('POST', discharge, { dischargedAt: hoursAgo(1) });
      assert.equal(done.statusCode, 200, done.body);
      const answer = done.json<{
        stay: Stay;
        followUp: {
          contractId: string | null;
          nextContact: unknown;
          fastVardkontakt: { staffId: string } | null;
          todo: string[];
        };
      }>();
      assert.equal(answer.stay.dischargedBy?.staffId, w.regionNurse);
      assert.equal(answer.followUp.contractId, w.contractId);
      assert.equal(answer.followUp.fastVardkontakt?.staffId, w.homeNurse);
      // The plan's next contact (2026-12-01 in the test content) lies before the discharge.
      assert.equal(answer.followUp.nextContact, null);
      assert.deepEqual(answer.followUp.todo, ['Boka nästa kontakt efter utskrivningen i planen.']);
      assert.equal(await statusOf(db, enrolmentId), 'active');

      // Twice: refused.
      const again = await w.clients.regionNurse.send('POST', discharge, { dischargedAt: hoursAgo(1) });
      assert.equal(again.statusCode, 422, again.body);

      // The enrolment's history names the nurse who recorded each step, with the reason.
      const history = await db.query<{ action: string; detail: string; actor_id: string }>(
        'select action, detail, actor_id from enrolment_event where enrolment_id = $1 order by seq',
        [enrolmentId],
      );
      assert.deepEqual(history.slice(-2), [
        { action: 'paused', detail: 'admitted', actor_id: w.regionNurse },
        { action: 'resumed', detail: 'discharged', actor_id: w.regionNurse },
      ]);
      // The plan's timeline, and the fast vårdkontakt told of each.
      const events = await db.query<{ summary: string; contract_id: string | null }>(
        `select summary, contract_id from change_event where patient_id = $1 and kind in ('enrolment-changed', 'hospital-stay')
          order by id`,
        [w.patientId],
      );
      assert.deepEqual(
        events.slice(-3).map((e) => e.summary.split(':')[0]),
        ['Inlagd på sjukhus', 'Utskriven från sjukhus', 'Utskriven från sjukhus. Att göra'],
      );
      assert.equal(events.at(-1)!.contract_id, w.contractId);
      const told = await db.query<{ summary: string }>(
        `select summary from notification where recipient_staff_id = $1 and patient_id = $2 order by id`,
        [w.homeNurse, w.patientId],
      );
      assert.ok(
        told.some((n) => n.summary.includes('Inlagd på sjukhus')),
        JSON.stringify(told),
      );
      assert.ok(
        told.some((n) => n.summary.includes('Utskriven från sjukhus')),
        JSON.stringify(told),
      );

      // Every read and write was an access decision in the log, allowed.
      for (const res of [admitted, listed, done]) {
        const logged = await db.query<{ outcome: string }>(
          'select outcome from access_log where request_id = $1 and patient_id = $2',
          [res.headers['x-request-id'], w.patientId],
        );
        assert.ok(logged.length >= 1 && logged.every((l) => l.outcome === 'allowed'), JSON.stringify(logged));
      }
    });

    it('records a stay of a patient without enrolment in the plan, and names what the discharge leaves to do', async () => {
      const w = await makeMobileWorld(app, db);
      const ward = await makeUnit(db, w.regionProvider, 'sjukhus');
      const url = `/api/patients/${w.patientId}/hospital-stays`;
      const admitted = await w.clients.physician.send('POST', url, { unitId: ward, admittedAt: hoursAgo(5) });
      assert.equal(admitted.statusCode, 201, admitted.body);
      const { id } = admitted.json<Stay>();
      const done = await w.clients.physician.send('POST', `${url}/${id}/discharge`, {
        dischargedAt: hoursAgo(1),
      });
      assert.equal(done.statusCode, 200, done.body);
      const { followUp } = done.json<{ followUp: { todo: string[]; fastVardkontakt: unknown } }>();
      assert.equal(followUp.fastVardkontakt, null);
      assert.deepEqual(followUp.todo, [
        'Utse en fast vårdkontakt.',
        'Boka nästa kontakt efter utskrivningen i planen.',
      ]);
      const events = await db.query<{ summary: string }>(
        `select summary from change_event where patient_id = $1 and kind = 'hospital-stay' order by id`,
        [w.patientId],
      );
      assert.deepEqual(
        events.map((e) => e.summary),
        [
          'Inlagd på sjukhus',
          'Utskriven från sjukhus. Att göra: Utse en fast vårdkontakt. Boka nästa kontakt efter utskrivningen i planen.',
        ],
      );
    });

    it('imports admissions through the API with the same effect on the enrolment (role uppfoljning)', async () => {
      const w = await makeMobileWorld(app, db);
      const enrolmentId = await enrol(w);
      const ward = await makeUnit(db, w.regionProvider, 'sjukhus');
      const { pnr, client } = await importer(w);
      const post = (csv: string, as = client) =>
        app.inject({
          method: 'POST',
          url: '/api/imports/admissions?source=vardtillfallen.csv',
          payload: csv,
          headers: { 'content-type': 'text/csv', cookie: as.cookie, 'x-csrf-token': as.csrfToken },
        });
      const header = 'personnummer,enhet,inskriven,utskriven';
      // A nurse without the role is refused before anything is read.
      const refused = await post(`${header}\n${pnr},${ward},${hoursAgo(3)},`, w.clients.regionNurse);
      assert.equal(refused.statusCode, 403, refused.body);
      const admitted = await post(`${header}\n${pnr},${ward},${hoursAgo(3)},`);
      assert.equal(admitted.statusCode, 200, admitted.body);
      assert.equal(admitted.json<{ imported: number }>().imported, 1);
      assert.equal(await statusOf(db, enrolmentId), 'paused');
      const logged = await db.query<{ action: string }>(
        'select action from access_log where request_id = $1',
        [admitted.headers['x-request-id']],
      );
      assert.deepEqual(
        logged.map((l) => l.action),
        ['import'],
      );
    });

    it('writes one of two admissions recorded at the same moment and refuses the other in Swedish, never a 500', async () => {
      const w = await makeMobileWorld(app, db);
      const ward = await makeUnit(db, w.regionProvider, 'sjukhus');
      const url = `/api/patients/${w.patientId}/hospital-stays`;
      const answers = await Promise.all(
        [3, 2, 1].map((h) =>
          (h === 2 ? w.clients.physician : w.clients.regionNurse).send('POST', url, {
            unitId: ward,
            admittedAt: hoursAgo(h),
          }),
        ),
      );
      assert.deepEqual(
        answers.map((a) => a.statusCode).sort(),
        [201, 422, 422],
        answers.map((a) => a.body).join('\n'),
      );
      for (const refused of answers.filter((a) => a.statusCode === 422))
        assert.match(
          refused.json<{ error: { details: { message: string }[] } }>().error.details[0]!.message,
          /redan (inlagd|ett pågående vårdtillfälle)/,
        );
      assert.equal(await stayCount(db, w.patientId), 1);
    });

    it('keeps at most one open stay per patient in the database (migration 031)', async () => {
      const w = await makeMobileWorld(app, db);
      const ward = await makeUnit(db, w.regionProvider, 'sjukhus');
      const insert = (admittedAt: string, dischargedAt: string | null) =>
        db.query(
          `insert into hospital_stay (patient_id, unit_id, admitted_at, discharged_at, source) values ($1, $2, $3, $4, 'import')`,
          [w.patientId, ward, admittedAt, dischargedAt],
        );
      await insert(hoursAgo(50), hoursAgo(40));
      await insert(hoursAgo(30), null);
      await assert.rejects(insert(hoursAgo(20), null), /hospital_stay_one_open/);
      await insert(hoursAgo(20), hoursAgo(10));
      assert.equal(await stayCount(db, w.patientId), 3);
    });

    it('closes each open stay but the latest at the next admission when the rule is added to older data', async () => {
      const w = await makeMobileWorld(app, db);
      const ward = await makeUnit(db, w.regionProvider, 'sjukhus');
      const migration = await readFile(
        new URL('../migrations/031_one_open_hospital_stay.sql', import.meta.url),
        'utf8',
      );
      const times = ['2026-01-01T08:00:00.000Z', '2026-02-01T08:00:00.000Z', '2026-03-01T08:00:00.000Z'];
      // A database as it was before migration 031, with three open stays of one patient.
      await db.transaction(async (tx) => {
        await tx.exec('drop index hospital_stay_one_open');
        for (const at of times)
          await tx.query(
            `insert into hospital_stay (patient_id, unit_id, admitted_at, source) values ($1, $2, $3, 'import')`,
            [w.patientId, ward, at],
          );
        await tx.exec(migration);
      });
      const rows = await db.query<{ admitted_at: string; discharged_at: string | null }>(
        'select admitted_at, discharged_at from hospital_stay where patient_id = $1 order by admitted_at',
        [w.patientId],
      );
      assert.deepEqual(
        rows.map((r) => [
          new Date(r.admitted_at).toISOString(),
          r.discharged_at && new Date(r.discharged_at).toISOString(),
        ]),
        [
          [times[0], times[1]],
          [times[1], times[2]],
          [times[2], null],
        ],
      );
    });

    it('refuses on its line an open stay whose discharge of the one before is refused, and writes the rest (valid rows)', async () => {
      const w = await makeMobileWorld(app, db);
      const ward = await makeUnit(db, w.regionProvider, 'sjukhus');
      const { pnr, client } = await importer(w);
      const post = (csv: string, mode = 'valid-rows') =>
        app.inject({
          method: 'POST',
          url: `/api/imports/admissions?source=vardtillfallen.csv&mode=${mode}`,
          payload: csv,
          headers: { 'content-type': 'text/csv', cookie: client.cookie, 'x-csrf-token': client.csrfToken },
        });
      const header = 'personnummer,enhet,inskriven,utskriven';
      const first = hoursAgo(48);
      assert.equal((await post(`${header}\n${pnr},${ward},${first},`)).statusCode, 200);
      // Line 2 discharges the open stay but names an unknown ward; line 3 opens a new one; line 4 is
      // an earlier stay, closed, that the file may write.
      const res = await post(
        `${header}\n${pnr},SE2321000000-EOKAND,${first},${hoursAgo(30)}\n${pnr},${ward},${hoursAgo(20)},\n${pnr},${ward},${hoursAgo(100)},${hoursAgo(90)}`,
      );
      assert.equal(res.statusCode, 200, res.body);
      const result = res.json<{
        imported: number;
        errors: { line: number; field: string; message: string }[];
      }>();
      assert.equal(result.imported, 1);
      assert.deepEqual(
        result.errors.map((e) => [e.line, e.field]),
        [
          [2, 'enhet'],
          [3, 'utskriven'],
        ],
      );
      assert.match(result.errors[1]!.message, /redan ett pågående vårdtillfälle/);
      const open = await db.query<{ n: number }>(
        'select count(*)::int as n from hospital_stay where patient_id = $1 and discharged_at is null',
        [w.patientId],
      );
      assert.equal(open[0]!.n, 1);
      assert.equal(await stayCount(db, w.patientId), 2);
    });

    it('answers a stranger like a missing patient, and writes nothing', async () => {
      const w = await makeMobileWorld(app, db);
      const ward = await makeUnit(db, w.regionProvider, 'sjukhus');
      const url = `/api/patients/${w.patientId}/hospital-stays`;
      const admitted = await w.clients.physician.send('POST', url, { unitId: ward, admittedAt: hoursAgo(5) });
      const { id } = admitted.json<Stay>();
      const otherMunicipality = await makeProvider(db, 'kommun');
      const stranger = await login(app, {
        hsaId: await makeStaff(db, await makeUnit(db, otherMunicipality)),
      });
      for (const [method, path, body] of [
        ['GET', url, undefined],
        ['POST', url, { unitId: ward, admittedAt: hoursAgo(1) }],
        ['POST', `${url}/${id}/discharge`, { dischargedAt: hoursAgo(1) }],
      ] as const) {
        const res = method === 'GET' ? await stranger.get(path) : await stranger.send(method, path, body);
        assert.equal(res.statusCode, 404, `${method} ${path}: ${res.body}`);
      }
      assert.equal(await stayCount(db, w.patientId), 1);
      const [still] = await db.query<{ discharged_at: string | null }>(
        'select discharged_at from hospital_stay where id = $1',
        [id],
      );
      assert.equal(still!.discharged_at, null);
    });
  });
}
