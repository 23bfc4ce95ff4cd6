/**
 * The access log's HMAC key. Production requires AUDIT_KEY from the environment (a secret
 * store), so that whoever can write to the database cannot rebuild the chain. The embedded
 * demo keeps a generated key in a file beside its data folder.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Config } from '../config.ts';

/** A fixed key for tests and for a development PostgreSQL without AUDIT_KEY. Never for production. */
export const DEVELOPMENT_AUDIT_KEY = 'patientkontrakt-development-audit-key';

export async function loadAuditKey(config: Config): Promise<string> {
  if (config.auditKey) return config.auditKey;
  if (config.isProduction) throw new Error('AUDIT_KEY must be set in production (the access log key).');
  if (config.databaseUrl) return DEVELOPMENT_AUDIT_KEY;
  const file = join(dirname(config.dataDir), 'audit.key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const key = randomBytes(32).toString('hex');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${key}\n`, { mode: 0o600 });
    return key;
  }
}
