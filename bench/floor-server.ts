/**
 * The floor server (bench/floor.ts runs it as a child process): the same web framework and
 * PostgreSQL driver as the product, with nothing of the product in between, so that what it
 * reaches is the most any server of this design can reach on this machine. No session, no
 * access decision, no access log. Prints one line `{"port": N}` when it listens.
 *
 * Routes (each is one floor of bench/floor.ts):
 * - GET /static: the answer of a contract read (a ~2.4 kB JSON text), without the database;
 * - GET /read/:patientId: one statement, the patient's current contract as JSON text;
 * - GET /session-read/:patientId: the product's own read statement (session, access facts and
 *   the overview in one, store/prefetch-store.ts, sql-snapshots/prefetch-overview.sql) through the product's
 *   store, for a session this server opens at start; the overview JSON is sent as the product
 *   sends it, without an access decision or a log entry. What the database costs the product's
 *   read, with almost nothing of the product's JavaScript around it. The session is of the
 *   first member of staff in the database, and most patients read are not theirs: the facts are
 *   read the same either way, but the route does not decide access;
 * - PUT /write/:n: one committed statement, a ~2.4 kB JSON document written to row n of a
 *   scratch table (bench_floor_write, created by bench/floor.ts), as a contract save writes one.
 */
import Fastify from 'fastify';
import pg from 'pg';
import { openDb } from '../src/store/db.ts';
import { createPrefetchStore } from '../src/store/prefetch-store.ts';
import { createSessionStore } from '../src/store/session-store.ts';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is required');
const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(process.env.FLOOR_POOL ?? 8) });
const body = JSON.stringify({ filler: 'x'.repeat(2_360) });

// The product's store on its own pool of the same size, and a session of a member of staff.
const db = await openDb({ databaseUrl, poolSize: Number(process.env.FLOOR_POOL ?? 8) });
const sessions = createSessionStore(db, { idleSeconds: 3600, absoluteSeconds: 3600 });
const staff = (
  await db.query<{ staffId: string; unitId: string }>(
    `select su.staff_id as "staffId", su.unit_id as "unitId" from staff_unit su join staff s on s.id = su.staff_id
     where s.is_active order by su.staff_id, su.unit_id limit 1`,
  )
)[0];
if (!staff) throw new Error('no staff in the database');
const prefetch = createPrefetchStore(db, { sessions, idleSeconds: 3600 });
const token = await sessions.create({ kind: 'staff', id: staff.staffId, unitId: staff.unitId });

const app = Fastify({ logger: false });
app.get('/static', async (_request, reply) => reply.type('application/json').send(body));
app.get<{ Params: { patientId: string } }>('/read/:patientId', async (request, reply) => {
  const { rows } = await pool.query<{ json: string }>({
    name: 'floor_read',
    text: `select content::text as json from contract where patient_id = $1 and status <> 'ended'`,
    values: [request.params.patientId],
  });
  return reply.type('application/json').send(rows[0]?.json ?? '{}');
});
app.get<{ Params: { patientId: string } }>('/session-read/:patientId', async (request, reply) => {
  const resolved = await prefetch.read(token, request.params.patientId, 'overview');
  const overview = resolved?.read.kind === 'overview' ? resolved.read.overview : null;
  // A session that no longer resolves would otherwise count as a fast success.
  if (!resolved) return reply.status(500).send({ error: 'the floor session did not resolve' });
  return reply.type('application/json').send(overview?.json ?? '{}');
});
app.put<{ Params: { n: string }; Body: unknown }>('/write/:n', async (request, reply) => {
  await pool.query({
    name: 'floor_write',
    text: 'update bench_floor_write set version = version + 1, content = $2 where n = $1',
    values: [Number(request.params.n), request.body],
  });
  return reply.status(204).send();
});

const stop = async (): Promise<void> => {
  await app.close();
  await sessions.end(token);
  await pool.end();
  await db.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.stdin.resume();
process.stdin.on('end', () => void stop());

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
if (address === null || typeof address === 'string') throw new Error('no TCP address');
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
