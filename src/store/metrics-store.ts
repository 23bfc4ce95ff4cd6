/**
 * What the metrics read from the database at scrape time (services/metrics.ts): small tables
 * only, so that a scrape every 15 s costs nothing worth measuring.
 */
import type { Queryable } from './db.ts';

export function createMetricsStore(db: Queryable) {
  return {
    /**
     * When the latest import of each kind and the latest directory sync finished, whoever ran
     * them (a server or `npm run import`): `import-visits`, `import-population`, … and
     * `directory-sync`. A nightly job that stopped shows as a time that no longer moves.
     */
    async lastRuns(): Promise<{ kind: string; finishedAt: string }[]> {
      return db.query<{ kind: string; finishedAt: string }>(
        `select 'import-' || kind as kind, max(finished_at) as "finishedAt" from import_run group by kind
         union all
         select 'directory-sync', max(ran_at) from directory_sync_run having count(*) > 0`,
      );
    },
  };
}

export type MetricsStore = ReturnType<typeof createMetricsStore>;
