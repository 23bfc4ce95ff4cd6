/**
 * FHIR Condition (the patient's diagnoses) and Encounter (stays in hospital), read only, on both
 * engines: the values mapped, search and paging, a diagnosis or stay of a unit under spärr never
 * shown (read 404 like a missing one), a reader without access answered like a missing patient,
 * a protected identity changing nothing, every access in the log, SMART scopes per type, both in
 * `Patient/$everything`, and writes refused with 405.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { login, withActiveContract, type Client } from '../../test/helpers/api.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makePatient, makeProvider, makeUnit, makeWorld } from '../../test/helpers/factories.ts';
import {
  openTestAppWithAuthorizationServer,
  type TestAuthorizationServer,
} from '../../test/helpers/test-authorization-server.ts';
import type { Db } from '../store/db.ts';
import { assertOutcome, FHIR } from './fhir-test-helpers.ts';

interface Resource {
  resourceType: string;
  id: string;
  [key: string]: unknown;
}
interface Bundle {
  total?: number;
  link: { relation: string; url: string }[];
  entry?: { fullUrl: string; resource: Resource }[];
}

const idsOf = (res: LightMyRequestResponse): string[] => {
  assert.equal(res.statusCode, 200, res.body);
  return (res.json<Bundle>().entry ?? []).map((e) => e.resource.id).sort();
};

/** Walks a search page by page; every fullUrl in order. */
async function walk(client: Client, first: string): Promise<string[]> {
  const seen: string[] = [];
  let url: string | undefined = first;
  for (let pages = 0; url !== undefined; pages++) {
    assert.ok(pages < 20, 'paging ends');
    const res = await client.get(url);
    assert.equal(res.statusCode, 200, res.body);
    const page = res.json<Bundle>();
    assert.ok((page.entry?.length ?? 0) <= 1);
    seen.push(...(page.entry ?? []).map((e) => e.fullUrl));
    const next = page.link.find((l) => l.relation === 'next')?.url;
    url = next ? new URL(next).pathname + new URL(next).search : undefined;
  }
  return seen;
}

