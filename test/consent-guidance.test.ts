/**
 * Guiding a municipal nurse and the patient to consent (PDL, Lag 2022:913), on the running app:
 * the patient learns which units of their own plan cannot read it; staff never get that list;
 * a search by birth date alone is answered in plain Swedish, never as a technical error.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../src/store/db.ts';
import { login, openTestApp, type Client } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makeProvider, makeStaff, makeUnit, makeWorld, sampleContent } from './helpers/factories.ts';

for (const engine of testEngines) {
  describe(`consent guidance on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    let world: Awaited<ReturnType<typeof makeWorld>>;
    let nurse: Client;
    let kommunNurse: Client;
    let kommunUnit: string;
    let patient: Client;
    let identifier: string;
    before(async () => {
      world = await makeWorld(db);
      const kommun = await makeProvider(db, 'kommun');
      kommunUnit = await makeUnit(db, kommun, 'hemsjukvard');
      kommunNurse = await login(app, { hsaId: await makeStaff(db, kommunUnit) });
      nurse = await login(app, { hsaId: world.nurseId });
      const content = sampleContent(world.unitId);
      // A home visit by the municipality, and a visit at the same provider's other unit.
      content.activities.push(
        { id: 'a2', what: 'Hembesök', unitId: kommunUnit, when: '2026-12-02', status: 'planerad' },
        { id: 'a3', what: 'Provtagning', unitId: world.otherUnitId, when: '2026-12-03', status: 'planerad' },
      );
      const created = await nurse.send('POST', `/api/patients/${world.patientId}/contract`, {
        status: 'active',
        content,
      });
      assert.equal(created.statusCode, 201, created.body);
      identifier = (
        await db.query<{ identifier: string }>('select identifier from patient where id = $1', [
          world.patientId,
        ])
      )[0]!.identifier;
      patient = await login(app, { personnummer: identifier });
    });

    const unitsWithoutConsent = async (client: Client) =>
      (await client.get(`/api/patients/${world.patientId}/consents`)).json<{
        unitsWithoutConsent?: { unitId: string }[];
      }>().unitsWithoutConsent;

    it('tells the patient which unit of another provider in their plan has no consent, until they give it', async () => {
      assert.deepEqual(
        (await unitsWithoutConsent(patient))?.map((u) => u.unitId),
        [kommunUnit],
      );
      assert.equal(
        (await kommunNurse.get(`/api/patients?q=${identifier}`)).json<{ patients: unknown[] }>().patients
          .length,
        0,
      );
      const given = await patient.send('POST', `/api/patients/${world.patientId}/consents`, {
        scope: 'unit',
        unitId: kommunUnit,
        method: 'digitalt',
      });
      assert.equal(given.statusCode, 201);
      assert.deepEqual(await unitsWithoutConsent(patient), []);
      assert.equal(
        (await kommunNurse.get(`/api/patients?q=${identifier}`)).json<{ patients: unknown[] }>().patients
          .length,
        1,
      );
    });

    it('gives staff the consents but never the list of units without consent', async () => {
      const res = await nurse.get(`/api/patients/${world.patientId}/consents`);
      assert.equal(res.statusCode, 200);
      assert.equal('unitsWithoutConsent' in res.json<object>(), false);
    });

    it('answers a search by a birth date alone, in any common format, with a plain Swedish 400', async () => {
      for (const q of ['19380312', '380312', '1938-03-12', '38-03-12', '1938 03 12']) {
        const res = await nurse.get(`/api/patients?q=${encodeURIComponent(q)}`);
        assert.equal(res.statusCode, 400, q);
        assert.match(
          res.json<{ error: { message: string } }>().error.message,
          /Ange hela personnumret eller ett namn/,
          q,
        );
      }
    });
  });
}
