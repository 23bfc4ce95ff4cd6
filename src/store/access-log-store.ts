/**
 * The access log writer and its queries. Entries are written in batches, one transaction each
 * (group commit): the caller's promise resolves only when its entry is committed, so no
 * response leaves before its entry is durable (security.md 9), while a busy server writes one
 * transaction per batch instead of one per request.
 *
 * A batch is gathered deliberately: an access decision reserves its place (`reserve`) before it
 * reads its facts, and a batch waits for the decisions that were under way when it began, for
 * at most `maxWaitMs`. Alone (one request at a time) nothing is under way and a batch is written
 * at once; under load one commit carries many entries.
 *
 * One entry cannot fail another's request: entries are made storable before they are chained
 * (`storableEntry`: no NUL, no lone surrogate, the patient id as a uuid or null), and when a
 * batch fails all the same, each request's entries are tried again on their own, so that only
 * the request whose entry cannot be written fails.
 */
import { chainEntries, storableEntry, type AccessLogEntry, type ChainedEntry } from '../domain/access-log.ts';
import type { Db, Queryable } from './db.ts';
import { namedSql } from './named-sql.ts';
import { listedNameSql } from './person-status-store.ts';

interface Pending {
  entries: AccessLogEntry[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A place in a coming batch, taken before an access decision reads its facts. */
export interface LogSlot {
  /** Writes the decision's entries; resolves when they are committed. Ends the reservation. */
  write(...entries: AccessLogEntry[]): Promise<void>;
  /** Ends the reservation without an entry (the decision failed before it could be logged). */
  cancel(): void;
}

export interface AccessLogFilter {
  actorId?: string | undefined;
  patientId?: string | undefined;
  unitId?: string | undefined;
  providerId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  isEmergency?: boolean | undefined;
  /** Only entries before this place in the log (a page's cursor: FHIR AuditEvent). */
  beforeSeq?: number | undefined;
  limit?: number | undefined;
}

const entryColumns = `seq, at, action, actor_kind as "actorKind", actor_id as "actorId", unit_id as "unitId",
  provider_id as "providerId", patient_id as "patientId", outcome, legal_basis as "legalBasis",
  is_emergency as "isEmergency", request_id as "requestId", route, detail, prev_hash as "prevHash", hash,
  client_id as "clientId"`;

const insertColumns = `seq, at, action, actor_kind, actor_id, unit_id, provider_id, patient_id, outcome,
  legal_basis, is_emergency, request_id, route, detail, prev_hash, hash, client_id`;
const recordset = `select seq, at, action, "actorKind", "actorId", "unitId", "providerId", "patientId", outcome,
    "legalBasis", "isEmergency", "requestId", route, detail, "prevHash", hash, "clientId"
  from json_to_recordset(:entries::json) as x(seq bigint, at timestamptz, action text, "actorKind" text,
    "actorId" text, "unitId" text, "providerId" text, "patientId" uuid, outcome text, "legalBasis" text,
    "isEmergency" boolean, "requestId" text, route text, detail text, "prevHash" text, hash text,
    "clientId" text)`;

/** An entry of the patient's own log (`listForPatient`). */
export interface OwnLogEntry {
  /** The entry's place in the log (FHIR AuditEvent's id). */
  seq: number;
  at: string;
  action: string;
  /** What was used (the route), for the AuditEvent's data entity. */
  route: string;
  unitName: string | null;
  providerName: string | null;
  /** Set when a närstående/ombud read the plan. */
  proxyName: string | null;
  /** Set when a system client (smart_client) read the plan: its registered name. */
  systemName: string | null;
  /** The OAuth client the access came through; null for the web app's own session. */
  clientId: string | null;
  isEmergency: boolean;
}

/**
 * The patient's own log ($1: the patient): allowed accesses by staff, by registered systems and by
 * the patient's närstående/ombud, of the patient and of a reservnummer merged into them; the
 * patient's own reads left out. Live and archived entries alike.
 */
const ownLogSql = `select l.seq, l.at, l.action, l.route, u.name as "unitName", p.name as "providerName",
         case when l.actor_kind = 'patient' then ${listedNameSql('g')} end as "proxyName",
         case when l.actor_kind = 'system' then
           (select c.name from smart_client c where c.client_id = l.actor_id) end as "systemName",
         l.client_id as "clientId", l.is_emergency as "isEmergency"
  from access_log l left join care_unit u on u.id = l.unit_id left join care_provider p on p.id = l.provider_id
  left join patient g on l.actor_kind = 'patient' and g.id::text = l.actor_id
  where l.patient_id in (select id from patient where id = $1 or merged_into = $1) and l.outcome = 'allowed'
    and (l.actor_kind in ('staff', 'system') or (l.actor_kind = 'patient' and l.actor_id <> $1::text))`;

/**
 * One statement, one round trip: moves the head from the (seq, hash) this process last wrote
 * to the new last entry, and appends the entries only if the head was still there. When another
 * writer (another server process, a CLI) moved the head meanwhile, the update matches no row
 * (the row lock makes the second writer re-check the condition), nothing is inserted and the
 * batch is chained again on the fresh head.
 */
export const appendIfHeadStatement = namedSql(
  `with head as (
  update access_log_head set seq = :lastSeq, hash = :lastHash
  where id = 1 and seq = :headSeq and hash = :headHash returning id)
insert into access_log (${insertColumns})
${recordset}
where exists (select 1 from head)
returning 1`,
  ['entries', 'lastSeq', 'lastHash', 'headSeq', 'headHash'],
);

/** The locking way's insert (after `select … for update` of the head). */
const insertStatement = namedSql(`insert into access_log (${insertColumns}) ${recordset}`, ['entries']);

export interface AccessLogOptions {
  /** Entries per transaction at most. */
  maxBatch?: number;
  /** How long a batch waits at most for the decisions under way when it began (ms). */
  maxWaitMs?: number;
  /** Told each committed batch's size, each failed batch, and entries that failed alone (metrics). */
  observer?: AccessLogObserver | undefined;
}

export interface AccessLogObserver {
  batch(entries: number): void;
  batchFailed(): void;
  entriesRefused(entries: number): void;
}

export function createAccessLogStore(db: Db, key: string, options: AccessLogOptions = {}) {
  const maxBatch = options.maxBatch ?? 1000;
  const maxWaitMs = options.maxWaitMs ?? 2;
  const queue: Pending[] = [];
  let queuedEntries = 0;
  let isFlushing = false;
  let isFlushScheduled = false;
  let waitTimer: NodeJS.Timeout | null = null;
  /**
   * Reservations not yet written or cancelled, by ascending id (a Set keeps insertion order,
   * so its first element is the oldest).
   */
  const reserved = new Set<number>();
  let nextSlotId = 0;
  /** The batch being gathered waits for the reservations with a smaller id than this. */
  let waitBelow = 0;
  /**
   * The head as this writer last saw it (after its own last batch), so that a batch needs no
   * read first; null when unknown (at start, after an error).
   */
  let knownHead: { seq: number; hash: string } | null = null;
  /**
   * Another writer moved the head between two batches of this one (several server processes
   * under load): then the locking way is taken directly, until a locked batch finds the head
   * where this writer left it, so that a busy pair of writers does not pay for a failed try
   * on every batch.
   */
  let isContended = false;

  /** Appends a chained batch after `head` in one statement; false when the head had moved. */
  async function appendAfter(
    head: { seq: number; hash: string },
    entries: AccessLogEntry[],
  ): Promise<boolean> {
    const chained = chainEntries(key, head, entries);
    const last = chained[chained.length - 1]!;
    const inserted = await db.query<Record<string, never>>(
      appendIfHeadStatement.text,
      appendIfHeadStatement.params({
        entries: JSON.stringify(chained),
        lastSeq: last.seq,
        lastHash: last.hash,
        headSeq: head.seq,
        headHash: head.hash,
      }),
    );
    if (inserted.length === 0) return false;
    knownHead = { seq: last.seq, hash: last.hash };
    return true;
  }

  /** The locking way, for a head this writer does not know: one transaction holding the head row. */
  async function appendLocked(entries: AccessLogEntry[]): Promise<void> {
    const last = await db.transaction(async (tx) => {
      const head = (
        await tx.query<{ seq: number; hash: string }>(
          'select seq, hash from access_log_head where id = 1 for update',
        )
      )[0]!;
      isContended = knownHead !== null && (head.seq !== knownHead.seq || head.hash !== knownHead.hash);
      const chained = chainEntries(key, head, entries);
      await tx.query(insertStatement.text, insertStatement.params({ entries: JSON.stringify(chained) }));
      const end = chained[chained.length - 1]!;
      await tx.query('update access_log_head set seq = $1, hash = $2 where id = 1', [end.seq, end.hash]);
      return end;
    });
    knownHead = { seq: last.seq, hash: last.hash };
  }

  async function writeBatch(batch: Pending[]): Promise<void> {
    const entries = batch.flatMap((p) => p.entries);
    try {
      // Usually this process wrote the last entry: one round trip. Otherwise (first batch, or
      // another writer came between) the head row is locked and read first.
      if (knownHead === null || isContended || !(await appendAfter(knownHead, entries)))
        await appendLocked(entries);
    } catch (error) {
      knownHead = null;
      options.observer?.batchFailed();
      throw error;
    }
    options.observer?.batch(entries.length);
  }

  /** Are the decisions this batch waits for all in (or is the batch full)? */
  function isBatchReady(): boolean {
    if (queuedEntries >= maxBatch) return true;
    const oldest = reserved.values().next();
    return oldest.done === true || oldest.value >= waitBelow;
  }

  function scheduleFlush(): void {
    if (waitTimer !== null) {
      clearTimeout(waitTimer);
      waitTimer = null;
    }
    if (isFlushScheduled) return;
    isFlushScheduled = true;
    // Entries written in this same turn of the event loop join the batch too.
    setImmediate(() => void flush());
  }

  /** Starts gathering a batch for what is queued: at once when nothing else is under way. */
  function gather(): void {
    waitBelow = nextSlotId;
    if (isBatchReady()) scheduleFlush();
    else waitTimer ??= setTimeout(scheduleFlush, maxWaitMs);
  }

  /** A reservation ended (written or cancelled): the batch may now be complete. */
  function settle(slotId: number): void {
    if (!reserved.delete(slotId)) return;
    if (!isFlushing && queue.length > 0 && isBatchReady()) scheduleFlush();
  }

  function enqueue(entries: AccessLogEntry[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const isFirst = queue.length === 0;
      queue.push({ entries, resolve, reject });
      queuedEntries += entries.length;
      // Entries that arrive while a batch is being written wait for the next batch.
      if (isFirst && !isFlushing && !isFlushScheduled) gather();
      else if (!isFlushing && isBatchReady()) scheduleFlush();
    });
  }

  async function flush(): Promise<void> {
    isFlushScheduled = false;
    isFlushing = true;
    const batch = queue.splice(0, maxBatch);
    queuedEntries -= batch.reduce((n, p) => n + p.entries.length, 0);
    try {
      await writeBatch(batch);
      for (const p of batch) p.resolve();
    } catch (error) {
      if (batch.length === 1) {
        options.observer?.entriesRefused(batch[0]!.entries.length);
        batch[0]!.reject(error);
      }
      // Nothing of the batch was written (one statement, or one transaction): each request's
      // entries alone, so that an entry the database refuses fails only its own request.
      else
        for (const p of batch) {
          try {
            await writeBatch([p]);
            p.resolve();
          } catch (own) {
            options.observer?.entriesRefused(p.entries.length);
            p.reject(own);
          }
        }
    }
    isFlushing = false;
    // What arrived meanwhile is gathered as a new batch.
    if (queue.length > 0) gather();
  }

  return {
    /**
     * Reserves a place in a coming batch for a decision about to be made, so that the batch
     * waits for it (at most `maxWaitMs`). Every slot must be written or cancelled.
     */
    reserve(): LogSlot {
      const slotId = nextSlotId++;
      reserved.add(slotId);
      return {
        write(...entries: AccessLogEntry[]): Promise<void> {
          const written = entries.length === 0 ? Promise.resolve() : enqueue(entries.map(storableEntry));
          settle(slotId);
          return written;
        },
        cancel: () => settle(slotId),
      };
    },

    /** Writes entries; resolves when they are committed, rejects when they could not be written. */
    write(...entries: AccessLogEntry[]): Promise<void> {
      if (entries.length === 0) return Promise.resolve();
      return enqueue(entries.map(storableEntry));
    },

    /**
     * The last entry this writer committed (seq and hash), for the checkpoints kept outside the
     * database (services/audit-checkpoint.ts); null before its first batch or after an error.
     */
    lastWritten(): { seq: number; hash: string } | null {
      return knownHead;
    },

    /** Entries matching a filter, newest first; live and archived (access_log_archive inherits access_log). */
    async list(filter: AccessLogFilter, tx: Queryable = db): Promise<ChainedEntry[]> {
      return tx.query<ChainedEntry>(
        `select ${entryColumns} from access_log
         where ($1::text is null or actor_id = $1)
           -- A patient's entries include those of a reservnummer merged into them (migration 018).
           and ($2::uuid is null or patient_id in (select id from patient where id = $2 or merged_into = $2))
           and ($3::text is null or unit_id = $3) and ($4::text is null or provider_id = $4)
           and ($5::timestamptz is null or at >= $5) and ($6::timestamptz is null or at < $6)
           and ($7::boolean is null or is_emergency = $7) and ($9::bigint is null or seq < $9)
         order by seq desc limit $8`,
        [
          filter.actorId ?? null,
          filter.patientId ?? null,
          filter.unitId ?? null,
          filter.providerId ?? null,
          filter.from ?? null,
          filter.to ?? null,
          filter.isEmergency ?? null,
          Math.min(filter.limit ?? 200, 5000),
          filter.beforeSeq ?? null,
        ],
      );
    },

    /** A random sample of allowed patient accesses for a stickprov (sample check). */
    async sample(filter: AccessLogFilter & { size: number }): Promise<ChainedEntry[]> {
      return db.query<ChainedEntry>(
        `select ${entryColumns} from access_log
         where patient_id is not null and outcome = 'allowed' and actor_kind = 'staff'
           and ($1::text is null or provider_id = $1) and ($2::timestamptz is null or at >= $2)
           and ($3::timestamptz is null or at < $3) and ($4::text is null or unit_id = $4)
         order by random() limit $5`,
        [
          filter.providerId ?? null,
          filter.from ?? null,
          filter.to ?? null,
          filter.unitId ?? null,
          Math.min(filter.size, 500),
        ],
      );
    },

    /**
     * For the patient: which units accessed their data, and when (PDL 8 kap 5 §), and which
     * närstående/ombud read it (named: the patient chose them), and which registered systems
     * (SMART backend services, named as registered, with their care provider). The patient's own
     * reads are left out.
     */
    async listForPatient(patientId: string, limit = 500): Promise<OwnLogEntry[]> {
      return db.query<OwnLogEntry>(`${ownLogSql} order by l.seq desc limit $2`, [patientId, limit]);
    },

    /**
     * One entry of the patient's own log by its place (FHIR AuditEvent read): null when there is
     * no such entry or it is not one the patient's own log shows (`listForPatient`'s rule).
     */
    async findForPatient(patientId: string, seq: number): Promise<OwnLogEntry | null> {
      const rows = await db.query<OwnLogEntry>(`${ownLogSql} and l.seq = $2`, [patientId, seq]);
      return rows[0] ?? null;
    },

    /**
     * One entry by its place, if it is one of this care provider's (log review reads its own
     * provider's log only, as `list` with `providerId`); live or archived.
     */
    async findForProvider(providerId: string, seq: number): Promise<ChainedEntry | null> {
      const rows = await db.query<ChainedEntry>(
        `select ${entryColumns} from access_log where seq = $1 and provider_id = $2`,
        [seq, providerId],
      );
      return rows[0] ?? null;
    },

    /** Streams the whole chain in seq order, in pages, for verification: live and archived entries. */
    async *scan(pageSize = 5000): AsyncGenerator<ChainedEntry[]> {
      let after = 0;
      for (;;) {
        const rows = await db.query<ChainedEntry>(
          `select ${entryColumns} from access_log where seq > $1 order by seq limit $2`,
          [after, pageSize],
        );
        if (rows.length === 0) return;
        yield rows;
        after = rows[rows.length - 1]!.seq;
      }
    },

    async head(): Promise<{ seq: number; hash: string }> {
      return (
        await db.query<{ seq: number; hash: string }>('select seq, hash from access_log_head where id = 1')
      )[0]!;
    },
  };
}

export type AccessLogStore = ReturnType<typeof createAccessLogStore>;
