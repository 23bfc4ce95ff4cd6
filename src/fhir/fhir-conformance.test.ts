/**
 * Classes of FHIR behaviour checked over everything the CapabilityStatement lists, so that a new
 * resource type or interaction is covered the day it is added: created resources can be read
 * where `Location` points, every 401 names its challenge, every Appointment meets R4's
 * invariants, and every resource that leaves something out under spärr says so.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { login, openTestApp } from '../../test/helpers/api.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makeWorld, sampleContent } from '../../test/helpers/factories.ts';
import { defaultDurationMinutes, type ContractContent } from '../domain/contract.ts';
import type { Db } from '../store/db.ts';
import { codeSystems, extensions } from './datatypes.ts';
import { assertOutcome, consentResource, FHIR, type Bundle } from './fhir-test-helpers.ts';

interface Capability {
  rest: {
    resource: {
      type: string;
      interaction: { code: string }[];
      updateCreate: boolean;
      readHistory: boolean;
      searchParam?: { name: string }[];
    }[];
  }[];
}

interface Resource {
  resourceType: string;
  id: string;
  meta?: { versionId?: string; security?: { system: string; code: string }[] };
  [key: string]: unknown;
}

interface Appointment extends Resource {
  status: string;
  start?: string;
  end?: string;
  minutesDuration?: number;
  cancelationReason?: unknown;
  participant: { actor?: unknown; type?: unknown }[];
  extension?: { url: string; valueBoolean?: boolean }[];
}

const REDACTED_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue';

/**
 * The invariants of R4 Appointment (https://hl7.org/fhir/R4/appointment.html#invs): app-1 a
 * participant has a type or an actor, app-2 start and end together, app-3 only proposed,
 * cancelled or waitlist may lack them, app-4 a cancelation reason only when cancelled or no-show;
 * and an end after the start, matching minutesDuration.
 */
function assertAppointmentInvariants(a: Appointment, where: string): void {
  assert.equal(a.resourceType, 'Appointment', where);
  for (const p of a.participant) assert.ok(p.actor !== undefined || p.type !== undefined, `app-1 ${where}`);
  assert.equal(a.start !== undefined, a.end !== undefined, `app-2 ${where}`);
  if (a.start === undefined)
    assert.ok(['proposed', 'cancelled', 'waitlist'].includes(a.status), `app-3 ${where}`);
  if (a.cancelationReason !== undefined)
    assert.ok(['cancelled', 'noshow'].includes(a.status), `app-4 ${where}`);
  if (a.start !== undefined && a.end !== undefined) {
    const minutes = (Date.parse(a.end) - Date.parse(a.start)) / 60_000;
    assert.ok(minutes > 0, `end after start ${where}`);
    if (a.minutesDuration !== undefined) assert.equal(a.minutesDuration, minutes, `minutesDuration ${where}`);
  }
}

/** Every resource in a read or a searchset answer (contained ones too). */
function resourcesIn(res: LightMyRequestResponse): Resource[] {
  if (res.statusCode !== 200) return [];
  const body = res.json<Resource>();
  const top =
    body.resourceType === 'Bundle'
      ? ((body as unknown as Bundle).entry ?? []).map((e) => e.resource as Resource)
      : [body];
  return top.flatMap((r) => [r, ...((r.contained as Resource[] | undefined) ?? [])]);
}

function isRedacted(r: Resource): boolean {
  return (r.meta?.security ?? []).some((s) => s.system === REDACTED_SYSTEM && s.code === 'REDACTED');
}

/** A resource without its meta: what the reader sees of its content. */
function contentOf(r: Resource): string {
  const { meta: _meta, ...rest } = r;
  return JSON.stringify(rest);
}

async function capabilityOf(app: FastifyInstance): Promise<Capability['rest'][number]['resource']> {
  return (await app.inject({ method: 'GET', url: '/fhir/metadata' })).json<Capability>().rest[0]!.resource;
}

