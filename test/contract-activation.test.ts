/**
 * What an active contract must hold (domain/contract.ts activationProblems), on every route that
 * can make a contract active or keep it so: the routes are read from the OpenAPI document and the
 * CapabilityStatement, so that a new one fails here until it is driven below. Each missing part
 * is refused with a 422 naming it, and nothing is written; a draft may be incomplete.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { activationParts, type ActivationPart, type ContractContent } from '../src/domain/contract.ts';
import type { Db } from '../src/store/db.ts';
import { codeSystems, systems } from '../src/fhir/datatypes.ts';
import { FHIR } from '../src/fhir/fhir-test-helpers.ts';
import { fhirResources, snapshot } from './helpers/access-classes.ts';
import { login, openTestApp, type Client } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { appointFastVardkontakt, makeWorld, sampleContent } from './helpers/factories.ts';

interface Resource {
  id?: string;
  meta?: unknown;
  status: string;
  extension?: { url: string }[];
  activity?: { reference?: unknown }[];
  contained?: { resourceType: string }[];
}

/** The content lacking one part, and nothing else. */
function lacking(unitId: string, part: ActivationPart): ContractContent {
  const content = sampleContent(unitId);
  if (part === 'nextContact') return { ...content, nextContact: null, noNextContactReason: null };
  if (part === 'fastVardkontakt') return { ...content, fastVardkontaktDecision: null };
  return { ...content, reviewDate: null };
}

/** The CarePlan without the part: the FHIR resource carries the time and the review date. */
function withoutPart(carePlan: Resource, part: ActivationPart): Resource {
  if (part === 'reviewDate')
    return {
      ...carePlan,
      extension: (carePlan.extension ?? []).filter((e) => !e.url.endsWith('/review-date')),
    };
  if (part === 'nextContact')
    return {
      ...carePlan,
      activity: (carePlan.activity ?? []).filter((a) => !a.reference),
      contained: (carePlan.contained ?? []).filter((c) => c.resourceType !== 'Appointment'),
    };
  return carePlan;
}

interface Case {
  nurse: Client;
  patientId: string;
  unitId: string;
  part: ActivationPart;
}

/**
 * How each route is driven to save an active contract lacking `part`: the setup, then the one
 * request that must be refused. Null when the route cannot express the loss (a FHIR update keeps
 * the recorded decision about a fast vårdkontakt, which the resource does not carry).
 */
