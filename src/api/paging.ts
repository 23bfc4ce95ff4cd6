/**
 * Bounded lists: every route that returns a list takes `limit` (a default, a maximum) and never
 * answers with more. A list that grows with use (a contract edited every day for years) would
 * otherwise be sent whole, megabytes at once, and slow every other request while it is built.
 */
import { Type } from 'typebox';
import { DomainError } from '../domain/errors.ts';

/** The `limit` query parameter: a whole number as text (query strings are not coerced). */
export const LimitParam = Type.Optional(
  Type.String({
    pattern: '^[0-9]{1,6}$',
    description: 'How many at most (see the route for its default and maximum)',
  }),
);

/** The page size asked for: `fallback` when none, a 400 when 0 or above `max`. */
export function pageSize(limit: string | undefined, fallback: number, max: number): number {
  if (limit === undefined) return fallback;
  const n = Number(limit);
  if (n < 1 || n > max) {
    throw new DomainError('invalid_input', `limit ska vara mellan 1 och ${max}.`, [
      { path: '/limit', message: `Högst ${max}.` },
    ]);
  }
  return n;
}
