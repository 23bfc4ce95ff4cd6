/**
 * The load generator: a keep-alive HTTP client on node:http and a closed-loop runner with N
 * workers, each sending its next request as soon as the previous one is answered. Every
 * request's latency is taken with process.hrtime.bigint(), so the percentiles are exact.
 */
import http from 'node:http';
import os from 'node:os';
import { readFile } from 'node:fs/promises';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Collect the body as text; otherwise it is read and dropped (cheaper), unless the status is ≥ 400. */
  keepBody?: boolean;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** A client for one server, with a keep-alive pool as large as the highest concurrency. */
export class Client {
  private readonly agent: http.Agent;

  constructor(
    private readonly host: string,
    private readonly port: number,
    maxSockets: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  request(options: RequestOptions): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...options.headers };
      if (options.body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(options.body);
      }
      const req = http.request(
        {
          host: this.host,
          port: this.port,
          method: options.method,
          path: options.path,
          headers,
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          // The body of an error answer is always kept: it says what went wrong.
          const keep = options.keepBody === true || (res.statusCode ?? 0) >= 400;
          if (keep) res.on('data', (chunk: Buffer) => chunks.push(chunk));
          else res.resume();
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: keep ? Buffer.concat(chunks).toString('utf8') : '',
            }),
          );
          res.on('error', reject);
        },
      );
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('request timed out')));
      req.on('error', reject);
      req.end(options.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** One worker's next request; resolves to null on success, or to what went wrong (e.g. "412 version_conflict"). */
export type Step = (worker: number) => Promise<string | null>;

/** What went wrong with an answer: its status and the error code in the JSON body. */
export function describeFailure(res: HttpResponse): string {
  const code = /"code"\s*:\s*"([^"]+)"/.exec(res.body)?.[1];
  return code ? `${res.status} ${code}` : String(res.status);
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** Errors by kind (status and code, or the exception's message). */
  errorKinds: Record<string, number>;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /**
   * CPU seconds used during the measured window: the load generator, the server process, the
   * database's backends (PostgreSQL; PGlite runs inside the server) and the whole machine.
   */
  cpuSeconds: { client: number; server: number | null; db: number | null; machine: number };
}

/** Percentile (nearest rank) of sorted latencies, in ms. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** utime + stime of a process, in seconds (Linux /proc); null elsewhere. */
export async function processCpuSeconds(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** CPU seconds of each of `pids` that can be read. */
async function cpuOf(pids: readonly number[]): Promise<Map<number, number>> {
  const result = new Map<number, number>();
  for (const pid of pids) {
    const seconds = await processCpuSeconds(pid);
    if (seconds !== null) result.set(pid, seconds);
  }
  return result;
}

/** CPU seconds used between two readings by the processes present in both; null when none. */
function cpuBetween(before: Map<number, number>, after: Map<number, number>): number | null {
  let sum: number | null = null;
  for (const [pid, end] of after) {
    const start = before.get(pid);
    if (start !== undefined) sum = (sum ?? 0) + (end - start);
  }
  return sum;
}

/** Busy CPU time of the whole machine, in ms summed over the cores. */
function machineTimes(): { busy: number } {
  let busy = 0;
  for (const cpu of os.cpus()) busy += cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq;
  return { busy };
}

/** How busy the machine is now: its CPU use over `ms`, in % of one core. */
export async function machineBusyPercent(ms: number): Promise<number> {
  const before = machineTimes().busy;
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ((machineTimes().busy - before) / ms) * 100;
}

/**
 * Runs `step` on `concurrency` workers for `seconds` (after `warmupSeconds` that are not
 * recorded). Every worker stops by itself when the time is up; a request that throws counts as
 * an error. `serverPid` and `dbPids` are the processes whose CPU use is reported beside the
 * client's.
 */
export async function runLoad(options: {
  concurrency: number;
  seconds: number;
  warmupSeconds: number;
  step: Step;
  serverPid?: number | undefined;
  /** Further server processes (cluster workers), counted with `serverPid`. */
  serverPids?: readonly number[];
  /** The database backends serving the server (read after the warm-up, when its pool is full). */
  dbPids?: () => Promise<number[]>;
}): Promise<LoadResult> {
  const { concurrency, step } = options;
  const warmupEnd = performance.now() + options.warmupSeconds * 1000;
  let measuring = false;
  let stopAt = Infinity;
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let errors = 0;
  const errorKinds: Record<string, number> = {};

  const record = (ms: number, failure: string | null): void => {
    if (!measuring) return;
    if (failure !== null) {
      errors++;
      errorKinds[failure] = (errorKinds[failure] ?? 0) + 1;
    }
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = ms;
  };

  const worker = async (id: number): Promise<void> => {
    while (performance.now() < stopAt) {
      const started = process.hrtime.bigint();
      let failure: string | null;
      try {
        failure = await step(id);
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
      record(Number(process.hrtime.bigint() - started) / 1e6, failure);
    }
  };

  // Warm-up: the same workers, nothing recorded; then the measured window starts for all at once.
  stopAt = warmupEnd;
  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));

  const serverPids = [
    ...(options.serverPid === undefined ? [] : [options.serverPid]),
    ...(options.serverPids ?? []),
  ];
  const dbPids = options.dbPids ? await options.dbPids() : [];
  const server0 = await cpuOf(serverPids);
  const db0 = await cpuOf(dbPids);
  const machine0 = machineTimes();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  measuring = true;
  stopAt = started + options.seconds * 1000;
  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
  const seconds = (performance.now() - started) / 1000;
  measuring = false;
  const cpu = process.cpuUsage(cpu0);
  const machine1 = machineTimes();
  const server1 = await cpuOf(serverPids);
  const db1 = await cpuOf(dbPids);

  const sorted = latencies.subarray(0, count).sort();
  return {
    requests: count,
    errors,
    errorKinds,
    seconds,
    rps: count / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: count > 0 ? sorted[count - 1]! : NaN,
    cpuSeconds: {
      client: (cpu.user + cpu.system) / 1e6,
      server: cpuBetween(server0, server1),
      db: cpuBetween(db0, db1),
      // os.cpus() times are in ms, summed over the cores.
      machine: (machine1.busy - machine0.busy) / 1000,
    },
  };
}