const drivers: Record<string, (c: Case) => Promise<{ send: () => ReturnType<Client['get']> } | null>> = {
  'POST /api/patients/{patientId}/contract': async (c) => ({
    send: () =>
      c.nurse.send('POST', `/api/patients/${c.patientId}/contract`, {
        status: 'active',
        content: lacking(c.unitId, c.part),
      }),
  }),
  'PUT /api/patients/{patientId}/contract (draft to active)': async (c) => {
    await create(c, 'draft', lacking(c.unitId, c.part));
    return {
      send: () =>
        c.nurse.send(
          'PUT',
          `/api/patients/${c.patientId}/contract`,
          { status: 'active', content: lacking(c.unitId, c.part) },
          { 'if-match': 'W/"1"' },
        ),
    };
  },
  'PUT /api/patients/{patientId}/contract (staying active)': async (c) => {
    await create(c, 'active', sampleContent(c.unitId));
    return {
      send: () =>
        c.nurse.send(
          'PUT',
          `/api/patients/${c.patientId}/contract`,
          { status: 'active', content: lacking(c.unitId, c.part) },
          { 'if-match': 'W/"1"' },
        ),
    };
  },
  'CarePlan create': async (c) => {
    // The resource as the server writes it, for a patient whose earlier contract is ended.
    const id = await create(c, 'draft', lacking(c.unitId, c.part));
    const carePlan = (await c.nurse.get(`/fhir/CarePlan/${id}`)).json<Resource>();
    await c.nurse.send(
      'PUT',
      `/api/patients/${c.patientId}/contract`,
      { status: 'ended', content: lacking(c.unitId, c.part) },
      { 'if-match': 'W/"1"' },
    );
    // Without the goals and the time as read (they are that contract's); a new time contained.
    const { id: _id, meta: _meta, goal: _goal, ...rest } = carePlan as Resource & { goal?: unknown };
    const appointment = {
      resourceType: 'Appointment',
      id: 'next',
      status: 'booked',
      start: '2026-12-01T09:00:00.000Z',
      appointmentType: { coding: [{ system: codeSystems.contactMode, code: 'besok' }] },
      participant: [
        { actor: { reference: `Patient/${c.patientId}` }, status: 'accepted' },
        {
          actor: { type: 'Location', identifier: { system: systems.hsaId, value: c.unitId } },
          status: 'accepted',
        },
      ],
    };
    const hasTime = c.part !== 'nextContact';
    const body = {
      ...rest,
      status: 'active',
      contained: hasTime ? [appointment] : [],
      activity: [
        ...(rest.activity ?? []).filter((a) => !a.reference),
        ...(hasTime ? [{ reference: { reference: '#next' } }] : []),
      ],
    };
    return { send: () => c.nurse.send('POST', '/fhir/CarePlan', body, FHIR) };
  },
  'CarePlan update (draft to active)': async (c) => {
    const id = await create(c, 'draft', lacking(c.unitId, c.part));
    const carePlan = (await c.nurse.get(`/fhir/CarePlan/${id}`)).json<Resource>();
    return {
      send: () =>
        c.nurse.send(
          'PUT',
          `/fhir/CarePlan/${id}`,
          { ...carePlan, status: 'active' },
          { ...FHIR, 'if-match': 'W/"1"' },
        ),
    };
  },
  'CarePlan update (staying active)': async (c) => {
    if (c.part === 'fastVardkontakt') return null;
    const id = await create(c, 'active', sampleContent(c.unitId));
    const carePlan = (await c.nurse.get(`/fhir/CarePlan/${id}`)).json<Resource>();
    return {
      send: () =>
        c.nurse.send('PUT', `/fhir/CarePlan/${id}`, withoutPart(carePlan, c.part), {
          ...FHIR,
          'if-match': 'W/"1"',
        }),
    };
  },
};

async function create(c: Case, status: 'draft' | 'active', content: ContractContent): Promise<string> {
  const res = await c.nurse.send('POST', `/api/patients/${c.patientId}/contract`, { status, content });
  assert.equal(res.statusCode, 201, res.body);
  return res.json<{ id: string }>().id;
}

