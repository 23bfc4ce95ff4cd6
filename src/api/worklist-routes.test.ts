import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { testEngines } from '../../test/helpers/engines.ts';
import { buildTestApp, login } from '../../test/helpers/api.ts';
import { makePatient, makeWorld, sampleContent } from '../../test/helpers/factories.ts';
import type { Db } from '../store/db.ts';
import type { WorklistPatient } from '../../web/src/api/types.ts';

const NOW = new Date('2026-06-01T10:00:00Z');

for (const engine of testEngines) {
  describe(`worklist and live events on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    before(async () => {
      db = await engine.open();
      app = await buildTestApp(db, () => NOW);
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    /** A world where the nurse is the patient's fast vårdkontakt and the plan has an activity at the doctor's unit. */
    async function world(overrides: (unitId: string) => Parameters<typeof sampleContent>[1] = () => ({})) {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      const appointed = await nurse.send('POST', `/api/patients/${w.patientId}/care-contacts`, {
        role: 'fast-vardkontakt',
        staffId: w.nurseId,
        unitId: w.unitId,
        reason: 'behov',
      });
      assert.equal(appointed.statusCode, 201);
      const content = sampleContent(w.unitId, {
        activities: [
          { id: 'a1', what: 'Läkarbesök', unitId: w.otherUnitId, when: '2026-07-01', status: 'planerad' },
        ],
        ...overrides(w.unitId),
      });
      const created = await nurse.send('POST', `/api/patients/${w.patientId}/contract`, {
        status: 'active',
        content,
      });
      assert.equal(created.statusCode, 201);
      return { ...w, nurse };
    }

    it('lists my patients with passed reviews and next contacts due or overdue', async () => {
      const w = await world((unitId) => ({
        reviewDate: '2026-05-01',
        nextContact: { at: '2026-06-03T09:00:00.000Z', unitId, mode: 'besok', agreement: 'overenskommen' },
      }));
      const other = await makePatient(db, w.unitId);
      const res = await w.nurse.get('/api/worklist?days=7');
      assert.equal(res.statusCode, 200);
      const patients = res.json<{ patients: WorklistPatient[] }>().patients;
      assert.equal(patients.length, 1);
      const [row] = patients;
      assert.equal(row?.patientId, w.patientId);
      assert.deepEqual(row?.roles, ['fast-vardkontakt']);
      assert.equal(row?.isReviewOverdue, true);
      assert.equal(row?.nextContactState, 'soon');
      assert.ok(!patients.some((p) => p.patientId === other));
    });

    it('orders my patients by urgency: a request awaiting my reply, then overdue, then today, then the rest', async () => {
      const w = await world((unitId) => ({
        nextContact: { at: '2026-06-20T09:00:00.000Z', unitId, mode: 'besok', agreement: 'overenskommen' },
      }));
      /** Another patient of the same nurse, with a next contact at `at`. */
      async function patientWithContactAt(at: string): Promise<string> {
        const patientId = await makePatient(db, w.unitId);
        const appointed = await w.nurse.send('POST', `/api/patients/${patientId}/care-contacts`, {
          role: 'fast-vardkontakt',
          staffId: w.nurseId,
          unitId: w.unitId,
          reason: 'behov',
        });
        assert.equal(appointed.statusCode, 201, appointed.body);
        const content = sampleContent(w.unitId, {
          nextContact: { at, unitId: w.unitId, mode: 'telefon', agreement: 'overenskommen' },
        });
        const created = await w.nurse.send('POST', `/api/patients/${patientId}/contract`, {
          status: 'active',
          content,
        });
        assert.equal(created.statusCode, 201, created.body);
        return patientId;
      }
      const later = await patientWithContactAt('2026-06-10T09:00:00.000Z');
      const today = await patientWithContactAt('2026-06-01T14:00:00.000Z');
      const overdue = await patientWithContactAt('2026-05-30T09:00:00.000Z');
      const requesting = await patientWithContactAt('2026-06-05T09:00:00.000Z');
      const identifiers = await db.query<{ identifier: string }>(
        'select identifier from patient where id = $1',
        [requesting],
      );
      const patient = await login(app, { personnummer: identifiers[0]!.identifier });
      const asked = await patient.send('POST', `/api/patients/${requesting}/contract/next-contact/response`, {
        response: 'wants-other',
        at: '2026-06-05T09:00:00.000Z',
      });
      assert.equal(asked.statusCode, 200, asked.body);

      const res = await w.nurse.get('/api/worklist');
      assert.equal(res.statusCode, 200);
      const rows = res.json<{ patients: (WorklistPatient & { tier: string; since: string })[] }>().patients;
      assert.deepEqual(
        rows.map((r) => [r.patientId, r.tier]),
        [
          [requesting, 'waiting'],
          [overdue, 'overdue'],
          [today, 'today'],
          [later, 'later'],
          [w.patientId, 'later'],
        ],
      );
      assert.equal(rows[0]!.since, NOW.toISOString());
    });

    it('logs each patient the worklist shows', async () => {
      const w = await world();
      await w.nurse.get('/api/worklist');
      const rows = await db.query<{ n: number }>(
        `select count(*)::int as n from access_log where actor_id = $1 and patient_id = $2 and route = 'GET /api/worklist'`,
        [w.nurseId, w.patientId],
      );
      assert.equal(rows[0]?.n, 1);
    });

    it('streams a colleague’s change to the fast vårdkontakt as a notification', async () => {
      const w = await world();
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      const abort = new AbortController();
      const res = await fetch(`http://127.0.0.1:${port}/api/events`, {
        headers: { cookie: w.nurse.cookie },
        signal: abort.signal,
      });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
      const reader = res.body!.getReader();
      let text = '';
      const received = (async () => {
        while (!text.includes('event: patient-changed')) {
          const { value, done } = (await reader.read()) as { value?: Uint8Array; done: boolean };
          if (done) break;
          text += new TextDecoder().decode(value);
        }
      })();
      const doctor = await login(app, { hsaId: w.doctorId });
      const current = await doctor.get(`/api/patients/${w.patientId}/contract`);
      assert.equal(current.statusCode, 200);
      const changed = await doctor.send(
        'PUT',
        `/api/patients/${w.patientId}/contract`,
        { status: 'active', content: sampleContent(w.unitId, { activities: [], whatMatters: 'Nytt' }) },
        { 'if-match': current.headers.etag as string },
      );
      assert.equal(changed.statusCode, 200);
      await received;
      abort.abort();
      const data = /data: (.*)\n/.exec(text.slice(text.indexOf('event: patient-changed')))?.[1] ?? '{}';
      const event = JSON.parse(data) as {
        patientId: string;
        isNotification: boolean;
        summary: string;
        patientName: string;
      };
      assert.equal(event.patientId, w.patientId);
      assert.equal(event.isNotification, true);
      assert.match(event.summary, /Ändrade/);
      assert.match(event.patientName, /Testa/);
    });

    it('answers 401 to the event stream without a session', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/events' });
      assert.equal(res.statusCode, 401);
    });
  });
}
