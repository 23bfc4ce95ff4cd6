/**
 * The questions (SKR's 7 questions, and the staff's question battery): the share answering yes
 * to each, one chart per question set, patients' and staff's answers apart.
 */
import { useTranslation } from 'react-i18next';
import type { QuestionSet } from '../../api/types.ts';
import { useApi } from '../../api/use-api.ts';
import { formatDate } from '../../components/format.ts';
import { ChartFigure } from './chart-figure.tsx';
import { BarList, type BarRow } from './charts/bar-list.tsx';
import { formatValue } from './format.ts';
import { num, tableOf, text, type Cell } from './report.ts';
import { FollowupSection, useRowName, type SectionProps } from './section.tsx';

/** SKR's questions first (the patients' own answers, then the units'), then the rest. */
const setOrder = ['skr-7-fragor-patient', 'skr-7-fragor-vardgivare'];
const rankOf = (id: string): number => (setOrder.includes(id) ? setOrder.indexOf(id) : setOrder.length);

export function QuestionsSection({ report, place, csvHref }: SectionProps) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const nameOf = useRowName();
  const sets = useApi<{ questionSets: QuestionSet[] }>('/api/question-sets');
  const table = tableOf(report, 'fragor');
  const scoped = table.rows.filter((r) => r.niva !== 'region');
  const region = table.rows.filter((r) => r.niva === 'region');
  const isScoped = place.kind !== 'region' && scoped.length > 0;
  const rows = isScoped ? scoped : region;
  const setIds = [...new Set(rows.map((r) => text(r.formular)))].sort((a, b) => rankOf(a) - rankOf(b));
  const period = { from: formatDate(report.period.from, lng), to: formatDate(report.period.to, lng) };

  const barOf = (set: QuestionSet | undefined, row: Record<string, Cell>): BarRow => {
    const questionId = text(row.fraga);
    const position = set ? set.questions.findIndex((q) => q.id === questionId) : -1;
    const question = set?.questions[position];
    const yes = num(row.ja);
    const answered = num(row.svar);
    const inRegion = region.find((r) => r.formular === row.formular && r.fraga === row.fraga);
    const parts = [
      ...(yes !== null && answered
        ? [
            t('followup.chart.ofTotal', {
              part: formatValue(yes, 'count', lng),
              whole: formatValue(answered, 'count', lng),
            }),
          ]
        : []),
      ...(isScoped && inRegion && num(inRegion.andel_ja) !== null
        ? [t('followup.questions.inRegion', { value: formatValue(inRegion.andel_ja ?? null, 'share', lng) })]
        : []),
    ];
    return {
      key: questionId,
      label: question ? `${position + 1}. ${question.text}` : questionId,
      value: num(row.andel_ja),
      ...(parts.length > 0 ? { detail: parts.join('; ') } : {}),
      blank: answered === null ? t('followup.suppressed') : t('followup.noData'),
    };
  };

  return (
    <FollowupSection
      id="fragor"
      title={t('followup.questions.title')}
      lead={t('followup.questions.lead', { name: nameOf(rows[0]), ...period })}
      csvHref={csvHref('fragor')}
    >
      {setIds.length === 0 && <p>{t('followup.questions.none')}</p>}
      {setIds.map((id) => {
        const set = sets.data?.questionSets.find((s) => s.id === id);
        // In the set's own order (q10 after q9), as the patient met them.
        const orderOf = (r: Record<string, Cell>): number =>
          set?.questions.findIndex((q) => q.id === r.fraga) ?? 0;
        const mine = rows.filter((r) => r.formular === id).sort((a, b) => orderOf(a) - orderOf(b));
        const who =
          text(mine[0]?.vem) === 'patienten'
            ? t('followup.questions.byPatient')
            : t('followup.questions.byStaff');
        const title = `${set?.name ?? id} (${who})`;
        return (
          <ChartFigure
            isWide
            key={id}
            title={title}
            table={table}
            hiddenColumns={['formular', 'vem']}
            rows={table.rows
              .filter((r) => r.formular === id)
              .map((r) => ({
                ...r,
                fraga: set?.questions.find((q) => q.id === r.fraga)?.text ?? r.fraga ?? null,
              }))}
            csvHref={csvHref('fragor', 'fragor')}
          >
            <BarList rows={mine.map((r) => barOf(set, r))} kind="share" max={1} label={title} />
          </ChartFigure>
        );
      })}
    </FollowupSection>
  );
}
