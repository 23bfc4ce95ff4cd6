/**
 * The Patientkontrakt through FHIR: CarePlan with If-Match, Goal, Appointment (next contact)
 * and CareTeam (fixed contacts). Personnummer come from data/skatteverket-testpersonnummer.csv.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { login, openTestApp, withActiveContract, type Client } from '../../test/helpers/api.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { appointFastVardkontakt, makeWorld } from '../../test/helpers/factories.ts';
import { addRegisterPerson } from '../../test/helpers/person-register.ts';
import type { Db } from '../store/db.ts';
import { codeSystems, systems } from './datatypes.ts';
import { assertOutcome, FHIR } from './fhir-test-helpers.ts';

interface Resource {
  resourceType: string;
  id: string;
  meta: { versionId: string };
  status: string;
  description?: string;
  [key: string]: unknown;
}
interface Bundle {
  total: number;
  entry?: { resource: Resource }[];
}
/** A new CarePlan as a client writes it: goals and the next contact contained. */
function newCarePlan(patientId: string, unitId: string, description = 'Att kunna promenera till affären') {
  return {
    resourceType: 'CarePlan',
    status: 'active',
    intent: 'plan',
    subject: { reference: `Patient/${patientId}` },
    description,
    contained: [
      {
        resourceType: 'Goal',
        id: 'g1',
        lifecycleStatus: 'active',
        description: { text: 'Gå 2 km utan vila' },
        extension: [
          {
            url: 'https://patientkontrakt.se/fhir/StructureDefinition/ambition-level',
            valueCode: 'forbattra',
          },
        ],
      },
      {
        resourceType: 'Appointment',
        id: 'next',
        status: 'booked',
        start: '2026-12-01T09:00:00.000Z',
        appointmentType: { coding: [{ system: codeSystems.contactMode, code: 'besok' }] },
        participant: [
          { actor: { reference: `Patient/${patientId}` }, status: 'accepted' },
          {
            actor: { type: 'Location', identifier: { system: systems.hsaId, value: unitId } },
            status: 'accepted',
          },
        ],
      },
    ],
    goal: [{ reference: '#g1' }],
    // An active contract has a follow-up date (and a fast vårdkontakt, appointed in the world).
    extension: [
      { url: 'https://patientkontrakt.se/fhir/StructureDefinition/review-date', valueDate: '2027-03-01' },
    ],
    activity: [
      {
        id: 'a1',
        detail: {
          status: 'scheduled',
          description: 'Årskontroll',
          scheduledPeriod: { start: '2026-12-01' },
          performer: [{ reference: `Organization/${unitId}` }],
        },
      },
      { reference: { reference: '#next' } },
    ],
  };
}