for (const engine of testEngines) {
  describe(`what an active contract must hold, on every route, on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    async function world(part: ActivationPart): Promise<Case> {
      const w = await makeWorld(db);
      // Every part but the one under test is there: the fast vårdkontakt too.
      if (part !== 'fastVardkontakt') await appointFastVardkontakt(db, w.patientId, w.nurseId, w.unitId);
      return {
        nurse: await login(app, { hsaId: w.nurseId }),
        patientId: w.patientId,
        unitId: w.unitId,
        part,
      };
    }

    it('drives every route that can save a contract as active: the OpenAPI document and the CapabilityStatement', async () => {
      const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
        paths: Record<
          string,
          Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>
        >;
      }>();
      const found: string[] = [];
      for (const [path, ops] of Object.entries(spec.paths))
        for (const [method, op] of Object.entries(ops)) {
          // A body with a contract's content and a status that can be active.
          const schema = op.requestBody?.content?.['application/json']?.schema as
            { properties?: { status?: unknown; content?: unknown } } | undefined;
          if (
            schema?.properties?.content &&
            JSON.stringify(schema.properties.status ?? '').includes('"active"')
          )
            found.push(`${method.toUpperCase()} ${path}`);
        }
      const carePlan = (await fhirResources(app)).find((r) => r.type === 'CarePlan');
      for (const interaction of carePlan?.interactions ?? [])
        if (interaction === 'create' || interaction === 'update') found.push(`CarePlan ${interaction}`);
      const driven = new Set(Object.keys(drivers).map((d) => d.replace(/ \(.*\)$/, '')));
      assert.deepEqual(
        found.filter((r) => !driven.has(r)),
        [],
        'routes that can make a contract active without a driver here',
      );
      assert.ok(found.length >= 4, found.join(', '));
    });

    for (const [route, drive] of Object.entries(drivers))
      for (const part of activationParts) {
        it(`refuses ${route} without ${part}, naming it, and writes nothing`, async () => {
          const c = await world(part);
          const driven = await drive(c);
          if (!driven) return;
          const before = await snapshot(db);
          const res = await driven.send();
          assert.equal(res.statusCode, 422, res.body);
          const body = res.json<{
            error?: { code: string; details?: { path: string; message: string }[] };
            resourceType?: string;
            issue?: { code: string; diagnostics?: string; expression?: string[] }[];
          }>();
          if (body.resourceType === 'OperationOutcome') {
            const issues = body.issue!.filter((i) => i.expression?.some((e) => e.includes(part)));
            assert.equal(issues.length, 1, res.body);
            assert.equal(issues[0]!.code, 'required');
            assert.match(issues[0]!.diagnostics ?? '', /saknas/);
          } else {
            assert.equal(body.error?.code, 'contract_incomplete');
            assert.deepEqual(
              body.error?.details?.map((d) => d.path),
              [`/${part}`],
            );
          }
          assert.deepEqual(await snapshot(db), before, 'nothing written');
        });
      }

    it('accepts an empty draft, on JSON and FHIR alike', async () => {
      const c = await world('fastVardkontakt');
      const empty = { ...lacking(c.unitId, 'nextContact'), reviewDate: null, fastVardkontaktDecision: null };
      const id = await create(c, 'draft', {
        ...empty,
        goals: [],
        activities: [],
        patientResponsibilities: [],
      });
      const carePlan = (await c.nurse.get(`/fhir/CarePlan/${id}`)).json<Resource>();
      const saved = await c.nurse.send(
        'PUT',
        `/fhir/CarePlan/${id}`,
        { ...carePlan, description: 'Utkast' },
        { ...FHIR, 'if-match': 'W/"1"' },
      );
      assert.equal(saved.statusCode, 200, saved.body);
    });

    it('names every missing part of an empty contract at once', async () => {
      const c = await world('fastVardkontakt');
      const res = await c.nurse.send('POST', `/api/patients/${c.patientId}/contract`, {
        status: 'active',
        content: { ...lacking(c.unitId, 'nextContact'), reviewDate: null, fastVardkontaktDecision: null },
      });
      assert.equal(res.statusCode, 422);
      assert.deepEqual(
        res.json<{ error: { details: { path: string }[] } }>().error.details.map((d) => d.path),
        ['/nextContact', '/fastVardkontakt', '/reviewDate'],
      );
      assert.match(
        res.json<{ error: { message: string } }>().error.message,
        /nästa överenskomna kontakt, fast vårdkontakt, datum för uppföljning saknas/,
      );
    });

    it('accepts an active contract with a reason instead of a time, and a declined fast vårdkontakt', async () => {
      const c = await world('fastVardkontakt');
      await db.query(
        `insert into care_contact (patient_id, role, unit_id, via_team, status, created_by)
         values ($1, 'fast-vardkontakt', $2, true, 'declined', 'test')`,
        [c.patientId, c.unitId],
      );
      const res = await c.nurse.send('POST', `/api/patients/${c.patientId}/contract`, {
        status: 'active',
        content: {
          ...lacking(c.unitId, 'nextContact'),
          noNextContactReason: 'Patienten ringer själv',
          fastVardkontaktDecision: null,
        },
      });
      assert.equal(res.statusCode, 201, res.body);
    });
  });
}
