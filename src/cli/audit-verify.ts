/**
 * `npm run audit:verify`: checks the access log's hash chain on the configured database
 * (DATABASE_URL, or PGlite in DATA_DIR) and exits non-zero if any entry was altered, removed
 * or inserted.
 */
import { readConfig } from '../config.ts';
import { loadAuditKey } from '../services/audit-key.ts';
import { describeProblem, verifyAccessLog } from '../services/audit-verify.ts';
import { createAccessLogStore } from '../store/access-log-store.ts';
import { migrate, openDb } from '../store/db.ts';

const config = readConfig();
const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  await migrate(db);
  const key = await loadAuditKey(config);
  const result = await verifyAccessLog(createAccessLogStore(db, key), key);
  if (result.problem) {
    console.error(`Åtkomstloggen är INTE intakt. ${describeProblem(result.problem)}`);
    process.exitCode = 1;
  } else {
    console.log(`Åtkomstloggen är intakt: ${result.entries} poster, kedjan obruten.`);
  }
} finally {
  await db.close();
}
