/** The benchmark's results as a Markdown report, with the goals beside the measurements. */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { Engine } from './db.ts';
import type { LoadResult } from './load.ts';

export type Operation = 'read' | 'update';

export interface Row {
  engine: Engine;
  operation: Operation;
  concurrency: number;
  result: LoadResult;
}

export interface EngineInfo {
  engine: Engine;
  version: string;
  where: string;
  patients: number;
  staff: number;
  readPatients: number;
  writePatients: number;
  seedSeconds: number;
}

/** The goals on PostgreSQL (docs: performance budget). */
export const GOALS = { readsPerSecond: 3000, readP99Ms: 25, updatesPerSecond: 800 } as const;

const ENGINE_NAME: Record<Engine, string> = { postgres: 'PostgreSQL', pglite: 'PGlite' };
const OPERATION_NAME: Record<Operation, string> = {
  read: 'contract read (GET overview)',
  update: 'contract update (PUT, If-Match)',
};

const int = (n: number): string => Math.round(n).toLocaleString('en');
const ms = (n: number): string => (Number.isNaN(n) ? '–' : n < 10 ? n.toFixed(2) : n.toFixed(1));

/** CPU ms per request of one part, or null when it was not measured. */
const perRequest = (seconds: number | null, r: LoadResult): number | null =>
  seconds === null || r.requests === 0 ? null : (seconds * 1000) / r.requests;
const cpuMs = (n: number | null): string => (n === null ? '–' : n.toFixed(2));

function meetsGoal(row: Row): boolean {
  return row.operation === 'read'
    ? row.result.rps >= GOALS.readsPerSecond && row.result.p99 <= GOALS.readP99Ms && row.result.errors === 0
    : row.result.rps >= GOALS.updatesPerSecond && row.result.errors === 0;
}

function goalCell(row: Row): string {
  if (row.engine !== 'postgres') return '';
  const goal =
    row.operation === 'read'
      ? `≥ ${int(GOALS.readsPerSecond)}/s at p99 ≤ ${GOALS.readP99Ms} ms`
      : `≥ ${int(GOALS.updatesPerSecond)}/s`;
  return `${goal} ${meetsGoal(row) ? '✅' : '❌'}`;
}

/**
 * What the CPU cost per request allows if nothing else ran: one server process is bound by its
 * own ms/request; the machine by the sum of server, database and client over all its cores.
 */
function ceilings(row: Row): string {
  const r = row.result;
  const server = perRequest(r.cpuSeconds.server, r);
  const db = perRequest(r.cpuSeconds.db, r) ?? 0;
  const client = perRequest(r.cpuSeconds.client, r) ?? 0;
  if (server === null) return '';
  const cores = os.cpus().length;
  return (
    ` CPU per ${row.operation}: server ${cpuMs(server)} ms, database ${cpuMs(db)} ms, load generator ${cpuMs(client)} ms ` +
    `(at concurrency ${row.concurrency}) → one server process tops out near ${int(1000 / server)}/s; ` +
    `this ${cores}-core machine near ${int((cores * 1000) / (server + db + client))}/s.`
  );
}

/** One line per goal: met or not, and the best measurement towards it. */
function verdicts(rows: Row[]): string[] {
  const lines: string[] = [];
  for (const operation of ['read', 'update'] as const) {
    const candidates = rows.filter((r) => r.engine === 'postgres' && r.operation === operation);
    if (candidates.length === 0) continue;
    const met = candidates.filter(meetsGoal);
    const best = [...candidates].sort((a, b) => b.result.rps - a.result.rps)[0]!;
    const goal =
      operation === 'read'
        ? `≥ ${int(GOALS.readsPerSecond)} reads/s at p99 ≤ ${GOALS.readP99Ms} ms`
        : `≥ ${int(GOALS.updatesPerSecond)} updates/s`;
    lines.push(
      met.length > 0
        ? `- PostgreSQL ${operation}s: goal ${goal} **met** at concurrency ${met.map((r) => r.concurrency).join(', ')}.`
        : `- PostgreSQL ${operation}s: goal ${goal} **not met**; best ${int(best.result.rps)}/s ` +
            `(p99 ${ms(best.result.p99)} ms) at concurrency ${best.concurrency}.` +
            ceilings(best),
    );
  }
  return lines;
}

