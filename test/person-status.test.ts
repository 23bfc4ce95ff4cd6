/**
 * Deaths and moves (services/person-status-service.ts), on both engines: what the register's
 * facts (or a physician's report) end, who is told, and that applying them again changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import {
  createPersonStatusService,
  type PersonStatusService,
} from '../src/services/person-status-service.ts';
import type { Db } from '../src/store/db.ts';
import { buildTestApp } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { appointFastVardkontakt, sampleContent } from './helpers/factories.ts';
import { assessAndEscalate, enrol, makeMobileWorld, type MobileWorld } from './helpers/mobile-care.ts';

const REGION = ['0180', '0181'];

/** The world's plan, enrolment and an open escalation sent by the municipal nurse; the region nurse is the fast vårdkontakt. */
async function worldWithOpenCare(
  app: FastifyInstance,
  db: Db,
): Promise<MobileWorld & { enrolmentId: string; escalationId: string }> {
  const w = await makeMobileWorld(app, db);
  await appointFastVardkontakt(db, w.patientId, w.regionNurse, w.vc);
  const enrolmentId = await enrol(w);
  const { escalationId } = await assessAndEscalate(w);
  return { ...w, enrolmentId, escalationId };
}

/** What a death or a move touches, counted, so that a second application can be compared. */
async function snapshot(db: Db, w: MobileWorld & { escalationId: string }) {
  const [row] = await db.query<{
    contracts: unknown;
    versions: number;
    enrolments: unknown;
    escalation: string;
    fvkNotes: number;
    events: number;
    statusEvents: number;
  }>(
    `select
       (select json_agg(json_build_object('status', status, 'reason', end_reason) order by created_at)
          from contract where patient_id = $1) as contracts,
       (select count(*)::int from contract_version v join contract c on c.id = v.contract_id where c.patient_id = $1) as versions,
       (select json_agg(json_build_object('status', status, 'reason', end_reason)) from enrolment where patient_id = $1) as enrolments,
       (select status from escalation where id = $3) as escalation,
       (select count(*)::int from notification where patient_id = $1 and recipient_staff_id = $2) as "fvkNotes",
       (select count(*)::int from change_event where patient_id = $1) as events,
       (select count(*)::int from patient_status_event where patient_id = $1) as "statusEvents"`,
    [w.patientId, w.regionNurse, w.escalationId],
  );
  return row!;
}

