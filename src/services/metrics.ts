/**
 * The server's metrics in Prometheus's text format (prom-client), one registry per app: built by
 * buildApp and handed to what it measures, never a module singleton, so that two apps in one
 * process (tests, WORKERS) count apart.
 *
 * No label carries patient data: requests are labelled by their route *pattern*
 * (`/api/patients/:patientId/overview`, never the URL), method and status; imports by kind and
 * result; directory syncs by result. See docs/operations.md, "Metrics".
 */
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ImportOutcome } from './import-service.ts';

/** What the database handle tells about its pool (PostgreSQL; PGlite has none). */
export interface PoolStats {
  /** Connections open (idle and in use). */
  size: number;
  idle: number;
  /** Requests waiting for a free connection. */
  waiting: number;
  max: number;
}

/** Reads that are asked for at scrape time (cheap, one row each). */
export interface MetricsSources {
  /** The pool, when the engine has one. */
  pool?: (() => PoolStats) | undefined;
  /** Open live-update streams (server-sent events) of this process. */
  liveStreams?: (() => number) | undefined;
  /** The latest finished run of each kind of import and of the directory sync, from the database. */
  lastRuns?: (() => Promise<{ kind: string; finishedAt: string }[]>) | undefined;
}

// Seconds: most answers take a few milliseconds, imports and the report seconds.
const latencyBuckets = [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const batchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000];

/** Creates the app's registry and the instruments the app's parts report to. */
export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics ?? true)
    collectDefaultMetrics({ register: registry, prefix: 'patientkontrakt_' });

  const requestDuration = new Histogram({
    name: 'patientkontrakt_http_request_duration_seconds',
    help: 'Time from request to the end of the answer, by route pattern (never the URL), method and status.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: latencyBuckets,
    registers: [registry],
  });
  const accessLogBatch = new Histogram({
    name: 'patientkontrakt_access_log_batch_entries',
    help: 'Entries per committed batch of the access log (group commit).',
    buckets: batchBuckets,
    registers: [registry],
  });
  const accessLogFailures = new Counter({
    name: 'patientkontrakt_access_log_batch_failures_total',
    help: 'Access-log batches that could not be written (their requests were retried alone or failed).',
    registers: [registry],
  });
  const accessLogEntriesRefused = new Counter({
    name: 'patientkontrakt_access_log_entries_refused_total',
    help: 'Access-log entries that could not be written even alone: their requests failed.',
    registers: [registry],
  });
  const importRuns = new Counter({
    name: 'patientkontrakt_import_runs_total',
    help: 'Import runs through this server, by kind and result.',
    labelNames: ['kind', 'result'] as const,
    registers: [registry],
  });
  const directorySyncs = new Counter({
    name: 'patientkontrakt_directory_syncs_total',
    help: 'Directory syncs through this server, by result (synced, dry-run, invalid, needs-confirmation, failed).',
    labelNames: ['result'] as const,
    registers: [registry],
  });

  return {
    registry,
    /** One answered request; `route` is the route pattern, or null when no route matched. */
    observeRequest(method: string, route: string | null, statusCode: number, seconds: number): void {
      requestDuration.observe(
        { method, route: route ?? 'unmatched', status_code: String(statusCode) },
        seconds,
      );
    },
    /** The access log's writer: a committed batch, a failed one, an entry that failed alone. */
    accessLog: {
      batch: (entries: number) => accessLogBatch.observe(entries),
      batchFailed: () => accessLogFailures.inc(),
      entriesRefused: (entries: number) => accessLogEntriesRefused.inc(entries),
    },
    importRun: (kind: string, result: ImportOutcome) => importRuns.inc({ kind, result }),
    directorySync: (result: string) => directorySyncs.inc({ result }),

    /** Registers the gauges read at scrape time. */
    watch(sources: MetricsSources): void {
      const { pool, liveStreams, lastRuns } = sources;
      if (pool) {
        new Gauge({
          name: 'patientkontrakt_db_pool_connections',
          help: 'PostgreSQL connections of this process by state (in-use, idle), its maximum and requests waiting for one.',
          labelNames: ['state'] as const,
          registers: [registry],
          collect() {
            const s = pool();
            this.set({ state: 'in-use' }, s.size - s.idle);
            this.set({ state: 'idle' }, s.idle);
            this.set({ state: 'waiting' }, s.waiting);
            this.set({ state: 'max' }, s.max);
          },
        });
      }
      if (liveStreams) {
        new Gauge({
          name: 'patientkontrakt_live_event_connections',
          help: 'Open live-update streams (GET /api/events, server-sent events) of this process.',
          registers: [registry],
          collect() {
            this.set(liveStreams());
          },
        });
      }
      if (lastRuns) {
        new Gauge({
          name: 'patientkontrakt_last_run_timestamp_seconds',
          help: 'When the latest import of each kind and the latest directory sync finished (any process or CLI), from the database.',
          labelNames: ['kind'] as const,
          registers: [registry],
          async collect() {
            this.reset();
            for (const run of await lastRuns())
              this.set({ kind: run.kind }, Date.parse(run.finishedAt) / 1000);
          },
        });
      }
    },

    /** The text a Prometheus server scrapes. */
    async scrape(): Promise<{ contentType: string; text: string }> {
      return { contentType: registry.contentType, text: await registry.metrics() };
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * WORKERS > 1: a worker offers its registry to the primary, which sums every worker's on
 * METRICS_PORT (`clusterScrape`). Counters and histograms add up; gauges too (connections of
 * all workers), the process metrics as prom-client aggregates them.
 */
export function shareWithClusterPrimary(metrics: Metrics): void {
  AggregatorRegistry.setRegistries([metrics.registry]);
  // Constructing one makes prom-client answer the primary's requests in this worker.
  new AggregatorRegistry();
}

/** In the primary: the sum of every worker's metrics, as one scrape. */
export function createClusterScrape(): () => Promise<{ contentType: string; text: string }> {
  const aggregator = new AggregatorRegistry();
  return async () => ({ contentType: aggregator.contentType, text: await aggregator.clusterMetrics() });
}
