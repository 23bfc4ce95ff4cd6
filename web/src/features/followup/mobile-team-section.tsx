/**
 * Mobile care teams: per team and municipality, the share that stayed at home after an
 * assessment, the minutes to the physician's answer, and the physician posts the enrolled
 * patients need at the region's rates. Each chart has its table and CSV (ChartFigure).
 */
import { useTranslation } from 'react-i18next';
import { ChartFigure } from './chart-figure.tsx';
import { BarList, niceCeiling, type BarRow } from './charts/bar-list.tsx';
import { formatValue } from './format.ts';
import { num, tableOf, text, type Cell, type Table } from './report.ts';
import { FollowupSection, useRowName, type SectionProps } from './section.tsx';

export function MobileTeamSection({ report, csvHref }: SectionProps) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const nameOf = useRowName();
  const care = tableOf(report, 'mobila-team-bedomningar');
  const posts = tableOf(report, 'mobila-team-lakartjanster');
  const enrolled = tableOf(report, 'mobila-team-inskrivna');
  const responses = tableOf(report, 'mobila-team-enkatsvar');
  const surveys = report.tables.filter((x) => x.id.startsWith('mobila-team-enkat-'));
  if (care.rows.length === 0 && enrolled.rows.length === 0 && responses.rows.length === 0) return null;
  const labelOf = (r: Record<string, Cell>) =>
    r.niva === 'kommun'
      ? t('followup.mobileTeams.municipality', { name: text(r.namn) })
      : r.niva === 'delregion'
        ? t('followup.mobileTeams.subregion', { name: text(r.namn) })
        : nameOf(r);
  const bar = (
    r: Record<string, Cell>,
    value: number | null,
    detail?: string,
    isSuppressed = false,
  ): BarRow => ({
    key: `${text(r.niva)}-${text(r.id)}-${text(r.namn)}-${text(r.malgrupp)}`,
    label: r.malgrupp ? `${labelOf(r)}: ${text(r.malgrupp)}` : labelOf(r),
    value,
    ...(detail ? { detail } : {}),
    // A share over fewer patients than the smallest shown is blanked, not missing.
    blank: isSuppressed ? t('followup.suppressed') : t('followup.noData'),
    isReference: r.niva !== 'team',
  });
  const stayed = care.rows.map((r) =>
    bar(
      r,
      num(r.stannade_hemma),
      t('followup.mobileTeams.assessed', { count: num(r.bedomningar) ?? 0 }),
      (num(r.bedomningar) ?? 0) > 0,
    ),
  );
  const answer = care.rows.map((r) =>
    bar(
      r,
      num(r.svarstid_median),
      num(r.svarstid_p90) === null
        ? undefined
        : t('followup.mobileTeams.p90', { value: formatValue(num(r.svarstid_p90), 'number', lng) }),
    ),
  );
  const maxMinutes = niceCeiling(Math.max(1, ...answer.map((b) => b.value ?? 0)));
  const postBars = posts.rows.map((r) =>
    bar(r, num(r.tjanster), t('followup.mobileTeams.enrolled', { count: num(r.inskrivna) ?? 0 })),
  );
  // A round end in tenths of a post (the figures show one decimal): at least 0,1.
  const maxPosts = niceCeiling(Math.max(0, ...postBars.map((b) => b.value ?? 0)) * 10) / 10;
  return (
    <FollowupSection
      id="mobila-team"
      title={t('followup.mobileTeams.title')}
      lead={t('followup.mobileTeams.lead')}
      csvHref={csvHref('mobila-team')}
    >
      <ChartFigure
        title={t('followup.mobileTeams.stayedHome')}
        description={care.note}
        table={care}
        csvHref={csvHref('mobila-team', 'mobila-team-bedomningar')}
      >
        <BarList rows={stayed} kind="share" max={1} label={t('followup.mobileTeams.stayedHome')} />
      </ChartFigure>
      <ChartFigure
        title={t('followup.mobileTeams.answerTime')}
        table={care}
        csvHref={csvHref('mobila-team', 'mobila-team-bedomningar')}
      >
        <BarList rows={answer} kind="number" max={maxMinutes} label={t('followup.mobileTeams.answerTime')} />
      </ChartFigure>
      <ChartFigure
        isWide
        title={t('followup.mobileTeams.enrolledTitle')}
        table={enrolled}
        csvHref={csvHref('mobila-team', 'mobila-team-inskrivna')}
      >
        <BarList
          rows={enrolled.rows.map((r) =>
            bar(r, (num(r['inskrivna_mest-sjuka']) ?? 0) + (num(r['inskrivna_tidvis-sviktande']) ?? 0)),
          )}
          kind="count"
          max={niceCeiling(
            Math.max(
              1,
              ...enrolled.rows.map(
                (r) => (num(r['inskrivna_mest-sjuka']) ?? 0) + (num(r['inskrivna_tidvis-sviktande']) ?? 0),
              ),
            ),
          )}
          label={t('followup.mobileTeams.enrolledTitle')}
        />
      </ChartFigure>
      <ChartFigure
        isWide
        title={t('followup.mobileTeams.posts')}
        description={posts.note}
        table={posts}
        csvHref={csvHref('mobila-team', 'mobila-team-lakartjanster')}
      >
        <BarList rows={postBars} kind="decimal" max={maxPosts} label={t('followup.mobileTeams.posts')} />
      </ChartFigure>
      {responses.rows.length > 0 && (
        <SurveyFigures responses={responses} surveys={surveys} labelOf={labelOf} csvHref={csvHref} />
      )}
    </FollowupSection>
  );
}

