/**
 * The access log's HMAC key. Production requires AUDIT_KEY from the environment (a secret
 * store), so that whoever can write to the database cannot rebuild the chain. The embedded
 * demo keeps a generated key in a file beside its data folder.
 *
 * One key, one purpose: the chain is HMAC'd with AUDIT_KEY itself (as it always was, so that
 * existing chains still verify); every other purpose gets a key of its own, derived from it with
 * HKDF-SHA256 under a label of that purpose (RFC 5869), or, for the emergency-access
 * confirmation, EMERGENCY_TOKEN_KEY when it is set. A derived key tells nothing of AUDIT_KEY or
 * of another derived key.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
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

/** The labels of the keys derived from AUDIT_KEY: one per purpose, never reused. */
export type DerivedKeyPurpose = 'emergency-token' | 'access-log-checkpoint';

/** A key for one purpose, derived from the access log's key (HKDF-SHA256, 32 bytes, hex). */
export function deriveKey(auditKey: string, purpose: DerivedKeyPurpose): string {
  return Buffer.from(
    hkdfSync('sha256', auditKey, 'patientkontrakt', `patientkontrakt ${purpose} v1`, 32),
  ).toString('hex');
}

/**
 * The key that signs the emergency-access confirmation (step 1 of nödåtkomst):
 * EMERGENCY_TOKEN_KEY when set, else derived from AUDIT_KEY, never AUDIT_KEY itself.
 */
export function emergencyTokenKey(config: Config, auditKey: string): string {
  if (config.emergencyTokenKey !== undefined && config.emergencyTokenKey.length < 32)
    throw new Error('EMERGENCY_TOKEN_KEY must be at least 32 characters long.');
  return config.emergencyTokenKey ?? deriveKey(auditKey, 'emergency-token');
}
