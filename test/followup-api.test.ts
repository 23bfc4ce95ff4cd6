/** Follow-up over HTTP: imports and figures, only for the roles allowed, every request logged. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../src/store/db.ts';
import { buildTestApp, login, type Client } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makePatient, makeProvider, makeStaff, makeUnit, makeWorld } from './helpers/factories.ts';

const clock = () => new Date('2025-06-01T10:00:00Z');

for (const engine of testEngines) {
  describe(`follow-up API on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let w: Awaited<ReturnType<typeof makeWorld>>;
    let analyst: Client;
    let analystId: string;
    before(async () => {
      db = await engine.open();
      app = await buildTestApp(db, clock);
      w = await makeWorld(db);
      analystId = await makeStaff(db, w.unitId, 'administrator');
      await db.query("update staff_unit set role = 'uppfoljning' where staff_id = $1", [analystId]);
      analyst = await login(app, { hsaId: analystId });
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    const csvOf = async (patientId: string, staffId: string, unitId: string): Promise<string> => {
      const pnr = (
        await db.query<{ identifier: string }>('select identifier from patient where id = $1', [patientId])
      )[0]!.identifier;
      return [
        'personnummer,tidpunkt,enhet,personal,yrke,kontakttyp',
        `${pnr},2025-03-04 09:30,${unitId},${staffId},lakare,besok`,
        `${pnr},2025-04-04 09:30,${unitId},${staffId},lakare,besok`,
      ].join('\n');
    };

    it('imports visits from a CSV body and answers with the counts; again, nothing changes', async () => {
      const csv = await csvOf(w.patientId, w.doctorId, w.unitId);
      const first = await analyst.send('POST', '/api/imports/visits?source=besok.csv', csv, {
        'content-type': 'text/csv',
      });
      assert.equal(first.statusCode, 200, first.body);
      assert.deepEqual(
        (({ imported, skippedDuplicates, errors }) => ({ imported, skippedDuplicates, errors }))(
          first.json<{ imported: number; skippedDuplicates: number; errors: unknown[] }>(),
        ),
        { imported: 2, skippedDuplicates: 0, errors: [] },
      );
      const again = await analyst.send('POST', '/api/imports/visits', csv, { 'content-type': 'text/csv' });
      assert.equal(again.json<{ skippedDuplicates: number }>().skippedDuplicates, 2);
      const logged = await db.query(
        "select detail from access_log where actor_id = $1 and action = 'import'",
        [analystId],
      );
      assert.equal(logged.length, 2);
    });

    it('answers 422 with line and field when a row is wrong, and writes nothing', async () => {
      const ndjson = `${JSON.stringify({ personnummer: 'PK0000000009', tidpunkt: '2025-03-04 09:30', enhet: w.unitId, personal: w.doctorId, yrke: 'lakare', kontakttyp: 'besok' })}\n`;
      const res = await analyst.send('POST', '/api/imports/visits', ndjson, {
        'content-type': 'application/x-ndjson',
      });
      assert.equal(res.statusCode, 422);
      assert.deepEqual(res.json<{ errors: unknown[] }>().errors, [
        { line: 1, field: 'personnummer', message: 'Personen finns inte i registret.' },
      ]);
    });

    it('refuses imports and figures to staff without a follow-up role', async () => {
      const nurse = await login(app, { hsaId: w.nurseId });
      const imp = await nurse.send('POST', '/api/imports/visits', 'personnummer\n', {
        'content-type': 'text/csv',
      });
      assert.equal(imp.statusCode, 403);
      assert.equal((await nurse.get('/api/followup/report')).statusCode, 403);
    });

    it('gives the report as JSON, CSV and a printable page, logging each request', async () => {
      const json = await analyst.get('/api/followup/report?from=2025-01-01&to=2025-05-31');
      assert.equal(json.statusCode, 200, json.body);
      const ids = json.json<{ tables: { id: string }[] }>().tables.map((t) => t.id);
      assert.ok(
        ['fast-lakarkontakt', 'sabo', 'kontinuitet', 'vardgaranti', 'kontrakt', 'fragor'].every((id) =>
          ids.includes(id),
        ),
      );
      const csv = await analyst.get('/api/followup/kontinuitet?format=csv&table=kontinuitet');
      assert.equal(csv.statusCode, 200);
      assert.match(csv.headers['content-type'] as string, /^text\/csv/);
      assert.match(csv.body, /^\uFEFFniva,id,namn,patienter,coc/);
      const html = await analyst.get('/api/followup/report?format=html');
      assert.match(
        html.headers['content-security-policy'] as string,
        /^default-src 'none'; style-src 'sha256-/,
      );
      assert.match(html.body, /<h1>Uppföljning/);
      const logged = await db.query("select 1 from access_log where actor_id = $1 and action = 'export'", [
        analystId,
      ]);
      assert.equal(logged.length, 3);
    });

    it('lets a verksamhetschef see their own care provider, not another', async () => {
      const chiefId = await makeStaff(db, w.unitId, 'lakare');
      await db.query("update staff_unit set role = 'verksamhetschef' where staff_id = $1", [chiefId]);
      const chief = await login(app, { hsaId: chiefId });
      const own = await chief.get(`/api/followup/fast-lakarkontakt?unitId=${w.otherUnitId}`);
      assert.equal(own.statusCode, 200, own.body);
      const otherUnit = await makeUnit(db, await makeProvider(db, 'privat'));
      await makePatient(db, otherUnit);
      assert.equal((await chief.get(`/api/followup/fast-lakarkontakt?unitId=${otherUnit}`)).statusCode, 403);
      const all = await chief.get('/api/followup/fast-lakarkontakt');
      const rows = all.json<{ tables: { rows: { id: string | null }[] }[] }>().tables[0]!.rows;
      assert.ok(!rows.some((r) => r.id === otherUnit), 'units of other providers are not listed');
    });

    it('refuses a period that ends before it starts', async () => {
      const res = await analyst.get('/api/followup/report?from=2025-05-01&to=2025-01-01');
      assert.equal(res.statusCode, 400);
    });
  });
}
