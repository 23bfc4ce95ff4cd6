/**
 * Mobile care teams on the FHIR server: the enrolment (EpisodeOfCare), the team (CareTeam
 * team-<id>), the assessment's vital signs and NEWS2 (Observation), the SBAR (Communication) and
 * the escalation (Task) in valid R4 shape, with their code systems and references that resolve;
 * the same access rule and log as the JSON API: an outsider gets what a missing record gets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { login, openTestApp, type Client } from '../../test/helpers/api.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makeProvider, makeStaff, makeUnit } from '../../test/helpers/factories.ts';
import {
  assessAndEscalate,
  enrol,
  makeMobileWorld,
  mobileCareBodyFor,
  type MobileWorld,
} from '../../test/helpers/mobile-care.ts';
import type { Db } from '../store/db.ts';
import { codeSystems } from './datatypes.ts';
import type { Bundle } from './fhir-test-helpers.ts';

interface Coding {
  system: string;
  code: string;
}
interface Resource {
  resourceType: string;
  id: string;
  [key: string]: unknown;
}
interface Observation extends Resource {
  status: string;
  category: { coding: Coding[] }[];
  code: { coding: Coding[] };
  subject: { reference: string };
  effectiveDateTime: string;
  meta?: { profile: string[] };
  valueQuantity?: { value: number; system: string; code: string };
  valueInteger?: number;
  valueCodeableConcept?: { coding: Coding[] };
  component?: { code: { coding: Coding[] }; valueQuantity?: unknown; dataAbsentReason?: unknown }[];
  derivedFrom?: { reference: string }[];
}

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const UCUM = 'http://unitsofmeasure.org';
const VITAL_SIGNS = 'http://terminology.hl7.org/CodeSystem/observation-category';

/** The LOINC code each vital-sign Observation must carry, with the profile HL7 gives it. */
const vitalSigns: Record<string, { loinc: string; profile: string; ucum?: string }> = {
  rr: { loinc: '9279-1', profile: 'resprate', ucum: '/min' },
  spo2: { loinc: '2708-6', profile: 'oxygensat', ucum: '%' },
  pulse: { loinc: '8867-4', profile: 'heartrate', ucum: '/min' },
  bp: { loinc: '85354-9', profile: 'bp' },
  temp: { loinc: '8310-5', profile: 'bodytemp', ucum: 'Cel' },
};

const hasCoding = (codings: readonly Coding[], system: string, code: string) =>
  codings.some((c) => c.system === system && c.code === code);

const entriesOf = (res: { json: <T>() => T }): Resource[] =>
  (res.json<Bundle>().entry ?? []).map((e) => e.resource as unknown as Resource);

