/**
 * `npm run audit:verify`: checks the access log's hash chain on the configured database
 * (DATABASE_URL, or PGlite in DATA_DIR), and against the checkpoints outside the database
 * (AUDIT_CHECKPOINT_FILE), and exits non-zero if any entry was altered, removed or inserted, or
 * the end was cut off. Every problem is listed, not only the first.
 */
import { readConfig } from '../config.ts';
import { readCheckpointFile } from '../services/audit-checkpoint.ts';
import { deriveKey, loadAuditKey } from '../services/audit-key.ts';
import { describeProblem, verifyAccessLog } from '../services/audit-verify.ts';
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
  if (result.problemCount > 0) {
    console.error(`Åtkomstloggen är INTE intakt: ${result.problemCount} problem.`);
    for (const problem of result.problems) console.error(`- ${describeProblem(problem)}`);
    if (result.problemCount > result.problems.length)
      console.error(`… och ${result.problemCount - result.problems.length} till.`);
    process.exitCode = 1;
  } else {
    const checked = result.checkpoints === null ? '' : `, ${result.checkpoints} kontrollpunkter stämmer`;
    console.log(`Åtkomstloggen är intakt: ${result.entries} poster, kedjan obruten${checked}.`);
  }
} finally {
  await db.close();
}
