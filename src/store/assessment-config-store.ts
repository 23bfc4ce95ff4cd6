/** The region's own versions of the assessment checklist (its bands), as loaded. */
import type { AssessmentConfig } from '../domain/news2.ts';
import type { Queryable } from './db.ts';

export interface LoadedAssessmentConfig {
  config: AssessmentConfig;
  source: string;
  loadedAt: string;
  loadedBy: string;
}

export function createAssessmentConfigStore(db: Queryable) {
  return {
    /** The highest version loaded under this id, or null when the id is new. */
    async highestVersion(id: string, tx: Queryable = db): Promise<number | null> {
      const rows = await tx.query<{ version: number | null }>(
        'select max(version) as version from assessment_config where id = $1',
        [id],
      );
      return rows[0]?.version ?? null;
    },

    async insert(tx: Queryable, loaded: LoadedAssessmentConfig): Promise<void> {
      await tx.query(
        `insert into assessment_config (id, version, name, source, config, loaded_at, loaded_by)
         values ($1, $2, $3, $4, $5::jsonb, $6, $7)`,
        [
          loaded.config.id,
          loaded.config.version,
          loaded.config.name,
          loaded.source,
          JSON.stringify(loaded.config),
          loaded.loadedAt,
          loaded.loadedBy,
        ],
      );
    },

    /** The version loaded last (the one in force), or null when the region has loaded none. */
    async newest(): Promise<AssessmentConfig | null> {
      const rows = await db.query<{ config: AssessmentConfig }>(
        'select config from assessment_config order by loaded_at desc, version desc limit 1',
      );
      return rows[0]?.config ?? null;
    },
  };
}

export type AssessmentConfigStore = ReturnType<typeof createAssessmentConfigStore>;
