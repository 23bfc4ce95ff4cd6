/**
 * The statements that write the demo region (src/seed/): rows of any table as one JSON parameter
 * through `json_to_recordset` (the same on PGlite and PostgreSQL, and a million patients in a few
 * hundred statements), and the marker of a finished seeding. What to write is the seed's.
 */
import type { Queryable } from './db.ts';

export function createSeedStore(db: Queryable) {
  return {
    /**
     * Inserts `rows` into `table`, skipping those already there (`on conflict do nothing`);
     * `columns` names each column with its type (`id uuid, name text`), in the rows' keys.
     * Returns the values of `returning` for the rows inserted, if asked.
     */
    async insertRows(
      table: string,
      columns: string,
      rows: readonly object[],
      returning?: string,
    ): Promise<string[]> {
      if (rows.length === 0) return [];
      const names = columns
        .split(',')
        .map((c) => c.trim().split(/\s+/)[0])
        .join(', ');
      const result = await db.query<{ r: string }>(
        `insert into ${table} (${names}) select ${names} from json_to_recordset($1::json) as x(${columns})
         on conflict do nothing${returning ? ` returning ${returning} as r` : ''}`,
        [JSON.stringify(rows)],
      );
      return result.map((row) => row.r);
    },

    /** Creates the monthly partitions of `visit` (migration 009) the instants fall in. */
    async addVisitPartitions(instants: readonly string[]): Promise<void> {
      if (instants.length === 0) return;
      await db.query(
        'select visit_add_partitions(array(select distinct visit_month(t) from unnest($1::timestamptz[]) t))',
        [instants],
      );
    },

    /** True when a seeding of the region has finished (its marker, migration 010, is written last). */
    async isSeeded(regionId: string): Promise<boolean> {
      const rows = await db.query<{ seeded: boolean }>(
        'select exists (select 1 from demo_seed where region_id = $1) as seeded',
        [regionId],
      );
      return rows[0]?.seeded === true;
    },

    /** True when the region's care provider is there: some seeding has begun. */
    async hasRegion(regionId: string): Promise<boolean> {
      const rows = await db.query<{ found: boolean }>(
        'select exists (select 1 from care_provider where id = $1) as found',
        [regionId],
      );
      return rows[0]?.found === true;
    },

    /** How many of these patients are there. */
    async countPatients(ids: readonly string[]): Promise<number> {
      const rows = await db.query<{ n: number }>(
        'select count(*)::int as n from patient where id = any($1::uuid[])',
        [ids],
      );
      return rows[0]?.n ?? 0;
    },

    /** Marks the seeding of the region as finished, with the most patients it has held. */
    async markSeeded(regionId: string, patients: number, seed: number): Promise<void> {
      await db.query(
        `insert into demo_seed (region_id, patients, seed) values ($1, $2, $3)
         on conflict (region_id) do update set patients = greatest(demo_seed.patients, excluded.patients),
           seed = excluded.seed, finished_at = now()`,
        [regionId, patients, seed],
      );
    },
  };
}

export type SeedStore = ReturnType<typeof createSeedStore>;
