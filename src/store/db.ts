import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import pgCopy from 'pg-copy-streams';
import { DomainError } from '../domain/errors.ts';
import { isDatabaseUnavailable } from './pg-errors.ts';

/** Something that runs parameterised SQL: the database itself or an open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * PostgreSQL only, inside a transaction: streams `COPY … FROM STDIN` data (text or binary) from
   * `source` (bulk imports). Undefined on PGlite.
   */
  copyFrom?(sql: string, source: AsyncIterable<string | Buffer> | Iterable<Buffer>): Promise<void>;
  /**
   * Inside a transaction, on both engines: the rows of `select` in PostgreSQL's binary COPY format
   * (read with src/store/binary-copy.ts), streamed on PostgreSQL, in one piece on PGlite. For
   * analytic reads of millions of rows. COPY takes no parameters: pass values with
   * `set_config(…, true)` and read them once with `(select current_setting(…))`.
   */
  copyOutBinary?(select: string): AsyncIterable<Buffer>;
}

/** The one database handle the stores get. Same interface on PGlite and PostgreSQL. */
export interface Db extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: all of it is written, or none of it. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
  /** PostgreSQL: the pool's connections now (metrics); PGlite is one connection and has none. */
  poolStats?(): { size: number; idle: number; waiting: number; max: number };
}

export interface TransactionOptions {
  /**
   * Bulk work that may rightly run for minutes (imports, the follow-up report, migrations, the
   * seeder): on PostgreSQL the transaction runs without the statement, idle-in-transaction and
   * read timeouts that bound everything else (see DbTimeouts).
   */
  isBulk?: boolean;
}

/**
 * Bounds on waiting for PostgreSQL, in milliseconds (0 = none). A server that accepts
 * connections but never answers must not hold requests, or a start, indefinitely.
 */
export interface DbTimeouts {
  /** Opening a connection, and waiting for a free one in the pool. */
  connectMs: number;
  /** One statement, cut by the server (`statement_timeout`). Bulk transactions lift it. */
  statementMs: number;
  /** A transaction left open without a statement (`idle_in_transaction_session_timeout`). */
  idleInTransactionMs: number;
}

/** DATABASE_CONNECT_TIMEOUT_MS, DATABASE_STATEMENT_TIMEOUT_MS, DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS. */
export const defaultDbTimeouts: DbTimeouts = {
  connectMs: 5000,
  statementMs: 30_000,
  idleInTransactionMs: 60_000,
};

// The client gives up on an answer a little after the server would have cut the statement (the
// statement timeout again, at most 5 s more): then a server that stopped answering mid-query
// (hung, or a network that drops packets silently) ends the request as well. Set per query, not
// on the pool: pg would also time COPY streams, and pg-copy-streams' COPY TO never reports its
// end to that timer (it would fire on a finished stream, or keep the process alive).
const readTimeoutOf = (statementMs: number): number => statementMs + Math.min(statementMs, 5000);

export interface DbOptions {
  /** postgres://… — use a PostgreSQL server. */
  databaseUrl?: string | undefined;
  /** A folder for the embedded PGlite database; `memory://` or undefined keeps it in memory. */
  dataDir?: string | undefined;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /** PostgreSQL schema to work in (tests give each file its own). */
  schema?: string | undefined;
  /** PostgreSQL only; defaultDbTimeouts where unset. */
  timeouts?: Partial<DbTimeouts> | undefined;
}

// Both engines return the same JavaScript values: dates and timestamps as ISO strings (a
// `date` must never shift with the server's time zone), int8 as number.
const OID_INT8 = 20;
const OID_DATE = 1082;
const OID_TIMESTAMPTZ = 1184;
const OID_TIMESTAMP = 1114;
const toIso = (v: string): string => new Date(v.includes('+') || v.endsWith('Z') ? v : `${v}Z`).toISOString();
const parsers: Record<number, (v: string) => unknown> = {
  [OID_INT8]: (v) => Number(v),
  [OID_DATE]: (v) => v,
  [OID_TIMESTAMPTZ]: (v) => new Date(v).toISOString(),
  [OID_TIMESTAMP]: toIso,
};

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite. */
export async function openDb(options: DbOptions): Promise<Db> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 20, options.schema, {
        ...defaultDbTimeouts,
        ...options.timeouts,
      })
    : openPglite(options.dataDir);
}

