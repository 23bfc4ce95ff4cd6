/**
 * Survey definitions as the region loaded them (domain/survey.ts), and the region's list of
 * sub-regions (domain/subregion.ts). The answers are written by survey-import-store.ts and
 * counted for the follow-up by mobile-team-followup-store.ts.
 */
import type { MunicipalitySubregion } from '../domain/subregion.ts';
import type { SurveyDefinition } from '../domain/survey.ts';
import type { Queryable } from './db.ts';

export interface LoadedBy {
  source: string;
  loadedAt: string;
  loadedBy: string;
}

export function createSurveyStore(db: Queryable) {
  return {
    /** The highest version loaded under this id, or null when the id is new. */
    async highestVersion(id: string, tx: Queryable = db): Promise<number | null> {
      const rows = await tx.query<{ version: number | null }>(
        'select max(version) as version from survey_definition where id = $1',
        [id],
      );
      return rows[0]?.version ?? null;
    },

    async insertDefinition(tx: Queryable, definition: SurveyDefinition, by: LoadedBy): Promise<void> {
      await tx.query(
        `insert into survey_definition (id, version, kind, name, definition, source, loaded_at, loaded_by)
         values ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)`,
        [
          definition.id,
          definition.version,
          definition.kind,
          definition.name,
          JSON.stringify(definition),
          by.source,
          by.loadedAt,
          by.loadedBy,
        ],
      );
    },

    /** Every loaded version, by id and version. */
    async definitions(): Promise<SurveyDefinition[]> {
      const rows = await db.query<{ definition: SurveyDefinition }>(
        'select definition from survey_definition order by id, version',
      );
      return rows.map((r) => r.definition);
    },

    /** Replaces the whole list of sub-regions. */
    async replaceSubregions(
      tx: Queryable,
      rows: readonly MunicipalitySubregion[],
      by: LoadedBy,
    ): Promise<void> {
      await tx.query('delete from municipality_subregion');
      await tx.query(
        `insert into municipality_subregion (municipality, subregion, source, loaded_at, loaded_by)
         select x.municipality, x.subregion, $2, $3, $4 from json_to_recordset($1::json) as x(municipality text, subregion text)`,
        [JSON.stringify(rows), by.source, by.loadedAt, by.loadedBy],
      );
    },

    /** The list in force: each municipality with its sub-region. */
    async subregions(): Promise<MunicipalitySubregion[]> {
      return db.query<MunicipalitySubregion>(
        'select municipality, subregion from municipality_subregion order by subregion, municipality',
      );
    },
  };
}

export type SurveyStore = ReturnType<typeof createSurveyStore>;
