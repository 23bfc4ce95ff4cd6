/**
 * The monthly archive of the access log (`npm run audit:archive`): every whole month, oldest
 * first, up to a given month, as long as it ended at least ACCESS_LOG_RETENTION_YEARS ago; one
 * transaction per month. The entries keep their chain: `audit:verify` covers them, and log review
 * and the patient's own log still show them. The month's SMART launch events move with it (the
 * launch log is kept as long as the access log: migration 028), and log review still lists them.
 */
import {
  assertArchivable,
  firstMonthKept,
  monthOfDay,
  monthsBetween,
  monthStart,
  nextMonth,
  parseMonth,
  type Month,
} from '../domain/access-log-archive.ts';
import { swedishDayOf } from '../domain/swedish-time.ts';
import type { AccessLogArchiveStore, ArchivedMonth } from '../store/access-log-archive-store.ts';

export interface ArchiveRequest {
  /** Archive the months before this one (`YYYY-MM`); default: every month the retention allows. */
  before?: string | undefined;
  /** Count what would move, move nothing. */
  isDryRun: boolean;
  /** Told each month when it is done (for the command's output). */
  onMonth?: (result: ArchivedMonth & { ms: number }) => void;
}

export function createAccessLogArchiveService(deps: {
  store: AccessLogArchiveStore;
  clock: () => Date;
  retentionYears: number;
}) {
  return {
    /** The first month that must stay live today. */
    firstMonthKept: (): Month => firstMonthKept(deps.clock(), deps.retentionYears),

    /** Archives (or counts, dry) the months before `before`; refuses months the retention keeps. */
    async archive(request: ArchiveRequest): Promise<{ before: Month; months: ArchivedMonth[] }> {
      const now = deps.clock();
      const before = request.before ? parseMonth(request.before) : firstMonthKept(now, deps.retentionYears);
      assertArchivable(before, now, deps.retentionYears);
      const oldest = await deps.store.oldestLiveAt();
      if (oldest === null) return { before, months: [] };
      const months: ArchivedMonth[] = [];
      for (const month of monthsBetween(monthOfDay(swedishDayOf(oldest)), before)) {
        const from = monthStart(month);
        const to = monthStart(nextMonth(month));
        const started = performance.now();
        const result = request.isDryRun
          ? {
              month,
              ...(await deps.store.countLive(from, to)),
              firstSeq: null,
              lastSeq: null,
              lastHash: null,
            }
          : await deps.store.archiveMonth(month, from, to);
        months.push(result);
        request.onMonth?.({ ...result, ms: performance.now() - started });
      }
      return { before, months };
    },

    months: () => deps.store.months(),
  };
}

export type AccessLogArchiveService = ReturnType<typeof createAccessLogArchiveService>;