for (const engine of testEngines) {
  describe(`FHIR mobile care on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    /** An enrolled patient with one assessment and an SBAR the physician acknowledged and answered. */
    async function escalatedWorld(options: { answer: boolean }) {
      const w = await makeMobileWorld(app, db);
      const enrolmentId = await enrol(w);
      const { assessmentId, total, escalationId } = await assessAndEscalate(w);
      if (options.answer) {
        const ack = await w.clients.physician.send('POST', `/api/escalations/${escalationId}/acknowledge`);
        assert.equal(ack.statusCode, 200, ack.body);
        const decided = await w.clients.physician.send(
          'POST',
          `/api/escalations/${escalationId}/decision`,
          mobileCareBodyFor('/decision'),
        );
        assert.equal(decided.statusCode, 200, decided.body);
      }
      return { w, enrolmentId, assessmentId, total, escalationId };
    }

    /** Reads `url` as `client` and asserts 200 and the resource type. */
    async function read(client: Client, url: string, type: string): Promise<Resource> {
      const res = await client.get(url);
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
      const body = res.json<Resource>();
      assert.equal(body.resourceType, type, url);
      return body;
    }

    /** Every literal reference to a resource of this server in `r` answers 200 for `client`. */
    async function assertReferencesResolve(client: Client, r: Resource): Promise<number> {
      const refs = [...JSON.stringify(r).matchAll(/"reference":"([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]+)"/g)].map(
        (m) => m[1]!,
      );
      for (const ref of refs) {
        const res = await client.get(`/fhir/${ref}`);
        assert.equal(res.statusCode, 200, `${r.resourceType}/${r.id} → ${ref}: ${res.body}`);
      }
      return refs.length;
    }

    it('maps the enrolment to an EpisodeOfCare whose team and patient resolve', async () => {
      const w = await makeMobileWorld(app, db);
      const enrolmentId = await enrol(w);
      const nurse = w.clients.homeNurse;
      const episode = await read(nurse, `/fhir/EpisodeOfCare/${enrolmentId}`, 'EpisodeOfCare');
      assert.equal(episode.status, 'active');
      assert.deepEqual(episode.patient, { reference: `Patient/${w.patientId}`, type: 'Patient' });
      assert.equal((episode.period as { start: string }).start, '2026-12-01');
      const type = episode.type as { coding: Coding[] }[];
      assert.ok(hasCoding(type[0]!.coding, codeSystems.targetGroup, 'mest-sjuka'));
      const history = episode.statusHistory as { status: string; period: { start: string } }[];
      assert.deepEqual(
        history.map((h) => h.status),
        ['planned', 'active'],
      );
      assert.deepEqual(episode.team, [
        {
          reference: `CareTeam/team-${w.teamId}`,
          type: 'CareTeam',
          display: `Hemsjukvårdsteam ${w.patientId.slice(0, 6)}`,
        },
      ]);
      assert.ok((await assertReferencesResolve(nurse, episode)) >= 3);
      const search = await nurse.get(`/fhir/EpisodeOfCare?patient=Patient/${w.patientId}`);
      assert.deepEqual(
        entriesOf(search).map((r) => r.id),
        [enrolmentId],
      );
    });

    it('maps the team to a CareTeam told apart from the fixed contacts by id and category', async () => {
      const w = await makeMobileWorld(app, db);
      await enrol(w);
      const team = await read(w.clients.physician, `/fhir/CareTeam/team-${w.teamId}`, 'CareTeam');
      const category = (team.category as { coding: Coding[] }[])[0]!.coding;
      assert.ok(hasCoding(category, LOINC, 'LA28866-4'));
      assert.ok(hasCoding(category, codeSystems.teamKind, 'hemsjukvardsteam'));
      const participants = team.participant as {
        member: { reference: string };
        onBehalfOf: { reference: string };
      }[];
      assert.deepEqual(
        participants.map((p) => p.member.reference).sort(),
        [w.physician, w.backup, w.regionNurse, w.homeNurse].map((id) => `Practitioner/${id}`).sort(),
      );
      assert.deepEqual(team.telecom, [{ system: 'phone', value: '010-111 22 33', use: 'work' }]);
      const contacts = await read(w.clients.physician, `/fhir/CareTeam/${w.patientId}`, 'CareTeam');
      assert.ok(hasCoding((contacts.category as { coding: Coding[] }[])[0]!.coding, LOINC, 'LA28865-6'));
      // Only the team's members read the team.
      const outsider = await outsiderOf(w);
      assert.equal((await outsider.get(`/fhir/CareTeam/team-${w.teamId}`)).statusCode, 404);
    });

    it('maps the assessment to vital-sign Observations with LOINC and UCUM, and NEWS2 derived from them', async () => {
      const { w, assessmentId, total } = await escalatedWorld({ answer: false });
      const nurse = w.clients.homeNurse;
      const res = await nurse.get(`/fhir/Observation?patient=${w.patientId}`);
      const observations = entriesOf(res) as Observation[];
      assert.equal(observations.length, 7);
      for (const o of observations) {
        assert.equal(o.status, 'final');
        assert.equal(o.subject.reference, `Patient/${w.patientId}`);
        assert.match(o.effectiveDateTime, /^\d{4}-\d{2}-\d{2}T/);
        assert.ok(o.code.coding.length > 0 && o.category.length > 0, o.id);
        assert.deepEqual(await read(nurse, `/fhir/Observation/${o.id}`, 'Observation'), o);
      }
      for (const [suffix, want] of Object.entries(vitalSigns)) {
        const o = observations.find((x) => x.id === `${assessmentId}-${suffix}`);
        assert.ok(o, suffix);
        assert.ok(hasCoding(o.code.coding, LOINC, want.loinc), suffix);
        assert.ok(hasCoding(o.category[0]!.coding, VITAL_SIGNS, 'vital-signs'), suffix);
        assert.deepEqual(o.meta?.profile, [`http://hl7.org/fhir/StructureDefinition/${want.profile}`]);
        if (want.ucum) {
          assert.equal(o.valueQuantity?.system, UCUM, suffix);
          assert.equal(o.valueQuantity?.code, want.ucum, suffix);
        }
      }
      const bp = observations.find((o) => o.id === `${assessmentId}-bp`)!;
      assert.ok(hasCoding(bp.component![0]!.code.coding, LOINC, '8480-6'));
      assert.deepEqual((bp.component![0]!.valueQuantity as { value: number }).value, 98);
      assert.ok(bp.component![1]!.dataAbsentReason, 'the diastolic pressure is said not to be measured');
      const acvpu = observations.find((o) => o.id === `${assessmentId}-acvpu`)!;
      assert.ok(hasCoding(acvpu.code.coding, LOINC, '67775-7'));
      assert.ok(hasCoding(acvpu.valueCodeableConcept!.coding, codeSystems.acvpu, 'A'));
      const news2 = observations.find((o) => o.id === `${assessmentId}-news2`)!;
      assert.ok(hasCoding(news2.code.coding, SNOMED, '1104051000000101'));
      assert.equal(news2.valueInteger, total);
      assert.equal(news2.derivedFrom?.length, 6);
      // The six values, the patient, the nurse and her unit.
      assert.equal(await assertReferencesResolve(nurse, news2), 6 + 3);
      // Searches by code and category.
      const rr = await nurse.get(`/fhir/Observation?patient=${w.patientId}&code=${LOINC}|9279-1`);
      assert.deepEqual(
        entriesOf(rr).map((r) => r.id),
        [`${assessmentId}-rr`],
      );
      const vitals = await nurse.get(`/fhir/Observation?patient=${w.patientId}&category=vital-signs`);
      assert.equal(entriesOf(vitals).length, 5);
    });

    it('maps the SBAR to a Communication and the escalation to a Task that follows its status', async () => {
      const open = await escalatedWorld({ answer: false });
      const answered = await escalatedWorld({ answer: true });
      for (const [world, status] of [
        [open, 'requested'],
        [answered, 'completed'],
      ] as const) {
        const nurse = world.w.clients.homeNurse;
        const sbar = await read(nurse, `/fhir/Communication/${world.escalationId}`, 'Communication');
        assert.equal(sbar.status, 'completed');
        assert.equal((sbar.payload as unknown[]).length, 4);
        assert.equal((sbar.sender as { reference: string }).reference, `Practitioner/${world.w.homeNurse}`);
        assert.deepEqual(
          (sbar.recipient as { reference: string }[]).map((r) => r.reference),
          [`Practitioner/${world.w.physician}`],
        );
        await assertReferencesResolve(nurse, sbar);
        const task = await read(nurse, `/fhir/Task/${world.escalationId}`, 'Task');
        assert.equal(task.status, status);
        assert.equal(task.intent, 'proposal');
        assert.deepEqual(task.focus, {
          reference: `Communication/${world.escalationId}`,
          type: 'Communication',
        });
        assert.equal((task.for as { reference: string }).reference, `Patient/${world.w.patientId}`);
        await assertReferencesResolve(nurse, task);
        const output = task.output as { type: { coding: Coding[] }; valueString?: string }[] | undefined;
        if (status === 'completed') {
          assert.ok(hasCoding(output![0]!.type.coding, codeSystems.decisionKind, 'home-visit'));
        } else assert.equal(output, undefined);
        for (const type of ['Communication', 'Task']) {
          const found = await nurse.get(`/fhir/${type}?patient=${world.w.patientId}`);
          assert.deepEqual(
            entriesOf(found).map((r) => r.id),
            [world.escalationId],
          );
        }
      }
    });

    /** A nurse of another municipality, without relationship or consent. */
    async function outsiderOf(_w: MobileWorld): Promise<Client> {
      const provider = await makeProvider(db, 'kommun');
      const unit = await makeUnit(db, provider, 'hemsjukvard');
      return login(app, { hsaId: await makeStaff(db, unit, 'sjukskoterska') });
    }

    it('answers an outsider like a missing record on every read and search, and logs each', async () => {
      const { w, enrolmentId, assessmentId, escalationId } = await escalatedWorld({ answer: true });
      const outsider = await outsiderOf(w);
      const missing = '00000000-0000-4000-8000-000000000000';
      const reads = [
        `/fhir/EpisodeOfCare/${enrolmentId}`,
        `/fhir/Observation/${assessmentId}-news2`,
        `/fhir/Observation/${assessmentId}-rr`,
        `/fhir/Communication/${escalationId}`,
        `/fhir/Task/${escalationId}`,
      ];
      for (const url of reads) {
        const denied = await outsider.get(url);
        const absent = await outsider.get(url.replace(/[0-9a-f-]{36}/, missing));
        assert.equal(denied.statusCode, 404, url);
        assert.equal(denied.body, absent.body, url);
        assert.equal((await w.clients.homeNurse.get(url)).statusCode, 200, url);
      }
      for (const type of ['EpisodeOfCare', 'Observation', 'Communication', 'Task']) {
        const res = await outsider.get(`/fhir/${type}?patient=${w.patientId}`);
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json<Bundle>().total, 0, type);
      }
      const logged = await db.query<{ outcome: string; n: number }>(
        `select outcome, count(*)::int as n from access_log l join staff s on s.id = l.actor_id
         where l.patient_id = $1 and s.id not in ($2, $3, $4, $5) group by outcome`,
        [w.patientId, w.physician, w.backup, w.regionNurse, w.homeNurse],
      );
      assert.deepEqual(logged, [{ outcome: 'denied', n: reads.length + 4 }]);
    });

    it('lists the new resource types in the CapabilityStatement, read and search by patient', async () => {
      const statement = (await app.inject({ method: 'GET', url: '/fhir/metadata' })).json<{
        rest: {
          resource: { type: string; interaction: { code: string }[]; searchParam?: { name: string }[] }[];
        }[];
      }>();
      for (const type of ['EpisodeOfCare', 'Observation', 'Communication', 'Task']) {
        const r = statement.rest[0]!.resource.find((x) => x.type === type);
        assert.ok(r, type);
        assert.deepEqual(
          r.interaction.map((i) => i.code),
          ['read', 'search-type'],
        );
        assert.ok(r.searchParam?.some((p) => p.name === 'patient'));
      }
    });
  });
}
