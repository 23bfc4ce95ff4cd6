/**
 * FHIR Consent: the patient's consents (permit) and spärrar (deny) read, searched, recorded and
 * ended through the same services as the JSON API, with the same rules and the same answer to a
 * reader without access as to a missing record.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { login, openTestApp, withActiveContract } from '../../test/helpers/api.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makeWorld } from '../../test/helpers/factories.ts';
import type { Db } from '../store/db.ts';
import { consentSystems, type FhirConsent } from './consent-mapper.ts';
import { assertOutcome, FHIR } from './fhir-test-helpers.ts';

interface Bundle {
  total?: number;
  link: { relation: string; url: string }[];
  entry?: { resource: FhirConsent }[];
}

const permit = (patientId: string, unitId: string) => ({
  resourceType: 'Consent',
  status: 'active',
  extension: [{ url: consentSystems.method, valueCode: 'i-person' }],
  patient: { reference: `Patient/${patientId}` },
  provision: { type: 'permit', actor: [{ reference: { reference: `Organization/${unitId}` } }] },
});

const deny = (patientId: string, unitId: string) => ({
  resourceType: 'Consent',
  status: 'active',
  patient: { reference: `Patient/${patientId}` },
  provision: { type: 'deny', actor: [{ reference: { reference: `Organization/${unitId}` } }] },
});

const pathOf = (url: string): string => new URL(url).pathname + new URL(url).search;

for (const engine of testEngines) {
  describe(`FHIR Consent on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it('records a consent to another unit as a permit, readable where Location points and found by patient', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      const other = await makeWorld(db);
      const res = await nurse.send('POST', '/fhir/Consent', permit(w.patientId, other.unitId), FHIR);
      assert.equal(res.statusCode, 201, res.body);
      const created = res.json<FhirConsent>();
      assert.match(created.id, /^samtycke-/);
      assert.equal(created.status, 'active');
      assert.equal(created.scope.coding[0]?.code, 'patient-privacy');
      assert.equal(created.provision.type, 'permit');
      assert.equal(created.provision.actor[0]?.reference.reference, `Organization/${other.unitId}`);
      const read = await nurse.get(pathOf(String(res.headers.location)));
      assert.equal(read.statusCode, 200);
      assert.deepEqual(read.json(), created);
      const search = (await nurse.get(`/fhir/Consent?patient=Patient/${w.patientId}`)).json<Bundle>();
      assert.deepEqual(
        search.entry?.map((e) => e.resource.id),
        [created.id],
      );
    });

    it('records a spärr as a deny of the unit, and lifts it with If-Match (version 1 → 2)', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      const other = await makeWorld(db);
      // Staff are shown the spärrar of their own unit: one of another unit is recorded, not shown.
      const elsewhere = await nurse.send('POST', '/fhir/Consent', deny(w.patientId, other.unitId), FHIR);
      assert.equal(elsewhere.statusCode, 201, elsewhere.body);
      assert.equal(elsewhere.json<{ resourceType: string }>().resourceType, 'OperationOutcome');
      const res = await nurse.send('POST', '/fhir/Consent', deny(w.patientId, w.unitId), FHIR);
      assert.equal(res.statusCode, 201, res.body);
      const sparr = res.json<FhirConsent>();
      assert.match(sparr.id, /^sparr-/);
      assert.equal(sparr.provision.type, 'deny');
      assert.equal(res.headers.etag, 'W/"1"');
      const lifted = {
        ...sparr,
        status: 'inactive',
        extension: [{ url: consentSystems.method, valueCode: 'i-person' }],
      };
      assertOutcome(await nurse.send('PUT', `/fhir/Consent/${sparr.id}`, lifted, FHIR), 428, 'required');
      const done = await nurse.send('PUT', `/fhir/Consent/${sparr.id}`, lifted, {
        ...FHIR,
        'if-match': 'W/"1"',
      });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json<FhirConsent>().status, 'inactive');
      assert.equal(done.headers.etag, 'W/"2"');
      assert.ok(done.json<FhirConsent>().provision.period.end);
    });

    it('revokes a consent with status inactive, and refuses any other change', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      const other = await makeWorld(db);
      const created = (
        await nurse.send('POST', '/fhir/Consent', permit(w.patientId, other.unitId), FHIR)
      ).json<FhirConsent>();
      const reopened = await nurse.send(
        'PUT',
        `/fhir/Consent/${created.id}`,
        { ...created, status: 'rejected' },
        { ...FHIR, 'if-match': 'W/"1"' },
      );
      assertOutcome(reopened, 400);
      const revoked = await nurse.send(
        'PUT',
        `/fhir/Consent/${created.id}`,
        { ...created, status: 'inactive' },
        { ...FHIR, 'if-match': 'W/"1"' },
      );
      assert.equal(revoked.statusCode, 200, revoked.body);
      assert.equal(revoked.json<FhirConsent>().status, 'inactive');
      const active = (
        await nurse.get(`/fhir/Consent?patient=Patient/${w.patientId}&status=active`)
      ).json<Bundle>();
      assert.equal(active.total, 0);
    });

    it('pages a search with _count and a next link that works', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      for (let i = 0; i < 3; i++) {
        const other = await makeWorld(db);
        assert.equal(
          (await nurse.send('POST', '/fhir/Consent', permit(w.patientId, other.unitId), FHIR)).statusCode,
          201,
        );
      }
      const first = (await nurse.get(`/fhir/Consent?patient=Patient/${w.patientId}&_count=2`)).json<Bundle>();
      assert.equal(first.entry?.length, 2);
      const next = first.link.find((l) => l.relation === 'next');
      assert.ok(next);
      const second = (await nurse.get(pathOf(next.url))).json<Bundle>();
      assert.equal(second.entry?.length, 1);
      assert.equal(
        second.link.find((l) => l.relation === 'next'),
        undefined,
      );
      const ids = new Set([...(first.entry ?? []), ...(second.entry ?? [])].map((e) => e.resource.id));
      assert.equal(ids.size, 3);
    });

    it('answers a reader without access like a missing consent, and records nothing for them', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      const other = await makeWorld(db);
      const created = (
        await nurse.send('POST', '/fhir/Consent', permit(w.patientId, other.unitId), FHIR)
      ).json<FhirConsent>();
      const stranger = await login(app, { hsaId: other.nurseId });
      const missing = await stranger.get('/fhir/Consent/samtycke-00000000-0000-4000-8000-000000000000');
      const hidden = await stranger.get(`/fhir/Consent/${created.id}`);
      assertOutcome(hidden, 404, 'not-found');
      assert.equal(hidden.body, missing.body);
      assert.equal(
        (await stranger.get(`/fhir/Consent?patient=Patient/${w.patientId}`)).json<Bundle>().total,
        0,
      );
      assertOutcome(await stranger.send('POST', '/fhir/Consent', deny(w.patientId, other.unitId), FHIR), 404);
    });
  });
}