async function openPglite(dataDir: string | undefined): Promise<Db> {
  const lite = await PGlite.create(dataDir && dataDir !== 'memory://' ? dataDir : undefined, {
    parsers,
  });
  await lite.exec("set timezone = 'UTC'");
  // PGlite is one connection: a transaction must not interleave with other statements, so
  // every statement outside a transaction waits for the running transaction to finish.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
  const query = async <T>(sql: string, params?: unknown[]): Promise<T[]> =>
    (await lite.query<T>(sql, params as unknown[])).rows;
  return {
    engine: 'pglite',
    query: (sql, params) => serial(() => query(sql, params)),
    // No timeouts here: PGlite runs in this process, with no network or server to wait on.
    transaction: (fn) =>
      serial(() =>
        lite.transaction((tx) =>
          fn({
            query: async <T>(sql: string, params?: unknown[]) => (await tx.query<T>(sql, params)).rows,
            exec: async (sql: string) => void (await tx.exec(sql)),
            copyOutBinary: async function* (select: string) {
              const result = await tx.query(`copy (${select}) to '/dev/blob' with (format binary)`);
              if (result.blob) yield Buffer.from(await result.blob.arrayBuffer());
            },
          }),
        ),
      ),
    exec: (sql) => serial(async () => void (await lite.exec(sql))),
    close: () => serial(() => lite.close()),
  };
}

