/**
 * What the region loads for the follow-up of its mobile teams: a survey definition (questions and
 * scale, one version at a time, never changed once loaded) and the list of sub-regions (replaced
 * whole). Each is checked whole before anything is written; a problem answers `invalid_input`
 * with every path and message. The answers themselves are an import (`surveys`, import-reader.ts).
 */
import { DomainError } from '../domain/errors.ts';
import { parseSubregionList, type MunicipalitySubregion } from '../domain/subregion.ts';
import { parseSurveyDefinition, type SurveyDefinition } from '../domain/survey.ts';
import type { Db } from '../store/db.ts';
import type { SurveyStore } from '../store/survey-store.ts';

export interface SurveyServiceDeps {
  db: Db;
  surveys: SurveyStore;
}

export interface LoadRequest {
  /** The file's text (JSON). */
  text: string;
  source: string;
  actorId: string;
  now: Date;
}

function invalid(problems: { path: string; message: string }[]): DomainError {
  return new DomainError('invalid_input', 'Filen går inte att ladda; inget har ändrats.', problems);
}

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalid([{ path: '', message: 'Filen är inte giltig JSON.' }]);
  }
}

export function createSurveyService(deps: SurveyServiceDeps) {
  const { db, surveys } = deps;
  return {
    /** Loads one version of a survey; refused when not valid or not newer than those loaded under its id. */
    async loadDefinition(request: LoadRequest): Promise<SurveyDefinition> {
      const parsed = parseSurveyDefinition(json(request.text));
      if (!parsed.ok) throw invalid(parsed.problems);
      const { definition } = parsed;
      await db.transaction(async (tx) => {
        const highest = await surveys.highestVersion(definition.id, tx);
        if (highest !== null && definition.version <= highest)
          throw invalid([
            {
              path: '/version',
              message: `Version ${highest} av ${definition.id} finns redan; en ny version ska ha ett högre nummer.`,
            },
          ]);
        await surveys.insertDefinition(tx, definition, {
          source: request.source,
          loadedAt: request.now.toISOString(),
          loadedBy: request.actorId,
        });
      });
      return definition;
    },

    /** Replaces the region's list of sub-regions. */
    async loadSubregions(request: LoadRequest): Promise<MunicipalitySubregion[]> {
      const parsed = parseSubregionList(json(request.text));
      if (!parsed.ok) throw invalid(parsed.problems);
      await db.transaction((tx) =>
        surveys.replaceSubregions(tx, parsed.rows, {
          source: request.source,
          loadedAt: request.now.toISOString(),
          loadedBy: request.actorId,
        }),
      );
      return parsed.rows;
    },
  };
}

export type SurveyService = ReturnType<typeof createSurveyService>;
