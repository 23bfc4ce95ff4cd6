/**
 * Survey answers and sub-regions for the demo (Region Skåne's assignments 15 and 3, see
 * docs/mobile-teams.md): the example survey definitions, the demo region's two sub-regions, and a
 * modest synthetic set of anonymous answers from the last three months for both teams: enough
 * staff of both for their team function to show, and too few patients of the närsjukvårdsteam
 * for theirs, so the demo shows the small-number rule too (which then hides the other team's
 * patient figures as well: the municipality less one team would give the other away). Written through the
 * same services a region uses (the definitions, the list, the `surveys` import).
 */
import { Readable } from 'node:stream';
import { EXAMPLE_SURVEYS, type RespondentGroup, type SurveyDefinition } from '../domain/survey.ts';
import { swedishDayOf } from '../domain/swedish-time.ts';
import { runImport } from '../services/import-reader.ts';
import { createSurveyService } from '../services/survey-service.ts';
import type { Db } from '../store/db.ts';
import { createImportStore } from '../store/import-store.ts';
import { createSurveyStore } from '../store/survey-store.ts';
import { createTeamStore } from '../store/team-store.ts';
import { demoTeams } from './mobile-teams.ts';
import { Rng } from './random.ts';

/** The demo region's sub-regions (fictional, like the region). */
export const demoSubregions = {
  delregioner: [
    { namn: 'Södra delregionen', kommuner: ['Exempelstad', 'Ekby'] },
    { namn: 'Norra delregionen', kommuner: ['Björkvik'] },
  ],
};

/** Who answers, how many forms each, for which team; a lean towards the positive end of the scale. */
const plan: { team: keyof typeof demoTeams; survey: number; respondent: RespondentGroup; forms: number }[] = [
  { team: 'hemsjukvard', survey: 0, respondent: 'patient', forms: 11 },
  { team: 'hemsjukvard', survey: 0, respondent: 'narstaende', forms: 6 },
  { team: 'narsjukvard', survey: 0, respondent: 'patient', forms: 4 },
  { team: 'hemsjukvard', survey: 1, respondent: 'personal-region', forms: 4 },
  { team: 'hemsjukvard', survey: 1, respondent: 'personal-kommun', forms: 5 },
  { team: 'narsjukvard', survey: 1, respondent: 'personal-region', forms: 6 },
];

const DAY = 86_400_000;

/** Writes the demo's surveys unless they are there (a re-run of the seeder). */
export async function seedSurveys(db: Db, now: Date): Promise<void> {
  const store = createSurveyStore(db);
  if ((await store.highestVersion(EXAMPLE_SURVEYS[0]!.id)) !== null) return;
  const teams = createTeamStore(db);
  const teamIds = {
    hemsjukvard: (await teams.findByName(demoTeams.hemsjukvard.name))?.id,
    narsjukvard: (await teams.findByName(demoTeams.narsjukvard.name))?.id,
  };
  if (!teamIds.hemsjukvard || !teamIds.narsjukvard) return;
  const service = createSurveyService({ db, surveys: store });
  const by = { source: 'demo', actorId: 'seed', now };
  for (const definition of EXAMPLE_SURVEYS)
    await service.loadDefinition({ ...by, text: JSON.stringify(definition) });
  await service.loadSubregions({ ...by, text: JSON.stringify(demoSubregions) });

  const rng = new Rng(15);
  const lines: string[] = [];
  let form = 0;
  for (const p of plan) {
    const survey: SurveyDefinition = EXAMPLE_SURVEYS[p.survey]!;
    for (let i = 0; i < p.forms; i++) {
      form += 1;
      const day = swedishDayOf(now.getTime() - rng.int(3, 90) * DAY);
      for (const q of survey.questions) {
        // Now and then a question is left unanswered.
        if (rng.chance(0.08)) continue;
        const answer = Math.min(
          survey.scale.max,
          Math.max(survey.scale.min, survey.scale.max - rng.int(0, 2) - (rng.chance(0.15) ? 2 : 0)),
        );
        lines.push(
          JSON.stringify({
            enkat: survey.id,
            version: survey.version,
            svar_id: `demo-${form}`,
            team: teamIds[p.team],
            svarande: p.respondent,
            datum: day,
            fraga: q.id,
            svar: answer,
          }),
        );
      }
    }
  }
  const result = await runImport(createImportStore(db), Readable.from([lines.join('\n')]), {
    kind: 'surveys',
    format: 'ndjson',
    mode: 'all-or-nothing',
    source: 'demo-enkater.ndjson',
    actorId: 'seed',
    unitId: null,
    now,
  });
  if (result.importId === null) throw new Error(`demo surveys: ${JSON.stringify(result.errors.slice(0, 3))}`);
}
