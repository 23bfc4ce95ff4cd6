/**
 * The FHIR server over HTTP: metadata, login, access per result, the directory, and errors as
 * OperationOutcome. Personnummer come from data/skatteverket-testpersonnummer.csv.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { login, openTestApp, type Client } from '../../test/helpers/api.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makeWorld, sampleContent } from '../../test/helpers/factories.ts';
import type { Db } from '../store/db.ts';
import { systems } from './datatypes.ts';
import { assertOutcome, counts, FHIR, makePersonnummerPatient, type Bundle } from './fhir-test-helpers.ts';

for (const engine of testEngines) {
  describe(`FHIR server on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it('describes itself in a CapabilityStatement, without login', async () => {
      const res = await app.inject({ method: 'GET', url: '/fhir/metadata' });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^application\/fhir\+json/);
      const statement = res.json<{
        resourceType: string;
        fhirVersion: string;
        status: string;
        kind: string;
        format: string[];
        rest: { mode: string; resource: { type: string; interaction: { code: string }[] }[] }[];
      }>();
      assert.equal(statement.resourceType, 'CapabilityStatement');
      assert.equal(statement.fhirVersion, '4.0.1');
      assert.equal(statement.status, 'active');
      assert.equal(statement.kind, 'instance');
      assert.ok(statement.format.includes('json'));
      assert.equal(statement.rest[0]?.mode, 'server');
      const types = statement.rest[0]?.resource.map((r) => r.type);
      for (const type of ['Patient', 'CarePlan', 'Goal', 'CareTeam', 'Appointment'])
        assert.ok(types?.includes(type), type);
      const goal = statement.rest[0]?.resource.find((r) => r.type === 'Goal');
      assert.deepEqual(
        goal?.interaction.map((i) => i.code),
        ['read', 'vread', 'history-instance', 'search-type'],
      );
    });

    it('answers 401 with an OperationOutcome without a session', async () => {
      const res = await app.inject({ method: 'GET', url: '/fhir/Patient?identifier=197912309296' });
      assertOutcome(res, 401, 'login');
    });

    it('answers a foreign patient exactly like a missing one, and leaves it out of searches', async () => {
      const w = await makeWorld(db);
      const id = await makePersonnummerPatient(db, '199006092382', w.unitId);
      const nurse = await login(app, { hsaId: w.nurseId });
      await nurse.send('POST', `/api/patients/${id}/contract`, {
        status: 'active',
        content: sampleContent(w.unitId),
      });
      // The doctor works at a unit of the same region with no care relationship to the patient.
      const doctor = await login(app, { hsaId: w.doctorId });
      const missingId = '00000000-0000-4000-8000-000000000000';
      for (const type of ['Patient', 'CareTeam']) {
        const foreign = await doctor.get(`/fhir/${type}/${id}`);
        const missing = await doctor.get(`/fhir/${type}/${missingId}`);
        assertOutcome(foreign, 404, 'not-found');
        assert.equal(foreign.body, missing.body, type);
      }
      const carePlan = (await nurse.get(`/fhir/CarePlan?patient=${id}`)).json<Bundle>().entry?.[0]?.resource
        .id;
      assert.ok(carePlan);
      const foreignPlan = await doctor.get(`/fhir/CarePlan/${carePlan}`);
      assertOutcome(foreignPlan, 404, 'not-found');
      assert.equal(foreignPlan.body, (await doctor.get(`/fhir/CarePlan/${missingId}`)).body);
      for (const url of [
        '/fhir/Patient?identifier=199006092382',
        `/fhir/Patient?_id=${id}`,
        `/fhir/CarePlan?patient=Patient/${id}`,
        `/fhir/CareTeam?patient=${id}`,
        `/fhir/Goal?patient=${id}`,
        `/fhir/Appointment?patient=${id}`,
      ]) {
        const res = await doctor.get(url);
        assert.equal(res.statusCode, 200, url);
        assert.equal(res.json<Bundle>().total, 0, url);
        assert.equal((await nurse.get(url)).json<Bundle>().total, 1, url);
      }
    });

    it('answers bad input with a 4xx OperationOutcome and writes nothing', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      const carePlan = {
        resourceType: 'CarePlan',
        status: 'active',
        intent: 'plan',
        subject: { reference: `Patient/${w.patientId}` },
        description: 'Att orka',
      };
      const newPatient = { resourceType: 'Patient', name: [{ family: 'A', given: ['B'] }] };
      const cases: {
        name: string;
        method: 'POST' | 'PUT';
        url: string;
        body: unknown;
        status: number;
        headers?: Record<string, string>;
      }[] = [
        {
          name: 'wrong resourceType',
          method: 'POST',
          url: '/fhir/CarePlan',
          body: { ...carePlan, resourceType: 'Patient' },
          status: 400,
        },
        {
          name: 'malformed personnummer',
          method: 'POST',
          url: '/fhir/Patient',
          body: { ...newPatient, identifier: [{ system: systems.personnummer, value: '191212121213' }] },
          status: 400,
        },
        {
          name: 'impossible date',
          method: 'POST',
          url: '/fhir/Patient',
          body: { ...newPatient, identifier: [{ value: '19230230-1234' }] },
          status: 400,
        },
        {
          name: 'system of another kind',
          method: 'POST',
          url: '/fhir/Patient',
          body: { ...newPatient, identifier: [{ system: systems.samordningsnummer, value: '199304022388' }] },
          status: 400,
        },
        {
          name: 'name of the wrong type',
          method: 'POST',
          url: '/fhir/Patient',
          body: { ...newPatient, name: 'Anna', identifier: [{ value: '199304022388' }] },
          status: 400,
        },
        {
          name: 'unknown listing unit',
          method: 'POST',
          url: '/fhir/Patient',
          body: {
            ...newPatient,
            identifier: [{ value: '199304022388' }],
            generalPractitioner: [{ reference: 'Organization/SE-FINNS-INTE' }],
          },
          status: 422,
        },
        {
          name: 'description of the wrong type',
          method: 'POST',
          url: '/fhir/CarePlan',
          body: { ...carePlan, description: 42 },
          status: 400,
        },
        {
          name: 'activity list of the wrong type',
          method: 'POST',
          url: '/fhir/CarePlan',
          body: { ...carePlan, activity: 'många' },
          status: 400,
        },
        {
          name: 'unknown intent',
          method: 'POST',
          url: '/fhir/CarePlan',
          body: { ...carePlan, intent: 'order' },
          status: 400,
        },
        {
          name: 'activity at an unknown unit',
          method: 'POST',
          url: '/fhir/CarePlan',
          body: {
            ...carePlan,
            activity: [
              {
                id: 'a1',
                detail: {
                  status: 'scheduled',
                  description: 'X',
                  scheduledString: '2026-12-01',
                  performer: [{ reference: 'Organization/SE-FINNS-INTE' }],
                },
              },
            ],
          },
          status: 422,
        },
        { name: 'not JSON', method: 'POST', url: '/fhir/CarePlan', body: '{"resourceType":', status: 400 },
        {
          name: 'participant of the wrong type',
          method: 'POST',
          url: '/fhir/CareTeam',
          body: {
            resourceType: 'CareTeam',
            subject: { reference: `Patient/${w.patientId}` },
            participant: { role: 'x' },
          },
          status: 400,
        },
        {
          name: 'no participant',
          method: 'POST',
          url: '/fhir/CareTeam',
          body: { resourceType: 'CareTeam', subject: { reference: `Patient/${w.patientId}` } },
          status: 400,
        },
        {
          name: 'XML',
          method: 'POST',
          url: '/fhir/CarePlan',
          body: '<CarePlan/>',
          status: 415,
          headers: { 'content-type': 'application/fhir+xml' },
        },
      ];
      const before = await counts(db);
      for (const c of cases) {
        const res = await nurse.send(c.method, c.url, c.body, { ...FHIR, ...c.headers });
        const body = assertOutcome(res, c.status);
        assert.ok(body.issue.length >= 1, c.name);
      }
      assert.deepEqual(await counts(db), before);
    });

    it('names the wrong resourceType and the field of the wrong type', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      const wrongType = assertOutcome(
        await nurse.send('POST', '/fhir/CarePlan', { resourceType: 'Patient' }, FHIR),
        400,
        'invalid',
      );
      assert.match(wrongType.issue[0]!.diagnostics, /CarePlan, inte Patient/);
      const wrongField = assertOutcome(
        await nurse.send(
          'POST',
          '/fhir/CarePlan',
          {
            resourceType: 'CarePlan',
            status: 'active',
            intent: 'plan',
            subject: { reference: 'Patient/x' },
            description: 42,
          },
          FHIR,
        ),
        400,
      );
      assert.ok(
        wrongField.issue.some((i) => i.expression?.includes('CarePlan.description')),
        JSON.stringify(wrongField),
      );
    });

    it('answers an unknown path with 404, a delete with 405 and an unknown search parameter with 400', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      assertOutcome(await nurse.get('/fhir/Observation/1'), 404, 'not-found');
      assertOutcome(await nurse.get('/fhir'), 404, 'not-found');
      assertOutcome(
        await nurse.send('POST', '/fhir/Observation', { resourceType: 'Observation' }, FHIR),
        404,
        'not-found',
      );
      assertOutcome(await nurse.send('DELETE', `/fhir/Patient/${w.patientId}`), 405, 'not-supported');
      assertOutcome(await nurse.get('/fhir/Patient?birthdate=1979'), 400, 'not-supported');
      assertOutcome(await nurse.get('/fhir/Patient'), 400, 'required');
      assertOutcome(await nurse.get(`/fhir/Patient/${w.patientId}?_format=xml`), 406, 'not-supported');
    });

    it('resolves the HSA-id references: units, their care provider, and staff', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      const unit = (await nurse.get(`/fhir/Organization/${w.unitId}`)).json<{
        resourceType: string;
        identifier: { system: string; value: string }[];
        partOf: { reference: string };
      }>();
      assert.equal(unit.resourceType, 'Organization');
      assert.deepEqual(unit.identifier, [{ system: systems.hsaId, value: w.unitId }]);
      assert.equal(unit.partOf.reference, `Organization/${w.providerId}`);
      assert.equal((await nurse.get(`/fhir/${unit.partOf.reference}`)).statusCode, 200);
      const staff = await nurse.get(`/fhir/Practitioner/${w.doctorId}`);
      assert.equal(staff.json<{ resourceType: string; id: string }>().id, w.doctorId);
      assertOutcome(await nurse.get('/fhir/Practitioner/SE-FINNS-INTE'), 404, 'not-found');
    });

    it('accepts plain application/json and answers it when asked to', async () => {
      const w = await makeWorld(db);
      const nurse: Client = await login(app, { hsaId: w.nurseId });
      const res = await nurse.get(`/fhir/Patient/${w.patientId}`, { accept: 'application/json' });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^application\/json/);
    });
  });
}
