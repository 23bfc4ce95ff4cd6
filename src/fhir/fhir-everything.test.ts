/**
 * `Patient/<id>/$everything`: the patient's whole plan in one paged searchset, with the same
 * access rule as each part alone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { login, openTestApp, withActiveContract } from '../../test/helpers/api.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makeWorld } from '../../test/helpers/factories.ts';
import type { Db } from '../store/db.ts';
import { assertOutcome, consentResource, FHIR } from './fhir-test-helpers.ts';

interface Bundle {
  type: string;
  total?: number;
  link: { relation: string; url: string }[];
  entry?: { fullUrl: string; resource: { resourceType: string; id: string } }[];
}

for (const engine of testEngines) {
  describe(`FHIR Patient/$everything on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it('holds the patient, the plan with its goals, next contact, versions and consents; paged pages add up to the whole', async () => {
      const { w, nurse, contractId } = await withActiveContract(app, db);
      const other = await makeWorld(db);
      const consent = await nurse.send(
        'POST',
        '/fhir/Consent',
        consentResource(w.patientId, other.unitId, 'telefon'),
        FHIR,
      );
      assert.equal(consent.statusCode, 201, consent.body);
      const res = await nurse.get(`/fhir/Patient/${w.patientId}/$everything`);
      assert.equal(res.statusCode, 200, res.body);
      const whole = res.json<Bundle>();
      assert.equal(whole.type, 'searchset');
      const types = new Set(whole.entry?.map((e) => e.resource.resourceType));
      for (const type of ['Patient', 'CarePlan', 'Goal', 'CareTeam', 'Consent', 'Provenance'])
        assert.ok(types.has(type), `${type} in ${[...types].join(', ')}`);
      assert.ok(
        whole.entry?.some((e) => e.resource.resourceType === 'CarePlan' && e.resource.id === contractId),
      );
      assert.equal(whole.total, whole.entry?.length);

      const walked: string[] = [];
      let url: string | undefined = `/fhir/Patient/${w.patientId}/$everything?_count=2`;
      for (let pages = 0; url !== undefined; pages++) {
        assert.ok(pages < 50, 'paging ends');
        const page: Bundle = (await nurse.get(url)).json<Bundle>();
        assert.ok((page.entry?.length ?? 0) <= 2);
        walked.push(...(page.entry ?? []).map((e) => e.fullUrl));
        const next = page.link.find((l) => l.relation === 'next');
        url = next ? new URL(next.url).pathname + new URL(next.url).search : undefined;
      }
      assert.deepEqual(
        walked,
        whole.entry?.map((e) => e.fullUrl),
      );
    });

    it('answers a reader without access like a missing patient', async () => {
      const { w } = await withActiveContract(app, db);
      const other = await makeWorld(db);
      const stranger = await login(app, { hsaId: other.nurseId });
      const hidden = await stranger.get(`/fhir/Patient/${w.patientId}/$everything`);
      const missing = await stranger.get('/fhir/Patient/00000000-0000-4000-8000-000000000000/$everything');
      assertOutcome(hidden, 404, 'not-found');
      assert.equal(hidden.body, missing.body);
      assertOutcome(await stranger.get(`/fhir/Patient/${w.patientId}/$everything?_count=500`), 400, 'value');
    });
  });
}
