/**
 * The hot write takes three round trips to the database (docs/architecture.md, "The path of one
 * request"): the session statement with the access facts and the current contract, the access-log
 * entry, and the one conditional write. The FHIR save of the same contract reads the current
 * contract itself, once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, withActiveContract } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { sampleContent } from './helpers/factories.ts';
import type { Db, Queryable } from '../src/store/db.ts';

/** `db`, counting every statement sent (a transaction's `begin` and `commit` count too). */
function counted(db: Db): { db: Db; count: () => number } {
  let n = 0;
  const wrap = (q: Queryable): Queryable =>
    new Proxy(q, {
      get(target, key, receiver) {
        if (key === 'query')
          return (sql: string, params?: unknown[]) => {
            n += 1;
            return target.query(sql, params);
          };
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
  const proxy = new Proxy(db, {
    get(target, key, receiver) {
      if (key === 'query') return wrap(target).query.bind(null);
      if (key === 'transaction')
        return <T>(fn: (tx: Queryable) => Promise<T>, options?: Parameters<Db['transaction']>[1]) => {
          n += 2;
          return target.transaction((tx) => fn(wrap(tx)), options);
        };
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { db: proxy, count: () => n };
}

for (const engine of testEngines) {
  describe(`round trips of a contract save on ${engine.name}`, () => {
    let raw: Db;
    let app: FastifyInstance;
    let statements: ReturnType<typeof counted>;
    before(async () => {
      raw = await engine.open();
      statements = counted(raw);
      app = await buildTestApp(statements.db);
    });
    after(async () => {
      await app.close();
      await raw.close();
    });

    it('saves a new version of the contract in three round trips', async () => {
      const { w, nurse } = await withActiveContract(app, raw);
      // The first request of a session may also move its idle timer; the next ones do not.
      await nurse.get(`/api/patients/${w.patientId}/contract`);
      const countBefore = statements.count();
      const res = await nurse.send(
        'PUT',
        `/api/patients/${w.patientId}/contract`,
        { status: 'active', content: sampleContent(w.unitId, { whatMatters: 'Tre rundor' }) },
        { 'if-match': 'W/"1"' },
      );
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(statements.count() - countBefore, 3);
    });
  });
}