/**
 * Patient experience and team function (Region Skåne's assignment 15): the surveys filled in per
 * level, and per survey the share of positive answers to each question, with the median and the
 * number of answers. Suppressed figures (fewer than 5 answers, or what would give them away) say so.
 */
function SurveyFigures({
  responses,
  surveys,
  labelOf,
  csvHref,
}: {
  responses: Table;
  surveys: readonly Table[];
  labelOf: (r: Record<string, Cell>) => string;
  csvHref: SectionProps['csvHref'];
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const few = t('followup.mobileTeams.fewAnswers');
  const responseBars: BarRow[] = responses.rows.map((r) => ({
    key: `${text(r.enkat)}-${text(r.niva)}-${text(r.id)}-${text(r.namn)}`,
    label: `${labelOf(r)}: ${text(r.slag)}`,
    value: num(r.enkater),
    blank: few,
    isReference: r.niva !== 'team',
  }));
  return (
    <>
      <p className="muted chart-wide">{t('followup.mobileTeams.surveysLead')}</p>
      <ChartFigure
        isWide
        title={t('followup.mobileTeams.responses')}
        description={responses.note}
        table={responses}
        csvHref={csvHref('mobila-team', responses.id)}
      >
        <BarList
          rows={responseBars}
          kind="count"
          max={niceCeiling(Math.max(1, ...responseBars.map((b) => b.value ?? 0)))}
          label={t('followup.mobileTeams.responses')}
        />
      </ChartFigure>
      {surveys.map((survey) => {
        const name =
          text(responses.rows.find((r) => survey.title.startsWith(text(r.enkat)))?.enkat) || survey.title;
        // Question by question: each question's levels and teams together, to compare.
        const questions = [...new Set(survey.rows.map((r) => text(r.fraga_id)))];
        const byQuestion = questions.flatMap((q) => survey.rows.filter((r) => text(r.fraga_id) === q));
        const bars: BarRow[] = byQuestion.map((r) => ({
          key: `${text(r.niva)}-${text(r.id)}-${text(r.namn)}-${text(r.fraga_id)}`,
          label: `${text(r.fraga)} – ${labelOf(r)}`,
          value: num(r.andel_positiva),
          ...(num(r.svar) === null
            ? {}
            : {
                detail: t('followup.mobileTeams.answers', {
                  count: num(r.svar) ?? 0,
                  median: formatValue(num(r.median), 'number', lng),
                }),
              }),
          blank: few,
          isReference: r.niva !== 'team',
        }));
        return (
          <ChartFigure
            key={survey.id}
            isWide
            title={t('followup.mobileTeams.positive', { name })}
            description={survey.note}
            table={survey}
            // The question's id is for the CSV; the table names the question by its text.
            hiddenColumns={['fraga_id']}
            csvHref={csvHref('mobila-team', survey.id)}
          >
            <BarList rows={bars} kind="share" max={1} label={t('followup.mobileTeams.positive', { name })} />
          </ChartFigure>
        );
      })}
    </>
  );
}
