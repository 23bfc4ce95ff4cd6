/**
 * The access log's entries and their chain (HSLF-FS 2016:40 4 kap 9 §; security.md 8–10).
 * Each entry's hash is an HMAC-SHA256 over its canonical form and the previous entry's hash.
 * The key lives outside the database (AUDIT_KEY), so whoever can write to the database
 * cannot rebuild a chain that `verifyChain` accepts.
 */
import { createHmac } from 'node:crypto';
import type { AccessAction, LegalBasis } from './access.ts';

export type LoggedAction =
  | AccessAction
  | 'register-consent'
  | 'revoke-consent'
  | 'block'
  | 'lift-block'
  | 'register-proxy'
  | 'revoke-proxy'
  | 'register-relationship'
  | 'emergency-open'
  | 'log-review'
  | 'import';

export interface AccessLogEntry {
  /** ISO 8601 UTC with milliseconds. */
  at: string;
  action: LoggedAction;
  actorKind: 'staff' | 'patient';
  actorId: string;
  unitId: string | null;
  providerId: string | null;
  patientId: string | null;
  outcome: 'allowed' | 'denied';
  legalBasis: LegalBasis | null;
  isEmergency: boolean;
  requestId: string;
  route: string;
  detail: string | null;
}

export interface ChainedEntry extends AccessLogEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = 'genesis';

/** The canonical text an entry's hash covers: every field, in a fixed order. */
export function canonicalEntry(seq: number, e: AccessLogEntry): string {
  return JSON.stringify([
    seq,
    e.at,
    e.action,
    e.actorKind,
    e.actorId,
    e.unitId,
    e.providerId,
    e.patientId,
    e.outcome,
    e.legalBasis,
    e.isEmergency,
    e.requestId,
    e.route,
    e.detail,
  ]);
}

/** The hash of an entry chained to the previous entry's hash. */
export function chainHash(key: string, prevHash: string, seq: number, entry: AccessLogEntry): string {
  return createHmac('sha256', key)
    .update(prevHash)
    .update('\n')
    .update(canonicalEntry(seq, entry))
    .digest('hex');
}

/** Chains entries after a head (last seq and hash). Pure: same input, same hashes. */
export function chainEntries(
  key: string,
  head: { seq: number; hash: string },
  entries: readonly AccessLogEntry[],
): ChainedEntry[] {
  let { seq, hash } = head;
  return entries.map((entry) => {
    seq += 1;
    const prevHash = hash;
    hash = chainHash(key, prevHash, seq, entry);
    return { ...entry, seq, prevHash, hash };
  });
}

export type ChainProblem =
  | { kind: 'gap'; seq: number; expected: number }
  | { kind: 'broken-link'; seq: number }
  | { kind: 'altered'; seq: number }
  | { kind: 'head-mismatch'; headSeq: number; lastSeq: number };

/**
 * Walks entries in seq order and reports the first problem: a missing seq (removed entry), an
 * entry whose prevHash is not its predecessor's hash (inserted or reordered), or an entry
 * whose content does not match its hash (altered).
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  problem: ChainProblem | null = null;
  count = 0;

  constructor(private readonly key: string) {}

  /** Feeds the next entry; returns false once a problem is found. */
  push(e: ChainedEntry): boolean {
    if (this.problem) return false;
    if (e.seq !== this.expectedSeq) this.problem = { kind: 'gap', seq: e.seq, expected: this.expectedSeq };
    else if (e.prevHash !== this.prevHash) this.problem = { kind: 'broken-link', seq: e.seq };
    else if (chainHash(this.key, e.prevHash, e.seq, e) !== e.hash)
      this.problem = { kind: 'altered', seq: e.seq };
    if (this.problem) return false;
    this.expectedSeq += 1;
    this.prevHash = e.hash;
    this.count += 1;
    return true;
  }

  /** Compares the end of the chain with the stored head (entries removed from the end). */
  finish(head: { seq: number; hash: string }): ChainProblem | null {
    if (this.problem) return this.problem;
    if (head.seq !== this.expectedSeq - 1 || head.hash !== this.prevHash) {
      this.problem = { kind: 'head-mismatch', headSeq: head.seq, lastSeq: this.expectedSeq - 1 };
    }
    return this.problem;
  }
}