for (const engine of testEngines) {
  describe(`FHIR Patientkontrakt on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    async function worldWithContract() {
      const { w, nurse, contractId } = await withActiveContract(app, db);
      return { ...w, nurse, contractId };
    }

    it('finds the contract by patient, with meta.versionId and the goal, activity and next contact', async () => {
      const w = await worldWithContract();
      for (const patient of [`Patient/${w.patientId}`, w.patientId]) {
        const bundle = (await w.nurse.get(`/fhir/CarePlan?patient=${patient}`)).json<Bundle>();
        assert.equal(bundle.total, 1);
        const carePlan = bundle.entry![0]!.resource;
        assert.equal(carePlan.id, w.contractId);
        assert.equal(carePlan.meta.versionId, '1');
        assert.equal(carePlan.status, 'active');
        assert.equal(carePlan.description, 'Att kunna promenera till affären');
        assert.deepEqual(carePlan.goal, [
          { reference: `Goal/${w.contractId}-g1`, display: 'Gå 2 km utan vila' },
        ]);
      }
      const read = await w.nurse.get(`/fhir/CarePlan/${w.contractId}`);
      assert.equal(read.headers.etag, 'W/"1"');
    });

    it('finds the contract by the patient identifier and status', async () => {
      const w = await makeWorld(db);
      await addRegisterPerson(db, '199209092395', { givenName: 'Ola', familyName: 'Lind' });
      const nurse = await login(app, { hsaId: w.nurseId });
      const patient = await nurse.send(
        'POST',
        '/fhir/Patient',
        {
          resourceType: 'Patient',
          identifier: [{ value: '199209092395' }],
          name: [{ family: 'Lind', given: ['Ola'] }],
        },
        FHIR,
      );
      const patientId = patient.json<{ id: string }>().id;
      await appointFastVardkontakt(db, patientId, w.nurseId, w.unitId);
      await nurse.send('POST', '/fhir/CarePlan', newCarePlan(patientId, w.unitId), FHIR);
      const token = encodeURIComponent(`${systems.personnummer}|920909-2395`);
      assert.equal((await nurse.get(`/fhir/CarePlan?patient.identifier=${token}`)).json<Bundle>().total, 1);
      assert.equal(
        (await nurse.get(`/fhir/CarePlan?patient.identifier=${token}&status=active`)).json<Bundle>().total,
        1,
      );
      assert.equal(
        (await nurse.get(`/fhir/CarePlan?patient.identifier=${token}&status=completed`)).json<Bundle>().total,
        0,
      );
    });

    it('creates a CarePlan, and refuses a stale If-Match with 412 without changing anything', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      await appointFastVardkontakt(db, w.patientId, w.nurseId, w.unitId);
      const created = await nurse.send('POST', '/fhir/CarePlan', newCarePlan(w.patientId, w.unitId), FHIR);
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.headers.etag, 'W/"1"');
      const carePlan = created.json<Resource>();
      assert.match(String(created.headers.location), new RegExp(`/fhir/CarePlan/${carePlan.id}/_history/1$`));

      const v2 = await nurse.send(
        'PUT',
        `/fhir/CarePlan/${carePlan.id}`,
        { ...carePlan, description: 'Att orka med barnbarnen' },
        { ...FHIR, 'if-match': 'W/"1"' },
      );
      assert.equal(v2.statusCode, 200, v2.body);
      assert.equal(v2.headers.etag, 'W/"2"');
      assert.equal(v2.json<Resource>().meta.versionId, '2');

      const stale = await nurse.send(
        'PUT',
        `/fhir/CarePlan/${carePlan.id}`,
        { ...carePlan, description: 'Något annat' },
        { ...FHIR, 'if-match': 'W/"1"' },
      );
      assert.equal(assertOutcome(stale, 412).issue[0]?.code, 'conflict');
      const now = await nurse.get(`/fhir/CarePlan/${carePlan.id}`);
      assert.equal(now.json<Resource>().description, 'Att orka med barnbarnen');
      assert.equal(now.headers.etag, 'W/"2"');
      const contract = (await nurse.get(`/api/patients/${w.patientId}/contract`)).json<{
        version: number;
        content: { goals: { id: string }[] };
      }>();
      assert.equal(contract.version, 2);
      assert.deepEqual(
        contract.content.goals.map((g) => g.id),
        ['g1'],
      );
    });

    it('asks for If-Match (428) before changing a CarePlan', async () => {
      const w = await worldWithContract();
      const carePlan = (await w.nurse.get(`/fhir/CarePlan/${w.contractId}`)).json<Resource>();
      const res = await w.nurse.send(
        'PUT',
        `/fhir/CarePlan/${w.contractId}`,
        { ...carePlan, description: 'Nytt' },
        FHIR,
      );
      assert.equal(assertOutcome(res, 428).issue[0]?.code, 'required');
    });

    it('refuses a second current contract with 409', async () => {
      const w = await worldWithContract();
      const res = await w.nurse.send('POST', '/fhir/CarePlan', newCarePlan(w.patientId, w.unitId), FHIR);
      assert.equal(assertOutcome(res, 409).issue[0]?.code, 'business-rule');
    });

    it('reads an earlier version of a CarePlan', async () => {
      const w = await worldWithContract();
      const v1 = (await w.nurse.get(`/fhir/CarePlan/${w.contractId}`)).json<Resource>();
      await w.nurse.send(
        'PUT',
        `/fhir/CarePlan/${w.contractId}`,
        { ...v1, description: 'Andra' },
        { ...FHIR, 'if-match': 'W/"1"' },
      );
      const old = await w.nurse.get(`/fhir/CarePlan/${w.contractId}/_history/1`);
      assert.equal(old.statusCode, 200);
      assert.equal(old.json<Resource>().description, 'Att kunna promenera till affären');
      assert.equal(old.json<Resource>().meta.versionId, '1');
    });

    it('reads the goals as Goal resources and refuses writes to Goal with 405', async () => {
      const w = await worldWithContract();
      const goal = await w.nurse.get(`/fhir/Goal/${w.contractId}-g1`);
      assert.equal(goal.statusCode, 200);
      const body = goal.json<{
        lifecycleStatus: string;
        description: { text: string };
        achievementStatus: { coding: { code: string }[] };
      }>();
      assert.equal(body.lifecycleStatus, 'active');
      assert.equal(body.description.text, 'Gå 2 km utan vila');
      assert.deepEqual(
        body.achievementStatus.coding.map((c) => c.code),
        ['in-progress', 'pagaende'],
      );
      assert.equal((await w.nurse.get(`/fhir/Goal?patient=${w.patientId}`)).json<Bundle>().total, 1);
      const post = await w.nurse.send('POST', '/fhir/Goal', { resourceType: 'Goal' }, FHIR);
      assert.match(assertOutcome(post, 405).issue[0]!.diagnostics, /CarePlan/);
      assertOutcome(
        await w.nurse.send('PUT', `/fhir/Goal/${w.contractId}-g1`, { resourceType: 'Goal' }, FHIR),
        405,
      );
    });

    it('moves the next contact with PUT Appointment and If-Match, as a new contract version', async () => {
      const w = await worldWithContract();
      const url = `/fhir/Appointment/${w.contractId}-next`;
      const appointment = (await w.nurse.get(url)).json<Resource & { start: string }>();
      assert.equal(appointment.status, 'booked');
      const moved = await w.nurse.send(
        'PUT',
        url,
        // A moved time moves its end too (R4 app-2): the end read before is now in the past.
        {
          ...appointment,
          status: 'proposed',
          start: '2026-12-08T13:00:00.000Z',
          end: '2026-12-08T13:30:00.000Z',
        },
        { ...FHIR, 'if-match': 'W/"1"' },
      );
      assert.equal(moved.statusCode, 200, moved.body);
      assert.equal(moved.headers.etag, 'W/"2"');
      const contract = (await w.nurse.get(`/api/patients/${w.patientId}/contract`)).json<{
        content: { nextContact: { at: string; agreement: string } };
      }>();
      assert.deepEqual(
        [contract.content.nextContact.at, contract.content.nextContact.agreement],
        ['2026-12-08T13:00:00.000Z', 'erbjuden'],
      );
      assertOutcome(await w.nurse.send('PUT', url, appointment, { ...FHIR, 'if-match': 'W/"1"' }), 412);
    });

    describe('CareTeam', () => {
      const fastVardkontakt = (staffId: string, unitId: string) => ({
        role: [{ coding: [{ system: codeSystems.careContactRole, code: 'fast-vardkontakt' }] }],
        member: { reference: `Practitioner/${staffId}` },
        onBehalfOf: { reference: `Organization/${unitId}` },
        extension: [
          {
            url: 'https://patientkontrakt.se/fhir/StructureDefinition/care-contact-reason',
            valueCode: 'behov',
          },
        ],
      });
      const careTeam = (patientId: string, participant: unknown[]) => ({
        resourceType: 'CareTeam',
        subject: { reference: `Patient/${patientId}` },
        participant,
      });

      async function withFastVardkontakt(): Promise<{
        nurse: Client;
        patientId: string;
        doctorId: string;
        otherUnitId: string;
      }> {
        const w = await makeWorld(db);
        const nurse = await login(app, { hsaId: w.nurseId });
        const res = await nurse.send(
          'POST',
          '/fhir/CareTeam',
          careTeam(w.patientId, [fastVardkontakt(w.nurseId, w.unitId)]),
          FHIR,
        );
        assert.equal(res.statusCode, 201, res.body);
        return { nurse, patientId: w.patientId, doctorId: w.doctorId, otherUnitId: w.otherUnitId };
      }

      it('shows the fast vårdkontakt as a participant with role code, member and unit', async () => {
        const w = await withFastVardkontakt();
        const team = (await w.nurse.get(`/fhir/CareTeam/${w.patientId}`)).json<{
          participant: {
            role: { coding: { system: string; code: string; display: string }[] }[];
            member: { reference: string };
          }[];
        }>();
        assert.equal(team.participant.length, 1);
        assert.deepEqual(team.participant[0]!.role[0]!.coding[0], {
          system: 'https://patientkontrakt.se/fhir/CodeSystem/care-contact-role',
          code: 'fast-vardkontakt',
          display: 'Fast vårdkontakt',
        });
        assert.match(team.participant[0]!.member.reference, /^Practitioner\//);
        assert.equal(
          (await w.nurse.get(`/fhir/CareTeam?patient=Patient/${w.patientId}`)).json<Bundle>().total,
          1,
        );
      });

      it('refuses a second fast vårdkontakt with 409 and the Swedish message', async () => {
        const w = await withFastVardkontakt();
        const res = await w.nurse.send(
          'POST',
          '/fhir/CareTeam',
          careTeam(w.patientId, [fastVardkontakt(w.doctorId, w.otherUnitId)]),
          FHIR,
        );
        const outcome = assertOutcome(res, 409);
        assert.equal(outcome.issue[0]?.code, 'business-rule');
        assert.match(outcome.issue[0]?.diagnostics ?? '', /redan en fast vårdkontakt/);
        const team = (await w.nurse.get(`/fhir/CareTeam/${w.patientId}`)).json<{ participant: unknown[] }>();
        assert.equal(team.participant.length, 1);
      });

      it('refuses a second fast vårdkontakt added by PUT too', async () => {
        const w = await withFastVardkontakt();
        const read = await w.nurse.get(`/fhir/CareTeam/${w.patientId}`);
        const team = read.json<{ participant: unknown[] }>();
        const res = await w.nurse.send(
          'PUT',
          `/fhir/CareTeam/${w.patientId}`,
          { ...team, participant: [...team.participant, fastVardkontakt(w.doctorId, w.otherUnitId)] },
          { ...FHIR, 'if-match': String(read.headers.etag) },
        );
        assert.equal(assertOutcome(res, 409).issue[0]?.code, 'business-rule');
      });

      it('changes the fast vårdkontakt in one PUT: the old one ends, the new one starts', async () => {
        const w = await withFastVardkontakt();
        const read = await w.nurse.get(`/fhir/CareTeam/${w.patientId}`);
        const team = read.json<{ participant: { period?: { end?: string } }[] }>();
        const ended = {
          ...team.participant[0],
          period: { ...team.participant[0]!.period, end: '2026-11-23' },
        };
        const res = await w.nurse.send(
          'PUT',
          `/fhir/CareTeam/${w.patientId}`,
          { ...team, participant: [ended, fastVardkontakt(w.doctorId, w.otherUnitId)] },
          { ...FHIR, 'if-match': String(read.headers.etag) },
        );
        assert.equal(res.statusCode, 200, res.body);
        const after = res.json<{
          participant: { member: { reference: string }; period?: { end?: string } }[];
        }>();
        const active = after.participant.filter((p) => !p.period?.end);
        assert.deepEqual(
          active.map((p) => p.member.reference),
          [`Practitioner/${w.doctorId}`],
        );
        assertOutcome(
          await w.nurse.send('PUT', `/fhir/CareTeam/${w.patientId}`, team, {
            ...FHIR,
            'if-match': String(read.headers.etag),
          }),
          412,
        );
      });
    });
  });
}
