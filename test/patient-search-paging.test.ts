/**
 * A patient search pages through exactly the patients the reader may see: filtered by access
 * before the page is cut, each visible match once, on the JSON API and FHIR alike. Strangers
 * are interleaved with them in the sort order, and some pass the SQL prefilter (a care
 * relationship) but not the rule (another care provider holds them, no consent).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { login, openTestApp, type Client } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makePatient, makeProvider, makeUnit, makeWorld } from './helpers/factories.ts';
import type { Db } from '../src/store/db.ts';

const PAGE = 5;
const VISIBLE = 13;

interface FhirBundle {
  total?: number;
  link: { relation: string; url: string }[];
  entry?: { resource: { id: string } }[];
}

for (const engine of testEngines) {
  describe(`patient search paging on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    /** K visible patients among strangers, all sharing a family-name prefix, interleaved by name. */
    async function crowd(): Promise<{ nurse: Client; prefix: string; visible: Set<string> }> {
      const w = await makeWorld(db);
      const strangersUnit = await makeUnit(db, w.providerId);
      const elsewhere = await makeUnit(db, await makeProvider(db, 'kommun'));
      const prefix = `Sida${randomUUID().slice(0, 6)}`;
      const visible = new Set<string>();
      let n = 0;
      const named = async (listedAt: string): Promise<string> => {
        const id = await makePatient(db, listedAt);
        n += 1;
        await db.query('update patient set family_name = $1 where id = $2', [
          `${prefix}${String(n).padStart(3, '0')}`,
          id,
        ]);
        return id;
      };
      for (let i = 0; i < VISIBLE; i++) {
        visible.add(await named(w.unitId));
        // Two strangers after each visible one: listed elsewhere, no relationship.
        await named(strangersUnit);
        await named(strangersUnit);
        // Every third: related to the nurse's unit, but held by another care provider without consent.
        if (i % 3 === 0) {
          const held = await named(elsewhere);
          await db.query(
            `insert into care_relationship (patient_id, unit_id, start_date, reason, created_by)
             values ($1, $2, '2020-01-01', 'test', 'test')`,
            [held, w.unitId],
          );
        }
      }
      return { nurse: await login(app, { hsaId: w.nurseId }), prefix, visible };
    }

    it('returns every visible patient exactly once across the JSON pages, and no stranger', async () => {
      const { nurse, prefix, visible } = await crowd();
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await nurse.get(
          `/api/patients?q=${prefix}&limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json<{ patients: { id: string }[]; nextCursor?: string }>();
        pages += 1;
        if (body.nextCursor) assert.equal(body.patients.length, PAGE, 'a page before the last is full');
        seen.push(...body.patients.map((p) => p.id));
        const logged = await db.query<{ patient_id: string }>(
          'select patient_id from access_log where request_id = $1',
          [res.headers['x-request-id']],
        );
        assert.deepEqual(
          logged.map((l) => l.patient_id).sort(),
          body.patients.map((p) => p.id).sort(),
          'each patient returned is logged, and no other',
        );
        cursor = body.nextCursor;
      } while (cursor && pages < 20);
      assert.equal(seen.length, VISIBLE);
      assert.deepEqual(new Set(seen), visible);
      assert.equal(pages, Math.ceil(VISIBLE / PAGE));
    });

    it('returns every visible patient exactly once across the FHIR pages, with total only when whole', async () => {
      const { nurse, prefix, visible } = await crowd();
      const seen: string[] = [];
      let url: string | undefined = `/fhir/Patient?name=${prefix}&_count=${PAGE}`;
      let pages = 0;
      while (url && pages < 20) {
        const res = await nurse.get(url);
        assert.equal(res.statusCode, 200, res.body);
        const bundle = res.json<FhirBundle>();
        pages += 1;
        const next = bundle.link.find((l) => l.relation === 'next')?.url;
        assert.equal(bundle.total, undefined, 'a paged result does not claim a total');
        if (next) assert.equal(bundle.entry?.length, PAGE);
        seen.push(...(bundle.entry ?? []).map((e) => e.resource.id));
        url = next ? new URL(next).pathname + new URL(next).search : undefined;
      }
      assert.equal(seen.length, VISIBLE);
      assert.deepEqual(new Set(seen), visible);
      // One page that holds everything says how many: exactly those the reader may see.
      const whole = (await nurse.get(`/fhir/Patient?name=${prefix}&_count=100`)).json<FhirBundle>();
      assert.equal(whole.total, VISIBLE);
      assert.equal(whole.entry?.length, VISIBLE);
    });

    it('refuses a cursor it did not issue', async () => {
      const { nurse, prefix } = await crowd();
      const json = await nurse.get(`/api/patients?q=${prefix}&cursor=not-a-cursor`);
      assert.equal(json.statusCode, 400, json.body);
      const fhir = await nurse.get(`/fhir/Patient?name=${prefix}&_cursor=not-a-cursor`);
      assert.equal(fhir.statusCode, 400, fhir.body);
      assert.equal(fhir.json<{ resourceType: string }>().resourceType, 'OperationOutcome');
    });
  });
}
