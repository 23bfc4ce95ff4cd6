/**
 * Access classes for reads, over every route the running app has (its OpenAPI document and its
 * FHIR CapabilityStatement):
 * - a list or count names only patients the reader may read, and logs each one it names;
 * - a spärr hides every name and id that only hidden items bring, in every read, in
 *   notifications and in the live event stream.
 * Writes and acts by personnummer: access-classes.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../src/store/db.ts';
import { login, openTestApp, type Client } from './helpers/api.ts';
import {
  apiRoutes,
  fhirResources,
  hiddenUnitPlan,
  urlOf,
  setUp,
  allowedEntries,
} from './helpers/access-classes.ts';
import { testEngines } from './helpers/engines.ts';
import { makeStaff, makeUnit, sampleContent } from './helpers/factories.ts';

for (const engine of testEngines) {
  describe(`access classes: reads, lists and spärr on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it('names in no list or count a patient the reader may not read, and logs each patient it names', async () => {
      const s = await setUp(app, db);
      const marker = `Hemlig-${randomUUID().slice(0, 8)}`;
      // Something addressed to the stranger about the patient, e.g. from when they had access.
      await db.query(
        `insert into notification (recipient_staff_id, patient_id, event_id, kind, summary) select $1, $2, id, 'patient-proposal', $3 from change_event where patient_id = $2 limit 1`,
        [s.strangerId, s.w.patientId, marker],
      );
      const name = (
        await db.query<{ family_name: string }>('select family_name from patient where id = $1', [
          s.w.patientId,
        ])
      )[0]!.family_name;
      const lists = (await apiRoutes(app)).filter(
        ([m, p]) => m === 'GET' && !p.includes('{') && p !== '/api/events' && p !== '/api/openapi.json',
      );
      const fhirSearches = (await fhirResources(app))
        .filter((r) => r.interactions.includes('search-type'))
        .map((r) => `/fhir/${r.type}`);
      for (const url of [
        ...lists.map(([, p]) => p),
        ...fhirSearches,
        `/api/patients?q=${name}`,
        `/fhir/Patient?name=${name}`,
      ]) {
        const res = await s.stranger.get(
          url.startsWith('/api/patients') || url.includes('?') ? url : `${url}`,
        );
        // The name is sought by name, and echoed in a searchset's self link: its id must not show.
        for (const secret of url.includes(name) ? [s.w.patientId, marker] : [s.w.patientId, marker, name])
          assert.ok(!res.body.includes(secret), `${url} tells ${secret}`);
      }
      assert.equal(await allowedEntries(db, s.strangerId, s.w.patientId), 0);
      // With access, the notification shows, and it is logged.
      await db.query(
        `insert into notification (recipient_staff_id, patient_id, event_id, kind, summary) select $1, $2, id, 'patient-proposal', $3 from change_event where patient_id = $2 limit 1`,
        [s.w.nurseId, s.w.patientId, marker],
      );
      const before = await allowedEntries(db, s.w.nurseId, s.w.patientId);
      const mine = await s.nurse.get('/api/notifications');
      assert.ok(mine.body.includes(marker));
      assert.ok((await allowedEntries(db, s.w.nurseId, s.w.patientId)) > before);
    });

    it('shows a reader with a spärr no name or id that only hidden items bring, on every read of the patient', async () => {
      const s = await setUp(app, db);
      const { blockedUnit, blockedNurse, blockedName, content } = await hiddenUnitPlan(db, s);
      const saved = await s.nurse.send(
        'PUT',
        `/api/patients/${s.w.patientId}/contract`,
        { status: 'active', content },
        { 'if-match': 'W/"1"' },
      );
      assert.equal(saved.statusCode, 200, saved.body);
      // The reader is the fast vårdkontakt, so that the blocked nurse's change is notified to her.
      const fvk = await s.nurse.send('POST', `/api/patients/${s.w.patientId}/care-contacts`, {
        role: 'fast-vardkontakt',
        staffId: s.w.nurseId,
        unitId: s.w.unitId,
        reason: 'behov',
      });
      assert.equal(fvk.statusCode, 201, fvk.body);
      // The blocked unit's nurse changes her own activity last, so that the plan's latest version is hers.
      const blockedClient = await login(app, { hsaId: blockedNurse });
      const hers = await blockedClient.send(
        'PUT',
        `/api/patients/${s.w.patientId}/contract`,
        {
          status: 'active',
          content: {
            ...content,
            activities: [content.activities[0]!, { ...content.activities[1]!, what: 'Samtal om sömn' }],
          },
        },
        { 'if-match': 'W/"2"' },
      );
      assert.equal(hers.statusCode, 200, hers.body);
      const blocked = await s.patient.send('POST', `/api/patients/${s.w.patientId}/blocks`, {
        scope: 'unit',
        unitId: blockedUnit,
      });
      assert.equal(blocked.statusCode, 201, blocked.body);
      const reads = (await apiRoutes(app))
        .filter(([m, p]) => m === 'GET' && p.includes('{patientId}'))
        .map(([, p]) => urlOf(p, s.w.patientId, { contractId: s.contractId }));
      const fhirReads = ['Patient', 'CarePlan', 'CareTeam', 'Appointment', 'Goal'].map(
        (t) => `/fhir/${t}?patient=${s.w.patientId}`,
      );
      for (const url of [
        ...reads,
        ...fhirReads,
        `/fhir/CarePlan/${s.contractId}`,
        `/fhir/CareTeam/${s.w.patientId}`,
        '/api/notifications',
        '/api/worklist',
      ]) {
        const res = await s.nurse.get(url);
        for (const secret of [blockedUnit, blockedNurse, blockedName, 'a-hidden', 'sömn'])
          assert.ok(
            !res.body.includes(secret),
            `${url} (${res.statusCode}) tells ${secret}: ${res.body.slice(0, 600)}`,
          );
      }
    });

    it('streams the fast vårdkontakt no change made from a unit hidden by a spärr', async () => {
      const s = await setUp(app, db);
      const blockedUnit = await makeUnit(db, s.w.providerId);
      const blockedNurse = await makeStaff(db, blockedUnit);
      const hidden = {
        id: 'a-hidden',
        what: 'Samtal',
        unitId: blockedUnit,
        when: '2026-12-02',
        status: 'planerad' as const,
      };
      const content = sampleContent(s.w.unitId, { activities: [hidden] });
      const put = (client: Client, version: number, body: typeof content) =>
        client.send(
          'PUT',
          `/api/patients/${s.w.patientId}/contract`,
          { status: 'active', content: body },
          {
            'if-match': `W/"${version}"`,
          },
        );
      assert.equal((await put(s.nurse, 1, content)).statusCode, 200);
      const fvk = await s.nurse.send('POST', `/api/patients/${s.w.patientId}/care-contacts`, {
        role: 'fast-vardkontakt',
        staffId: s.w.nurseId,
        unitId: s.w.unitId,
        reason: 'behov',
      });
      assert.equal(fvk.statusCode, 201, fvk.body);
      const blocked = await s.patient.send('POST', `/api/patients/${s.w.patientId}/blocks`, {
        scope: 'unit',
        unitId: blockedUnit,
      });
      assert.equal(blocked.statusCode, 201, blocked.body);

      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      const abort = new AbortController();
      const res = await fetch(`http://127.0.0.1:${port}/api/events`, {
        headers: { cookie: s.nurse.cookie },
        signal: abort.signal,
      });
      const reader = res.body!.getReader();
      let text = '';
      const received = (async () => {
        while (!text.includes('event: patient-changed')) {
          const { value, done } = (await reader.read()) as { value?: Uint8Array; done: boolean };
          if (done) break;
          text += new TextDecoder().decode(value);
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 50));
      // First a change from the hidden unit, then one by the patient: only the second is told.
      const hers = await put(await login(app, { hsaId: blockedNurse }), 2, {
        ...content,
        activities: [{ ...hidden, what: 'Samtal om sömn' }],
      });
      assert.equal(hers.statusCode, 200, hers.body);
      const ticked = await s.patient.send(
        'POST',
        `/api/patients/${s.w.patientId}/contract/responsibilities/r1`,
        { done: true },
      );
      assert.equal(ticked.statusCode, 200, ticked.body);
      await received;
      abort.abort();
      const events = text.split('event: patient-changed').slice(1);
      assert.equal(events.length, 1, text);
      const [name] = (
        await db.query<{ n: string }>('select family_name as n from staff where id = $1', [blockedNurse])
      ).map((r) => r.n);
      for (const secret of [blockedNurse, name!, blockedUnit])
        assert.ok(!text.includes(secret), `the stream tells ${secret}`);
      assert.ok(!events[0]!.includes('aktiviteter'), events[0]);
    });
  });
}
