/**
 * The follow-up report from the configured database (DATABASE_URL, or PGlite in DATA_DIR):
 *
 *   npm run report -- [--year YYYY | --from YYYY-MM-DD --to YYYY-MM-DD] [--unit HSA] [--provider HSA]
 *                     [--baseline YYYY-MM-DD] [--csv | --html] [--table ID] [--out FILE]
 *                     [--min-cell N] [--no-trend]
 *
 * Prints Markdown by default; --csv gives CSV (the whole report in long form, or one --table),
 * --html a printable page. Without a period: the last twelve months up to today. The yearly
 * follow-up of an action plan: `npm run report -- --year 2025 --html --out uppfoljning-2025.html`.
 * The continuity settings come from FOLLOWUP_* (README, Settings).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { addMonths, periodProblem, yearPeriod } from '../domain/followup.ts';
import { swedishToday } from '../domain/swedish-time.ts';
import { renderCsv, renderHtml, renderMarkdown } from '../services/followup-render.ts';
import { buildFollowupReport } from '../services/followup-service.ts';
import { migrate, openDb } from '../store/db.ts';
import { createFollowupStore } from '../store/followup-store.ts';

const usage =
  'Användning: npm run report -- [--year ÅÅÅÅ | --from ÅÅÅÅ-MM-DD --to ÅÅÅÅ-MM-DD] [--unit HSA] [--provider HSA] ' +
  '[--baseline ÅÅÅÅ-MM-DD] [--csv | --html] [--table ID] [--out FIL] [--min-cell N] [--no-trend]';

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    options: {
      year: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      unit: { type: 'string' },
      provider: { type: 'string' },
      baseline: { type: 'string' },
      csv: { type: 'boolean' },
      html: { type: 'boolean' },
      table: { type: 'string' },
      out: { type: 'string' },
      'min-cell': { type: 'string' },
      'no-trend': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (v.help) return void console.log(usage);
  const today = swedishToday(new Date());
  const to = v.to ?? today;
  const asked = v.year
    ? yearPeriod(Number(v.year))
    : { from: v.from ?? addMonths(`${to.slice(0, 7)}-01`, -11), to };
  // A year that is not over yet ends today: no stock is counted at a day still to come.
  const period = asked.to > today && asked.from <= today ? { ...asked, to: today } : asked;
  const problem = periodProblem(period);
  if (problem) throw new Error(`${problem} ${usage}`);
  if (v.baseline && periodProblem({ from: v.baseline, to: v.baseline }))
    throw new Error(`--baseline: ÅÅÅÅ-MM-DD. ${usage}`);

  const config = readConfig();
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(db);
    const started = performance.now();
    const report = await buildFollowupReport(createFollowupStore(db), {
      period,
      settings: config.followup.continuity,
      physicianRates: config.followup.physicianRates,
      minCell: v['min-cell'] ? Math.max(1, Number(v['min-cell'])) : config.followup.minCell,
      trend: v['no-trend'] !== true,
      ...(v.baseline ? { baseline: v.baseline } : {}),
      ...(v.unit ? { unitId: v.unit } : {}),
      ...(v.provider ? { providerId: v.provider } : {}),
    });
    const text = v.csv
      ? `\uFEFF${renderCsv(report, v.table)}`
      : v.html
        ? renderHtml(report, new Date())
        : renderMarkdown(report);
    if (v.out) {
      await writeFile(v.out, text);
      console.error(`Skrev ${v.out} på ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    } else process.stdout.write(text);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
