/** The frame of one follow-up section, and what every section gets from the page. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Place } from './filters.ts';
import type { BarRow } from './charts/bar-list.tsx';
import { formatValue } from './format.ts';
import { num, rowsAt, text, type Cell, type FollowupReport, type Section, type Table } from './report.ts';

export interface SectionProps {
  report: FollowupReport;
  place: Place;
  /** The CSV download of a section, or of one of its tables. */
  csvHref: (section: Section, table?: string) => string;
}

export function FollowupSection({
  id,
  title,
  lead,
  csvHref,
  children,
}: {
  id: Section;
  title: string;
  lead?: string;
  csvHref: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <section className="panel followup-section" aria-labelledby={`${id}-heading`}>
      <div className="section-head">
        <h2 id={`${id}-heading`}>{title}</h2>
        <a href={csvHref} download className="csv-link">
          {t('followup.downloadCsv')}
          <span className="visually-hidden">: {title}</span>
        </a>
      </div>
      {lead && <p className="muted">{lead}</p>}
      <div className="chart-grid">{children}</div>
    </section>
  );
}

/** The name of a row as people read it ("Regionen" in the user's language). */
export function useRowName(): (row: Record<string, Cell> | undefined) => string {
  const { t } = useTranslation();
  return (row) => (!row || row.niva === 'region' ? t('followup.region') : text(row.namn));
}

/**
 * Bars for a share per unit: the region (and the care provider or unit chosen) first as rows to
 * compare with, then the units from highest to lowest. `numerator`/`denominator` say "21 av 37";
 * a blank denominator means the figure was suppressed.
 */
export function useShareBars(): (
  table: Table,
  keys: { share: string; numerator: string; denominator: string },
  place: Place,
) => BarRow[] {
  const { t, i18n } = useTranslation();
  const nameOf = useRowName();
  const count = (n: number): string => formatValue(n, 'count', i18n.language);
  return (table, keys, place) => {
    const toBar = (row: Record<string, Cell>, isReference: boolean): BarRow => {
      const denominator = num(row[keys.denominator]);
      const numerator = num(row[keys.numerator]);
      return {
        key: `${text(row.niva)}-${text(row.id)}`,
        label: nameOf(row),
        value: num(row[keys.share]),
        ...(numerator !== null && denominator
          ? { detail: t('followup.chart.ofTotal', { part: count(numerator), whole: count(denominator) }) }
          : {}),
        blank: denominator === null ? t('followup.suppressed') : t('followup.noData'),
        isReference,
      };
    };
    const references = [
      ...rowsAt(table, 'region'),
      ...(place.kind === 'region' ? [] : rowsAt(table, 'vardgivare')),
    ].map((r) => toBar(r, true));
    const units = rowsAt(table, 'enhet')
      .map((r) => toBar(r, false))
      .sort((a, b) => (b.value ?? -1) - (a.value ?? -1) || a.label.localeCompare(b.label, 'sv'));
    return [...references, ...units];
  };
}