for (const engine of testEngines) {
  describe(`FHIR Condition and Encounter on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let as: TestAuthorizationServer;
    openTestAppWithAuthorizationServer(engine, (opened) => ({ db, app, as } = opened));

    /**
     * A patient with an active plan at the nurse's unit; four diagnoses (one made at a clinic of
     * another care provider that the patient has blocked) and three stays (one at a ward of that
     * clinic's provider, blocked too).
     */
    async function world() {
      const { w, nurse } = await withActiveContract(app, db);
      const blockedProvider = await makeProvider(db);
      const clinic = await makeUnit(db, blockedProvider, 'specialistmottagning');
      const blockedWard = await makeUnit(db, blockedProvider, 'sjukhus');
      const ward = await makeUnit(db, w.providerId, 'sjukhus');
      await db.query(
        `insert into patient_diagnosis (patient_id, icd10, since, source_unit_id, ended_on) values
           ($1, 'I50.9', '2024-01-10', $2, null),
           ($1, 'E11.9', '2020-05-01', $2, '2025-06-30'),
           ($1, 'J44', null, null, null),
           ($1, 'F32.1', '2024-02-01', $3, null)`,
        [w.patientId, w.unitId, clinic],
      );
      await db.query(
        `insert into block (patient_id, scope_kind, provider_id, created_by_kind, created_by)
         values ($1, 'provider', $2, 'staff', 'test')`,
        [w.patientId, blockedProvider],
      );
      const stays = await db.query<{ id: string }>(
        `insert into hospital_stay (patient_id, unit_id, admitted_at, discharged_at, source) values
           ($1, $2, '2026-03-01T08:00:00Z', '2026-03-05T10:00:00Z', 'import'),
           ($1, $2, '2026-11-01T08:00:00Z', null, 'import'),
           ($1, $3, '2025-01-01T08:00:00Z', '2025-01-03T08:00:00Z', 'import')
         returning id`,
        [w.patientId, ward, blockedWard],
      );
      const [finished, open, blocked] = stays.map((s) => s.id) as [string, string, string];
      const [{ identifier }] = (await db.query<{ identifier: string }>(
        'select identifier from patient where id = $1',
        [w.patientId],
      )) as [{ identifier: string }];
      return { w, nurse, clinic, ward, blockedWard, identifier, stays: { finished, open, blocked } };
    }

    /** The access-log entries a request wrote. */
    const entriesOf = (res: LightMyRequestResponse) =>
      db.query<{ outcome: string; action: string; patientId: string | null; detail: string | null }>(
        `select outcome, action, patient_id as "patientId", detail from access_log where request_id = $1 order by seq`,
        [String(res.headers['x-request-id'])],
      );

    it('maps each diagnosis the reader may see to a Condition with ICD-10, status, dates and the unit', async () => {
      const { w, nurse } = await world();
      const res = await nurse.get(`/fhir/Condition?patient=Patient/${w.patientId}`);
      assert.deepEqual(idsOf(res), [`${w.patientId}-E11.9`, `${w.patientId}-I50.9`, `${w.patientId}-J44`]);
      const byCode = new Map(res.json<Bundle>().entry!.map((e) => [e.resource.id.slice(37), e.resource]));
      assert.deepEqual(byCode.get('I50.9'), {
        resourceType: 'Condition',
        id: `${w.patientId}-I50.9`,
        extension: [
          {
            url: 'https://patientkontrakt.se/fhir/StructureDefinition/diagnosing-unit',
            valueReference: {
              reference: `Organization/${w.unitId}`,
              type: 'Organization',
              identifier: { system: 'urn:oid:1.2.752.29.4.19', value: w.unitId },
              display: `Enhet ${w.unitId}`,
            },
          },
        ],
        clinicalStatus: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
              code: 'active',
              display: 'Active',
            },
          ],
        },
        code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'I50.9' }], text: 'I50.9' },
        subject: { reference: `Patient/${w.patientId}`, type: 'Patient' },
        onsetDateTime: '2024-01-10',
        recordedDate: '2024-01-10',
      });
      const ended = byCode.get('E11.9')!;
      assert.equal((ended.clinicalStatus as { coding: { code: string }[] }).coding[0]!.code, 'resolved');
      assert.equal(ended.abatementDateTime, '2025-06-30');
      const unplaced = byCode.get('J44')!;
      assert.equal(unplaced.extension, undefined);
      assert.equal(unplaced.onsetDateTime, undefined);

      const read = await nurse.get(`/fhir/Condition/${w.patientId}-I50.9`);
      assert.equal(read.statusCode, 200, read.body);
      assert.deepEqual(read.json(), byCode.get('I50.9'));
    });

    it('searches Condition by patient.identifier, code in any written form and clinical status, page by page', async () => {
      const { w, nurse, identifier } = await world();
      const base = `/fhir/Condition?patient.identifier=${encodeURIComponent(`https://patientkontrakt.se/fhir/identifier/reservnummer|${identifier}`)}`;
      assert.equal(idsOf(await nurse.get(base)).length, 3);
      assert.deepEqual(idsOf(await nurse.get(`${base}&code=I509`)), [`${w.patientId}-I50.9`]);
      assert.deepEqual(
        idsOf(
          await nurse.get(`${base}&code=${encodeURIComponent('http://hl7.org/fhir/sid/icd-10|E11.9')},J44`),
        ),
        [`${w.patientId}-E11.9`, `${w.patientId}-J44`],
      );
      assert.deepEqual(idsOf(await nurse.get(`${base}&code=other|I50.9`)), []);
      assert.deepEqual(idsOf(await nurse.get(`${base}&clinical-status=resolved`)), [`${w.patientId}-E11.9`]);
      assert.deepEqual(idsOf(await nurse.get(`${base}&clinical-status=active&code=I50.9`)), [
        `${w.patientId}-I50.9`,
      ]);
      const whole = (await nurse.get(`${base}&_count=100`)).json<Bundle>();
      assert.equal(whole.total, 3);
      const pages = await walk(nurse, `${base}&_count=1`);
      assert.deepEqual(
        pages,
        whole.entry!.map((e) => e.fullUrl),
      );
      assertOutcome(await nurse.get(`${base}&_count=101`), 400, 'value');
      assertOutcome(await nurse.get('/fhir/Condition?code=I50.9'), 400, 'required');
      assertOutcome(await nurse.get(`${base}&severity=high`), 400);
    });

    it('never shows a diagnosis made at a unit under spärr: left out of the search, and read like a missing one', async () => {
      const { w, nurse } = await world();
      const search = await nurse.get(`/fhir/Condition?patient=${w.patientId}&code=F32.1`);
      assert.deepEqual(idsOf(search), []);
      assert.doesNotMatch((await nurse.get(`/fhir/Condition?patient=${w.patientId}`)).body, /F32|REDACTED/);
      const blocked = await nurse.get(`/fhir/Condition/${w.patientId}-F32.1`);
      const missing = await nurse.get(`/fhir/Condition/${w.patientId}-Z99.9`);
      assertOutcome(blocked, 404, 'not-found');
      assert.equal(blocked.body, missing.body);
      assertOutcome(await nurse.get('/fhir/Condition/not-a-condition'), 404, 'not-found');
    });

    it('maps each stay the reader may see to an Encounter (IMP, status, period, the ward) and searches by status and date', async () => {
      const { w, nurse, ward, stays } = await world();
      const all = await nurse.get(`/fhir/Encounter?patient=Patient/${w.patientId}`);
      assert.deepEqual(idsOf(all), [stays.finished, stays.open].sort());
      const read = await nurse.get(`/fhir/Encounter/${stays.finished}`);
      assert.equal(read.statusCode, 200, read.body);
      assert.deepEqual(read.json(), {
        resourceType: 'Encounter',
        id: stays.finished,
        status: 'finished',
        class: {
          system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
          code: 'IMP',
          display: 'inpatient encounter',
        },
        subject: { reference: `Patient/${w.patientId}`, type: 'Patient' },
        period: { start: '2026-03-01T08:00:00.000Z', end: '2026-03-05T10:00:00.000Z' },
        serviceProvider: {
          reference: `Organization/${ward}`,
          type: 'Organization',
          identifier: { system: 'urn:oid:1.2.752.29.4.19', value: ward },
          display: `Enhet ${ward}`,
        },
      });
      const open = (await nurse.get(`/fhir/Encounter/${stays.open}`)).json<Resource>();
      assert.equal(open.status, 'in-progress');
      assert.deepEqual(open.period, { start: '2026-11-01T08:00:00.000Z' });

      const q = `/fhir/Encounter?patient=${w.patientId}`;
      assert.deepEqual(idsOf(await nurse.get(`${q}&status=in-progress`)), [stays.open]);
      assert.deepEqual(idsOf(await nurse.get(`${q}&status=finished,in-progress`)).length, 2);
      // Periods compared as ranges (Swedish days): in hospital on or after 5 March, before 2 March …
      assert.deepEqual(idsOf(await nurse.get(`${q}&date=ge2026-03-05`)), [stays.finished, stays.open].sort());
      assert.deepEqual(idsOf(await nurse.get(`${q}&date=gt2026-03-05`)), [stays.open]);
      assert.deepEqual(idsOf(await nurse.get(`${q}&date=lt2026-03-02`)), [stays.finished]);
      assert.deepEqual(idsOf(await nurse.get(`${q}&date=ge2026-03-02&date=le2026-03-04`)), [stays.finished]);
      assert.deepEqual(idsOf(await nurse.get(`${q}&date=2026-03-01`)), []);
      assert.deepEqual(idsOf(await nurse.get(`${q}&date=ge2026-11-01T09:00:00Z`)), [stays.open]);
      assertOutcome(await nurse.get(`${q}&date=2026-03`), 400, 'value');
      assertOutcome(await nurse.get(`${q}&date=ge2026-02-30`), 400, 'value');
      assertOutcome(await nurse.get(`${q}&status=planned`), 400, 'value');

      const pages = await walk(nurse, `${q}&_count=1`);
      assert.deepEqual(
        pages,
        all.json<Bundle>().entry!.map((e) => e.fullUrl),
      );
      assertOutcome(await nurse.get(`${q}&_count=101`), 400, 'value');
    });

    it('leaves out a stay at a ward under spärr, and reads it like a missing one', async () => {
      const { w, nurse, blockedWard, stays } = await world();
      assert.doesNotMatch(
        (await nurse.get(`/fhir/Encounter?patient=${w.patientId}`)).body,
        new RegExp(blockedWard),
      );
      const blocked = await nurse.get(`/fhir/Encounter/${stays.blocked}`);
      const missing = await nurse.get('/fhir/Encounter/00000000-0000-4000-8000-000000000000');
      assertOutcome(blocked, 404, 'not-found');
      assert.equal(blocked.body, missing.body);
    });

    it('answers a reader without access like a missing patient, and logs every access', async () => {
      const { w, nurse, stays } = await world();
      const stranger = await login(app, { hsaId: (await makeWorld(db)).nurseId });
      const nobody = '00000000-0000-4000-8000-000000000000';
      for (const [hidden, missing] of [
        [`/fhir/Condition/${w.patientId}-I50.9`, `/fhir/Condition/${nobody}-I50.9`],
        [`/fhir/Encounter/${stays.finished}`, `/fhir/Encounter/${nobody}`],
      ] as const) {
        const a = await stranger.get(hidden);
        assertOutcome(a, 404, 'not-found');
        assert.equal(a.body, (await stranger.get(missing)).body);
        const [entry] = await entriesOf(a);
        assert.equal(entry?.outcome, 'denied', hidden);
        assert.equal(entry?.patientId, w.patientId);
      }
      for (const type of ['Condition', 'Encounter']) {
        const search = await stranger.get(`/fhir/${type}?patient=${w.patientId}`);
        assert.deepEqual(idsOf(search), []);
        assert.equal(search.json<Bundle>().total, 0);
        assert.deepEqual(
          (await entriesOf(search)).map((e) => e.outcome),
          ['denied'],
        );
      }

      // The nurse's reads and searches: one allowed entry each, about the patient.
      for (const url of [
        `/fhir/Condition/${w.patientId}-I50.9`,
        `/fhir/Condition?patient=${w.patientId}`,
        `/fhir/Encounter/${stays.open}`,
        `/fhir/Encounter?patient=${w.patientId}`,
      ]) {
        const res = await nurse.get(url);
        assert.equal(res.statusCode, 200, res.body);
        const entries = await entriesOf(res);
        assert.deepEqual(
          entries.map((e) => [e.outcome, e.action, e.patientId]),
          [['allowed', 'read', w.patientId]],
          url,
        );
        assert.match(entries[0]!.detail ?? '', url.includes('Condition') ? /diagnoser/ : /vårdtillfälle/);
      }
    });

    it('serves a patient with protected identity the same, and names them nowhere', async () => {
      const { w, nurse, stays } = await world();
      const [{ given_name: given, family_name: family }] = (await db.query<{
        given_name: string;
        family_name: string;
      }>('select given_name, family_name from patient where id = $1', [w.patientId])) as [
        { given_name: string; family_name: string },
      ];
      await db.query("update patient set protection = 'skyddad-folkbokforing' where id = $1", [w.patientId]);
      const conditions = await nurse.get(`/fhir/Condition?patient=${w.patientId}`);
      assert.equal(idsOf(conditions).length, 3);
      const encounter = await nurse.get(`/fhir/Encounter/${stays.open}`);
      assert.equal(encounter.statusCode, 200, encounter.body);
      for (const res of [conditions, encounter]) {
        assert.doesNotMatch(res.body, new RegExp(`${given}|${family}`));
        assert.doesNotMatch(res.body, /address/);
      }
    });

    it('refuses every write with 405', async () => {
      const { w, nurse } = await world();
      for (const [method, url] of [
        ['POST', '/fhir/Condition'],
        ['PUT', `/fhir/Condition/${w.patientId}-I50.9`],
        ['POST', '/fhir/Encounter'],
        ['PUT', `/fhir/Encounter/${w.patientId}`],
      ] as const) {
        const res = await nurse.send(method, url, { resourceType: url.split('/')[2] }, FHIR);
        assertOutcome(res, 405, 'not-supported');
      }
      assert.equal(
        (
          await db.query<{ n: number }>(
            'select count(*)::int as n from patient_diagnosis where patient_id = $1',
            [w.patientId],
          )
        )[0]!.n,
        4,
      );
    });

    it('puts both in Patient/$everything, without what a spärr hides', async () => {
      const { w, nurse, stays } = await world();
      const res = await nurse.get(`/fhir/Patient/${w.patientId}/$everything`);
      assert.equal(res.statusCode, 200, res.body);
      const ids = (res.json<Bundle>().entry ?? []).map((e) => `${e.resource.resourceType}/${e.resource.id}`);
      for (const id of [
        `Condition/${w.patientId}-I50.9`,
        `Condition/${w.patientId}-E11.9`,
        `Condition/${w.patientId}-J44`,
        `Encounter/${stays.finished}`,
        `Encounter/${stays.open}`,
      ])
        assert.ok(ids.includes(id), `${id} in $everything`);
      assert.ok(!ids.includes(`Condition/${w.patientId}-F32.1`));
      assert.ok(!ids.includes(`Encounter/${stays.blocked}`));
    });

    it('honours SMART scopes per type: patient/Condition.rs reads the token’s patient only, and no Encounter', async () => {
      const { w, stays } = await world();
      const other = await makePatient(db, w.unitId);
      await db.query(
        `insert into patient_diagnosis (patient_id, icd10, since, source_unit_id) values ($1, 'I10', '2023-01-01', $2)`,
        [other, w.unitId],
      );
      const token = await as.mint(
        {
          client_id: 'journal-app',
          fhirUser: `Practitioner/${w.nurseId}`,
          scope: 'openid fhirUser patient/Condition.rs',
          patient: w.patientId,
        },
        300,
      );
      const get = (url: string) =>
        app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      assert.equal(idsOf(await get(`/fhir/Condition?patient=${w.patientId},${other}`)).length, 3);
      assert.equal((await get(`/fhir/Condition/${w.patientId}-I50.9`)).statusCode, 200);
      assertOutcome(await get(`/fhir/Condition/${other}-I10`), 404, 'not-found');
      const encounter = await get(`/fhir/Encounter/${stays.open}`);
      assertOutcome(encounter, 403, 'forbidden');
      assert.match(String(encounter.headers['www-authenticate']), /insufficient_scope/);
      const wide = await as.mint(
        {
          client_id: 'journal-app',
          fhirUser: `Practitioner/${w.nurseId}`,
          scope: 'openid fhirUser user/Encounter.rs',
        },
        300,
      );
      const encounters = await app.inject({
        method: 'GET',
        url: `/fhir/Encounter?patient=${w.patientId}`,
        headers: { authorization: `Bearer ${wide}` },
      });
      assert.deepEqual(idsOf(encounters), [stays.finished, stays.open].sort());
    });
  });
}
