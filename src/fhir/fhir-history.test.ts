/**
 * A contract's versions through FHIR: CarePlan instance history (paged, next links that work,
 * every fullUrl and version readable) and the Provenance of each version (BALP-independent:
 * target, agent, recorded, activity), with the same access rule as every read of the plan.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { login, openTestApp, withActiveContract } from '../../test/helpers/api.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makeWorld, sampleContent } from '../../test/helpers/factories.ts';
import type { Db } from '../store/db.ts';
import { assertOutcome } from './fhir-test-helpers.ts';

interface Entry {
  fullUrl: string;
  resource: {
    resourceType: string;
    id: string;
    meta: { versionId: string };
    description?: string;
    [k: string]: unknown;
  };
  request?: { method: string; url: string };
  response?: { status: string; etag: string };
}
interface Bundle {
  type: string;
  total?: number;
  link: { relation: string; url: string }[];
  entry?: Entry[];
}

/** The path of an absolute URL of the FHIR server, for inject. */
const pathOf = (url: string): string => new URL(url).pathname + new URL(url).search;

for (const engine of testEngines) {
  describe(`FHIR history and Provenance on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    /** A contract in three versions, each written by the nurse. */
    async function threeVersions() {
      const { w, nurse, contractId } = await withActiveContract(app, db);
      for (const [version, whatMatters] of [
        [1, 'Att kunna gå till affären'],
        [2, 'Att kunna gå till kyrkan'],
      ] as const) {
        const res = await nurse.send(
          'PUT',
          `/api/patients/${w.patientId}/contract`,
          { status: 'active', content: { ...sampleContent(w.unitId), whatMatters } },
          { 'if-match': `W/"${version}"` },
        );
        assert.equal(res.statusCode, 200, res.body);
      }
      return { w, nurse, contractId };
    }

    it('pages a CarePlan history newest first, with next links that work and entries that resolve', async () => {
      const { nurse, contractId } = await threeVersions();
      const first = await nurse.get(`/fhir/CarePlan/${contractId}/_history?_count=2`);
      assert.equal(first.statusCode, 200, first.body);
      const page1 = first.json<Bundle>();
      assert.equal(page1.type, 'history');
      assert.equal(page1.total, undefined, 'no total on a page that is not the whole history');
      assert.deepEqual(
        page1.entry?.map((e) => e.resource.meta.versionId),
        ['3', '2'],
      );
      assert.deepEqual(
        page1.entry?.map((e) => e.request?.method),
        ['PUT', 'PUT'],
      );
      const next = page1.link.find((l) => l.relation === 'next');
      assert.ok(next, 'a next link');
      const page2 = (await nurse.get(pathOf(next.url))).json<Bundle>();
      assert.deepEqual(
        page2.entry?.map((e) => e.resource.meta.versionId),
        ['1'],
      );
      assert.equal(page2.entry?.[0]?.request?.method, 'POST');
      assert.equal(page2.entry?.[0]?.response?.status, '201 Created');
      assert.equal(
        page2.link.find((l) => l.relation === 'next'),
        undefined,
      );
      for (const entry of [...(page1.entry ?? []), ...(page2.entry ?? [])]) {
        const current = await nurse.get(pathOf(entry.fullUrl));
        assert.equal(current.statusCode, 200);
        const version = entry.resource.meta.versionId;
        const then = await nurse.get(`/fhir/CarePlan/${contractId}/_history/${version}`);
        assert.equal(then.statusCode, 200);
        assert.equal(then.headers.etag, entry.response?.etag);
        assert.equal(then.json<Entry['resource']>().description, entry.resource.description);
      }
      const whole = (await nurse.get(`/fhir/CarePlan/${contractId}/_history`)).json<Bundle>();
      assert.equal(whole.total, 3);
    });

    it('gives each version a Provenance: target the version, the author by HSA-id and unit, when, create or update', async () => {
      const { w, nurse, contractId } = await threeVersions();
      const res = await nurse.get(`/fhir/Provenance?target=CarePlan/${contractId}`);
      assert.equal(res.statusCode, 200, res.body);
      const entries = res.json<Bundle>().entry ?? [];
      assert.equal(entries.length, 3);
      const oldest = entries[2]!.resource as unknown as {
        id: string;
        target: { reference: string }[];
        recorded: string;
        activity: { coding: { code: string }[] };
        agent: { who: { reference: string }; onBehalfOf: { reference: string } }[];
      };
      assert.deepEqual(oldest.target, [{ reference: `CarePlan/${contractId}/_history/1` }]);
      assert.equal(oldest.activity.coding[0]?.code, 'CREATE');
      assert.equal(
        entries[0]!.resource.activity &&
          (entries[0]!.resource.activity as { coding: { code: string }[] }).coding[0]?.code,
        'UPDATE',
      );
      assert.equal(oldest.agent[0]?.who.reference, `Practitioner/${w.nurseId}`);
      assert.equal(oldest.agent[0]?.onBehalfOf.reference, `Organization/${w.unitId}`);
      assert.ok(Date.parse(oldest.recorded) > 0);
      const read = await nurse.get(`/fhir/Provenance/${oldest.id}`);
      assert.equal(read.statusCode, 200);
      assert.deepEqual(read.json(), oldest);
      const paged = (
        await nurse.get(`/fhir/Provenance?target=CarePlan/${contractId}&_count=1`)
      ).json<Bundle>();
      assert.equal(paged.entry?.length, 1);
      assert.ok(paged.link.some((l) => l.relation === 'next'));
    });

    it('answers a reader without access like a missing plan: 404 history, empty Provenance search', async () => {
      const { contractId } = await threeVersions();
      const other = await makeWorld(db);
      const stranger = await login(app, { hsaId: other.nurseId });
      assertOutcome(await stranger.get(`/fhir/CarePlan/${contractId}/_history`), 404, 'not-found');
      assertOutcome(await stranger.get(`/fhir/Provenance/${contractId}-v1`), 404, 'not-found');
      const search = await stranger.get(`/fhir/Provenance?target=CarePlan/${contractId}`);
      assert.equal(search.statusCode, 200);
      assert.equal(search.json<Bundle>().total, 0);
    });

    it('refuses a _count above the maximum and a cursor that is not ours', async () => {
      const { nurse, contractId } = await threeVersions();
      assertOutcome(await nurse.get(`/fhir/CarePlan/${contractId}/_history?_count=101`), 400, 'value');
      assertOutcome(await nurse.get(`/fhir/CarePlan/${contractId}/_history?_cursor=abc`), 400, 'value');
      assertOutcome(await nurse.get('/fhir/Provenance'), 400, 'required');
    });
  });
}
