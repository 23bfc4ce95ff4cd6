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
  | 'emergency-intent'
  | 'emergency-open'
  | 'log-review'
  | 'import'
  /** A reservnummer merged into the person's real number (services/patient-merge-service.ts). */
  | 'merge-patient'
  /** A change by a systemförvaltare to the journal systems, SMART clients or product roles (api/admin-routes.ts). */
  | 'administration'
  /** A bearer token refused on /fhir before anyone was known (invalid, expired, wrong issuer …). */
  | 'token';

export interface AccessLogEntry {
  /** ISO 8601 UTC with milliseconds. */
  at: string;
  action: LoggedAction;
  /** `system`: a SMART backend client, or (action `token`) a token nobody could be known from. */
  actorKind: 'staff' | 'patient' | 'system';
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
  /**
   * The OAuth client of a request made with a bearer token (migration 023), verified; absent or
   * null for the web app's own session. Part of the hash only when set, so that every entry
   * written before the column existed verifies as it did.
   */
  clientId?: string | null | undefined;
}

export interface ChainedEntry extends AccessLogEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = 'genesis';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The instant in the one form both engines return for a timestamptz (ISO 8601, UTC,
 * milliseconds), however it was written; a text that is no instant is left as it is.
 */
function canonicalInstant(at: string): string {
  const time = Date.parse(at);
  return Number.isNaN(time) ? at : new Date(time).toISOString();
}

/** NUL, and a high surrogate without its low one or a low one without its high one. */
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A text PostgreSQL can store: NUL and lone surrogates become U+FFFD. */
function storableText(text: string): string;
function storableText(text: string | null): string | null;
function storableText(text: string | null): string | null {
  return text === null ? null : text.replace(UNSTORABLE, '\ufffd');
}

/**
 * An entry as it can be stored and read back unchanged: text without characters PostgreSQL
 * refuses, the patient id lower-case (the database's uuid form; anything that is no UUID cannot
 * name a patient and is left out), the instant in canonical form. Applied before an entry is
 * chained, so that one odd entry can neither fail the batch it joins nor read back as altered.
 */
export function storableEntry(e: AccessLogEntry): AccessLogEntry {
  return {
    ...e,
    at: canonicalInstant(e.at),
    actorId: storableText(e.actorId),
    unitId: storableText(e.unitId),
    providerId: storableText(e.providerId),
    patientId: e.patientId !== null && UUID.test(e.patientId) ? e.patientId.toLowerCase() : null,
    requestId: storableText(e.requestId),
    route: storableText(e.route),
    detail: storableText(e.detail),
    clientId: storableText(e.clientId ?? null),
  };
}

/**
 * The canonical text an entry's hash covers: every field, in a fixed order. The values the
 * database may return in another spelling than they were written (the uuid lower-case, the
 * instant in UTC with milliseconds) are put in that one form first.
 */
export function canonicalEntry(seq: number, e: AccessLogEntry): string {
  const client = e.clientId === undefined || e.clientId === null ? [] : [e.clientId];
  return JSON.stringify([
    seq,
    canonicalInstant(e.at),
    e.action,
    e.actorKind,
    e.actorId,
    e.unitId,
    e.providerId,
    e.patientId === null ? null : e.patientId.toLowerCase(),
    e.outcome,
    e.legalBasis,
    e.isEmergency,
    e.requestId,
    e.route,
    e.detail,
    ...client,
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
  | { kind: 'head-mismatch'; headSeq: number; lastSeq: number }
  /** A checkpoint names an entry the database no longer holds: the end was cut off. */
  | { kind: 'truncated'; checkpointSeq: number; lastSeq: number }
  /** The entry at a checkpointed position is not the one the checkpoint saw. */
  | { kind: 'checkpoint-mismatch'; seq: number }
  /** A checkpoint line whose HMAC does not match: the checkpoint itself was altered. */
  | { kind: 'checkpoint-altered'; line: number };

/** Problems kept for the report at most; `problemCount` counts them all. */
const MAX_PROBLEMS = 1000;

/**
 * Walks entries in seq order and reports every problem: a missing seq (removed entries), an
 * entry whose prevHash is not its predecessor's hash (inserted or reordered), an entry whose
 * content does not match its hash (altered). After a problem it carries on from the entry as
 * stored, so that each break is reported once and a later one is not hidden behind it.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  readonly problems: ChainProblem[] = [];
  problemCount = 0;
  /** Entries read. */
  count = 0;

  constructor(private readonly key: string) {}

  private report(problem: ChainProblem): void {
    this.problemCount += 1;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(problem);
  }

  /** Feeds the next entry; returns false when it showed a problem. */
  push(e: ChainedEntry): boolean {
    const before = this.problemCount;
    if (e.seq !== this.expectedSeq) this.report({ kind: 'gap', seq: e.seq, expected: this.expectedSeq });
    else if (e.prevHash !== this.prevHash) this.report({ kind: 'broken-link', seq: e.seq });
    if (chainHash(this.key, e.prevHash, e.seq, e) !== e.hash) this.report({ kind: 'altered', seq: e.seq });
    this.expectedSeq = e.seq + 1;
    this.prevHash = e.hash;
    this.count += 1;
    return this.problemCount === before;
  }

  /** Compares the end of the chain with the stored head (entries removed from the end). */
  finish(head: { seq: number; hash: string }): ChainProblem[] {
    if (head.seq !== this.expectedSeq - 1 || head.hash !== this.prevHash) {
      this.report({ kind: 'head-mismatch', headSeq: head.seq, lastSeq: this.expectedSeq - 1 });
    }
    return this.problems;
  }
}

/**
 * A checkpoint of the chain kept outside the database: the last seq and its hash as a server
 * wrote them, at an instant, under an HMAC whose key the database never sees. Whoever can
 * rewrite the database can cut off its end and move `access_log_head` back to match, but cannot
 * make the database hold fewer entries than a checkpoint, or other ones at its position, without
 * `audit:verify` seeing it.
 */
export interface Checkpoint {
  seq: number;
  hash: string;
  at: string;
}

function checkpointMac(key: string, c: Checkpoint): string {
  return createHmac('sha256', key)
    .update('access-log-checkpoint\n')
    .update(JSON.stringify([c.seq, c.hash, c.at]))
    .digest('hex');
}

/** One line of the checkpoint file (JSON, no newline). */
export function checkpointLine(key: string, c: Checkpoint): string {
  return JSON.stringify({ seq: c.seq, hash: c.hash, at: c.at, mac: checkpointMac(key, c) });
}

/**
 * Reads a checkpoint file's lines: the checkpoints whose HMAC holds, and a problem for every
 * line that is not one (altered, or written with another key). Blank lines are skipped.
 */
export function readCheckpoints(
  key: string,
  text: string,
): { checkpoints: Checkpoint[]; problems: ChainProblem[] } {
  const checkpoints: Checkpoint[] = [];
  const problems: ChainProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    let c: Partial<Checkpoint & { mac: string }>;
    try {
      c = JSON.parse(raw) as Partial<Checkpoint & { mac: string }>;
    } catch {
      c = {};
    }
    const { seq, hash, at, mac } = c;
    if (
      typeof seq === 'number' &&
      Number.isSafeInteger(seq) &&
      typeof hash === 'string' &&
      typeof at === 'string' &&
      checkpointMac(key, { seq, hash, at }) === mac
    ) {
      checkpoints.push({ seq, hash, at });
    } else {
      problems.push({ kind: 'checkpoint-altered', line: index + 1 });
    }
  });
  return { checkpoints, problems };
}
