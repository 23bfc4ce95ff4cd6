/**
 * No list is sent whole. Every GET route of the API (its OpenAPI document) either returns one
 * thing, or a set bounded by something other than use (named below, with the reason), or takes
 * `limit` with a maximum it enforces: a limit above it is refused, and the store never reads more.
 * A new route has to be placed in one of these. And a contract's history after heavy editing
 * (more versions than a page may hold) comes a page at a time, newest first, with the URL of the
 * next page; paging through reaches every version exactly once.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { before, describe, it } from 'node:test';
import type { Db } from '../src/store/db.ts';
import { login, openTestApp, type Client } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makeStaff, makeWorld, sampleContent } from './helpers/factories.ts';

/** GET routes that answer one thing (an object, a stream), not a list. */
const SINGLE = new Set([
  '/api/health',
  '/metrics',
  '/api/me',
  '/auth/session',
  '/api/events',
  '/auth/config',
  '/auth/csrf',
  '/auth/staff/login',
  '/auth/staff/callback',
  '/auth/patient/login',
  '/auth/patient/callback',
  '/launch',
  '/launch/callback',
  '/launch/resume',
  '/api/patients/{patientId}',
  '/api/patients/{patientId}/overview',
  '/api/patients/{patientId}/contract',
  '/api/teams/{teamId}',
  '/api/patients/{patientId}/akutblad',
  '/api/assessment-config',
]);

/** GET routes whose lists are bounded by something other than use, and why. */
const BOUNDED_OTHERWISE: Record<string, string> = {
  '/api/units': "the region's directory, not what users do",
  '/auth/units': "the region's directory, not what users do",
  '/api/question-sets': 'the current version of each question set',
  '/auth/dev/users': 'the fixed demo users',
  '/api/followup/{section}':
    'figures per unit and month of one year: bounded by the directory and the calendar',
  '/api/admin/ehr-systems':
    "the region's registry of journal systems (a handful), kept by a systemförvaltare",
  '/api/admin/smart-clients':
    "the region's registered integrations, kept by a systemförvaltare (the store reads at most 1000)",
  '/api/audit/sample': '`size`, at most 999 by its schema',
  '/api/patients/{patientId}/mobile-care':
    "one patient's mobile care: each of its lists holds at most 50, the newest (services/enrolment-service.ts)",
};

/** GET routes that still answer a list whole. Each one here is a known gap, not a decision. */
const NOT_YET_BOUNDED: Record<string, string> = {
  '/api/patients/{patientId}/blocks':
    'hasOtherBlocks is computed over every block, lifted ones too; needs its own query before a limit',
};

interface OpenApi {
  paths: Record<
    string,
    { get?: { parameters?: { in: string; name: string; required?: boolean; description?: string }[] } }
  >;
}

const MAX = 100;
const VERSIONS = MAX + 30;

