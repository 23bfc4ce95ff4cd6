/**
 * Bounded lists: a route that returns a list takes `limit` (a default, a maximum) and never
 * answers with more. A list that grows with use (a contract edited every day for years, a log)
 * would otherwise be sent whole, megabytes at once, and slow every other request while it is
 * built. test/list-limits.test.ts holds every GET route to it.
 */
import { Type } from 'typebox';
import { DomainError } from '../domain/errors.ts';

export interface PageBounds {
  /** Without `limit`. */
  fallback: number;
  /** The most one answer holds; a larger `limit` is refused. */
  max: number;
}

/** The `limit` query parameter (text: query strings are not coerced); its description names the bounds. */
export const limitParam = (bounds: PageBounds) =>
  Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,6}$',
      description: `How many at most: ${bounds.fallback} when not given, at most ${bounds.max}`,
    }),
  );

/** The page size asked for: the fallback when none, a 400 below 1 or above the maximum. */
export function pageSize(limit: string | undefined, bounds: PageBounds): number {
  if (limit === undefined) return bounds.fallback;
  const n = Number(limit);
  if (n < 1 || n > bounds.max) {
    throw new DomainError('invalid_input', `limit ska vara mellan 1 och ${bounds.max}.`, [
      { path: '/limit', message: `Högst ${bounds.max}.` },
    ]);
  }
  return n;
}
