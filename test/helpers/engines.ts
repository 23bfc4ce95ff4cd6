/**
 * The database engines every store and API test runs on: PGlite always, and PostgreSQL when
 * TEST_DATABASE_URL is set. Each test file gets a fresh database (PGlite in memory, or a
 * schema of its own on the server), so files run in parallel without clean-up.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, openDb, type Db } from '../../src/store/db.ts';

export interface TestEngine {
  name: 'pglite' | 'postgres';
  /** A migrated, empty database. Call `close` when done (it also drops the schema). */
  open(): Promise<Db>;
}

const url = process.env.TEST_DATABASE_URL;

export const testEngines: TestEngine[] = [
  {
    name: 'pglite',
    async open() {
      const db = await openDb({});
      await migrate(db);
      return db;
    },
  },
  ...(url
    ? [
        {
          name: 'postgres' as const,
          async open(): Promise<Db> {
            const schema = `t_${randomBytes(6).toString('hex')}`;
            const admin = new pg.Client({ connectionString: url });
            await admin.connect();
            await admin.query(`create schema ${schema}`);
            await admin.end();
            const db = await openDb({ databaseUrl: url, schema, poolSize: 60 });
            await migrate(db);
            return {
              ...db,
              async close() {
                await db.close();
                const c = new pg.Client({ connectionString: url });
                await c.connect();
                await c.query(`drop schema ${schema} cascade`);
                await c.end();
              },
            };
          },
        },
      ]
    : []),
];
