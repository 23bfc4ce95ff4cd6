/**
 * `npm run audit:archive -- [--before YYYY-MM] [--dry-run]`: moves whole months of the access log
 * older than ACCESS_LOG_RETENTION_YEARS (at least five) from the live log to its archive, one
 * transaction per month (services/access-log-archive-service.ts), with the month's SMART launch
 * events (`ehr_launch_event`, kept as long). Without `--before`, every month
 * the retention allows; a later month is refused. The entries keep their chain; run
 * `npm run audit:verify` afterwards. Meant for a monthly schedule (docs/operations.md).
 */
import { parseArgs } from 'node:util';
import { createAccessLogArchiveService } from '../services/access-log-archive-service.ts';
import { createAccessLogArchiveStore } from '../store/access-log-archive-store.ts';
import { reportDomainError, withMigratedDb } from './cli-run.ts';

const { values } = parseArgs({
  options: { before: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
});
try {
  await withMigratedDb(
    async (db, config) => {
      const archive = createAccessLogArchiveService({
        store: createAccessLogArchiveStore(db),
        clock: () => new Date(),
        retentionYears: config.accessLogRetentionYears,
      });
      const isDryRun = values['dry-run'] === true;
      const started = performance.now();
      const result = await archive.archive({
        before: values.before,
        isDryRun,
        onMonth: (m) =>
          console.log(
            isDryRun
              ? `${m.month}: ${m.entries} poster och ${m.launchEvents} SMART-starter skulle arkiveras.`
              : `${m.month}: ${m.entries} poster arkiverade${m.lastSeq === null ? '' : ` (post ${m.firstSeq}–${m.lastSeq})`} och ${m.launchEvents} SMART-starter på ${(m.ms / 1000).toFixed(1)} s.`,
          ),
      });
      const total = result.months.reduce((n, m) => n + m.entries, 0);
      const launches = result.months.reduce((n, m) => n + m.launchEvents, 0);
      console.log(
        `${isDryRun ? 'Provkörning: ' : ''}${result.months.length} månader före ${result.before}, ${total} poster och ${launches} SMART-starter${isDryRun ? '' : ' arkiverade'} på ${((performance.now() - started) / 1000).toFixed(1)} s (lagringstid ${config.accessLogRetentionYears} år).`,
      );
    },
    { poolSize: 2 },
  );
} catch (error) {
  reportDomainError(error);
}
