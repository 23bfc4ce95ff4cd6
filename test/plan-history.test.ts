/**
 * Every write to a part of the plan leaves exactly one history entry with who, when, before and
 * after, and a write that changes nothing leaves none (no version, no event, no notification).
 * The routes are enumerated from the running app (the OpenAPI document for the JSON API, the
 * CapabilityStatement for FHIR), so a new route that writes the plan fails this test until it is
 * listed here with a change and, where a write can repeat, the same write again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { swedishToday } from '../src/domain/swedish-time.ts';
import { FHIR } from '../src/fhir/fhir-test-helpers.ts';
import type { Db } from '../src/store/db.ts';
import { login, openTestApp, type Client } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makeStaff, makeWorld, sampleContent } from './helpers/factories.ts';
import { enrol, makeMobileWorld, mobileCareBodyFor, type MobileWorld } from './helpers/mobile-care.ts';
import { addRegisterPerson } from './helpers/person-register.ts';

interface Plan {
  w: Awaited<ReturnType<typeof makeWorld>>;
  nurse: Client;
  patient: Client;
  contractId: string;
  contactId: string;
  goalId?: string;
  /** The patient of a mobile team, when the write is mobile care (its history is its own records). */
  mobile?: MobileWorld;
  assessmentId?: string;
  /** A physician at the patient's unit (a death is established by a physician). */
  physician?: Client;
  stayId?: string;
  /** The patient registered by personnummer from the population register. */
  registeredId?: string;
}

const patientOf = (p: Plan) => p.registeredId ?? p.mobile?.patientId ?? p.w.patientId;
const mobileWorld = async (p: Plan): Promise<Plan> => ({ ...p, mobile: await makeMobileWorld(app, db) });
const mobileUrl = (p: Plan, what: string) => `/api/patients/${patientOf(p)}/${what}`;

interface Case {
  /** A write that changes the plan. */
  change: (p: Plan) => Promise<LightMyRequestResponse>;
  /** The same write again, or what a client writes back after reading (null: a create, which a
   * second time is refused or is a second thing). */
  same: ((p: Plan) => Promise<LightMyRequestResponse>) | null;
  /** The world before: with the plan and a fast vårdkontakt (default), or a patient without them. */
  bare?: boolean;
  /** What the change needs first (it leaves history of its own, before the count starts). */
  prepare?: (p: Plan) => Promise<Plan>;
  /** Change events the change leaves (default 1): a death is one event, and the end of the plan
   * it causes is the contract's own event in the same timeline (with who and when, not notified). */
  events?: number;
}

const fastVardkontakt = (p: Plan) => ({
  role: 'fast-vardkontakt',
  staffId: p.w.nurseId,
  unitId: p.w.unitId,
  reason: 'behov',
  reviewDate: '2027-06-01',
});
const contractUrl = (p: Plan) => `/api/patients/${p.w.patientId}/contract`;
const contactUrl = (p: Plan) => `/api/patients/${p.w.patientId}/care-contacts/${p.contactId}`;

async function readEtag(client: Client, url: string, headers: Record<string, string> = {}) {
  const res = await client.get(url, headers);
  assert.equal(res.statusCode, 200, res.body);
  return { body: res.json<Record<string, unknown>>(), etag: String(res.headers.etag) };
}

async function putBack(
  client: Client,
  url: string,
  edit: (r: Record<string, unknown>) => unknown = (r) => r,
) {
  const { body, etag } = await readEtag(client, url, FHIR);
  return client.send('PUT', url, edit(body), { ...FHIR, 'if-match': etag });
}

