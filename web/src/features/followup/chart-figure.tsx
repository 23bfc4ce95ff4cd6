/**
 * One chart with what makes it accessible: a visible caption (the figure's name), the picture,
 * and the same figures as a table behind "Visa som tabell", with the table's CSV download.
 */
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatValue } from './format.ts';
import type { Cell, Column, Table } from './report.ts';

export interface ChartFigureProps {
  title: string;
  /** A line under the title: what is counted, the target. */
  description?: string;
  children: ReactNode;
  /** The table alternative; its rows may be narrowed (e.g. to one patient group). */
  table: Table;
  rows?: readonly Record<string, Cell>[];
  /** Columns the table alternative leaves out (they are the same on every row). */
  hiddenColumns?: readonly string[];
  /** The download of `table` as CSV. */
  csvHref: string;
  /** Across the whole section (lists of units), not beside another chart. */
  isWide?: boolean;
}

/** Column headings in the user's language; the server's Swedish label when there is no translation. */
function useColumnLabel(): (column: Column) => string {
  const { t } = useTranslation();
  const labels = t('followup.columns', { returnObjects: true }) as Record<string, string>;
  return (column) => labels[column.key] ?? column.label;
}

export function DataTable({
  table,
  rows,
  hiddenColumns = [],
}: {
  table: Table;
  rows?: readonly Record<string, Cell>[];
  hiddenColumns?: readonly string[];
}) {
  const { t, i18n } = useTranslation();
  const captionId = useId();
  const labelOf = useColumnLabel();
  const columns = table.columns.filter((c) => !['id', 'niva', ...hiddenColumns].includes(c.key));
  const nameOf = (row: Record<string, Cell>): string =>
    row.niva === 'region' ? t('followup.region') : formatValue(row.namn ?? null, 'text', i18n.language);
  return (
    <div className="table-wrap" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="data-table">
        <caption id={captionId} className="visually-hidden">
          {table.title}
        </caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.kind === 'text' ? undefined : 'n'}>
                {labelOf(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(rows ?? table.rows).map((row, i) => (
            <tr key={i} className={row.niva === 'enhet' || row.niva === undefined ? undefined : 'row-total'}>
              {columns.map((c, ci) =>
                ci === 0 ? (
                  <th key={c.key} scope="row">
                    {c.key === 'namn' ? nameOf(row) : formatValue(row[c.key] ?? null, c.kind, i18n.language)}
                  </th>
                ) : (
                  <td key={c.key} className={c.kind === 'text' ? undefined : 'n'}>
                    {formatValue(row[c.key] ?? null, c.kind, i18n.language)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ChartFigure({
  title,
  description,
  children,
  table,
  rows,
  hiddenColumns,
  csvHref,
  isWide = false,
}: ChartFigureProps) {
  const { t } = useTranslation();
  return (
    <figure className={isWide ? 'chart chart-wide' : 'chart'}>
      <figcaption>
        <h3>{title}</h3>
        {description && <p className="muted chart-description">{description}</p>}
      </figcaption>
      {children}
      <details className="chart-table">
        <summary>{t('followup.chart.showTable')}</summary>
        <DataTable table={table} {...(rows ? { rows } : {})} {...(hiddenColumns ? { hiddenColumns } : {})} />
        <p>
          <a href={csvHref} download>
            {t('followup.chart.downloadTable')}
          </a>
        </p>
      </details>
    </figure>
  );
}
