/**
 * The import routes' bounds over HTTP (docs/imports.md, "Limits"): every kind in every format is
 * refused with 413 above IMPORT_MAX_BYTES, whether the Content-Length says so or the count finds
 * it, and a line longer than the bound gets a small answer naming it; nothing is written.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { MAX_LINE_BYTES } from '../src/domain/import-bounds.ts';
import type { Db } from '../src/store/db.ts';
import { buildTestApp, login, type Client } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makeStaff, makeWorld } from './helpers/factories.ts';

const MAX = 1024 * 1024;
const types = { csv: 'text/csv', ndjson: 'application/x-ndjson' } as const;

for (const engine of testEngines) {
  describe(`import limits on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let analyst: Client;
    before(async () => {
      db = await engine.open();
      app = await buildTestApp(db, () => new Date('2025-06-01T10:00:00Z'), { IMPORT_MAX_BYTES: String(MAX) });
      const w = await makeWorld(db);
      const analystId = await makeStaff(db, w.unitId, 'administrator');
      await db.query("update staff_unit set role = 'uppfoljning' where staff_id = $1", [analystId]);
      analyst = await login(app, { hsaId: analystId });
    });
    after(async () => {
      await app.close();
      await db.close();
    });
    const runs = async (): Promise<number> =>
      (await db.query<{ n: number }>('select count(*)::int as n from import_run'))[0]!.n;

    for (const kind of ['visits', 'population'] as const)
      for (const format of ['csv', 'ndjson'] as const) {
        const line = format === 'csv' ? 'personnummer,tidpunkt\n' : '{"personnummer":"x"}\n';
        const body = line.repeat(Math.ceil((MAX + 1) / line.length));

        it(`refuses a ${format} body of ${kind} over the limit by its Content-Length, with 413`, async () => {
          const res = await analyst.send('POST', `/api/imports/${kind}`, body, {
            'content-type': types[format],
          });
          assert.equal(res.statusCode, 413, res.body);
          assert.equal(res.json<{ error: { code: string } }>().error.code, 'file_too_large');
          assert.match(
            res.json<{ error: { message: string } }>().error.message,
            /större än 1\s048\s576 byte/,
          );
        });

        it(`refuses a ${format} body of ${kind} over the limit sent without a length, with 413, writing nothing`, async () => {
          const before = await runs();
          const res = await analyst.send(
            'POST',
            `/api/imports/${kind}`,
            Readable.from([Buffer.from(body.slice(0, 5000)), Buffer.from(body.slice(5000))]),
            { 'content-type': types[format] },
          );
          assert.equal(res.statusCode, 413, res.body);
          assert.equal(await runs(), before);
        });

        it(`answers a ${format} line of ${kind} longer than the bound in a few hundred bytes, naming its line`, async () => {
          const before = await runs();
          const text = `${format === 'csv' ? 'personnummer,tidpunkt\n' : ''}${'a'.repeat(MAX_LINE_BYTES * 4)}\n`;
          const res = await analyst.send('POST', `/api/imports/${kind}`, text, {
            'content-type': types[format],
          });
          assert.equal(res.statusCode, 422, res.body.slice(0, 300));
          assert.ok(res.body.length < 1000, `${res.body.length} bytes`);
          assert.equal(res.json<{ errors: { line: number }[] }>().errors[0]!.line, format === 'csv' ? 2 : 1);
          assert.equal(await runs(), before);
        });
      }
  });
}
