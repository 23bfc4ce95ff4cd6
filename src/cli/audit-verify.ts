/**
 * `npm run audit:verify`: checks the access log's hash chain on the configured database
 * (DATABASE_URL, or PGlite in DATA_DIR), and against the checkpoints outside the database
 * (AUDIT_CHECKPOINT_FILE). Exits 0 when the log is intact; 1 when it was tampered with (an entry
 * altered, removed or inserted, a checkpoint that does not match); 2 when the chain is whole but
 * ends before the checkpoints do, which is what a restore from a backup looks like (and what
 * cutting off the end looks like: the region's record of its restores tells which). Every
 * problem is listed, not only the first. Archived months are verified with the live log.
 */
import { readConfig } from '../config.ts';
import { readCheckpointFile } from '../services/audit-checkpoint.ts';
import { deriveKey, loadAuditKey } from '../services/audit-key.ts';
import { describeProblem, describeVerdict, verifyAccessLog } from '../services/audit-verify.ts';
import { createAccessLogStore } from '../store/access-log-store.ts';
import { migrate, openDb } from '../store/db.ts';

const config = readConfig();
const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  await migrate(db);
  const key = await loadAuditKey(config);
  const file = config.auditCheckpoint.file;
  // Read before the chain: every checkpoint then names an entry committed before the scan.
  const text = file ? await readCheckpointFile(file) : null;
  const result = await verifyAccessLog(createAccessLogStore(db, key), key, {
    checkpoints: text === null ? undefined : { text, key: deriveKey(key, 'access-log-checkpoint') },
  });
  if (!file) {
    console.warn(
      'Ingen kontrollpunktsfil (AUDIT_CHECKPOINT_FILE): att slutet av loggen tagits bort går inte att upptäcka.',
    );
  } else if (text === null) {
    console.warn(`Kontrollpunktsfilen ${file} finns inte (ännu): slutet av loggen kontrolleras inte.`);
  }
  // Exit 0 intact, 2 ends early with the chain whole (a restore, or the end cut off), 1 tampered.
  const { verdict } = result;
  if (verdict.kind === 'intact') {
    const checked = result.checkpoints === null ? '' : `, ${result.checkpoints} kontrollpunkter stämmer`;
    console.log(`Åtkomstloggen är intakt: ${result.entries} poster, kedjan obruten${checked}.`);
  } else {
    console.error(describeVerdict(verdict, result.entries));
    console.error(`${result.problemCount} problem:`);
    for (const problem of result.problems) console.error(`- ${describeProblem(problem)}`);
    if (result.problemCount > result.problems.length)
      console.error(`… och ${result.problemCount - result.problems.length} till.`);
    process.exitCode = verdict.kind === 'ends-early' ? 2 : 1;
  }
} finally {
  await db.close();
}