// Named prepared statements: each connection plans a statement once and reuses the plan. The
// hot reads (access facts, the overview) are large CTEs whose planning otherwise costs more than
// their execution (about 3 ms against 0.4 ms on 100,000 patients).
const statementNames = new Map<string, string>();
function prepared(text: string, values: unknown[] | undefined, readTimeout?: number): pg.QueryConfig {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `pk_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (statementNames.size < 5000) statementNames.set(text, name);
  }
  // query_timeout per query is read by pg's client but missing from its types.
  return { name, text, values: values ?? [], ...(readTimeout ? { query_timeout: readTimeout } : {}) };
}

/** A timeout or a lost connection becomes the catalogue's 503; anything else stays as it is. */
function unavailableOr(error: unknown): unknown {
  return isDatabaseUnavailable(error)
    ? Object.assign(new DomainError('database_unavailable'), { cause: error })
    : error;
}

async function openPostgres(
  url: string,
  max: number,
  schema: string | undefined,
  timeouts: DbTimeouts,
): Promise<Db> {
  const types = {
    getTypeParser: (oid: number, format?: string): ((value: string) => unknown) =>
      parsers[oid] ?? (pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown),
  };
  // UTC on both engines, so that timestamps rendered inside JSON read the same.
  const options = `-c TimeZone=UTC${schema ? ` -c search_path=${schema}` : ''}`;
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types,
    options,
    keepAlive: true,
    ...(timeouts.connectMs > 0 ? { connectionTimeoutMillis: timeouts.connectMs } : {}),
    ...(timeouts.statementMs > 0 ? { statement_timeout: timeouts.statementMs } : {}),
    ...(timeouts.idleInTransactionMs > 0
      ? { idle_in_transaction_session_timeout: timeouts.idleInTransactionMs }
      : {}),
  });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => undefined);
  const readTimeout = timeouts.statementMs > 0 ? readTimeoutOf(timeouts.statementMs) : undefined;
  const connect = async (): Promise<pg.PoolClient> => {
    try {
      return await pool.connect();
    } catch (error) {
      throw unavailableOr(error);
    }
  };
  return {
    engine: 'postgres',
    query: async <T>(sql: string, params?: unknown[]) => {
      try {
        // pool.query discards a connection that failed, so a timed-out one is not reused.
        return (await pool.query(prepared(sql, params, readTimeout))).rows as T[];
      } catch (error) {
        throw unavailableOr(error);
      }
    },
    transaction: async (fn, txOptions) => {
      const client = await connect();
      // Bulk: no bound on reading either (a statement of minutes is expected).
      const txReadTimeout = txOptions?.isBulk ? undefined : readTimeout;
      const bounded = (text: string): pg.QueryConfig =>
        txReadTimeout ? ({ text, query_timeout: txReadTimeout } as pg.QueryConfig) : { text };
      let isBroken = false;
      // The server may end a checked-out connection (idle_in_transaction_session_timeout, a
      // restart): pg then emits 'error' on it, which must not crash the process. The statement
      // that follows fails, and the connection is discarded.
      const markBroken = (): void => void (isBroken = true);
      client.on('error', markBroken);
      try {
        await client.query(bounded('begin'));
        if (txOptions?.isBulk) {
          await client.query(
            'set local statement_timeout = 0; set local idle_in_transaction_session_timeout = 0',
          );
        }
        const result = await fn({
          query: async <T>(sql: string, params?: unknown[]) =>
            (await client.query(prepared(sql, params, txReadTimeout))).rows as T[],
          exec: async (sql) => void (await client.query(bounded(sql))),
          copyFrom: (sql, source) => pipeline(Readable.from(source), client.query(pgCopy.from(sql))),
          copyOutBinary: (select) =>
            client.query(
              pgCopy.to(`copy (${select}) to stdout with (format binary)`),
            ) as AsyncIterable<Buffer>,
        });
        await client.query(bounded('commit'));
        return result;
      } catch (error) {
        // A connection the server ended fails whatever is sent next, with pg's own message.
        const isLost = isBroken || isDatabaseUnavailable(error);
        isBroken = isLost;
        if (!isLost) await client.query('rollback').catch(() => (isBroken = true));
        throw isLost ? Object.assign(new DomainError('database_unavailable'), { cause: error }) : error;
      } finally {
        // A connection that could not even roll back (timed out, lost) is closed, not reused.
        client.off('error', markBroken);
        client.release(isBroken);
      }
    },
    exec: async (sql) => {
      try {
        await pool.query(readTimeout ? ({ text: sql, query_timeout: readTimeout } as pg.QueryConfig) : sql);
      } catch (error) {
        throw unavailableOr(error);
      }
    },
    close: () => pool.end(),
    poolStats: () => ({ size: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max }),
  };
}

const MIGRATIONS_DIR = new URL('../../migrations/', import.meta.url);

/**
 * Settings for one analytic query: no JIT (compiling the plan costs seconds and gains nothing
 * here) and room to sort and hash in memory. `set local` ends with the transaction.
 */
export const ANALYTIC_SETTINGS = "set local jit = off; set local work_mem = '256MB'";

/** Asks the database for an answer and nothing else (health checks, waiting for a server to start). */
export async function ping(db: Queryable): Promise<void> {
  await db.query('select 1');
}

/**
 * Applies the SQL files in migrations/ that have not run yet, in name order, each in a
 * transaction; `onApplied` is told each one's name and time (the upgrade drill).
 */
export async function migrate(
  db: Db,
  options: { onApplied?: (name: string, ms: number) => void } = {},
): Promise<string[]> {
  // Under the same lock as the migrations: two servers starting on an empty database would
  // otherwise both create the table, and one of them fail.
  await db.transaction(
    async (tx) => {
      await tx.query('select pg_advisory_xact_lock(727274)');
      await tx.exec(`create table if not exists schema_migration (
      name text primary key, applied_at timestamptz not null default now())`);
    },
    { isBulk: true },
  );
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  const applied: string[] = [];
  for (const name of files) {
    const sql = await readFile(new URL(name, MIGRATIONS_DIR), 'utf8');
    // Bulk: a migration may build an index over millions of rows.
    const started = performance.now();
    const done = await db.transaction(
      async (tx) => {
        // Several servers may start at once against one PostgreSQL: one migrates, the others wait.
        await tx.query('select pg_advisory_xact_lock(727274)');
        const seen = await tx.query('select 1 from schema_migration where name = $1', [name]);
        if (seen.length > 0) return false;
        await tx.exec(sql);
        await tx.query('insert into schema_migration (name) values ($1)', [name]);
        return true;
      },
      { isBulk: true },
    );
    if (done) {
      applied.push(name);
      options.onApplied?.(name, performance.now() - started);
    }
  }
  return applied;
}