for (const engine of testEngines) {
  describe(`every list route on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it('takes a limit with a maximum, unless it returns one thing or its bound is named', () => {
      const doc = app.swagger() as unknown as OpenApi;
      const unplaced: string[] = [];
      for (const [path, item] of Object.entries(doc.paths)) {
        if (!item.get || SINGLE.has(path) || path in BOUNDED_OTHERWISE || path in NOT_YET_BOUNDED) continue;
        const limit = item.get.parameters?.find((p) => p.in === 'query' && p.name === 'limit');
        if (!/at most \d+/.test(limit?.description ?? '')) unplaced.push(path);
      }
      assert.deepEqual(unplaced, [], 'GET routes without a bounded limit');
    });

    it('refuses a limit above the maximum on every route that takes one', async () => {
      const w = await makeWorld(db);
      const [patient] = await db.query<{ identifier: string }>(
        'select identifier from patient where id = $1',
        [w.patientId],
      );
      // Administration decides the role before its query is read: its lists are asked by a systemförvaltare.
      const adminId = await makeStaff(db, w.unitId, 'administrator');
      await db.query("update staff_unit set role = 'systemforvaltare' where staff_id = $1", [adminId]);
      const clients = [
        await login(app, { hsaId: w.nurseId }),
        await login(app, { personnummer: patient!.identifier }),
        await login(app, { hsaId: adminId }),
      ];
      const doc = app.swagger() as unknown as OpenApi;
      const checked: string[] = [];
      for (const [path, item] of Object.entries(doc.paths)) {
        const limit = item.get?.parameters?.find((p) => p.in === 'query' && p.name === 'limit');
        const max = Number(/at most (\d+)/.exec(limit?.description ?? '')?.[1]);
        if (!max) continue;
        checked.push(path);
        const required = (item.get?.parameters ?? [])
          .filter((p) => p.in === 'query' && p.required && p.name !== 'limit')
          .map((p) => `&${p.name}=a`)
          .join('');
        const url = `${path.replace(/\{patientId\}/g, w.patientId).replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000')}?limit=${max + 1}${required}`;
        const answers = await Promise.all(clients.map((c) => c.get(url)));
        const refused = answers.some((res) => res.statusCode === 400);
        // A route may instead cap the page: then no list in the answer is longer than the maximum.
        const capped = answers.some(
          (res) =>
            res.statusCode === 200 &&
            Object.values(res.json<Record<string, unknown>>()).every(
              (v) => !Array.isArray(v) || v.length <= max,
            ),
        );
        assert.ok(refused || capped, `${url}: ${answers.map((a) => a.statusCode).join(', ')}`);
      }
      assert.ok(checked.length >= 14, `only ${checked.length} routes take a limit: ${checked.join(', ')}`);
    });
  });
}

interface Page {
  versions: { version: number; changes: unknown[] }[];
  next: string | null;
}

for (const engine of testEngines) {
  describe(`the version history on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));
    let nurse: Client;
    let url: string;

    before(async () => {
      // Drafts: what an active contract must hold is not what this is about.
      const w = await makeWorld(db);
      nurse = await login(app, { hsaId: w.nurseId });
      const created = await nurse.send('POST', `/api/patients/${w.patientId}/contract`, {
        status: 'draft',
        content: sampleContent(w.unitId),
      });
      assert.equal(created.statusCode, 201, created.body);
      const contractId = created.json<{ id: string }>().id;
      for (let version = 1; version < VERSIONS; version++) {
        const res = await nurse.send(
          'PUT',
          `/api/patients/${w.patientId}/contract`,
          { status: 'draft', content: sampleContent(w.unitId, { whatMatters: `Ändring ${version}` }) },
          { 'if-match': `"${version}"` },
        );
        assert.equal(res.statusCode, 200, res.body);
      }
      url = `/api/patients/${w.patientId}/contracts/${contractId}/versions`;
    });

    it('answers the newest 20 versions when no limit is given, with the next page', async () => {
      const page = (await nurse.get(url)).json<Page>();
      assert.deepEqual(
        page.versions.map((v) => v.version),
        Array.from({ length: 20 }, (_, i) => VERSIONS - i),
      );
      assert.equal(page.next, `${url}?limit=20&before=${VERSIONS - 19}`);
    });

    it('never answers more than the maximum, and refuses a limit above it or below 1', async () => {
      const page = (await nurse.get(`${url}?limit=${MAX}`)).json<Page>();
      assert.equal(page.versions.length, MAX);
      for (const limit of [MAX + 1, 100_000, 0]) {
        const res = await nurse.get(`${url}?limit=${limit}`);
        assert.equal(res.statusCode, 400, `limit=${limit}`);
        assert.equal(res.json<{ error: { code: string } }>().error.code, 'invalid_input');
      }
    });

    it('reaches every version exactly once by following next, each with what changed in it', async () => {
      const seen: number[] = [];
      let next: string | null = `${url}?limit=7`;
      while (next) {
        const res = await nurse.get(next);
        assert.equal(res.statusCode, 200, res.body);
        const page: Page = res.json<Page>();
        assert.ok(page.versions.length <= 7);
        for (const v of page.versions) {
          seen.push(v.version);
          // Only version 1 has nothing before it: the page's oldest still shows its changes.
          if (v.version > 1) assert.ok(v.changes.length > 0, `version ${v.version} lists its changes`);
        }
        next = page.next;
      }
      assert.deepEqual(
        seen,
        Array.from({ length: VERSIONS }, (_, i) => VERSIONS - i),
      );
    });
  });
}
