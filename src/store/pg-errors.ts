import { DomainError } from '../domain/errors.ts';

/** Recognises PostgreSQL errors by SQLSTATE; the same codes come from PGlite. */
interface PgError {
  code?: string;
  constraint?: string;
  message?: string;
}

/** 23505: a unique constraint or unique index refused the row. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as PgError;
  if (e?.code !== '23505') return false;
  if (!constraint) return true;
  // PGlite does not always fill `constraint`; the name is in the message on both engines.
  return e.constraint === constraint || (e.message ?? '').includes(constraint);
}

/** 23503: a foreign key refers to a row that does not exist. */
export function isForeignKeyViolation(error: unknown): boolean {
  return (error as PgError)?.code === '23503';
}

/**
 * For a write whose foreign keys name a unit, care provider or person: a reference to one that
 * does not exist answers 400 in Swedish; any other error is thrown on.
 */
export function throwUnknownReference(error: unknown): never {
  if (isForeignKeyViolation(error))
    throw new DomainError('invalid_input', 'Enheten, vårdgivaren eller personen finns inte.');
  throw error;
}

/** 23514: a check constraint (or a partition's bounds) refused a row. */
export function isCheckViolation(error: unknown): boolean {
  return (error as PgError)?.code === '23514';
}

// Class 08 (connection exception), 57P01-57P03 (shut down, starting up), 57014 (a statement cut by
// statement_timeout) and 25P03 (idle_in_transaction_session_timeout).
const UNAVAILABLE_CODES = new Set(['57014', '57P01', '57P02', '57P03', '25P03']);
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
]);

/**
 * The database did not answer in time, or the connection is gone: the request may succeed
 * later, so it is answered 503, not 500. node-postgres reports its own timeouts by message only.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as PgError;
  if (typeof e?.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  if (typeof e?.code === 'string' && UNAVAILABLE_NODE_CODES.has(e.code)) return true;
  return /timeout exceeded when trying to connect|connection timeout|Query read timeout|Connection terminated|not queryable/i.test(
    e?.message ?? '',
  );
}
