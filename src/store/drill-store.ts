/**
 * What the operations drills (src/cli/restore-drill.ts, src/cli/upgrade-drill.ts) ask of a
 * database: a census of its tables, a sample of patients to log accesses about, and creating and
 * dropping a scratch database on a PostgreSQL server.
 */
import pg from 'pg';
import type { Queryable } from './db.ts';

/** The row count of every table of the current schema (partitions counted in their parent). */
export async function tableCounts(db: Queryable): Promise<Record<string, number>> {
  const tables = await db.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition
     order by c.relname`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    // `only`: an inheriting child (the access-log archive) is counted on its own, once.
    const rows = await db.query<{ n: number }>(`select count(*)::int as n from only "${name}"`);
    counts[name] = rows[0]!.n;
  }
  return counts;
}

/** Up to `n` patients with a unit they are listed at and a member of staff there. */
export async function samplePatients(
  db: Queryable,
  n: number,
): Promise<{ patientId: string; unitId: string; providerId: string; staffId: string }[]> {
  return db.query(
    `select p.id as "patientId", u.id as "unitId", u.provider_id as "providerId",
            (select su.staff_id from staff_unit su where su.unit_id = u.id order by su.staff_id limit 1) as "staffId"
     from patient p join care_unit u on u.id = p.listed_unit_id
     where exists (select 1 from staff_unit su where su.unit_id = u.id)
     order by p.id limit $1`,
    [n],
  );
}

/** The URL of database `name` on the server of `url`. */
export function databaseUrlFor(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const safeName = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Not a database name: ${name}`);
  return name;
};

/** Creates an empty database on the server of `url` (as the user of `url`). */
export async function createDatabase(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create database ${safeName(name)}`);
  } finally {
    await client.end();
  }
}

/** Drops a database made by createDatabase, if it exists. */
export async function dropDatabase(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop database if exists ${safeName(name)} with (force)`);
  } finally {
    await client.end();
  }
}

/** Copies a database on the server of `url` (`create database … template …`; no one may be connected to `from`). */
export async function copyDatabase(url: string, from: string, to: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create database ${safeName(to)} template ${safeName(from)}`);
  } finally {
    await client.end();
  }
}

/**
 * Fills the access log with `n` rows about the database's patients, spread over the last six
 * years, for the upgrade drill's size only: their hashes are no chain (audit:verify refuses
 * them), so this is never run on a database that matters. Written with the columns every
 * release's access_log has.
 */
export async function fillAccessLog(db: Queryable, n: number): Promise<void> {
  await db.query(
    `with head as (select seq from access_log_head where id = 1),
          p as (select array_agg(id) as ids from patient)
     insert into access_log (seq, at, action, actor_kind, actor_id, unit_id, provider_id, patient_id,
       outcome, legal_basis, is_emergency, request_id, route, detail, prev_hash, hash)
     select head.seq + g, now() - ((($1::bigint - g) * 189216000) / $1::bigint) * interval '1 second', 'read', 'staff',
       'drill-staff', null, null, p.ids[1 + (g % greatest(array_length(p.ids, 1), 1))], 'allowed', 'own-unit',
       false, 'drill-' || g, 'GET /api/patients/:patientId/overview', null, 'drill', 'drill'
     from head, p, generate_series(1, $1::bigint) as g`,
    [n],
  );
  await db.query('update access_log_head set seq = (select max(seq) from access_log) where id = 1');
}
