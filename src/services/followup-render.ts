/**
 * The follow-up report as CSV and as a printable HTML page. CSV is RFC 4180 (comma, "." as the
 * decimal point, shares as fractions 0–1) so that it reads the same into any tool; the page
 * shows Swedish formatting (percent, decimal comma).
 */
import { createHash } from 'node:crypto';
import type { Cell, Column, FollowupReport, Table } from '../domain/followup-report.ts';

const REPORT_STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1a1a1a}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{border-bottom:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}.n{text-align:right;font-variant-numeric:tabular-nums}
tr.region td{font-weight:600}tr.vardgivare td{background:#fafafa}
.note,.meta{color:#444;font-size:.85rem;max-width:60rem}
@media print{body{margin:1cm}section{break-inside:avoid}th{background:none}}
`;

/** The page's Content-Security-Policy: no scripts, nothing fetched, only its own inline style. */
export const REPORT_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(REPORT_STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const csvCell = (v: Cell): string => {
  if (v === null) return '';
  const s = typeof v === 'number' ? String(Number.isInteger(v) ? v : Number(v.toFixed(6))) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};
const csvLine = (cells: readonly Cell[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/**
 * One table as a CSV file (header of column keys), or the whole report in long form: one line
 * per figure with the table, the row's key columns (nivå, id, namn, and any detail such as the
 * patient group or month), the measure and its value.
 */
export function renderCsv(report: FollowupReport, tableId?: string): string {
  if (tableId !== undefined) {
    const table = report.tables.find((t) => t.id === tableId);
    if (!table) return '';
    return [
      csvLine(table.columns.map((c) => c.key)),
      ...table.rows.map((r) => csvLine(table.columns.map((c) => r[c.key] ?? null))),
    ].join('');
  }
  const lines = [csvLine(['tabell', 'niva', 'id', 'namn', 'detalj', 'matt', 'varde'])];
  for (const table of report.tables) {
    const keys = table.columns.filter((c) => c.kind === 'text');
    const details = keys.filter((c) => !['niva', 'id', 'namn'].includes(c.key));
    for (const row of table.rows) {
      const detail = details
        .map((c) => row[c.key])
        .filter((v) => v !== null && v !== undefined)
        .join(' / ');
      for (const c of table.columns.filter((x) => x.kind !== 'text')) {
        lines.push(
          csvLine([
            table.id,
            row.niva ?? null,
            row.id ?? null,
            row.namn ?? null,
            detail,
            c.key,
            row[c.key] ?? null,
          ]),
        );
      }
    }
  }
  return lines.join('');
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const sv = (v: number, digits: number): string =>
  v.toLocaleString('sv-SE', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A cell as people read it: 49,0 %, 0,310, 1 234, 0,4. */
export function formatCell(v: Cell, column: Column): string {
  if (v === null || v === undefined) return '–';
  if (typeof v !== 'number') return String(v);
  switch (column.kind) {
    case 'share':
      return `${sv(v * 100, 1)} %`;
    case 'index':
      return sv(v, 3);
    case 'count':
    case 'number':
      return sv(v, 0);
    case 'decimal':
      // Above zero but below what one decimal shows: not 0,0, which would read as none.
      return v > 0 && v < 0.05 ? `< ${sv(0.1, 1)}` : sv(v, 1);
    case 'text':
      return String(v);
  }
}

function tableHtml(t: Table): string {
  const head = t.columns
    .map((c) => `<th${c.kind === 'text' ? '' : ' class="n"'}>${escapeHtml(c.label)}</th>`)
    .join('');
  const body = t.rows
    .map(
      (r) =>
        `<tr class="${escapeHtml(String(r.niva ?? ''))}">${t.columns
          .map(
            (c) =>
              `<td${c.kind === 'text' ? '' : ' class="n"'}>${escapeHtml(formatCell(r[c.key] ?? null, c))}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('\n');
  return `<section>
<h2>${escapeHtml(t.title)}</h2>
${t.note ? `<p class="note">${escapeHtml(t.note)}</p>` : ''}
<table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table>
</section>`;
}

/** The report as one printable HTML page (no scripts, no external resources). */
export function renderHtml(report: FollowupReport, generatedAt: Date): string {
  const s = report.settings;
  return `<!doctype html>
<html lang="sv"><head><meta charset="utf-8">
<title>${escapeHtml(report.title)} ${report.period.from}–${report.period.to}</title>
<style>${REPORT_STYLE}</style></head><body>
<h1>${escapeHtml(report.title)}</h1>
<p class="meta">Period ${report.period.from}–${report.period.to}. Kontinuitet: ${s.windowMonths} månader, minst ${s.minVisits} besök, yrken ${escapeHtml(s.professions.join(', '))}, kontakttyper ${escapeHtml(s.contactTypes.join(', '))}, enheter av slaget ${escapeHtml(s.unitKinds.join(', '))}. Uppgifter om färre än ${report.minCell} patienter visas inte (–). Framtagen ${generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.</p>
${report.tables.map(tableHtml).join('\n')}
</body></html>
`;
}

const mdCell = (s: string): string => s.replaceAll('|', '\\|');

/** The report as Markdown: a heading and a table per table (what `npm run report` prints). */
export function renderMarkdown(report: FollowupReport): string {
  const parts = [
    `# ${report.title}`,
    '',
    `Period ${report.period.from}–${report.period.to}; uppgifter om färre än ${report.minCell} patienter visas som –.`,
  ];
  for (const t of report.tables) {
    parts.push('', `## ${t.title}`, '');
    if (t.note) parts.push(t.note, '');
    parts.push(`| ${t.columns.map((c) => mdCell(c.label)).join(' | ')} |`);
    parts.push(`| ${t.columns.map((c) => (c.kind === 'text' ? '---' : '---:')).join(' | ')} |`);
    for (const r of t.rows)
      parts.push(`| ${t.columns.map((c) => mdCell(formatCell(r[c.key] ?? null, c))).join(' | ')} |`);
  }
  return `${parts.join('\n')}\n`;
}
