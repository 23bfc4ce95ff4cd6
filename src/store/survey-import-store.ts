/**
 * Imports of survey answers (docs/imports.md, kind `surveys`), staged in stage_survey and written
 * as survey_answer rows keyed by (survey, version, response, question): a re-import of the same
 * file changes nothing, and a corrected answer in a later file replaces the one before. Each row
 * is checked against the survey's loaded definition: the question must be in it, the answer a
 * step of its scale, and the respondent one who answers that kind of survey.
 */
import type { SurveyRecord } from '../domain/survey-format.ts';
import type { ReadTally } from '../domain/import-formats.ts';
import type { Db } from './db.ts';
import { stage } from './import-staging.ts';
import { runImport, writeStaged, type ImportMeta, type ImportResult } from './import-run-store.ts';

export function createSurveyImportStore(db: Db) {
  return {
    /** Imports anonymous survey answers. */
    async importSurveys(
      chunks: AsyncIterable<SurveyRecord[]>,
      tally: ReadTally,
      meta: ImportMeta,
    ): Promise<ImportResult> {
      return runImport(db, 'surveys', tally, meta, async (tx, importId) => {
        await tx.exec(`create temp table stage_survey (
          line integer, survey_id text, survey_version integer, response_id text, team_id text,
          respondent text, answered_on date, question_id text, answer integer, ok boolean default true)
          on commit drop`);
        const staged = await stage(
          tx,
          'stage_survey',
          [
            ['line', 'integer'],
            ['survey_id', 'text'],
            ['survey_version', 'integer'],
            ['response_id', 'text'],
            ['team_id', 'text'],
            ['respondent', 'text'],
            ['answered_on', 'date'],
            ['question_id', 'text'],
            ['answer', 'integer'],
          ],
          chunks,
          (r) => [
            r.line,
            r.surveyId,
            r.version,
            r.responseId,
            r.teamId,
            r.respondent,
            r.answeredOn,
            r.questionId,
            r.answer,
          ],
        );
        return writeStaged(tx, tally, meta, importId, staged, {
          stageTable: 'stage_survey',
          errorsSql: surveyErrorsSql,
          upsertSql: surveyUpsertSql,
        });
      });
    },
  };
}

/**
 * Rows of stage_survey that cannot be written: a survey version not loaded, a question not in
 * it, an answer off its scale, a respondent who does not answer that kind, an unknown team, a
 * question answered twice in one response with different answers, and a response whose rows disagree on the team, the
 * respondent or the day.
 */
const surveyErrorsSql = `
  select s.line, 'version' as field,
         'Enkäten ' || s.survey_id || ' version ' || s.survey_version
           || ' är inte laddad: ladda definitionen först (npm run import -- survey-definition).' as message
    from stage_survey s
   where not exists (select 1 from survey_definition d where d.id = s.survey_id and d.version = s.survey_version)
  union all
  select s.line, 'fraga', 'Frågan finns inte i enkäten ' || s.survey_id || ' version ' || s.survey_version || '.'
    from stage_survey s join survey_definition d on d.id = s.survey_id and d.version = s.survey_version
   where not exists (select 1 from jsonb_array_elements(d.definition -> 'questions') q where q ->> 'id' = s.question_id)
  union all
  select s.line, 'svar', 'Svaret ska vara ett steg på enkätens skala, '
         || (d.definition -> 'scale' ->> 'min') || '–' || (d.definition -> 'scale' ->> 'max') || '.'
    from stage_survey s join survey_definition d on d.id = s.survey_id and d.version = s.survey_version
   where s.answer < (d.definition -> 'scale' ->> 'min')::int or s.answer > (d.definition -> 'scale' ->> 'max')::int
  union all
  select s.line, 'svarande', case d.kind
           when 'patientupplevelse' then 'En enkät om patientupplevelse besvaras av patient eller narstaende.'
           else 'En enkät om teamfunktion besvaras av personal-region eller personal-kommun.' end
    from stage_survey s join survey_definition d on d.id = s.survey_id and d.version = s.survey_version
   where (d.kind = 'patientupplevelse' and s.respondent not in ('patient', 'narstaende'))
      or (d.kind = 'teamfunktion' and s.respondent not in ('personal-region', 'personal-kommun'))
  union all
  select s.line, 'team', 'Teamet finns inte.'
    from stage_survey s where not exists (select 1 from team t where t.id::text = s.team_id)
  union all
  select s.line, 'svar', 'Frågan är besvarad med ett annat svar i samma enkät (svar_id) tidigare i filen.'
    from stage_survey s
   where exists (select 1 from stage_survey o where o.survey_id = s.survey_id and o.survey_version = s.survey_version
                  and o.response_id = s.response_id and o.question_id = s.question_id and o.line < s.line
                  and o.answer <> s.answer)
  union all
  select s.line, 'svar_id', 'Samma svar (svar_id) har ett annat team, en annan svarande eller ett annat datum på rad '
         || min(o.line) || '.'
    from stage_survey s join stage_survey o
      on o.survey_id = s.survey_id and o.survey_version = s.survey_version and o.response_id = s.response_id
     and o.line < s.line and (o.team_id, o.respondent, o.answered_on) is distinct from (s.team_id, s.respondent, s.answered_on)
   group by s.line`;

/** Writes the rows of stage_survey that are ok ($1 the import's id); answers the counts. */
const surveyUpsertSql = `with up as (
     insert into survey_answer (survey_id, survey_version, response_id, question_id, team_id, respondent,
                                answered_on, answer, import_id)
     select distinct on (s.survey_id, s.survey_version, s.response_id, s.question_id)
            s.survey_id, s.survey_version, s.response_id, s.question_id, s.team_id::uuid, s.respondent,
            s.answered_on, s.answer, $1::bigint
       from stage_survey s where s.ok
      order by s.survey_id, s.survey_version, s.response_id, s.question_id, s.line
     on conflict (survey_id, survey_version, response_id, question_id) do update
       set team_id = excluded.team_id, respondent = excluded.respondent, answered_on = excluded.answered_on,
           answer = excluded.answer, import_id = excluded.import_id
       where (survey_answer.team_id, survey_answer.respondent, survey_answer.answered_on, survey_answer.answer)
             is distinct from (excluded.team_id, excluded.respondent, excluded.answered_on, excluded.answer)
     returning (xmax = 0) as inserted)
   select count(*) filter (where inserted)::int as imported,
          count(*) filter (where not inserted)::int as updated
     from up`;
