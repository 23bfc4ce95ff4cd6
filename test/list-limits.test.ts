/**
 * No list is sent whole: a contract's history after heavy editing (more versions than a page may
 * hold) comes a page at a time, newest first, with the URL of the next page, and a limit above
 * the maximum is refused. Paging through reaches every version exactly once.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { before, describe, it } from 'node:test';
import type { Db } from '../src/store/db.ts';
import { login, openTestApp, withActiveContract, type Client } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { sampleContent } from './helpers/factories.ts';

const MAX = 100;
const VERSIONS = MAX + 30;

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
      const { w, contractId } = await withActiveContract(app, db);
      nurse = await login(app, { hsaId: w.nurseId });
      for (let version = 1; version < VERSIONS; version++) {
        const res = await nurse.send(
          'PUT',
          `/api/patients/${w.patientId}/contract`,
          { status: 'active', content: sampleContent(w.unitId, { whatMatters: `Ändring ${version}` }) },
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
