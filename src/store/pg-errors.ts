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

/** 23514: a check constraint (or a partition's bounds) refused a row. */
export function isCheckViolation(error: unknown): boolean {
  return (error as PgError)?.code === '23514';
}