export function machineLine(): string {
  const cpus = os.cpus();
  const gib = (os.totalmem() / 2 ** 30).toFixed(1);
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${gib} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** The table alone, for the console and the report. */
export function table(rows: Row[]): string {
  const lines = [
    '| Engine | Operation | Conc. | Requests/s | p50 ms | p95 ms | p99 ms | Errors | CPU ms/request: server / db / client | Other CPU % | Goal (PostgreSQL) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const row of rows) {
    const r = row.result;
    const c = r.cpuSeconds;
    const cpu = `${cpuMs(perRequest(c.server, r))} / ${cpuMs(perRequest(c.db, r))} / ${cpuMs(perRequest(c.client, r))}`;
    const other = Math.max(
      0,
      Math.round(((c.machine - c.client - (c.server ?? 0) - (c.db ?? 0)) / r.seconds) * 100),
    );
    lines.push(
      `| ${ENGINE_NAME[row.engine]} | ${OPERATION_NAME[row.operation]} | ${row.concurrency} | ${int(r.rps)} | ` +
        `${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${int(r.errors)} | ${cpu} | ${other} | ${goalCell(row)} |`,
    );
  }
  return lines.join('\n');
}

/** Cells of two variants of the server measured back to back on the same database. */
export interface ComparisonRow {
  engine: Engine;
  operation: Operation;
  concurrency: number;
  /** The measurements of variant A and B, in the order A B B A A B … (drift cancels out). */
  a: LoadResult[];
  b: LoadResult[];
}

export interface Comparison {
  title: string;
  /** What the two variants are, in a sentence or two. */
  note: string;
  aLabel: string;
  bLabel: string;
  rows: ComparisonRow[];
}

const mean = (xs: number[]): number => xs.reduce((sum, x) => sum + x, 0) / Math.max(1, xs.length);

/** Mean requests/s, p50 and p99 of repeated cells, and server + database CPU ms per request. */
export function summarize(results: LoadResult[]) {
  const cpu = results.map((r) => {
    const server = perRequest(r.cpuSeconds.server, r);
    return server === null ? null : server + (perRequest(r.cpuSeconds.db, r) ?? 0);
  });
  return {
    rps: mean(results.map((r) => r.rps)),
    p50: mean(results.map((r) => r.p50)),
    p99: mean(results.map((r) => r.p99)),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    cpuMs: cpu.includes(null) ? null : mean(cpu as number[]),
    other: mean(
      results.map(
        (r) =>
          ((r.cpuSeconds.machine -
            r.cpuSeconds.client -
            (r.cpuSeconds.server ?? 0) -
            (r.cpuSeconds.db ?? 0)) /
            r.seconds) *
          100,
      ),
    ),
  };
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * A/B of one measure, round by round (A's i-th run against B's i-th run, measured next to each
 * other): the median of those ratios and, with more than one round, their range, which shows
 * how much the machine's other work moved the figures.
 */
function ratioCell(row: ComparisonRow, of: (r: LoadResult) => number | null): string {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(row.a.length, row.b.length); i++) {
    const a = of(row.a[i]!);
    const b = of(row.b[i]!);
    if (a !== null && b !== null && b > 0) ratios.push(a / b);
  }
  if (ratios.length === 0) return '–';
  const range =
    ratios.length > 1 ? ` (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})` : '';
  return `**${median(ratios).toFixed(2)}**${range}`;
}

const cpuPerRequest = (r: LoadResult): number | null => {
  const server = perRequest(r.cpuSeconds.server, r);
  return server === null ? null : server + (perRequest(r.cpuSeconds.db, r) ?? 0);
};

/** A comparison as a Markdown table: A and B side by side, and A/B. */
export function comparisonTable(c: Comparison): string {
  const lines = [
    `| Engine | Operation | Conc. | ${c.aLabel} req/s | ${c.bLabel} req/s | req/s A/B | ${c.aLabel} p99 ms | ${c.bLabel} p99 ms | p99 A/B | ${c.aLabel} p50 ms | ${c.bLabel} p50 ms | CPU ms/req server+db A / B | CPU/req A/B | Errors A / B | Other CPU % |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of c.rows) {
    const a = summarize(row.a);
    const b = summarize(row.b);
    lines.push(
      `| ${ENGINE_NAME[row.engine]} | ${OPERATION_NAME[row.operation]} | ${row.concurrency} | ${int(a.rps)} | ${int(b.rps)} | ` +
        `${ratioCell(row, (r) => r.rps)} | ${ms(a.p99)} | ${ms(b.p99)} | ${ratioCell(row, (r) => r.p99)} | ` +
        `${ms(a.p50)} | ${ms(b.p50)} | ${cpuMs(a.cpuMs)} / ${cpuMs(b.cpuMs)} | ${ratioCell(row, cpuPerRequest)} | ` +
        `${int(a.errors)} / ${int(b.errors)} | ${int(Math.max(0, (a.other + b.other) / 2))} |`,
    );
  }
  return lines.join('\n');
}

function comparisonSection(c: Comparison, seconds: number): string[] {
  const rounds = c.rows[0]?.a.length ?? 0;
  return [
    `## ${c.title}`,
    '',
    `${c.note} A = ${c.aLabel}, B = ${c.bLabel}. Each variant ran ${rounds} × ${seconds} s per cell, in the ` +
      'order A B B A …, each against its own server process on the same database. req/s, p50, p99 and CPU ' +
      "are the means of those runs; each A/B is the median of the rounds' ratios (A's i-th run against B's " +
      'i-th, measured next to each other) with their range in brackets. req/s A/B below 1 means A is ' +
      'slower; p99 A/B above 1 means A waits longer; CPU/req A/B is the work per request of the server ' +
      'process and its database backends, the measure least moved by other work on a shared machine.',
    '',
    comparisonTable(c),
    '',
  ];
}

/** /proc/loadavg (1, 5 and 15 minutes), or null where there is none. */
export async function loadAverage(): Promise<string | null> {
  try {
    return (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' / ');
  } catch {
    return null;
  }
}

export function report(options: {
  date: Date;
  rows: Row[];
  engines: EngineInfo[];
  seconds: number;
  warmupSeconds: number;
  command: string;
  /** CPU use of the machine just before the run (% of one core): other work skews the numbers. */
  busyBefore: number;
  /** Load average (1 / 5 / 15 min) at the start and at the end of the run. */
  loadBefore?: string | null;
  loadAfter?: string | null;
  comparisons?: Comparison[];
}): string {
  const { rows, engines } = options;
  return [
    '# Patientkontrakt benchmark',
    '',
    `- Date: ${options.date.toISOString().replace('T', ' ').slice(0, 16)} UTC (\`${options.command}\`)`,
    `- Machine: ${machineLine()}; ${Math.round(options.busyBefore)} % CPU busy just before the run` +
      (options.busyBefore > 20 ? ' (**other work was running: numbers are pessimistic**)' : '') +
      (options.loadBefore ? `; load average ${options.loadBefore} at the start` : '') +
      (options.loadAfter ? `, ${options.loadAfter} at the end` : ''),
    ...engines.map(
      (e) =>
        `- ${ENGINE_NAME[e.engine]}: ${e.version}, ${e.where}; ${int(e.patients)} patients; ` +
        `${e.staff} staff logged in, reads over ${int(e.readPatients)} patients, updates over ${int(e.writePatients)}` +
        (e.seedSeconds > 0 ? `; seeded in ${e.seedSeconds.toFixed(0)} s` : ''),
    ),
    `- Each cell: ${options.seconds} s measured after ${options.warmupSeconds} s warm-up; closed loop ` +
      '(each connection sends its next request when the previous one is answered); the server runs in a ' +
      'child process, the load generator in the parent, both on this machine. CPU ms/request: CPU time of ' +
      'the server process, of the PostgreSQL backends serving it (PGlite runs inside the server) and of the ' +
      'load generator, per request; other CPU: what the rest of the machine used meanwhile (100 % = one core), ' +
      'which the benchmark competed with.',
    '',
    ...(rows.length > 0 ? [table(rows), ''] : []),
    ...(options.comparisons ?? []).flatMap((c) => comparisonSection(c, options.seconds)),
    '## Goals',
    '',
    `On PostgreSQL: ≥ ${int(GOALS.readsPerSecond)} contract reads/s at p99 ≤ ${GOALS.readP99Ms} ms, and ` +
      `≥ ${int(GOALS.updatesPerSecond)} contract updates/s.`,
    '',
    ...verdicts(rows),
    '',
  ].join('\n');
}
