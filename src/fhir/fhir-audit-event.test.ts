/**
 * FHIR AuditEvent: the access log for the patient's own view and for log review, each event
 * checked against the elements IHE Basic Audit Log Patterns (BALP) requires of a RESTful
 * patient-related event (listed below), and the same access rule as the JSON API.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { login, openTestApp, withActiveContract } from '../../test/helpers/api.ts';
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

/**
 * BALP (https://profiles.ihe.net/ITI/BALP/), Basic AuditEvent pattern for a RESTful interaction
 * about a patient: type = audit-event-type|rest, subtype from restful-interaction, action,
 * recorded, outcome, one agent who is the requestor (the user) with a type and who, the source
 * with its observer and type, and the patient entity (audit-entity-type 1, object-role 1) whose
 * what is the Patient.
 */
function assertBalp(e: FhirAuditEvent, patientId: string): void {
  const where = `AuditEvent/${e.id}`;
  assert.equal(e.type.system, 'http://terminology.hl7.org/CodeSystem/audit-event-type', where);
  assert.equal(e.type.code, 'rest', where);
  assert.ok(
    e.subtype.some((s) => s.system === 'http://hl7.org/fhir/restful-interaction' && s.code),
    where,
  );
  assert.ok(['C', 'R', 'U', 'D', 'E'].includes(e.action), where);
  assert.ok(Date.parse(e.recorded) > 0, where);
  assert.ok(['0', '4', '8', '12'].includes(e.outcome), where);
  const requestors = e.agent.filter((a) => a.requestor);
  assert.equal(requestors.length, 1, `one requestor ${where}`);
  for (const a of e.agent) assert.ok(a.type.coding.length > 0 && a.who !== undefined, where);
  assert.ok(e.source.observer !== undefined && e.source.type.length > 0, where);
  const patient = e.entity.find(
    (x) =>
      x.type.system === 'http://terminology.hl7.org/CodeSystem/audit-entity-type' &&
      x.type.code === '1' &&
      x.role.system === 'http://terminology.hl7.org/CodeSystem/object-role' &&
      x.role.code === '1',
  );
  assert.equal(patient?.what.reference, `Patient/${patientId}`, where);
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