const jsonApi: Record<string, Case> = {
  'POST /api/patients/{patientId}/contract': {
    bare: true,
    change: (p) =>
      p.nurse.send('POST', contractUrl(p), { status: 'active', content: sampleContent(p.w.unitId) }),
    same: null,
  },
  'PUT /api/patients/{patientId}/contract': {
    change: async (p) => {
      const { body, etag } = await readEtag(p.nurse, contractUrl(p));
      const content = { ...(body.content as object), reviewDate: '2027-09-01' };
      return p.nurse.send('PUT', contractUrl(p), { status: body.status, content }, { 'if-match': etag });
    },
    same: async (p) => {
      const { body, etag } = await readEtag(p.nurse, contractUrl(p));
      return p.nurse.send(
        'PUT',
        contractUrl(p),
        { status: body.status, content: body.content },
        { 'if-match': etag },
      );
    },
  },
  'POST /api/patients/{patientId}/care-contacts': {
    bare: true,
    change: (p) => p.nurse.send('POST', `/api/patients/${p.w.patientId}/care-contacts`, fastVardkontakt(p)),
    same: null,
  },
  'PATCH /api/patients/{patientId}/care-contacts/{contactId}': {
    change: async (p) =>
      p.nurse.send(
        'PATCH',
        contactUrl(p),
        { reviewDate: '2027-12-01', phone: '010-123 45 67' },
        { 'if-match': `W/"${await contactVersion(p)}"` },
      ),
    same: async (p) => {
      const version = await contactVersion(p);
      return p.nurse.send(
        'PATCH',
        contactUrl(p),
        { reviewDate: '2027-12-01', phone: '010-123 45 67' },
        {
          'if-match': `W/"${version}"`,
        },
      );
    },
  },
  'POST /api/patients/{patientId}/contract/responsibilities/{responsibilityId}': {
    change: (p) => p.patient.send('POST', `${contractUrl(p)}/responsibilities/r1`, { done: true }),
    same: (p) => p.patient.send('POST', `${contractUrl(p)}/responsibilities/r1`, { done: true }),
  },
  'POST /api/patients/{patientId}/contract/next-contact/response': {
    change: (p) =>
      p.patient.send('POST', `${contractUrl(p)}/next-contact/response`, {
        response: 'confirmed',
        at: sampleContent(p.w.unitId).nextContact!.at,
      }),
    same: (p) =>
      p.patient.send('POST', `${contractUrl(p)}/next-contact/response`, {
        response: 'confirmed',
        at: sampleContent(p.w.unitId).nextContact!.at,
      }),
  },
  'POST /api/patients/{patientId}/contract/proposals': {
    change: (p) =>
      p.patient.send('POST', `${contractUrl(p)}/proposals`, { whatMatters: 'Att orka gå till affären.' }),
    same: (p) =>
      p.patient.send('POST', `${contractUrl(p)}/proposals`, { whatMatters: 'Att orka gå till affären.' }),
  },
  'POST /api/patients/{patientId}/contract/proposals/goals/{goalId}/withdraw': {
    prepare: async (p) => {
      const res = await p.patient.send('POST', `${contractUrl(p)}/proposals`, {
        goal: { text: 'Gå en promenad varje dag', ambition: 'forbattra' },
      });
      assert.equal(res.statusCode, 200, res.body);
      return { ...p, goalId: res.json<{ content: { goals: { id: string }[] } }>().content.goals.at(-1)!.id };
    },
    change: (p) => p.patient.send('POST', `${contractUrl(p)}/proposals/goals/${p.goalId}/withdraw`),
    same: null,
  },
  'POST /api/patients/{patientId}/self-assessments': {
    change: (p) =>
      p.patient.send('POST', `/api/patients/${p.w.patientId}/self-assessments`, {
        questionSetId: 'skr-7-fragor-patient',
        questionSetVersion: 1,
        items: [{ questionId: 'p1', answer: 'ja' }],
      }),
    // Every answer is dated: answering again is a new self-assessment, not the same one.
    same: null,
  },
  // Mobile care: each write is a record of its own with who, when and from which unit, and a
  // change event; a second write is a second record (or, for an open enrolment, refused).
  'POST /api/patients/{patientId}/enrolments': {
    bare: true,
    prepare: mobileWorld,
    change: (p) =>
      p.mobile!.clients.physician.send(
        'POST',
        mobileUrl(p, 'enrolments'),
        mobileCareBodyFor('/enrolments', { teamId: p.mobile!.teamId }),
      ),
    same: null,
  },
  'POST /api/patients/{patientId}/care-directives': {
    bare: true,
    prepare: mobileWorld,
    change: (p) =>
      p.mobile!.clients.physician.send(
        'POST',
        mobileUrl(p, 'care-directives'),
        mobileCareBodyFor('/care-directives'),
      ),
    same: null,
  },
  'POST /api/patients/{patientId}/assessments': {
    bare: true,
    prepare: mobileWorld,
    change: (p) =>
      p.mobile!.clients.regionNurse.send(
        'POST',
        mobileUrl(p, 'assessments'),
        mobileCareBodyFor('/assessments'),
      ),
    same: null,
  },
  'POST /api/patients/{patientId}/escalations': {
    bare: true,
    prepare: async (p) => {
      const m = await mobileWorld(p);
      const res = await m.mobile!.clients.regionNurse.send(
        'POST',
        mobileUrl(m, 'assessments'),
        mobileCareBodyFor('/assessments'),
      );
      assert.equal(res.statusCode, 201, res.body);
      return { ...m, assessmentId: res.json<{ assessment: { id: string } }>().assessment.id };
    },
    change: (p) =>
      p.mobile!.clients.regionNurse.send(
        'POST',
        mobileUrl(p, 'escalations'),
        mobileCareBodyFor('/escalations', { assessmentId: p.assessmentId! }),
      ),
    same: null,
  },
  // A death established by a physician ends the plan: one contract version (ended, reason died)
  // by the physician, the contract's event and the death's (which tells the fast vårdkontakt).
  // Reporting it again changes nothing.
  'POST /api/patients/{patientId}/death': {
    prepare: async (p) => ({
      ...p,
      physician: await login(app, { hsaId: await makeStaff(db, p.w.unitId, 'lakare') }),
    }),
    change: (p) => p.physician!.send('POST', `/api/patients/${p.w.patientId}/death`, { deceasedOn: today() }),
    same: (p) => p.physician!.send('POST', `/api/patients/${p.w.patientId}/death`, { deceasedOn: today() }),
    events: 2,
  },
  // A refresh that finds a death in the register ends the plan the same way, named to the member
  // of staff who asked (the register as source); reading the register again changes nothing.
  'POST /api/patients/{patientId}/register-refresh': {
    bare: true,
    prepare: async (p) => {
      await addRegisterPerson(db, REGISTERED, { givenName: 'Greta', familyName: 'Registrerad' });
      const res = await p.nurse.send('POST', '/api/patients', {
        identifier: REGISTERED,
        listedUnitId: p.w.unitId,
      });
      assert.equal(res.statusCode, 201, res.body);
      const registeredId = res.json<{ id: string }>().id;
      const contract = await p.nurse.send('POST', `/api/patients/${registeredId}/contract`, {
        status: 'active',
        content: sampleContent(p.w.unitId),
      });
      assert.equal(contract.statusCode, 201, contract.body);
      await addRegisterPerson(db, REGISTERED, {
        givenName: 'Greta',
        familyName: 'Registrerad',
        deceasedOn: today(),
      });
      return { ...p, registeredId, contractId: contract.json<{ id: string }>().id };
    },
    change: (p) => p.nurse.send('POST', `/api/patients/${p.registeredId}/register-refresh`, {}),
    same: (p) => p.nurse.send('POST', `/api/patients/${p.registeredId}/register-refresh`, {}),
    events: 2,
  },
  // An admission pauses the enrolment in the mobile team (a step in its history, by whom and
  // when) and tells the plan; a second admission while one is open is refused.
  'POST /api/patients/{patientId}/hospital-stays': {
    bare: true,
    prepare: async (p) => {
      const m = await mobileWorld(p);
      await enrol(m.mobile!);
      return m;
    },
    change: (p) =>
      p.mobile!.clients.regionNurse.send(
        'POST',
        mobileUrl(p, 'hospital-stays'),
        mobileCareBodyFor('/hospital-stays', { unitId: p.mobile!.vc }),
      ),
    same: null,
  },
  // The discharge resumes the enrolment the admission paused (one step in its history, the
  // enrolment's event) and, as the plan's next contact lies before the discharge, a second event
  // on the contract names what the plan still needs (test/hospital-stays.test.ts); a second
  // discharge is refused.
  'POST /api/patients/{patientId}/hospital-stays/{stayId}/discharge': {
    bare: true,
    prepare: async (p) => {
      const m = await mobileWorld(p);
      await enrol(m.mobile!);
      const res = await m.mobile!.clients.regionNurse.send(
        'POST',
        mobileUrl(m, 'hospital-stays'),
        mobileCareBodyFor('/hospital-stays', { unitId: m.mobile!.vc }),
      );
      assert.equal(res.statusCode, 201, res.body);
      return { ...m, stayId: res.json<{ id: string }>().id };
    },
    change: (p) =>
      p.mobile!.clients.regionNurse.send(
        'POST',
        mobileUrl(p, `hospital-stays/${p.stayId}/discharge`),
        mobileCareBodyFor('/discharge'),
      ),
    same: null,
    events: 2,
  },
};

