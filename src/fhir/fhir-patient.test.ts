/** FHIR Patient: search by personnummer in any format, register, change name and phone. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { login, openTestApp } from '../../test/helpers/api.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makeWorld } from '../../test/helpers/factories.ts';
import { addRegisterPerson } from '../../test/helpers/person-register.ts';
import type { Db } from '../store/db.ts';
import { systems } from './datatypes.ts';
import { assertOutcome, FHIR, makePersonnummerPatient, type Bundle } from './fhir-test-helpers.ts';

for (const engine of testEngines) {
  describe(`FHIR Patient on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it('finds a patient by personnummer with its system', async () => {
      const w = await makeWorld(db);
      const id = await makePersonnummerPatient(db, '197912309296', w.unitId);
      const nurse = await login(app, { hsaId: w.nurseId });
      const res = await nurse.get(
        `/fhir/Patient?identifier=${encodeURIComponent(`${systems.personnummer}|197912309296`)}`,
      );
      assert.equal(res.statusCode, 200);
      const bundle = res.json<Bundle>();
      assert.equal(bundle.resourceType, 'Bundle');
      assert.equal(bundle.type, 'searchset');
      assert.equal(bundle.total, 1);
      assert.equal(bundle.entry?.[0]?.resource.id, id);
      assert.equal(bundle.entry?.[0]?.search.mode, 'match');
      assert.match(bundle.entry?.[0]?.fullUrl ?? '', new RegExp(`/fhir/Patient/${id}$`));
    });

    it('finds a patient by personnummer in 10-digit format', async () => {
      const w = await makeWorld(db);
      const id = await makePersonnummerPatient(db, '199805162386', w.unitId);
      const nurse = await login(app, { hsaId: w.nurseId });
      for (const value of ['980516-2386', '9805162386']) {
        const bundle = (await nurse.get(`/fhir/Patient?identifier=${value}`)).json<Bundle>();
        assert.deepEqual(
          bundle.entry?.map((e) => e.resource.id),
          [id],
          value,
        );
      }
    });

    it('finds nothing when the identifier system names another kind of number', async () => {
      const w = await makeWorld(db);
      await makePersonnummerPatient(db, '199008142383', w.unitId);
      const nurse = await login(app, { hsaId: w.nurseId });
      const res = await nurse.get(
        `/fhir/Patient?identifier=${encodeURIComponent(`${systems.samordningsnummer}|199008142383`)}`,
      );
      assert.equal(res.json<Bundle>().total, 0);
    });

    it("registers a patient from a FHIR Patient with the population register's name and reads it back by id", async () => {
      const w = await makeWorld(db);
      await addRegisterPerson(db, '19760429-2396', { givenName: 'Sven Erik', familyName: 'Andersson' });
      const nurse = await login(app, { hsaId: w.nurseId });
      const created = await nurse.send(
        'POST',
        '/fhir/Patient',
        {
          resourceType: 'Patient',
          identifier: [{ system: systems.personnummer, value: '19760429-2396' }],
          // A name sent is not used: the register's is.
          name: [{ family: 'Anderson', given: ['Sven'] }],
          telecom: [{ system: 'phone', value: '070-123 45 67' }],
        },
        FHIR,
      );
      assert.equal(created.statusCode, 201, created.body);
      const patient = created.json<{
        id: string;
        birthDate: string;
        gender: string;
        identifier: { value: string }[];
      }>();
      assert.equal(patient.identifier[0]?.value, '197604292396');
      assert.equal(patient.birthDate, '1976-04-29');
      assert.equal(patient.gender, 'male');
      // Patient keeps its versions (migration 027): Location is the version created.
      assert.match(String(created.headers.location), new RegExp(`/fhir/Patient/${patient.id}/_history/1$`));
      assert.equal(created.headers.etag, 'W/"1"');
      const read = await nurse.get(`/fhir/Patient/${patient.id}`);
      assert.equal(read.statusCode, 200);
      assert.equal(read.headers.etag, 'W/"1"');
      assert.deepEqual(read.json<{ name: { given: string[]; family: string }[] }>().name[0], {
        ...read.json<{ name: object[] }>().name[0],
        given: ['Sven Erik'],
        family: 'Andersson',
      });
    });

    it('changes name and phone with If-Match and refuses a stale version with 412', async () => {
      const w = await makeWorld(db);
      const id = await makePersonnummerPatient(db, '199204022397', w.unitId);
      const nurse = await login(app, { hsaId: w.nurseId });
      const patient = (await nurse.get(`/fhir/Patient/${id}`)).json<Record<string, unknown>>();
      const changed = {
        ...patient,
        name: [{ family: 'Berg', given: ['Tolvan'] }],
        telecom: [{ system: 'phone', value: '08-1' }],
      };
      const ok = await nurse.send('PUT', `/fhir/Patient/${id}`, changed, { ...FHIR, 'if-match': 'W/"1"' });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.headers.etag, 'W/"2"');
      const stale = await nurse.send(
        'PUT',
        `/fhir/Patient/${id}`,
        { ...changed, name: [{ family: 'Ek', given: ['T'] }] },
        { ...FHIR, 'if-match': 'W/"1"' },
      );
      assertOutcome(stale, 412, 'conflict');
      assert.deepEqual(
        (await nurse.get(`/fhir/Patient/${id}`)).json<{ name: { family: string }[] }>().name[0]?.family,
        'Berg',
      );
      assertOutcome(await nurse.send('PUT', `/fhir/Patient/${id}`, changed, FHIR), 428, 'required');
    });
  });
}
