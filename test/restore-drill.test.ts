/**
 * The backup and restore drill (src/cli/restore-drill.ts, docs/operations.md) on a small
 * database, on both engines: back up, let the server go on, restore into a fresh database, run
 * `npm run audit:verify` on it, and compare every table's count with the source at backup time.
 * The verifier must call the restored log a restore (chain whole, ends at the backup), and the
 * log with the checkpoints of backup time intact.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drillPassed, runRestoreDrill, type DrillEngine } from '../src/cli/restore-drill.ts';

const serverUrl = process.env.TEST_DATABASE_URL;
// With a PostgreSQL server (CI has one) the drill needs pg_dump and pg_restore: it fails without them.
const engines: DrillEngine[] = ['pglite', ...(serverUrl ? (['postgres'] as const) : [])];

describe('the restore drill', () => {
  for (const engine of engines) {
    it(`restores a backup on ${engine} that verifies as a restore, with every row`, async () => {
      const report = await runRestoreDrill({
        engine,
        patients: 8,
        serverUrl,
        entriesBefore: 40,
        entriesAfter: 15,
      });
      assert.equal(report.backupSeq, 40);
      assert.equal(report.liveSeq, 55);
      assert.deepEqual(report.countMismatches, []);
      assert.ok(report.rows > 40 && report.tables > 30, `${report.tables} tables, ${report.rows} rows`);
      // With the checkpoints the server wrote after the backup: whole, but ends early (exit 2).
      assert.equal(report.verifyLive.status, 2, report.verifyLive.output);
      assert.match(report.verifyLive.output, /SLUTAR TIDIGARE/);
      assert.match(
        report.verifyLive.output,
        /slutar på post 40 medan kontrollpunkterna når post 55.*15 poster saknas/,
      );
      assert.doesNotMatch(report.verifyLive.output, /MANIPULERAD/);
      // With the checkpoints as they were when the backup was taken: intact.
      assert.equal(report.verifyAtBackup.status, 0, report.verifyAtBackup.output);
      assert.match(report.verifyAtBackup.output, /intakt: 40 poster/);
      assert.ok(drillPassed(report));
    });
  }
});