const REGISTERED = '194401012390'; // Skatteverket's test personnummer.
const today = () => swedishToday(new Date());

// Write routes under a patient that are not the plan: access, consent and the patient's record.
// A merge moves the reservnummer's whole record (the plan and its history, unchanged) to the
// person's number: no part of the plan changes; the merge leaves its own event ("Reservnummer …
// sammanfört med …", who and when) and an access-log entry (test/person-register.test.ts).
const notPlan = [
  /\/consents|\/care-relationships|\/blocks|\/emergency|\/proxies|\/access-log|\/log-review/,
  /^POST \/api\/patients\/\{patientId\}\/merge$/,
];

const fhir: Record<string, Case> = {
  'CarePlan create': {
    bare: true,
    change: (p) =>
      p.nurse.send(
        'POST',
        '/fhir/CarePlan',
        {
          resourceType: 'CarePlan',
          status: 'draft',
          intent: 'plan',
          subject: { reference: `Patient/${p.w.patientId}` },
        },
        FHIR,
      ),
    same: null,
  },
  'CarePlan update': {
    change: (p) =>
      putBack(p.nurse, `/fhir/CarePlan/${p.contractId}`, (r) => ({
        ...r,
        description: 'Att kunna gå i trappor.',
      })),
    same: (p) => putBack(p.nurse, `/fhir/CarePlan/${p.contractId}`),
  },
  'CareTeam create': {
    bare: true,
    change: (p) =>
      p.nurse.send(
        'POST',
        '/fhir/CareTeam',
        {
          resourceType: 'CareTeam',
          subject: { reference: `Patient/${p.w.patientId}` },
          participant: [
            {
              role: [
                {
                  coding: [
                    {
                      system: 'https://patientkontrakt.se/fhir/CodeSystem/care-contact-role',
                      code: 'fast-vardkontakt',
                    },
                  ],
                },
              ],
              member: { reference: `Practitioner/${p.w.nurseId}` },
              onBehalfOf: { reference: `Organization/${p.w.unitId}` },
              extension: [
                {
                  url: 'https://patientkontrakt.se/fhir/StructureDefinition/care-contact-reason',
                  valueCode: 'behov',
                },
              ],
            },
          ],
        },
        FHIR,
      ),
    same: null,
  },
  'CareTeam update': {
    change: (p) =>
      putBack(p.nurse, `/fhir/CareTeam/${p.w.patientId}`, (r) => ({
        ...r,
        participant: (r.participant as { period?: object }[]).map((x) => ({
          ...x,
          period: { ...x.period, end: swedishToday(new Date()) },
        })),
      })),
    same: (p) => putBack(p.nurse, `/fhir/CareTeam/${p.w.patientId}`),
  },
  'Appointment update': {
    change: (p) =>
      putBack(p.nurse, `/fhir/Appointment/${p.contractId}-next`, (r) => {
        const later = (t: unknown) => new Date(Date.parse(String(t)) + 86_400_000).toISOString();
        return { ...r, start: later(r.start), ...(r.end ? { end: later(r.end) } : {}) };
      }),
    same: (p) => putBack(p.nurse, `/fhir/Appointment/${p.contractId}-next`),
  },
};

