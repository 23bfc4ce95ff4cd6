/**
 * Survey fixtures: a team to answer about (in a municipality of its own unless one is given),
 * with the example survey definitions loaded once per database.
 */
import { randomUUID } from 'node:crypto';
import { EXAMPLE_SURVEYS } from '../../src/domain/survey.ts';
import type { Db } from '../../src/store/db.ts';
import { createSurveyStore } from '../../src/store/survey-store.ts';
import { createTeamStore } from '../../src/store/team-store.ts';

/** Loads the example definitions unless they are there. */
export async function loadExampleSurveys(db: Db): Promise<void> {
  const surveys = createSurveyStore(db);
  for (const definition of EXAMPLE_SURVEYS)
    await db.transaction(async (tx) => {
      if ((await surveys.highestVersion(definition.id, tx)) !== null) return;
      await surveys.insertDefinition(tx, definition, {
        source: 'test',
        loadedAt: '2025-01-01T00:00:00Z',
        loadedBy: 'cli:test',
      });
    });
}

/** A team (with the example surveys loaded); its id. */
export async function makeSurveyTeam(
  db: Db,
  municipality = `Testkommun ${randomUUID().slice(0, 8)}`,
): Promise<string> {
  await loadExampleSurveys(db);
  return db.transaction((tx) =>
    createTeamStore(tx).create(
      tx,
      {
        name: `Team ${municipality} ${randomUUID().slice(0, 4)}`,
        publicName: 'Mobila teamet',
        kind: 'hemsjukvardsteam',
        municipality,
        members: [],
        reachability: [],
      },
      '2025-01-01T00:00:00Z',
    ),
  );
}
