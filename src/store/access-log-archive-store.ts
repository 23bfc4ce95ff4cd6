/**
 * The access log's archive (migrations/022_access_log_archive.sql): a month of entries moves from
 * the live log (`only access_log`) to `access_log_archive` in one transaction, unchanged (same
 * seq, same hashes, every column: the archive inherits access_log's), and the month's row records
 * what moved and the hash at its end. A read of `access_log` reads both. The same transaction
 * moves the month's SMART launch events (`ehr_launch_event` → `ehr_launch_event_archive`,
 * migration 028), kept under the same retention.
 */
import type { Db } from './db.ts';

export interface ArchivedMonth {
  /** `YYYY-MM`. */
  month: string;
  entries: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** The hash of the month's last entry (by seq): its chain head. */
  lastHash: string | null;
  /** SMART launch events of the month (moved, or that would move). */
  launchEvents: number;
}

export function createAccessLogArchiveStore(db: Db) {
  return {
    /**
     * The instant of the oldest entry or launch event still live, or null when both are empty
     * (`least` passes over a null).
     */
    async oldestLiveAt(): Promise<string | null> {
      const rows = await db.query<{ at: string | null }>(
        `select least((select min(at) from only access_log), (select min(at) from only ehr_launch_event)) as at`,
      );
      return rows[0]?.at ?? null;
    },

    /** How many live entries and launch events lie in [from, to): what a run would move. */
    async countLive(from: string, to: string): Promise<{ entries: number; launchEvents: number }> {
      const rows = await db.query<{ entries: number; launchEvents: number }>(
        `select (select count(*)::int from only access_log where at >= $1 and at < $2) as entries,
                (select count(*)::int from only ehr_launch_event where at >= $1 and at < $2) as "launchEvents"`,
        [from, to],
      );
      return rows[0]!;
    },

    /**
     * Moves the live entries and launch events in [from, to) to their archives and records the
     * month; all or nothing. The live tables' triggers let a row go only once the same row is in
     * the archive.
     */
    async archiveMonth(month: string, from: string, to: string): Promise<ArchivedMonth> {
      return db.transaction(
        async (tx) => {
          const [launches] = await tx.query<{ n: number }>(
            `with moved as (
               insert into ehr_launch_event_archive
               select * from only ehr_launch_event where at >= $1 and at < $2
               returning id)
             select count(*)::int as n from moved`,
            [from, to],
          );
          const launchEvents = launches?.n ?? 0;
          if (launchEvents > 0)
            await tx.query('delete from only ehr_launch_event where at >= $1 and at < $2', [from, to]);
          // Counted in the database: a month may hold millions of entries.
          const [moved] = await tx.query<{
            entries: number;
            firstSeq: number | null;
            lastSeq: number | null;
            lastHash: string | null;
          }>(
            `with moved as (
               insert into access_log_archive
               select * from only access_log where at >= $1 and at < $2
               returning seq, hash)
             select count(*)::int as entries, min(seq) as "firstSeq", max(seq) as "lastSeq",
                    (select hash from moved order by seq desc limit 1) as "lastHash"
             from moved`,
            [from, to],
          );
          if (!moved || moved.entries === 0)
            return { month, entries: 0, firstSeq: null, lastSeq: null, lastHash: null, launchEvents };
          await tx.query('delete from only access_log where at >= $1 and at < $2', [from, to]);
          // A month archived before gains the entries that arrived late (a clock behind).
          await tx.query(
            `insert into access_log_archive_month (month, entries, first_seq, last_seq, last_hash)
             values ($1::date, $2, $3, $4, $5)
             on conflict (month) do update set
               entries = access_log_archive_month.entries + excluded.entries,
               first_seq = least(access_log_archive_month.first_seq, excluded.first_seq),
               last_hash = case when excluded.last_seq > access_log_archive_month.last_seq
                 then excluded.last_hash else access_log_archive_month.last_hash end,
               last_seq = greatest(access_log_archive_month.last_seq, excluded.last_seq),
               archived_at = now()`,
            [`${month}-01`, moved.entries, moved.firstSeq, moved.lastSeq, moved.lastHash],
          );
          return { month, ...moved, launchEvents };
        },
        { isBulk: true },
      );
    },

    /** The archived months of the access log, oldest first (launch events are not counted here). */
    async months(): Promise<(Omit<ArchivedMonth, 'launchEvents'> & { archivedAt: string })[]> {
      return db.query(
        `select to_char(month, 'YYYY-MM') as month, entries, first_seq as "firstSeq", last_seq as "lastSeq",
                last_hash as "lastHash", archived_at as "archivedAt"
         from access_log_archive_month order by month`,
      );
    },
  };
}

export type AccessLogArchiveStore = ReturnType<typeof createAccessLogArchiveStore>;