let db: Db;
let app: FastifyInstance;

async function contactVersion(p: Plan): Promise<number> {
  const rows = await db.query<{ version: number }>('select version from care_contact where id = $1', [
    p.contactId,
  ]);
  return rows[0]!.version;
}

/** Everything a write to the plan leaves behind, counted for the patient. */
async function traces(patientId: string) {
  const count = async (sql: string) => (await db.query<{ n: number }>(sql, [patientId]))[0]!.n;
  return {
    contractVersions: await count(
      'select count(*)::int as n from contract_version v join contract c on c.id = v.contract_id where c.patient_id = $1',
    ),
    contactVersions: await count('select count(*)::int as n from care_contact_version where patient_id = $1'),
    events: await count('select count(*)::int as n from change_event where patient_id = $1'),
    notifications: await count('select count(*)::int as n from notification where patient_id = $1'),
    mobileCareRecords: await count(
      `select ((select count(*) from enrolment_event v join enrolment e on e.id = v.enrolment_id where e.patient_id = $1)
        + (select count(*) from care_directive where patient_id = $1)
        + (select count(*) from assessment where patient_id = $1)
        + (select count(*) from escalation where patient_id = $1))::int as n`,
    ),
  };
}

async function makePlan(bare: boolean): Promise<Plan> {
  const w = await makeWorld(db);
  const nurse = await login(app, { hsaId: w.nurseId });
  const identifier = await db.query<{ identifier: string }>('select identifier from patient where id = $1', [
    w.patientId,
  ]);
  const patient = await login(app, { personnummer: identifier[0]!.identifier });
  if (bare) return { w, nurse, patient, contractId: '', contactId: '' };
  const contact = await nurse.send('POST', `/api/patients/${w.patientId}/care-contacts`, {
    role: 'fast-vardkontakt',
    staffId: w.nurseId,
    unitId: w.unitId,
    reason: 'behov',
    reviewDate: '2027-06-01',
  });
  assert.equal(contact.statusCode, 201, contact.body);
  const contract = await nurse.send('POST', `/api/patients/${w.patientId}/contract`, {
    status: 'active',
    content: sampleContent(w.unitId),
  });
  assert.equal(contract.statusCode, 201, contract.body);
  return {
    w,
    nurse,
    patient,
    contractId: contract.json<{ id: string }>().id,
    contactId: contact.json<{ id: string }>().id,
  };
}

