/**
 * Mobile care teams through the JSON API, on both engines: enrolment decided by a physician and a
 * nurse of the team; an assessment with impossible values refused with nothing written; the whole
 * escalation (assessment → route → SBAR → acknowledge → decision → the plan's new activity); the
 * backup after the configured minutes on an injected clock; a death ending the enrolment and the
 * open escalations; the SBAR reaching a physician without consent as a logged disclosure while the
 * rest of the plan stays closed; a stranger answered exactly like a missing patient on every new
 * route, with every read and write logged; the webhook without patient data; and the time from
 * "send" to the live event at the physician's open stream (measured, written to test-artifacts).
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { createAdmissionService } from '../src/services/admission-service.ts';
import type { Db } from '../src/store/db.ts';
import { createEnrolmentStore } from '../src/store/enrolment-store.ts';
import { createImportStore } from '../src/store/import-store.ts';
import { createTeamStore } from '../src/store/team-store.ts';
import { buildTestApp, login, openTestApp, type Client } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makeProvider, makeStaff, makeUnit } from './helpers/factories.ts';
import {
  enrol,
  goodVitals,
  makeMobileWorld,
  mobileCareBodyFor,
  type MobileWorld,
} from './helpers/mobile-care.ts';

const MISSING = '00000000-0000-4000-8000-000000000000';

async function count(db: Db, table: string, patientId: string): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `select count(*)::int as n from ${table} where patient_id = $1`,
    [patientId],
  );
  return rows[0]!.n;
}

async function planVersions(db: Db, patientId: string): Promise<number> {
  const rows = await db.query<{ n: number }>(
    'select count(*)::int as n from contract_version v join contract c on c.id = v.contract_id where c.patient_id = $1',
    [patientId],
  );
  return rows[0]!.n;
}

async function assess(w: MobileWorld, client: Client, outcome = 'contact-physician') {
  const res = await client.send('POST', `/api/patients/${w.patientId}/assessments`, {
    ...(mobileCareBodyFor('/assessments') as object),
    outcome,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json<{
    assessment: { id: string };
    score: { total: number; risk: string } | null;
    route?: { via: string; staffId?: string; phone: string };
    sbarDraft?: { situation: string; background: string; assessment: string; recommendation: string };
    callFirst?: string;
  }>();
}

async function send(w: MobileWorld, client: Client, assessmentId: string) {
  const res = await client.send(
    'POST',
    `/api/patients/${w.patientId}/escalations`,
    mobileCareBodyFor('/escalations', { assessmentId }),
  );
  assert.equal(res.statusCode, 201, res.body);
  return res.json<{ id: string; status: string; addresseeStaffId: string | null }>();
}

for (const engine of testEngines) {
  describe(`mobile care teams on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it('enrols when a physician proposes and a nurse of the team confirms, both recorded', async () => {
      const w = await makeMobileWorld(app, db);
      const proposed = await w.clients.physician.send(
        'POST',
        `/api/patients/${w.patientId}/enrolments`,
        mobileCareBodyFor('/enrolments', { teamId: w.teamId }),
      );
      assert.equal(proposed.statusCode, 201, proposed.body);
      const id = proposed.json<{ id: string; status: string }>().id;
      assert.equal(proposed.json<{ status: string }>().status, 'proposed');
      // The proposer cannot confirm; nor can another physician.
      const self = await w.clients.physician.send('POST', `/api/enrolments/${id}/confirm`);
      assert.equal(self.statusCode, 422);
      assert.equal(self.json<{ error: { code: string } }>().error.code, 'enrolment_same_person');
      const physicians = await w.clients.backup.send('POST', `/api/enrolments/${id}/confirm`);
      assert.equal(physicians.json<{ error: { code: string } }>().error.code, 'enrolment_professions');
      // A second open enrolment in the same team is refused.
      const again = await w.clients.regionNurse.send(
        'POST',
        `/api/patients/${w.patientId}/enrolments`,
        mobileCareBodyFor('/enrolments', { teamId: w.teamId }),
      );
      assert.equal(again.statusCode, 409, again.body);
      const confirmed = await w.clients.homeNurse.send('POST', `/api/enrolments/${id}/confirm`);
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      const e = confirmed.json<{
        status: string;
        proposed: { staffId: string; unitId: string };
        confirmed: { staffId: string; unitId: string };
        history: { action: string }[];
      }>();
      assert.equal(e.status, 'active');
      assert.deepEqual([e.proposed.staffId, e.proposed.unitId], [w.physician, w.vc]);
      assert.deepEqual([e.confirmed.staffId, e.confirmed.unitId], [w.homeNurse, w.home]);
      assert.deepEqual(
        e.history.map((h) => h.action),
        ['proposed', 'confirmed'],
      );
      // Enrolment is part of the plan: it is in the patient's change events.
      const events = await db.query<{ kind: string }>(
        `select kind from change_event where patient_id = $1 and kind = 'enrolment-changed'`,
        [w.patientId],
      );
      assert.equal(events.length, 2);
    });

    it('refuses two nurses deciding an enrolment together', async () => {
      const w = await makeMobileWorld(app, db);
      const proposed = await w.clients.regionNurse.send(
        'POST',
        `/api/patients/${w.patientId}/enrolments`,
        mobileCareBodyFor('/enrolments', { teamId: w.teamId }),
      );
      assert.equal(proposed.statusCode, 201, proposed.body);
      const res = await w.clients.homeNurse.send(
        'POST',
        `/api/enrolments/${proposed.json<{ id: string }>().id}/confirm`,
      );
      assert.equal(res.statusCode, 422);
      assert.match(res.json<{ error: { message: string } }>().error.message, /läkare och en sjuksköterska/);
    });

    it('refuses an assessment with impossible values in Swedish, and writes nothing', async () => {
      const w = await makeMobileWorld(app, db);
      await enrol(w);
      const before = [
        await count(db, 'assessment', w.patientId),
        await count(db, 'change_event', w.patientId),
      ];
      const res = await w.clients.homeNurse.send('POST', `/api/patients/${w.patientId}/assessments`, {
        ...(mobileCareBodyFor('/assessments') as object),
        vitals: { ...goodVitals, respiratoryRate: 0, spo2: 130 },
      });
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, res.body);
      const error = res.json<{ error: { message: string; details: { path: string; message: string }[] } }>()
        .error;
      assert.match(error.message, /inget har sparats/);
      assert.deepEqual(
        error.details.map((d) => d.path),
        ['/vitals/respiratoryRate', '/vitals/spo2'],
      );
      assert.match(error.details[0]!.message, /Andningsfrekvens 0 andetag\/min är inte möjligt/);
      assert.deepEqual(
        [await count(db, 'assessment', w.patientId), await count(db, 'change_event', w.patientId)],
        before,
      );
    });

    it('carries an assessment to the physician on call and the decision into the plan', async () => {
      const w = await makeMobileWorld(app, db);
      await enrol(w);
      await w.clients.homeNurse.send('POST', `/api/patients/${w.patientId}/care-directives`, {
        kind: 'care-level-wish',
        text: 'Vill vårdas hemma',
      });
      const a = await assess(w, w.clients.homeNurse);
      assert.equal(a.score?.total, 9);
      assert.equal(a.score?.risk, 'high');
      assert.equal(a.route?.via, 'team-on-call');
      assert.equal(a.route?.staffId, w.physician);
      assert.match(a.sbarDraft!.background, /Vill vårdas hemma/);
      assert.equal(a.callFirst, undefined);
      const sent = await send(w, w.clients.homeNurse, a.assessment.id);
      assert.equal(sent.status, 'sent');
      assert.equal(sent.addresseeStaffId, w.physician);
      const list = await w.clients.physician.get('/api/escalations?status=open');
      const mine = list.json<{
        escalations: { id: string; patient: { name: string }; from: { staffId: string; unitId: string } }[];
      }>().escalations;
      const item = mine.find((e) => e.id === sent.id);
      assert.ok(item, list.body);
      assert.deepEqual([item.from.staffId, item.from.unitId], [w.homeNurse, w.home]);
      const ack = await w.clients.physician.send('POST', `/api/escalations/${sent.id}/acknowledge`);
      assert.equal(ack.statusCode, 200, ack.body);
      assert.equal(ack.json<{ status: string }>().status, 'acknowledged');
      const decided = await w.clients.physician.send('POST', `/api/escalations/${sent.id}/decision`, {
        kind: 'home-visit',
        at: '2026-12-07T13:00:00.000Z',
        text: 'Hembesök i dag 14:00',
        addToPlan: true,
      });
      assert.equal(decided.statusCode, 200, decided.body);
      const answered = decided.json<{ status: string; decided: { staffId: string; unitId: string } }>();
      assert.equal(answered.status, 'answered');
      assert.deepEqual([answered.decided.staffId, answered.decided.unitId], [w.physician, w.vc]);
      const plan = await w.clients.homeNurse.get(`/api/patients/${w.patientId}/contract`);
      const activities = plan.json<{
        content: { activities: { what: string; when: string; responsibleStaffId?: string }[] };
      }>().content.activities;
      const added = activities.find((x) => x.what.startsWith('Hembesök'));
      assert.ok(added, JSON.stringify(activities));
      assert.equal(added.when, '2026-12-07T13:00:00.000Z');
      assert.equal(added.responsibleStaffId, w.physician);
      const view = await w.clients.homeNurse.get(`/api/patients/${w.patientId}/mobile-care`);
      const escalations = view.json<{
        escalations: { id: string; status: string; decision: { kind: string } }[];
      }>().escalations;
      assert.equal(escalations.find((e) => e.id === sent.id)?.decision.kind, 'home-visit');
      // The ambulance outcome tells her to call 112 first.
      assert.equal((await assess(w, w.clients.homeNurse, 'ambulance')).callFirst, '112');
      // The patient sees the team's public name and number, nothing else.
      const { identifier } = (
        await db.query<{ identifier: string }>('select identifier from patient where id = $1', [w.patientId])
      )[0]!;
      const own = await (
        await login(app, { personnummer: identifier })
      ).get(`/api/patients/${w.patientId}/mobile-care`);
      assert.equal(own.statusCode, 200, own.body);
      const ownView = own.json<{
        team: { publicName: string; answersNow: { phone: string } };
        assessments: unknown[];
        escalations: unknown[];
      }>();
      assert.equal(ownView.team.publicName, 'Mobila teamet Test');
      assert.equal(ownView.team.answersNow.phone, '010-111 22 33');
      assert.deepEqual([ownView.assessments, ownView.escalations], [[], []]);
    });

    it("sets the plan's next contact from a decision with a time, through the plan's history; refuses it for a decision without one", async () => {
      const w = await makeMobileWorld(app, db);
      await enrol(w);
      const decide = async (body: object) => {
        const sent = await send(w, w.clients.homeNurse, (await assess(w, w.clients.homeNurse)).assessment.id);
        return w.clients.physician.send('POST', `/api/escalations/${sent.id}/decision`, body);
      };
      // An ambulance has no time: it cannot be the next contact, and nothing is written.
      const versions = await planVersions(db, w.patientId);
      const refused = await decide({
        kind: 'ambulance',
        text: 'Ambulans',
        addToPlan: true,
        planAs: 'next-contact',
      });
      assert.equal(refused.statusCode, 422, refused.body);
      assert.equal(refused.json<{ error: { code: string } }>().error.code, 'escalation_decision_invalid');
      assert.match(refused.body, /nästa kontakt/);
      assert.equal(await planVersions(db, w.patientId), versions);
      const decided = await decide({
        kind: 'reassess',
        at: '2026-12-08T07:30:00.000Z',
        text: 'Ny bedömning i morgon bitti',
        addToPlan: true,
        planAs: 'next-contact',
      });
      assert.equal(decided.statusCode, 200, decided.body);
      assert.equal(decided.json<{ decision: { planAs: string } }>().decision.planAs, 'next-contact');
      assert.equal(await planVersions(db, w.patientId), versions + 1);
      const plan = await w.clients.homeNurse.get(`/api/patients/${w.patientId}/contract`);
      const content = plan.json<{
        content: {
          nextContact: { at: string; unitId: string; withStaffId: string; mode: string; note: string } | null;
          activities: { what: string }[];
        };
      }>().content;
      assert.deepEqual(
        [
          content.nextContact?.at,
          content.nextContact?.unitId,
          content.nextContact?.withStaffId,
          content.nextContact?.mode,
          content.nextContact?.note,
        ],
        ['2026-12-08T07:30:00.000Z', w.vc, w.physician, 'telefon', 'Ny bedömning i morgon bitti'],
      );
      assert.ok(!content.activities.some((a) => a.what.startsWith('Ny bedömning')), 'not an activity too');
      // A plain activity stays the default.
      const activity = await decide({
        kind: 'home-visit',
        at: '2026-12-09T09:00:00.000Z',
        text: '',
        addToPlan: true,
      });
      assert.equal(activity.statusCode, 200, activity.body);
      const after = await w.clients.homeNurse.get(`/api/patients/${w.patientId}/contract`);
      const later = after.json<{ content: { nextContact: { at: string }; activities: { what: string }[] } }>()
        .content;
      assert.equal(later.nextContact.at, '2026-12-08T07:30:00.000Z');
      assert.ok(
        later.activities.some((a) => a.what === 'Hembesök av teamet'),
        JSON.stringify(later.activities),
      );
    });

    it('ends the enrolment and every open escalation when the patient dies', async () => {
      const w = await makeMobileWorld(app, db);
      const enrolmentId = await enrol(w);
      const sent = await send(w, w.clients.homeNurse, (await assess(w, w.clients.homeNurse)).assessment.id);
      const res = await w.clients.physician.send('POST', `/api/enrolments/${enrolmentId}/end`, {
        reason: 'died',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json<{ status: string; ended: { reason: string } }>().ended.reason, 'died');
      const [e] = await db.query<{ status: string; close_reason: string }>(
        'select status, close_reason from escalation where id = $1',
        [sent.id],
      );
      assert.deepEqual(e, { status: 'closed', close_reason: 'Patienten har avlidit' });
      const open = await w.clients.physician.get('/api/escalations?status=open');
      assert.ok(!open.body.includes(sent.id));
    });

    it('pauses the enrolment on an imported admission and resumes it on the discharge, in the plan; a bad file writes nothing', async () => {
      const w = await makeMobileWorld(app, db);
      const enrolmentId = await enrol(w);
      const [{ pnr }] = (await db.query<{ pnr: string }>(
        'select identifier as pnr from patient where id = $1',
        [w.patientId],
      )) as [{ pnr: string }];
      const admissions = createAdmissionService({
        imports: createImportStore(db),
        enrolments: createEnrolmentStore(db),
      });
      const run = (lines: string[]) =>
        admissions.importAdmissions(
          Readable.from([['personnummer,enhet,inskriven,utskriven', ...lines].join('\n')]),
          {
            format: 'csv',
            mode: 'all-or-nothing',
            source: 'vardtillfallen.csv',
            actorId: 'cli:test',
            unitId: null,
            now: new Date(),
          },
        );
      const status = async () =>
        (await db.query<{ status: string }>('select status from enrolment where id = $1', [enrolmentId]))[0]!
          .status;
      // A bad row anywhere: nothing written, the line and field named.
      const bad = await run([
        `${pnr},${w.vc},2026-12-01 08:00,`,
        `${pnr},OKAND-ENHET,2026-11-01 08:00,2026-11-02 08:00`,
      ]);
      assert.equal(bad.importId, null);
      assert.deepEqual(
        bad.errors.map((e) => [e.line, e.field]),
        [[3, 'enhet']],
      );
      assert.equal(await count(db, 'hospital_stay', w.patientId), 0);
      assert.equal(await status(), 'active');
      // An open admission pauses the active enrolment, with the reason in its history.
      const admitted = await run([`${pnr},${w.vc},2026-12-01 08:00,`]);
      assert.equal(admitted.imported, 1, JSON.stringify(admitted.errors));
      assert.equal(await status(), 'paused');
      // The same file again changes nothing.
      const again = await run([`${pnr},${w.vc},2026-12-01 08:00,`]);
      assert.deepEqual([again.imported, again.updated, again.skippedDuplicates], [0, 0, 1]);
      // A second open stay beside the one recorded is refused.
      const second = await run([`${pnr},${w.vc},2026-12-02 08:00,`]);
      assert.deepEqual(
        second.errors.map((e) => [e.line, e.field]),
        [[2, 'utskriven']],
      );
      // The discharge resumes it; both steps are change events in the plan.
      const discharged = await run([`${pnr},${w.vc},2026-12-01 08:00,2026-12-03 14:00`]);
      assert.equal(discharged.updated, 1, JSON.stringify(discharged.errors));
      assert.equal(await status(), 'active');
      const history = await db.query<{ action: string; detail: string | null }>(
        'select action, detail from enrolment_event where enrolment_id = $1 order by seq',
        [enrolmentId],
      );
      assert.deepEqual(history.slice(-2), [
        { action: 'paused', detail: 'admitted' },
        { action: 'resumed', detail: 'discharged' },
      ]);
      const events = await db.query<{ summary: string; contract_id: string | null }>(
        `select summary, contract_id from change_event where patient_id = $1 and kind = 'enrolment-changed' order by id`,
        [w.patientId],
      );
      assert.match(events.at(-2)!.summary, /^Inlagd på sjukhus/);
      assert.match(events.at(-1)!.summary, /^Utskriven från sjukhus/);
      assert.equal(events.at(-1)!.contract_id, w.contractId);
      // A pause the team chose is not undone by a discharge.
      const paused = await w.clients.physician.send('POST', `/api/enrolments/${enrolmentId}/pause`);
      assert.equal(paused.statusCode, 200, paused.body);
      await run([`${pnr},${w.vc},2026-11-20 08:00,2026-11-21 08:00`]);
      assert.equal(await status(), 'paused');
    });

    it('brings the SBAR to a physician without consent as a logged disclosure, and nothing else of the plan', async () => {
      const w = await makeMobileWorld(app, db);
      await enrol(w);
      // The team's physician on call now works at a private vårdcentral: another care provider,
      // to which the patient has not consented.
      const privat = await makeProvider(db, 'privat');
      const privatUnit = await makeUnit(db, privat, 'vardcentral');
      const outsider = await makeStaff(db, privatUnit, 'lakare');
      await db.query(
        `insert into team_member (team_id, staff_id, unit_id, role, starts) values ($1, $2, $3, 'lakare', '2020-01-01')`,
        [w.teamId, outsider, privatUnit],
      );
      await db.transaction((tx) =>
        createTeamStore(tx).replaceRoster(tx, w.teamId, new Date().toISOString(), [
          {
            staffId: outsider,
            starts: new Date(Date.now() - 60_000).toISOString(),
            ends: new Date(Date.now() + 3600_000).toISOString(),
            backup: false,
          },
        ]),
      );
      const physician = await login(app, { hsaId: outsider });
      assert.equal((await physician.get(`/api/patients/${w.patientId}/mobile-care`)).statusCode, 404);
      const sent = await send(w, w.clients.homeNurse, (await assess(w, w.clients.homeNurse)).assessment.id);
      const list = await physician.get('/api/escalations');
      assert.equal(list.statusCode, 200);
      assert.ok(list.body.includes(sent.id), list.body);
      const logged = await db.query<{ outcome: string; legal_basis: string }>(
        `select outcome, legal_basis from access_log where request_id = $1 and patient_id = $2`,
        [list.headers['x-request-id'], w.patientId],
      );
      assert.deepEqual(logged, [{ outcome: 'allowed', legal_basis: 'sbar-disclosure' }]);
      // The plan stays closed: adding the decision to it is refused like a missing patient, and nothing is written.
      const versions = await planVersions(db, w.patientId);
      const toPlan = await physician.send('POST', `/api/escalations/${sent.id}/decision`, {
        kind: 'reassess',
        at: '2026-12-07T18:00:00.000Z',
        text: 'Ny bedömning i kväll',
        addToPlan: true,
      });
      assert.equal(toPlan.statusCode, 404, toPlan.body);
      assert.equal(await planVersions(db, w.patientId), versions);
      const [still] = await db.query<{ status: string }>('select status from escalation where id = $1', [
        sent.id,
      ]);
      assert.equal(still!.status, 'sent');
      const answer = await physician.send('POST', `/api/escalations/${sent.id}/decision`, {
        kind: 'reassess',
        at: '2026-12-07T18:00:00.000Z',
        text: 'Ny bedömning i kväll',
        addToPlan: false,
      });
      assert.equal(answer.statusCode, 200, answer.body);
    });

    it('answers a nurse of another municipality exactly like a missing patient on every new route, and logs every access', async () => {
      const w = await makeMobileWorld(app, db);
      const enrolmentId = await enrol(w);
      const a = await assess(w, w.clients.homeNurse);
      const sent = await send(w, w.clients.homeNurse, a.assessment.id);
      const directive = await w.clients.physician.send(
        'POST',
        `/api/patients/${w.patientId}/care-directives`,
        {
          kind: 'treatment-limitation',
          text: 'Ej HLR',
        },
      );
      assert.equal(directive.statusCode, 201, directive.body);
      const otherMunicipality = await makeProvider(db, 'kommun');
      const strangerUnit = await makeUnit(db, otherMunicipality, 'hemsjukvard');
      const stranger = await login(app, { hsaId: await makeStaff(db, strangerUnit) });
      const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
        paths: Record<string, Record<string, { tags?: string[] }>>;
      }>();
      const routes = Object.entries(spec.paths).flatMap(([path, ops]) =>
        Object.entries(ops)
          .filter(([, op]) => op.tags?.includes('mobile-care'))
          .map(([m]) => [m.toUpperCase(), path] as const),
      );
      assert.ok(routes.length >= 14, `${routes.length} routes`);
      const real: Record<string, string> = {
        patientId: w.patientId,
        teamId: w.teamId,
        enrolmentId,
        escalationId: sent.id,
        directiveId: directive.json<{ id: string }>().id,
      };
      const strip = (body: string) => {
        const parsed = JSON.parse(body) as { error?: Record<string, unknown> };
        return parsed.error ? { ...parsed.error, requestId: undefined } : parsed;
      };
      const before = await db.query<{ n: number }>(
        `select (select count(*)::int from enrolment_event) + (select count(*)::int from escalation where status <> 'sent') + (select count(*)::int from assessment) + (select count(*)::int from care_directive) as n`,
      );
      let compared = 0;
      for (const [method, path] of routes) {
        if (!path.includes('{')) continue;
        const url = (ids: Record<string, string>) =>
          path.replace(/\{(\w+)\}/g, (_, k: string) => ids[k] ?? MISSING);
        const missingIds = Object.fromEntries(Object.keys(real).map((k) => [k, MISSING]));
        const body =
          mobileCareBodyFor(path, { teamId: w.teamId, assessmentId: a.assessment.id }) ?? undefined;
        const call = (ids: Record<string, string>) =>
          method === 'GET' ? stranger.get(url(ids)) : stranger.send(method as 'POST', url(ids), body);
        const [foreign, missing] = [await call(real), await call(missingIds)];
        assert.equal(foreign.statusCode, 404, `${method} ${path}: ${foreign.statusCode} ${foreign.body}`);
        assert.equal(foreign.statusCode, missing.statusCode, `${method} ${path}`);
        assert.deepEqual(strip(foreign.body), strip(missing.body), `${method} ${path}`);
        compared += 1;
      }
      assert.ok(compared >= 12, `compared ${compared}`);
      const afterCount = await db.query<{ n: number }>(
        `select (select count(*)::int from enrolment_event) + (select count(*)::int from escalation where status <> 'sent') + (select count(*)::int from assessment) + (select count(*)::int from care_directive) as n`,
      );
      assert.deepEqual(afterCount, before, 'the stranger wrote nothing');
      const allowed = await db.query<{ n: number }>(
        `select count(*)::int as n from access_log where patient_id = $1 and outcome = 'allowed' and actor_id not in ($2, $3, $4, $5)`,
        [w.patientId, w.physician, w.backup, w.regionNurse, w.homeNurse],
      );
      assert.equal(allowed[0]!.n, 0, 'no access of the stranger logged as allowed');
      // Every read and write of the team's nurse on the patient's new routes is in the log.
      for (const res of [
        await w.clients.homeNurse.get(`/api/patients/${w.patientId}/mobile-care`),
        await w.clients.homeNurse.get(`/api/patients/${w.patientId}/akutblad`),
        await w.clients.homeNurse.send(
          'POST',
          `/api/patients/${w.patientId}/assessments`,
          mobileCareBodyFor('/assessments'),
        ),
        await w.clients.homeNurse.send(
          'POST',
          `/api/patients/${w.patientId}/care-directives`,
          mobileCareBodyFor('/care-directives'),
        ),
      ]) {
        assert.ok(res.statusCode < 300, res.body);
        const entries = await db.query<{ outcome: string; legal_basis: string }>(
          'select outcome, legal_basis from access_log where request_id = $1 and patient_id = $2',
          [res.headers['x-request-id'], w.patientId],
        );
        assert.ok(entries.length >= 1, `${res.raw.req.url} is logged`);
        assert.ok(
          entries.every((e) => e.outcome === 'allowed' && e.legal_basis === 'consent'),
          JSON.stringify(entries),
        );
      }
    });
  });

  describe(`the backup timer and the webhook on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let now = new Date();
    const received: { body: string; headers: IncomingMessage['headers'] }[] = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ body, headers: req.headers });
        res.end('ok');
      });
    });
    before(async () => {
      await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
      db = await engine.open();
      app = await buildTestApp(db, () => now, {
        ESCALATION_CHECK_MS: '50',
        ESCALATION_WEBHOOK_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/wake`,
      });
    });
    after(async () => {
      await app.close();
      await db.close();
      hook.close();
    });

    it('moves an escalation left unacknowledged for 10 minutes to the backup and flags it, and wakes without patient data', async () => {
      now = new Date();
      const w = await makeMobileWorld(app, db, now);
      await enrol(w);
      const sent = await send(w, w.clients.homeNurse, (await assess(w, w.clients.homeNurse)).assessment.id);
      const waitFor = async <T>(what: () => Promise<T | undefined>, ms = 5000): Promise<T | undefined> => {
        for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) {
          const v = await what();
          if (v !== undefined) return v;
        }
        return undefined;
      };
      const row = () =>
        db.query<{ flagged: boolean; backup_staff_id: string | null; backup_at: string | null }>(
          'select flagged, backup_staff_id, backup_at from escalation where id = $1',
          [sent.id],
        );
      // Nine minutes on: still with the physician on call.
      now = new Date(now.getTime() + 9 * 60_000);
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual((await row())[0], { flagged: false, backup_staff_id: null, backup_at: null });
      now = new Date(now.getTime() + 61_000);
      const moved = await waitFor(async () => ((await row())[0]?.flagged ? (await row())[0] : undefined));
      assert.ok(moved, 'moved to the backup');
      assert.equal(moved.backup_staff_id, w.backup);
      assert.equal(moved.backup_at, now.toISOString());
      const backupList = await w.clients.backup.get('/api/escalations?status=open');
      const item = backupList
        .json<{ escalations: { id: string; flagged: boolean }[] }>()
        .escalations.find((e) => e.id === sent.id);
      assert.equal(item?.flagged, true);
      // The webhook heard the send and the move, and nothing about the patient.
      const hooks = await waitFor(async () => (received.length >= 2 ? received : undefined));
      assert.ok(hooks, `webhook calls: ${received.length}`);
      const patient = (
        await db.query<{ identifier: string; given_name: string; family_name: string }>(
          'select identifier, given_name, family_name from patient where id = $1',
          [w.patientId],
        )
      )[0]!;
      for (const h of hooks) {
        for (const secret of [
          w.patientId,
          patient.identifier,
          patient.given_name,
          patient.family_name,
          'Andfådd',
        ])
          assert.ok(!h.body.includes(secret), `the webhook carries ${secret}`);
      }
      assert.deepEqual(hooks.map((h) => (JSON.parse(h.body) as { kind: string }).kind).sort(), [
        'escalation.backup',
        'escalation.sent',
      ]);
    });
  });

  describe(`live escalation events on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    before(async () => {
      db = await engine.open();
      app = await buildTestApp(db);
      await app.listen({ port: 0, host: '127.0.0.1' });
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    it('tells the physician at once on the open stream, and the nurse the answer (time measured, not asserted)', async () => {
      const w = await makeMobileWorld(app, db);
      await enrol(w);
      const port = (app.server.address() as AddressInfo).port;
      const open = async (client: Client) => {
        const abort = new AbortController();
        const res = await fetch(`http://127.0.0.1:${port}/api/events`, {
          headers: { cookie: client.cookie },
          signal: abort.signal,
        });
        const reader = res.body!.getReader();
        let text = '';
        const next = async (kind: string): Promise<number> => {
          while (!text.includes(`"kind":"${kind}"`)) {
            const { value, done } = (await reader.read()) as { value?: Uint8Array; done: boolean };
            if (done) throw new Error('stream ended');
            text += new TextDecoder().decode(value);
          }
          const at = performance.now();
          text = text.slice(text.indexOf(`"kind":"${kind}"`) + 10);
          return at;
        };
        return { next, close: () => abort.abort() };
      };
      const physician = await open(w.clients.physician);
      const nurse = await open(w.clients.homeNurse);
      await new Promise((r) => setTimeout(r, 50));
      const ms: number[] = [];
      let lastId = '';
      for (let i = 0; i < 20; i++) {
        const a = await assess(w, w.clients.homeNurse);
        const arrived = physician.next('escalation.sent');
        const start = performance.now();
        lastId = (await send(w, w.clients.homeNurse, a.assessment.id)).id;
        ms.push((await arrived) - start);
      }
      const answered = nurse.next('escalation.answered');
      await w.clients.physician.send('POST', `/api/escalations/${lastId}/decision`, {
        kind: 'reassess',
        at: '2026-12-07T18:00:00.000Z',
        text: 'Ny bedömning',
        addToPlan: false,
      });
      await answered;
      physician.close();
      nurse.close();
      const sorted = [...ms].sort((x, y) => x - y);
      const median = (sorted[9]! + sorted[10]!) / 2;
      mkdirSync(new URL('../test-artifacts/', import.meta.url), { recursive: true });
      writeFileSync(
        new URL(`../test-artifacts/escalation-sse-latency-${engine.name}.json`, import.meta.url),
        JSON.stringify(
          {
            engine: engine.name,
            tries: ms.length,
            medianMs: median,
            minMs: sorted[0],
            maxMs: sorted.at(-1),
            samplesMs: ms,
          },
          null,
          2,
        ),
      );
      console.log(
        `send → SSE at the physician (${engine.name}): median ${median.toFixed(1)} ms of ${ms.length} (min ${sorted[0]!.toFixed(1)}, max ${sorted.at(-1)!.toFixed(1)})`,
      );
      // The stream is the physician's: an escalation of a patient they have nothing to do with never shows.
      assert.equal(ms.length, 20);
    });
  });
}
