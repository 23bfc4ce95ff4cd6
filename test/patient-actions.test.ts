/**
 * The patient's own view (docs/patient-api.md) on the running app: the patient ticks
 * off responsibilities, answers the next contact, proposes in their own words, self-assesses;
 * each change is a version by the patient and a signal to the fast vårdkontakt. Närstående read
 * through a grant with an end date, never write, and are logged with the basis `proxy`.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Contract } from '../src/domain/contract.ts';
import { luhnCheckDigit } from '../src/domain/personnummer.ts';
import type { Db } from '../src/store/db.ts';
import { createFollowupStore } from '../src/store/followup-store.ts';
import { login, openTestApp, withActiveContract, type Client } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { sampleContent } from './helpers/factories.ts';

/** A valid personnummer of someone born in the 1950s–80s, with a random birth number. */
function makePersonnummer(): string {
  const date = `${randomInt(50, 90)}${String(randomInt(1, 13)).padStart(2, '0')}${String(randomInt(1, 29)).padStart(2, '0')}`;
  const nine = `${date}${String(randomInt(0, 1000)).padStart(3, '0')}`;
  return `19${date}-${nine.slice(6)}${luhnCheckDigit(nine)}`;
}

for (const engine of testEngines) {
  describe(`the patient's own view on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    /** A patient with an active plan drawn up by their fast vårdkontakt, both logged in. */
    async function setUp() {
      const { w, nurse } = await withActiveContract(app, db);
      const appointed = await nurse.send('POST', `/api/patients/${w.patientId}/care-contacts`, {
        role: 'fast-vardkontakt',
        staffId: w.nurseId,
        unitId: w.unitId,
        reason: 'behov',
        phone: '010-555 12 34',
        reachable: [{ weekday: 1, from: '08:00', to: '10:00' }],
      });
      assert.equal(appointed.statusCode, 201, appointed.body);
      const patient = await login(app, { personnummer: await identifierOf(w.patientId) });
      const base = `/api/patients/${w.patientId}`;
      return { ...w, nurse, patient, base };
    }

    async function identifierOf(patientId: string): Promise<string> {
      const rows = await db.query<{ identifier: string }>('select identifier from patient where id = $1', [
        patientId,
      ]);
      return rows[0]!.identifier;
    }

    async function latestVersion(client: Client, base: string, contractId: string) {
      const res = await client.get(`${base}/contracts/${contractId}/versions`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json<{
        versions: { version: number; actor: { kind: string; id: string }; changes: { part: string }[] }[];
      }>().versions[0]!;
    }

    async function notificationsOf(client: Client) {
      return (await client.get('/api/notifications')).json<{
        notifications: { patientId: string; kind: string; summary: string }[];
      }>().notifications;
    }

    it('gives a patient their own patientId at /api/me, and everything Min plan shows in the overview', async () => {
      const s = await setUp();
      const me = (await s.patient.get('/api/me')).json<{ kind: string; patientId: string }>();
      assert.deepEqual([me.kind, me.patientId], ['patient', s.patientId]);
      const res = await s.patient.get(`${s.base}/overview`);
      assert.equal(res.statusCode, 200);
      const overview = res.json<{
        contract: Contract;
        careContacts: {
          role: string;
          phone: string;
          reachable: unknown[];
          unitName: string;
          staffName: string;
        }[];
        units: Record<string, { name: string; phone: string }>;
      }>();
      const fvk = overview.careContacts.find((c) => c.role === 'fast-vardkontakt')!;
      assert.equal(fvk.phone, '010-555 12 34');
      assert.deepEqual(fvk.reachable, [{ weekday: 1, from: '08:00', to: '10:00' }]);
      assert.ok(fvk.unitName && fvk.staffName);
      assert.ok(overview.units[s.unitId]?.name);
      assert.equal(typeof overview.contract.content.ifWorse, 'string');
    });

    it('lets the patient tick off and untick a responsibility, as a version made by the patient', async () => {
      const s = await setUp();
      const url = `${s.base}/contract/responsibilities/r1`;
      const ticked = await s.patient.send('POST', url, { done: true });
      assert.equal(ticked.statusCode, 200, ticked.body);
      const contract = ticked.json<Contract>();
      assert.equal(contract.version, 2);
      assert.equal(ticked.headers.etag, 'W/"2"');
      const r1 = contract.content.patientResponsibilities[0]!;
      assert.equal(r1.isDone, true);
      assert.ok(r1.doneAt);
      const version = await latestVersion(s.patient, s.base, contract.id);
      assert.deepEqual(version.actor, { ...version.actor, kind: 'patient', id: s.patientId });
      assert.deepEqual(
        version.changes.map((c) => c.part),
        ['patientResponsibilities'],
      );
      // The care team sees it, and the fast vårdkontakt is told.
      const seen = (await s.nurse.get(`${s.base}/contract`)).json<Contract>();
      assert.equal(seen.content.patientResponsibilities[0]!.isDone, true);
      const told = await notificationsOf(s.nurse);
      assert.ok(told.some((n) => n.patientId === s.patientId && /Bockade av: Väga mig/.test(n.summary)));
      // Ticking a ticked box changes nothing.
      const again = await s.patient.send('POST', url, { done: true });
      assert.equal(again.json<Contract>().version, 2);
      const unticked = await s.patient.send('POST', url, { done: false });
      assert.equal(unticked.statusCode, 200);
      const after = unticked.json<Contract>().content.patientResponsibilities[0]!;
      assert.equal(after.isDone, undefined);
      assert.equal(after.doneAt, undefined);
      assert.equal(unticked.json<Contract>().version, 3);
    });

    it('answers an unknown responsibility with 404 and writes nothing', async () => {
      const s = await setUp();
      const res = await s.patient.send('POST', `${s.base}/contract/responsibilities/nope`, { done: true });
      assert.equal(res.statusCode, 404);
      assert.equal((await s.patient.get(`${s.base}/contract`)).json<Contract>().version, 1);
    });

    it('confirms the next contact, which makes it agreed', async () => {
      const s = await setUp();
      const content = sampleContent(s.unitId);
      const at = content.nextContact!.at;
      const current = (await s.nurse.get(`${s.base}/contract`)).json<Contract>();
      // The nurse only offered the time.
      await s.nurse.send(
        'PUT',
        `${s.base}/contract`,
        {
          status: 'active',
          content: { ...current.content, nextContact: { ...content.nextContact!, agreement: 'erbjuden' } },
        },
        { 'if-match': 'W/"1"' },
      );
      const res = await s.patient.send('POST', `${s.base}/contract/next-contact/response`, {
        response: 'confirmed',
        at,
      });
      assert.equal(res.statusCode, 200, res.body);
      const next = res.json<Contract>().content.nextContact!;
      assert.equal(next.agreement, 'overenskommen');
      assert.equal(next.patientResponse?.response, 'confirmed');
      assert.equal(next.patientRequestedChange, undefined);
    });

    it('refuses an answer to a time that has changed since the patient saw it', async () => {
      const s = await setUp();
      const res = await s.patient.send('POST', `${s.base}/contract/next-contact/response`, {
        response: 'confirmed',
        at: '2026-12-24T09:00:00.000Z',
      });
      assert.equal(res.statusCode, 409);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'next_contact_changed');
      assert.equal((await s.patient.get(`${s.base}/contract`)).json<Contract>().version, 1);
    });

    it('asks for another time with a message: the fast vårdkontakt is notified and sees it in the worklist', async () => {
      const s = await setUp();
      const at = sampleContent(s.unitId).nextContact!.at;
      const res = await s.patient.send('POST', `${s.base}/contract/next-contact/response`, {
        response: 'wants-other',
        at,
        message: 'Jag jobbar på förmiddagar, går det efter 14?',
      });
      assert.equal(res.statusCode, 200, res.body);
      const contract = res.json<Contract>();
      assert.equal(contract.content.nextContact!.patientRequestedChange, true);
      assert.equal(
        contract.content.nextContact!.patientResponse?.message,
        'Jag jobbar på förmiddagar, går det efter 14?',
      );
      const told = await notificationsOf(s.nurse);
      assert.ok(
        told.some(
          (n) =>
            n.patientId === s.patientId &&
            n.kind === 'patient-request' &&
            /annan tid.*efter 14/.test(n.summary),
        ),
        JSON.stringify(told),
      );
      const worklist = (await s.nurse.get('/api/worklist')).json<{
        patients: {
          patientId: string;
          nextContactChangeRequested: boolean;
          nextContactPatientMessage: string | null;
        }[];
      }>();
      const row = worklist.patients.find((p) => p.patientId === s.patientId)!;
      assert.equal(row.nextContactChangeRequested, true);
      assert.equal(row.nextContactPatientMessage, 'Jag jobbar på förmiddagar, går det efter 14?');
      // A new time from the nurse answers the request.
      const moved = await s.nurse.send(
        'PUT',
        `${s.base}/contract`,
        {
          status: 'active',
          content: {
            ...contract.content,
            nextContact: { ...contract.content.nextContact!, at: '2026-12-03T14:30:00.000Z' },
          },
        },
        { 'if-match': `W/"${contract.version}"` },
      );
      assert.equal(moved.statusCode, 200, moved.body);
      const next = moved.json<Contract>().content.nextContact!;
      assert.equal(next.patientRequestedChange, undefined);
      assert.equal(next.patientResponse, undefined);
    });

    it("keeps the patient's proposals apart from staff's text, and staff cannot rewrite them", async () => {
      const s = await setUp();
      const words = await s.patient.send('POST', `${s.base}/contract/proposals`, {
        whatMatters: 'Att orka leka med barnbarnen',
      });
      assert.equal(words.statusCode, 200, words.body);
      const goal = await s.patient.send('POST', `${s.base}/contract/proposals`, {
        goal: { text: 'Gå till affären själv', ambition: 'forbattra' },
      });
      assert.equal(goal.statusCode, 200, goal.body);
      const contract = goal.json<Contract>();
      assert.equal(contract.content.whatMatters, 'Att kunna promenera till affären');
      assert.equal(contract.content.whatMattersPatientWords?.text, 'Att orka leka med barnbarnen');
      const proposed = contract.content.goals.find((g) => g.proposedByPatient === true)!;
      assert.equal(proposed.text, 'Gå till affären själv');
      assert.equal(contract.content.goals.length, 2);
      const told = await notificationsOf(s.nurse);
      assert.ok(told.some((n) => n.kind === 'patient-request' && /Föreslog ett mål/.test(n.summary)));

      const put = (content: unknown) =>
        s.nurse.send(
          'PUT',
          `${s.base}/contract`,
          { status: 'active', content },
          { 'if-match': `W/"${contract.version}"` },
        );
      const forged = await put({
        ...contract.content,
        whatMattersPatientWords: { text: 'Något annat', writtenAt: new Date().toISOString() },
      });
      assert.equal(forged.statusCode, 400);
      const rewritten = await put({
        ...contract.content,
        goals: contract.content.goals.map((g) => (g.proposedByPatient ? { ...g, text: 'Ändrat' } : g)),
      });
      assert.equal(rewritten.statusCode, 400);
      // Adopting: staff write their own text and goal, and clear the proposal.
      const adopted = await put({
        ...contract.content,
        whatMatters: 'Att orka leka med barnbarnen och promenera',
        whatMattersPatientWords: null,
        goals: contract.content.goals.map((g) =>
          g.proposedByPatient
            ? { id: g.id, text: 'Gå till affären själv, 1 km', ambition: 'forbattra', status: 'pagaende' }
            : g,
        ),
      });
      assert.equal(adopted.statusCode, 200, adopted.body);
      const now = adopted.json<Contract>().content;
      assert.equal(now.whatMattersPatientWords ?? null, null);
      assert.ok(now.goals.every((g) => g.proposedByPatient !== true));
    });

    it("carries the patient's words over when a staff save leaves them out", async () => {
      const s = await setUp();
      const words = await s.patient.send('POST', `${s.base}/contract/proposals`, { whatMatters: 'Min hund' });
      await s.patient.send('POST', `${s.base}/self-assessments`, {
        questionSetId: 'skr-7-fragor-patient',
        questionSetVersion: 1,
        items: [{ questionId: 'p1', answer: 'ja' }],
      });
      const current = (await s.nurse.get(`${s.base}/contract`)).json<Contract>();
      const { whatMattersPatientWords: _w, selfAssessment: _s, ...older } = current.content;
      const saved = await s.nurse.send(
        'PUT',
        `${s.base}/contract`,
        { status: 'active', content: { ...older, ifWorse: 'Ring 1177' } },
        { 'if-match': `W/"${current.version}"` },
      );
      assert.equal(saved.statusCode, 200, saved.body);
      const content = saved.json<Contract>().content;
      assert.deepEqual(
        content.whatMattersPatientWords,
        words.json<Contract>().content.whatMattersPatientWords,
      );
      assert.equal(content.selfAssessment?.items[0]?.answer, 'ja');
    });

    it('lets the patient withdraw a proposed goal, but not a goal of the plan', async () => {
      const s = await setUp();
      const res = await s.patient.send('POST', `${s.base}/contract/proposals`, {
        goal: { text: 'Sova bättre', ambition: 'lindra' },
      });
      const id = res.json<Contract>().content.goals.find((g) => g.proposedByPatient)!.id;
      const withdrawn = await s.patient.send('POST', `${s.base}/contract/proposals/goals/${id}/withdraw`);
      assert.equal(withdrawn.statusCode, 200, withdrawn.body);
      assert.deepEqual(
        withdrawn.json<Contract>().content.goals.map((g) => g.id),
        ['g1'],
      );
      const staffGoal = await s.patient.send('POST', `${s.base}/contract/proposals/goals/g1/withdraw`);
      assert.equal(staffGoal.statusCode, 404);
    });

    it("records a self-assessment beside staff's answers, and follow-up counts both", async () => {
      const s = await setUp();
      const current = (await s.nurse.get(`${s.base}/contract`)).json<Contract>();
      const staffAnswers = {
        questionSetId: 'skr-7-fragor-vardgivare',
        questionSetVersion: 1,
        answeredAt: new Date().toISOString(),
        items: [{ questionId: 'v4', answer: 'ja' as const }],
      };
      await s.nurse.send(
        'PUT',
        `${s.base}/contract`,
        { status: 'active', content: { ...current.content, answers: staffAnswers } },
        { 'if-match': `W/"${current.version}"` },
      );
      const res = await s.patient.send('POST', `${s.base}/self-assessments`, {
        questionSetId: 'skr-7-fragor-patient',
        questionSetVersion: 1,
        items: [
          { questionId: 'p4', answer: 'ja' },
          { questionId: 'p5', answer: 'nej' },
        ],
      });
      assert.equal(res.statusCode, 201, res.body);
      const contract = res.json<Contract>();
      assert.deepEqual(contract.content.answers, staffAnswers);
      assert.equal(contract.content.selfAssessment?.questionSetId, 'skr-7-fragor-patient');
      const version = await latestVersion(s.patient, s.base, contract.id);
      assert.equal(version.actor.kind, 'patient');
      assert.deepEqual(
        version.changes.map((c) => c.part),
        ['selfAssessment'],
      );
      const today = new Date().toISOString().slice(0, 10);
      const rows = await createFollowupStore(db).answers({
        from: '2000-01-01',
        to: `${Number(today.slice(0, 4)) + 1}-12-31`,
      });
      const mine = rows.filter((r) => r.unitId === s.unitId);
      const byQuestion = Object.fromEntries(
        mine.map((r) => [`${r.audience}/${r.questionId}`, [r.yes, r.answered]]),
      );
      assert.deepEqual(byQuestion, { 'patient/p4': [1, 1], 'patient/p5': [0, 1], 'vardgivare/v4': [1, 1] });
    });

    it('refuses answers to a set not meant for patients, or to questions not in the set', async () => {
      const s = await setUp();
      for (const body of [
        {
          questionSetId: 'fragebatteri-000',
          questionSetVersion: 1,
          items: [{ questionId: 'q4', answer: 'ja' }],
        },
        {
          questionSetId: 'skr-7-fragor-patient',
          questionSetVersion: 1,
          items: [{ questionId: 'q4', answer: 'ja' }],
        },
        {
          questionSetId: 'skr-7-fragor-patient',
          questionSetVersion: 9,
          items: [{ questionId: 'p1', answer: 'ja' }],
        },
        { questionSetId: 'skr-7-fragor-patient', questionSetVersion: 1, items: [] },
      ]) {
        const res = await s.patient.send('POST', `${s.base}/self-assessments`, body);
        assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
      }
      assert.equal((await s.patient.get(`${s.base}/contract`)).json<Contract>().version, 1);
    });

    it('tells staff to use their own view for patient actions', async () => {
      const s = await setUp();
      const res = await s.nurse.send('POST', `${s.base}/contract/responsibilities/r1`, { done: true });
      assert.equal(res.statusCode, 403);
      assert.match(res.json<{ error: { message: string } }>().error.message, /patienten själv/);
    });

    describe('närstående and ombud', () => {
      it('lets a named person read the plan until revoked, never write, logged with the basis proxy', async () => {
        const s = await setUp();
        const personnummer = makePersonnummer();
        const granted = await s.patient.send('POST', `${s.base}/proxies`, {
          personnummer,
          givenName: 'Bertil',
          familyName: 'Närstående',
          validTo: '2099-12-31',
        });
        assert.equal(granted.statusCode, 201, granted.body);
        const grantId = granted.json<{ id: string }>().id;
        // Not registered before: a minimal patient row lets them log in as themselves.
        const proxy = await login(app, { personnummer });
        const me = (await proxy.get('/api/me')).json<{ patientId: string }>();
        const represented = await proxy.get('/api/me/represented');
        assert.equal(represented.statusCode, 200);
        assert.deepEqual(
          represented
            .json<{ represented: { patientId: string; grantId: string }[] }>()
            .represented.map((r) => [r.patientId, r.grantId]),
          [[s.patientId, grantId]],
        );
        const read = await proxy.get(`${s.base}/overview`);
        assert.equal(read.statusCode, 200);
        const log = await db.query<{ actor_id: string; legal_basis: string; action: string }>(
          'select actor_id, legal_basis, action from access_log where request_id = $1',
          [read.headers['x-request-id']],
        );
        assert.deepEqual(log, [{ actor_id: me.patientId, legal_basis: 'proxy', action: 'read' }]);
        // The patient sees the read in their own log, by name; their own reads are not listed.
        const ownLog = (await s.patient.get('/api/me/access-log')).json<{
          entries: { action: string; proxyName: string | null }[];
        }>().entries;
        assert.deepEqual(
          ownLog.filter((e) => e.proxyName !== null).map((e) => [e.action, e.proxyName]),
          // The list of plans they may read, then the overview.
          [
            ['read', 'Bertil Närstående'],
            ['read', 'Bertil Närstående'],
          ],
        );
        // Never a write, nor the list of grants.
        for (const [url, body] of [
          [`${s.base}/contract/responsibilities/r1`, { done: true }],
          [`${s.base}/contract/proposals`, { whatMatters: 'x' }],
          [`${s.base}/proxies`, { personnummer, givenName: 'A', familyName: 'B', validTo: '2099-01-01' }],
        ] as const) {
          const res = await proxy.send('POST', url, body);
          assert.equal(res.statusCode, 404, `${url}: ${res.body}`);
        }
        assert.equal((await proxy.get(`${s.base}/proxies`)).statusCode, 404);
        assert.equal(
          (await proxy.get(`${s.base}/consents`)).statusCode,
          404,
          'nor whom the patient lets read',
        );
        assert.equal(
          (await proxy.get(`${s.base}/blocks`)).statusCode,
          404,
          'nor where the patient has spärr',
        );
        assert.equal((await s.patient.get(`${s.base}/contract`)).json<Contract>().version, 1);
        // Revoked: denied at the next request.
        const revoked = await s.patient.send('POST', `${s.base}/proxies/${grantId}/revoke`);
        assert.equal(revoked.statusCode, 204);
        assert.equal((await proxy.get(`${s.base}/overview`)).statusCode, 404);
        assert.deepEqual((await proxy.get('/api/me/represented')).json(), { represented: [] });
        const list = (await s.patient.get(`${s.base}/proxies`)).json<{
          proxies: { id: string; isActive: boolean; revokedAt: string | null }[];
        }>().proxies;
        assert.equal(list.length, 1);
        assert.equal(list[0]!.isActive, false);
        assert.ok(list[0]!.revokedAt);
      });

      it('ends the access when the end date has passed', async () => {
        const s = await setUp();
        const personnummer = makePersonnummer();
        const granted = await s.patient.send('POST', `${s.base}/proxies`, {
          personnummer,
          givenName: 'Cecilia',
          familyName: 'Ombud',
          validTo: '2099-12-31',
        });
        const proxy = await login(app, { personnummer });
        assert.equal((await proxy.get(`${s.base}/overview`)).statusCode, 200);
        await db.query(`update proxy_grant set valid_to = now() - interval '1 minute' where id = $1`, [
          granted.json<{ id: string }>().id,
        ]);
        assert.equal((await proxy.get(`${s.base}/overview`)).statusCode, 404);
        assert.deepEqual((await proxy.get('/api/me/represented')).json(), { represented: [] });
      });

      it('shows the name the patient gave, not whether or how the person was registered', async () => {
        const s = await setUp();
        // Not registered: a row is made with the name given.
        const res = await s.patient.send('POST', `${s.base}/proxies`, {
          personnummer: makePersonnummer(),
          givenName: 'Dora',
          familyName: 'Dotter',
          validTo: '2099-06-30',
        });
        assert.equal(res.statusCode, 201);
        // A registered person: their row is used, the name given is shown.
        const registered = makePersonnummer();
        await db.query(
          `insert into patient (identifier, identifier_kind, given_name, family_name) values ($1, 'personnummer', 'Registrerad', 'Person')`,
          [registered.replace('-', '')],
        );
        const again = await s.patient.send('POST', `${s.base}/proxies`, {
          personnummer: registered,
          givenName: 'Erik',
          familyName: 'Son',
          validTo: '2099-06-30',
        });
        assert.equal(again.statusCode, 201, again.body);
        const names = (await s.patient.get(`${s.base}/proxies`))
          .json<{ proxies: { granteeName: string }[] }>()
          .proxies.map((p) => p.granteeName)
          .sort();
        assert.deepEqual(names, ['Dora Dotter', 'Erik Son']);
      });

      it('replaces an earlier grant to the same person', async () => {
        const s = await setUp();
        const personnummer = makePersonnummer();
        const body = { personnummer, givenName: 'Fia', familyName: 'Fransson' };
        await s.patient.send('POST', `${s.base}/proxies`, { ...body, validTo: '2099-01-31' });
        const second = await s.patient.send('POST', `${s.base}/proxies`, { ...body, validTo: '2099-12-31' });
        assert.equal(second.statusCode, 201);
        const list = (await s.patient.get(`${s.base}/proxies`)).json<{
          proxies: { id: string; isActive: boolean; validTo: string }[];
        }>().proxies;
        assert.deepEqual(
          list.map((p) => p.isActive),
          [true, false],
        );
        assert.equal(list[0]!.id, second.json<{ id: string }>().id);
        // Through the end of the day, Swedish time: 2099-12-31 24:00 CET.
        assert.equal(list[0]!.validTo, '2099-12-31T23:00:00.000Z');
      });

      it('refuses a grant to oneself, or one that has already ended', async () => {
        const s = await setUp();
        const own = await s.patient.send('POST', `${s.base}/proxies`, {
          personnummer: await identifierOf(s.patientId),
          givenName: 'Jag',
          familyName: 'Själv',
          validTo: '2099-12-31',
        });
        assert.equal(own.statusCode, 400);
        const past = await s.patient.send('POST', `${s.base}/proxies`, {
          personnummer: makePersonnummer(),
          givenName: 'Gammal',
          familyName: 'Grant',
          validTo: '2020-01-01',
        });
        assert.equal(past.statusCode, 400);
        const rows = await db.query('select 1 from proxy_grant where patient_id = $1', [s.patientId]);
        assert.equal(rows.length, 0);
      });

      it('lets staff with a care relationship record a grant on the patient’s behalf', async () => {
        const s = await setUp();
        const res = await s.nurse.send('POST', `${s.base}/proxies`, {
          personnummer: makePersonnummer(),
          givenName: 'Hanna',
          familyName: 'Ombud',
          validTo: '2099-12-31',
        });
        assert.equal(res.statusCode, 201, res.body);
        const list = (await s.patient.get(`${s.base}/proxies`)).json<{
          proxies: { createdByKind: string }[];
        }>();
        assert.deepEqual(
          list.proxies.map((p) => p.createdByKind),
          ['staff'],
        );
      });
    });
  });
}