/** One change: exactly one new history entry, and it holds who, when, before and after. */
async function assertOneEntry(
  name: string,
  p: Plan,
  res: LightMyRequestResponse,
  before: Awaited<ReturnType<typeof traces>>,
  expectedEvents = 1,
) {
  assert.ok(res.statusCode === 200 || res.statusCode === 201, `${name}: ${res.statusCode} ${res.body}`);
  const now = await traces(patientOf(p));
  const entries =
    now.contractVersions -
    before.contractVersions +
    (now.contactVersions - before.contactVersions) +
    (now.mobileCareRecords - before.mobileCareRecords);
  assert.equal(entries, 1, `${name}: history entries`);
  assert.equal(now.events - before.events, expectedEvents, `${name}: change events`);
  if (now.mobileCareRecords > before.mobileCareRecords) {
    // The history page shows mobile care from the patient's mobile care: every record says who and when.
    const care = (await p.mobile!.clients.physician.get(mobileUrl(p, 'mobile-care'))).json<{
      enrolments: { history?: { actorName: string; at: string }[] }[];
      directives: { recordedBy: { name: string }; recordedAt: string }[];
      assessments: { by: { name: string }; at: string }[];
      escalations: { from: { name: string }; sentAt: string }[];
    }>();
    const entries = [
      ...care.enrolments.flatMap((e) => e.history ?? []).map((h) => [h.actorName, h.at]),
      ...care.directives.map((d) => [d.recordedBy.name, d.recordedAt]),
      ...care.assessments.map((a) => [a.by.name, a.at]),
      ...care.escalations.map((e) => [e.from.name, e.sentAt]),
    ];
    assert.ok(entries.length > 0 && entries.every(([who, when]) => who && when), `${name}: who and when`);
  } else if (now.contactVersions > before.contactVersions) {
    const history = (await p.nurse.get(`/api/patients/${p.w.patientId}/care-contacts/history`)).json<{
      entries: {
        before: object | null;
        after: object;
        actor: { name: string };
        changedAt: string;
        changedFields: string[];
      }[];
    }>().entries;
    const last = history[0]!;
    assert.ok(last.after && last.actor.name && last.changedAt && last.changedFields.length > 0, name);
    if (!p.contactId) assert.equal(last.before, null, `${name}: an appointment has no before`);
    else assert.notEqual(last.before, null, `${name}: before`);
  } else {
    const rows = await db.query<{ version: number; actorName: string; changedAt: string }>(
      `select v.version, v.actor_name as "actorName", v.changed_at as "changedAt" from contract_version v
       join contract c on c.id = v.contract_id where c.patient_id = $1 order by v.changed_at desc, v.version desc`,
      [patientOf(p)],
    );
    assert.ok(rows[0]!.actorName && rows[0]!.changedAt, name);
    // The version before is the before: every version keeps its whole content.
    if (p.contractId) assert.equal(rows[1]?.version, rows[0]!.version - 1, `${name}: the version before`);
  }
}