for (const engine of testEngines) {
  describe(`FHIR conformance classes on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    /**
     * A patient held by the nurse's unit, with a contract, a fixed contact at each unit, and the
     * doctor's unit (`otherUnitId`) holding an activity, a linked plan and the next contact.
     */
    async function spärrWorld(options: { block: boolean }) {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      const content: ContractContent = sampleContent(w.unitId, {
        activities: [
          { id: 'a1', what: 'Årskontroll', unitId: w.unitId, when: '2026-12-01', status: 'planerad' },
          { id: 'a2', what: 'Spirometri', unitId: w.otherUnitId, when: '2026-12-02', status: 'planerad' },
        ],
        nextContact: {
          at: '2026-12-03T09:00:00.000Z',
          unitId: w.otherUnitId,
          mode: 'video',
          agreement: 'overenskommen',
        },
      });
      const created = await nurse.send('POST', `/api/patients/${w.patientId}/contract`, {
        status: 'active',
        content,
      });
      assert.equal(created.statusCode, 201, created.body);
      for (const contact of [
        { role: 'fast-vardkontakt', staffId: w.nurseId, unitId: w.unitId, reason: 'behov' },
        { role: 'fast-lakarkontakt', staffId: w.doctorId, unitId: w.otherUnitId },
      ]) {
        const res = await nurse.send('POST', `/api/patients/${w.patientId}/care-contacts`, contact);
        assert.equal(res.statusCode, 201, res.body);
      }
      if (options.block) {
        await db.query(
          `insert into block (patient_id, scope_kind, unit_id, created_by_kind, created_by)
           values ($1, 'unit', $2, 'staff', $3)`,
          [w.patientId, w.otherUnitId, w.nurseId],
        );
      }
      const doctor = await login(app, { hsaId: w.doctorId });
      return { w, nurse, doctor, contractId: created.json<{ id: string }>().id };
    }

    it('points Location of every create in the CapabilityStatement at a URL that answers 200', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      const noContract = await makeWorld(db);
      const creates: Record<string, () => Promise<LightMyRequestResponse>> = {
        Patient: () =>
          nurse.send(
            'POST',
            '/fhir/Patient',
            // Without an identifier: the server issues a reservnummer (a personnummer would need
            // the population register to know it).
            { resourceType: 'Patient', name: [{ family: 'Lokation', given: ['Lisa'] }] },
            FHIR,
          ),
        CarePlan: () =>
          nurse.send(
            'POST',
            '/fhir/CarePlan',
            {
              resourceType: 'CarePlan',
              // A draft: an active plan must hold a next contact, a fast vårdkontakt and a
              // follow-up date, which this class test is not about.
              status: 'draft',
              intent: 'plan',
              subject: { reference: `Patient/${w.patientId}` },
              description: 'Att orka',
            },
            FHIR,
          ),
        CareTeam: () =>
          nurse.send(
            'POST',
            '/fhir/CareTeam',
            {
              resourceType: 'CareTeam',
              subject: { reference: `Patient/${w.patientId}` },
              participant: [
                {
                  role: [{ coding: [{ system: codeSystems.careContactRole, code: 'fast-vardkontakt' }] }],
                  member: { reference: `Practitioner/${w.nurseId}` },
                  onBehalfOf: { reference: `Organization/${w.unitId}` },
                  extension: [{ url: extensions.careContactReason, valueCode: 'behov' }],
                },
              ],
            },
            FHIR,
          ),
        Consent: () =>
          nurse.send('POST', '/fhir/Consent', consentResource(w.patientId, w.otherUnitId, 'i-person'), FHIR),
        // Update as create: the contract has no next contact yet.
        Appointment: async () => {
          const plan = await nurse.send('POST', `/api/patients/${noContract.patientId}/contract`, {
            status: 'active',
            content: sampleContent(w.unitId, {
              nextContact: null,
              noNextContactReason: 'Tid bokas efter röntgen',
            }),
          });
          const contractId = plan.json<{ id: string }>().id;
          return nurse.send(
            'PUT',
            `/fhir/Appointment/${contractId}-next`,
            {
              resourceType: 'Appointment',
              id: `${contractId}-next`,
              status: 'booked',
              start: '2026-12-01T09:00:00Z',
              end: '2026-12-01T09:40:00Z',
              appointmentType: { coding: [{ system: codeSystems.contactMode, code: 'besok' }] },
              participant: [
                { actor: { reference: `Patient/${noContract.patientId}` }, status: 'accepted' },
                { actor: { reference: `Location/${w.unitId}` }, status: 'accepted' },
              ],
            },
            { ...FHIR, 'if-match': 'W/"1"' },
          );
        },
      };
      // The nurse's unit must be one the second patient is cared at for the Appointment case.
      await db.query('update patient set listed_unit_id = $1 where id = $2', [
        w.unitId,
        noContract.patientId,
      ]);
      // A Subscription is created by a registered system client only (a bearer token, not this
      // nurse's session): test/fhir-subscription.test.ts follows its Location.
      const creating = (await capabilityOf(app)).filter(
        (r) =>
          (r.interaction.some((i) => i.code === 'create') || r.updateCreate) && r.type !== 'Subscription',
      );
      assert.ok(creating.length >= 4);
      for (const { type, readHistory } of creating) {
        const create = creates[type];
        assert.ok(create, `no create case for ${type}: add one here`);
        const res = await create();
        assert.equal(res.statusCode, 201, `${type}: ${res.body}`);
        const location = String(res.headers.location);
        assert.equal(/\/_history\/\d+$/.test(location), readHistory, `${type} Location ${location}`);
        const read = await nurse.get(new URL(location).pathname);
        assert.equal(read.statusCode, 200, `${type} ${location}: ${read.body}`);
        assert.equal(read.json<Resource>().id, res.json<Resource>().id, type);
        assert.equal(read.headers.etag, res.headers.etag, type);
      }
    });

    it('sends WWW-Authenticate with every 401, on every JSON and FHIR route', async () => {
      const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
        paths: Record<string, Record<string, unknown>>;
      }>();
      const id = '00000000-0000-4000-8000-000000000000';
      const requests: { method: string; url: string }[] = Object.entries(spec.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => ({
          method: m.toUpperCase(),
          url: path.replace(/\{[^}]+\}/g, id),
        })),
      );
      const fhirUrls: Record<string, (type: string) => { method: string; url: string }> = {
        read: (type) => ({ method: 'GET', url: `/fhir/${type}/${id}` }),
        vread: (type) => ({ method: 'GET', url: `/fhir/${type}/${id}/_history/1` }),
        'history-instance': (type) => ({ method: 'GET', url: `/fhir/${type}/${id}/_history` }),
        'search-type': (type) => ({ method: 'GET', url: `/fhir/${type}?_id=${id}` }),
        create: (type) => ({ method: 'POST', url: `/fhir/${type}` }),
        update: (type) => ({ method: 'PUT', url: `/fhir/${type}/${id}` }),
        delete: (type) => ({ method: 'DELETE', url: `/fhir/${type}/${id}` }),
      };
      // The served subscription topic (Basic) is public, like /fhir/metadata: no patient in it.
      const fhirRequests = (await capabilityOf(app))
        .filter((r) => r.type !== 'Basic')
        .flatMap((r) =>
          r.interaction.map((i) => {
            const make = fhirUrls[i.code];
            assert.ok(make, `no request for the interaction ${i.code}`);
            return make(r.type);
          }),
        );
      let unauthorized = 0;
      for (const { method, url } of [...requests, ...fhirRequests]) {
        const res = await app.inject({
          method: method as 'GET',
          url,
          ...(method === 'GET' ? {} : { payload: {} }),
        });
        if (url.startsWith('/fhir/')) assert.equal(res.statusCode, 401, `${method} ${url}`);
        if (res.statusCode !== 401) continue;
        unauthorized += 1;
        assert.match(
          String(res.headers['www-authenticate']),
          /^Cookie realm="patientkontrakt"/,
          `${method} ${url}`,
        );
      }
      assert.ok(unauthorized > fhirRequests.length + 20, `only ${unauthorized} answers were 401`);
    });

    it('gives every Appointment it answers an end, so that R4 app-2 and app-3 hold', async () => {
      const { w, nurse, contractId } = await spärrWorld({ block: false });
      const appointmentId = `${contractId}-next`;
      const seen: Appointment[] = [];
      const collect = async (url: string) => {
        const res = await nurse.get(url);
        assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
        seen.push(...(resourcesIn(res).filter((r) => r.resourceType === 'Appointment') as Appointment[]));
        return res;
      };
      // An old contract without a duration: the default of the mode, marked as assumed.
      const old = (await collect(`/fhir/Appointment/${appointmentId}`)).json<Appointment>();
      assert.equal(old.minutesDuration, defaultDurationMinutes.video);
      assert.ok(old.extension?.some((e) => e.url === extensions.durationAssumed && e.valueBoolean === true));
      await collect(`/fhir/Appointment?patient=${w.patientId}`);
      await collect(`/fhir/Appointment/${appointmentId}/_history/1`);
      // A client's end sets the agreed duration; it is read back as sent.
      const body = { ...old, end: '2026-12-03T09:25:00.000Z' };
      delete (body as Partial<Appointment>).minutesDuration;
      delete (body as Partial<Appointment>).meta;
      const put = await nurse.send('PUT', `/fhir/Appointment/${appointmentId}`, body, {
        ...FHIR,
        'if-match': 'W/"1"',
      });
      assert.equal(put.statusCode, 200, put.body);
      const agreed = (await collect(`/fhir/Appointment/${appointmentId}`)).json<Appointment>();
      assert.equal(agreed.minutesDuration, 25);
      assert.equal(
        (agreed.extension ?? []).some((e) => e.url === extensions.durationAssumed),
        false,
      );
      const contract = await nurse.get(`/api/patients/${w.patientId}/contract`);
      assert.equal(contract.json<{ content: ContractContent }>().content.nextContact?.durationMinutes, 25);
      // An end at or before the start is refused, and nothing is written.
      for (const end of ['2026-12-03T09:00:00.000Z', '2026-12-03T08:00:00.000Z']) {
        const bad = await nurse.send(
          'PUT',
          `/fhir/Appointment/${appointmentId}`,
          { ...body, end },
          {
            ...FHIR,
            'if-match': 'W/"2"',
          },
        );
        assertOutcome(bad, 400, 'invalid');
      }
      // Cancelled without a reason: an active contract must say why no time is booked.
      const unexplained = await nurse.send(
        'PUT',
        `/fhir/Appointment/${appointmentId}`,
        { ...body, status: 'cancelled' },
        { ...FHIR, 'if-match': 'W/"2"' },
      );
      assertOutcome(unexplained, 422, 'required');
      // Cancelled with a reason: still read, as cancelled, and its earlier version as it was.
      const cancel = await nurse.send(
        'PUT',
        `/fhir/Appointment/${appointmentId}`,
        { ...body, status: 'cancelled', cancelationReason: { text: 'Patienten är inlagd' } },
        { ...FHIR, 'if-match': 'W/"2"' },
      );
      assert.equal(cancel.statusCode, 200, cancel.body);
      const reasoned = await nurse.get(`/api/patients/${w.patientId}/contract`);
      assert.equal(
        reasoned.json<{ content: ContractContent }>().content.noNextContactReason,
        'Patienten är inlagd',
      );
      const cancelled = (await collect(`/fhir/Appointment/${appointmentId}`)).json<Appointment>();
      assert.equal(cancelled.status, 'cancelled');
      assert.equal(cancelled.meta?.versionId, '3');
      assert.equal(
        (await collect(`/fhir/Appointment/${appointmentId}/_history/2`)).json<Appointment>().status,
        'booked',
      );
      await collect(`/fhir/CarePlan/${contractId}/_history/2`);
      // Set again, then the contract ends: no longer booked.
      const again = await nurse.send('PUT', `/fhir/Appointment/${appointmentId}`, body, {
        ...FHIR,
        'if-match': 'W/"3"',
      });
      assert.equal(again.statusCode, 201, again.body);
      const ended = await nurse.send(
        'PUT',
        `/api/patients/${w.patientId}/contract`,
        {
          status: 'ended',
          content: (await nurse.get(`/api/patients/${w.patientId}/contract`)).json<{ content: unknown }>()
            .content,
        },
        { 'if-match': 'W/"4"' },
      );
      assert.equal(ended.statusCode, 200, ended.body);
      const afterEnd = (await collect(`/fhir/Appointment/${appointmentId}`)).json<Appointment>();
      assert.equal(afterEnd.status, 'cancelled');
      assert.ok(seen.length >= 7);
      seen.forEach((a, i) => assertAppointmentInvariants(a, `#${i} ${a.status}`));
    });

    it('labels REDACTED every resource that leaves something out under spärr, and only those', async () => {
      const blocked = await spärrWorld({ block: true });
      const open = await spärrWorld({ block: false });
      const urlsOf: Record<string, (s: Awaited<ReturnType<typeof spärrWorld>>) => string[]> = {
        Patient: (s) => [`/fhir/Patient/${s.w.patientId}`, `/fhir/Patient?_id=${s.w.patientId}`],
        CarePlan: (s) => [
          `/fhir/CarePlan/${s.contractId}`,
          `/fhir/CarePlan/${s.contractId}/_history/1`,
          `/fhir/CarePlan?patient=${s.w.patientId}`,
        ],
        Goal: (s) => [`/fhir/Goal/${s.contractId}-g1`, `/fhir/Goal?patient=${s.w.patientId}`],
        CareTeam: (s) => [`/fhir/CareTeam/${s.w.patientId}`, `/fhir/CareTeam?patient=${s.w.patientId}`],
        Appointment: (s) => [
          `/fhir/Appointment/${s.contractId}-next`,
          `/fhir/Appointment/${s.contractId}-next/_history/1`,
          `/fhir/Appointment?patient=${s.w.patientId}`,
        ],
        // Mobile care records are whole or left out (spärr hides a record, never part of one);
        // src/fhir/fhir-mobile-care.test.ts reads them in an enrolled patient's world.
        ...Object.fromEntries(
          ['EpisodeOfCare', 'Observation', 'Communication', 'Task'].map((type) => [
            type,
            (s: Awaited<ReturnType<typeof spärrWorld>>) => [`/fhir/${type}?patient=${s.w.patientId}`],
          ]),
        ),
        Consent: (s) => [`/fhir/Consent?patient=${s.w.patientId}`],
        // A diagnosis or stay of a blocked unit is left out whole, never in part:
        // src/fhir/fhir-condition-encounter.test.ts.
        Condition: (s) => [`/fhir/Condition?patient=${s.w.patientId}`],
        Encounter: (s) => [`/fhir/Encounter?patient=${s.w.patientId}`],
        Provenance: (s) => [
          `/fhir/Provenance?target=CarePlan/${s.contractId}`,
          `/fhir/Provenance/${s.contractId}-v1`,
        ],
        // The access log is for the patient and a loggansvarig only (403 to these readers), and
        // names no plan content: src/fhir/fhir-audit-event.test.ts.
        AuditEvent: () => [],
        Organization: (s) => [`/fhir/Organization/${s.w.otherUnitId}`],
        Practitioner: (s) => [`/fhir/Practitioner/${s.w.doctorId}`],
        // A system client's own subscriptions, which carry no plan content (notifications are
        // id-only): staff read none; test/fhir-subscription.test.ts.
        Subscription: () => [],
        // The served subscription topic: the same for every reader, no patient.
        Basic: () => [],
      };
      let leftOut = 0;
      for (const { type } of await capabilityOf(app)) {
        const urls = urlsOf[type];
        assert.ok(urls, `no reads listed for ${type}: add them here`);
        for (const [world, isBlocked] of [
          [blocked, true],
          [open, false],
        ] as const) {
          for (const url of urls(world)) {
            // The doctor works at the blocked unit: a spärr hides nothing from the unit itself.
            const full = resourcesIn(await world.doctor.get(url));
            const seen = resourcesIn(await world.nurse.get(url));
            for (const r of full) assert.equal(isRedacted(r), false, `doctor ${url}`);
            for (const r of seen) {
              const whole = full.find((f) => f.resourceType === r.resourceType && f.id === r.id);
              assert.ok(whole, `${url}: ${r.resourceType}/${r.id}`);
              const isShort = contentOf(whole) !== contentOf(r);
              if (isShort) leftOut += 1;
              assert.equal(isRedacted(r), isShort, `${url}: ${r.resourceType}/${r.id} blocked=${isBlocked}`);
              if (!isBlocked) assert.equal(isShort, false, url);
            }
          }
        }
      }
      // CarePlan (read, vread, search) and CareTeam (read, search) at least.
      assert.ok(leftOut >= 5, `only ${leftOut} resources left something out`);
    });
  });
}
