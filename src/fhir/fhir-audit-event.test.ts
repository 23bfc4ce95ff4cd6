/**
 * FHIR AuditEvent: the access log for the patient's own view and for log review, each event
 * checked against the elements IHE Basic Audit Log Patterns (BALP) requires of a RESTful
 * patient-related event (listed in test/helpers/balp.ts), and the same access rule as the JSON API.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { login, openTestApp, withActiveContract } from '../../test/helpers/api.ts';
import { assertBalp } from '../../test/helpers/balp.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makeStaff, makeWorld } from '../../test/helpers/factories.ts';
import type { Db } from '../store/db.ts';
import type { FhirAuditEvent } from './audit-event-mapper.ts';
import { assertOutcome } from './fhir-test-helpers.ts';

interface Bundle {
  total?: number;
  link: { relation: string; url: string }[];
  entry?: { resource: FhirAuditEvent }[];
}

for (const engine of testEngines) {
  describe(`FHIR AuditEvent on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it('gives a loggansvarig the log of their care provider as BALP AuditEvents, by patient and user, paged', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      for (let i = 0; i < 3; i++) await nurse.get(`/fhir/CarePlan?patient=Patient/${w.patientId}`);
      const reviewerId = await makeStaff(db, w.unitId, 'administrator');
      await db.query("update staff_unit set role = 'loggansvarig' where staff_id = $1", [reviewerId]);
      const reviewer = await login(app, { hsaId: reviewerId });
      const res = await reviewer.get(
        `/fhir/AuditEvent?patient=Patient/${w.patientId}&agent=Practitioner/${w.nurseId}&_count=2`,
      );
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json<Bundle>();
      assert.equal(page.entry?.length, 2);
      for (const { resource } of page.entry ?? []) {
        assertBalp(resource, w.patientId);
        const user = resource.agent.find((a) => a.requestor)!;
        assert.equal(user.who.reference, `Practitioner/${w.nurseId}`);
      }
      const next = page.link.find((l) => l.relation === 'next');
      assert.ok(next);
      const rest = (await reviewer.get(new URL(next.url).pathname + new URL(next.url).search)).json<Bundle>();
      assert.ok((rest.entry?.length ?? 0) >= 1);
      const ids = [...(page.entry ?? []), ...(rest.entry ?? [])].map((e) => e.resource.id);
      assert.equal(new Set(ids).size, ids.length, 'no event on two pages');
    });

    it('gives the patient their own log, naming the unit and never the member of staff', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      await nurse.get(`/fhir/CarePlan?patient=Patient/${w.patientId}`);
      const { rows } = {
        rows: await db.query<{ identifier: string }>('select identifier from patient where id = $1', [
          w.patientId,
        ]),
      };
      const patient = await login(app, { personnummer: rows[0]!.identifier });
      const res = await patient.get(`/fhir/AuditEvent?patient=Patient/${w.patientId}`);
      assert.equal(res.statusCode, 200, res.body);
      const events = (res.json<Bundle>().entry ?? []).map((e) => e.resource);
      assert.ok(events.length > 0);
      for (const e of events) {
        assertBalp(e, w.patientId);
        assert.ok(!JSON.stringify(e).includes(w.nurseId), 'the nurse is not named');
      }
      const other = await makeWorld(db);
      assertOutcome(
        await patient.get(`/fhir/AuditEvent?patient=Patient/${other.patientId}`),
        403,
        'forbidden',
      );
      const tooDeep = `/fhir/AuditEvent?patient=Patient/${w.patientId}&_count=100&_cursor=950`;
      assertOutcome(await patient.get(tooDeep), 400, 'value');
    });

    it('refuses the log to staff without the role loggansvarig, and a page beyond the bound', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      assertOutcome(await nurse.get(`/fhir/AuditEvent?patient=Patient/${w.patientId}`), 403, 'forbidden');
      assertOutcome(await nurse.get(`/fhir/AuditEvent?_count=101`), 400, 'value');
    });
  });
}