async function assertNoEntry(
  name: string,
  p: Plan,
  res: LightMyRequestResponse,
  before: Awaited<ReturnType<typeof traces>>,
) {
  assert.ok(res.statusCode < 500, `${name}: ${res.statusCode} ${res.body}`);
  assert.deepEqual(await traces(patientOf(p)), before, `${name}: the same write again left a trace`);
}

for (const engine of testEngines) {
  describe(`plan history [${engine.name}]`, () => {
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it('has a change listed for every JSON API route that writes the plan', async () => {
      const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
        paths: Record<string, Record<string, unknown>>;
      }>();
      const writes = Object.entries(spec.paths).flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))
          .map((m) => `${m.toUpperCase()} ${path}`),
      );
      const planWrites = writes.filter(
        (r) => r.includes(' /api/patients/{patientId}/') && !notPlan.some((re) => re.test(r)),
      );
      assert.deepEqual(planWrites.filter((r) => !(r in jsonApi)).sort(), []);
    });

    it('has a change listed for every FHIR create and update of a plan resource', async () => {
      const metadata = (await app.inject({ method: 'GET', url: '/fhir/metadata' })).json<{
        rest: { resource: { type: string; interaction: { code: string }[] }[] }[];
      }>();
      const writes = metadata.rest[0]!.resource.filter((r) =>
        ['CarePlan', 'CareTeam', 'Goal', 'Appointment'].includes(r.type),
      ).flatMap((r) =>
        r.interaction
          .filter((i) => i.code === 'create' || i.code === 'update')
          .map((i) => `${r.type} ${i.code}`),
      );
      assert.deepEqual(writes.filter((r) => !(r in fhir)).sort(), []);
    });

    for (const [name, c] of Object.entries({ ...jsonApi, ...fhir })) {
      it(`${name}: a change leaves one entry with before and after; the same write again leaves none`, async () => {
        const made = await makePlan(c.bare ?? false);
        const p = c.prepare ? await c.prepare(made) : made;
        const start = await traces(patientOf(p));
        await assertOneEntry(name, p, await c.change(p), start, c.events);
        if (c.same) {
          const before = await traces(patientOf(p));
          const res = await c.same(p);
          await assertNoEntry(name, p, res, before);
          assert.equal(res.statusCode, 200, `${name}: ${res.body}`);
        }
      });
    }
  });
}
