/**
 * The region's own version of the assessment checklist (a ViSam-style variant of NEWS2): loaded
 * from a JSON file, checked whole before anything is written, and versioned — a version once
 * loaded is never changed, a new one carries a higher number, and the version loaded last is the
 * one every assessment is scored with. Without any loaded version the built-in NEWS2 (Royal
 * College of Physicians 2017) applies.
 */
import { DomainError } from '../domain/errors.ts';
import { NEWS2_DEFAULT_CONFIG, parseAssessmentConfig, type AssessmentConfig } from '../domain/news2.ts';
import type { AssessmentConfigStore } from '../store/assessment-config-store.ts';
import type { Db } from '../store/db.ts';

export interface AssessmentConfigServiceDeps {
  db: Db;
  configs: AssessmentConfigStore;
}

/** The id is a key in the database and in every stored assessment: short, lower case. */
const ID_PATTERN = /^[a-z0-9-]{2,60}$/;

function invalid(path: string, message: string): DomainError {
  return new DomainError('assessment_config_invalid', undefined, [{ path, message }]);
}

export function createAssessmentConfigService(deps: AssessmentConfigServiceDeps) {
  const { db, configs } = deps;

  return {
    /** The config in force: the version loaded last, else the built-in NEWS2. */
    async active(): Promise<AssessmentConfig> {
      return (await configs.newest()) ?? NEWS2_DEFAULT_CONFIG;
    },

    /**
     * Loads one version from the file's text. Throws `assessment_config_invalid` (with every
     * problem and where) and writes nothing when the file is not valid JSON, not a valid config,
     * reuses the built-in id, or is not newer than the versions already loaded under its id.
     */
    async load(input: {
      text: string;
      source: string;
      actorId: string;
      now: Date;
    }): Promise<AssessmentConfig> {
      let json: unknown;
      try {
        json = JSON.parse(input.text);
      } catch {
        throw invalid('', 'Filen är inte giltig JSON.');
      }
      const config = parseAssessmentConfig(json);
      if (!ID_PATTERN.test(config.id))
        throw invalid('/id', 'Id:t ska vara 2–60 tecken: små bokstäver a–z, siffror och bindestreck.');
      if (config.id === NEWS2_DEFAULT_CONFIG.id)
        throw invalid('/id', `Id:t ${config.id} är det inbyggda NEWS2; ge regionens version ett eget id.`);
      await db.transaction(async (tx) => {
        const highest = await configs.highestVersion(config.id, tx);
        if (highest !== null && config.version <= highest)
          throw invalid(
            '/version',
            `Version ${highest} av ${config.id} finns redan; en ny version ska ha ett högre nummer.`,
          );
        await configs.insert(tx, {
          config,
          source: input.source,
          loadedAt: input.now.toISOString(),
          loadedBy: input.actorId,
        });
      });
      return config;
    },
  };
}

export type AssessmentConfigService = ReturnType<typeof createAssessmentConfigService>;