for (const engine of testEngines) {
  describe(`deaths and moves on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let status: PersonStatusService;
    before(async () => {
      db = await engine.open();
      app = await buildTestApp(db, undefined, { REGION_MUNICIPALITIES: REGION.join(',') });
      status = createPersonStatusService({ db, clock: () => new Date(), regionMunicipalities: REGION });
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    it('ends the plan, the enrolment and the open escalation once when the register says the patient died', async () => {
      const w = await worldWithOpenCare(app, db);
      const start = await snapshot(db, w);
      const apply = () =>
        db.transaction((tx) =>
          status.applyRegisterFacts(tx, w.patientId, { deceasedOn: '2026-12-01' }, new Date()),
        );
      const first = await apply();
      assert.deepEqual(first.changes, [{ kind: 'died', on: '2026-12-01' }]);
      const died = await snapshot(db, w);
      assert.deepEqual(died.contracts, [{ status: 'ended', reason: 'died' }]);
      assert.equal(died.versions, start.versions + 1, 'one new version: the ending, the history kept');
      assert.deepEqual(died.enrolments, [{ status: 'ended', reason: 'died' }]);
      assert.equal(died.escalation, 'closed');
      assert.equal(died.fvkNotes, start.fvkNotes + 1, 'the fast vårdkontakt is told once');
      const [note] = await db.query<{ kind: string; summary: string }>(
        `select kind, summary from notification where patient_id = $1 and recipient_staff_id = $2
         order by created_at desc limit 1`,
        [w.patientId, w.regionNurse],
      );
      assert.equal(note!.kind, 'patient-died');
      assert.match(note!.summary, /avlidit/);
      assert.equal(died.statusEvents, 1);

      // The same death again (a second import, or the register after care): nothing changes.
      const second = await apply();
      assert.deepEqual(second, { changes: [], events: [] });
      assert.deepEqual(await snapshot(db, w), died);
    });

    it("keeps the register's silence from undoing a death, and its later word from repeating it", async () => {
      const w = await worldWithOpenCare(app, db);
      const doctor = w.clients.physician;
      const reported = await doctor.send('POST', `/api/patients/${w.patientId}/death`, {
        deceasedOn: '2026-12-02',
      });
      assert.equal(reported.statusCode, 200, reported.body);
      assert.deepEqual(reported.json(), { deceasedOn: '2026-12-02', changed: true });
      const died = await snapshot(db, w);
      assert.deepEqual(died.contracts, [{ status: 'ended', reason: 'died' }]);
      assert.equal(died.escalation, 'closed');
      const [source] = await db.query<{ source: string; recorded_by: string }>(
        `select source, recorded_by from patient_status_event where patient_id = $1`,
        [w.patientId],
      );
      assert.deepEqual(source, { source: 'care', recorded_by: w.physician });

      for (const facts of [
        { deceasedOn: null },
        { deceasedOn: '2026-12-02' },
        { deceasedOn: '2026-12-03' },
      ]) {
        const outcome = await db.transaction((tx) =>
          status.applyRegisterFacts(tx, w.patientId, facts, new Date()),
        );
        assert.deepEqual(outcome.changes, []);
      }
      const [row] = await db.query<{ deceased_on: string }>('select deceased_on from patient where id = $1', [
        w.patientId,
      ]);
      assert.equal(row!.deceased_on, '2026-12-02');
      assert.deepEqual(await snapshot(db, w), died);
      // No new plan for a patient who died.
      const drawn = await w.clients.regionNurse.send('POST', `/api/patients/${w.patientId}/contract`, {
        status: 'draft',
        content: sampleContent(w.vc),
      });
      assert.equal(drawn.statusCode, 409, drawn.body);
      assert.match(drawn.body, /avlidit/);
      const again = await doctor.send('POST', `/api/patients/${w.patientId}/death`, {
        deceasedOn: '2026-12-02',
      });
      assert.deepEqual(again.json(), { deceasedOn: '2026-12-02', changed: false });
    });

    it('lets only a physician with access record a death, on a day not in the future', async () => {
      const w = await makeMobileWorld(app, db);
      const byNurse = await w.clients.regionNurse.send('POST', `/api/patients/${w.patientId}/death`, {
        deceasedOn: '2026-12-01',
      });
      assert.equal(byNurse.statusCode, 403);
      assert.match(byNurse.json<{ error: { message: string } }>().error.message, /läkare/);
      const future = await w.clients.physician.send('POST', `/api/patients/${w.patientId}/death`, {
        deceasedOn: '2999-01-01',
      });
      assert.equal(future.statusCode, 400);
      assert.match(future.body, /framtiden/);
      const notADay = await w.clients.physician.send('POST', `/api/patients/${w.patientId}/death`, {
        deceasedOn: 'igår',
      });
      assert.equal(notADay.statusCode, 400);
      const [row] = await db.query<{ deceased_on: string | null }>(
        'select deceased_on from patient where id = $1',
        [w.patientId],
      );
      assert.equal(row!.deceased_on, null);
    });

    it('flags the plan, ends the enrolment and tells the fast vårdkontakt once when the patient moves out of the region', async () => {
      const w = await worldWithOpenCare(app, db);
      const start = await snapshot(db, w);
      const address = {
        line: 'Storgatan 1',
        postalCode: '41101',
        city: 'Göteborg',
        municipalityCode: '1480',
      };
      const apply = () =>
        db.transaction((tx) =>
          status.applyRegisterFacts(tx, w.patientId, { address, movedOutOn: null }, new Date()),
        );
      const first = await apply();
      assert.equal(first.changes.length, 1);
      assert.equal(first.changes[0]!.kind, 'moved-out');
      const moved = await snapshot(db, w);
      assert.deepEqual(
        moved.contracts,
        [{ status: 'active', reason: null }],
        'the plan is not ended: it is handed over',
      );
      assert.deepEqual(moved.enrolments, [{ status: 'ended', reason: 'moved' }]);
      assert.equal(moved.escalation, 'sent', 'an open escalation still waits for its physician');
      assert.equal(moved.fvkNotes, start.fvkNotes + 1);
      const overview = await w.clients.regionNurse.get(`/api/patients/${w.patientId}/overview`);
      assert.match(
        overview.json<{ patient: { movedOutOn: string | null } }>().patient.movedOutOn ?? '',
        /^\d{4}-\d{2}-\d{2}$/,
        'the plan shows since when the patient lives outside the region',
      );

      assert.deepEqual(await apply(), { changes: [], events: [] });
      assert.deepEqual(await snapshot(db, w), moved);

      // Back in the region: recorded, the move no longer shown.
      const back = await db.transaction((tx) =>
        status.applyRegisterFacts(
          tx,
          w.patientId,
          { address: { ...address, municipalityCode: '0180' }, movedOutOn: null },
          new Date(),
        ),
      );
      assert.deepEqual(
        back.changes.map((c) => c.kind),
        ['moved-back'],
      );
      const [row] = await db.query<{ moved_out_on: string | null }>(
        'select moved_out_on from patient where id = $1',
        [w.patientId],
      );
      assert.equal(row!.moved_out_on, null);
    });

    it('keeps no address for skyddad folkbokföring, whatever the register sends', async () => {
      const w = await makeMobileWorld(app, db);
      await db.transaction((tx) =>
        status.applyRegisterFacts(
          tx,
          w.patientId,
          {
            protection: 'skyddad-folkbokforing',
            address: {
              line: 'Hemliga vägen 2',
              postalCode: '11122',
              city: 'Stockholm',
              municipalityCode: '0180',
            },
          },
          new Date(),
        ),
      );
      const [row] = await db.query<Record<string, unknown>>(
        'select protection, address_line, postal_code, city, municipality_code from patient where id = $1',
        [w.patientId],
      );
      assert.deepEqual(row, {
        protection: 'skyddad-folkbokforing',
        address_line: null,
        postal_code: null,
        city: null,
        municipality_code: null,
      });
    });
  });
}
