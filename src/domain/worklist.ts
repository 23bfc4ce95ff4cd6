/**
 * The order of the staff worklist ("Mina patienter"): most urgent first, so that a busy nurse
 * reads from the top and stops when the rest can wait.
 *
 *   1. waiting  – someone waits for me: a patient asked for another time and has no reply yet
 *                 (a new time is the reply). Unanswered escalations belong here when they exist.
 *   2. overdue  – a next contact whose time has passed without a new one, or a review date that
 *                 has passed on an active contract.
 *   3. today    – a next contact or a review later today (Swedish calendar day).
 *   4. later    – everything else.
 *
 * Within a tier the oldest comes first (the longest wait, the most overdue, the earliest today);
 * rows with no date at all come last, then by name.
 */
import { swedishDayBounds, swedishDayOf, swedishToday } from './swedish-time.ts';

export const worklistTiers = ['waiting', 'overdue', 'today', 'later'] as const;
export type WorklistTier = (typeof worklistTiers)[number];

/** What the worklist knows about one of my patients, as the store reads it. */
export interface WorklistFacts {
  /** When the patient asked for another time still waiting for a reply; null if none. */
  requestedAt: string | null;
  /** The next contact's time (ISO instant), null if none or hidden from me. */
  nextContactAt: string | null;
  /** The review date (YYYY-MM-DD) of an active contract; null for a draft or none. */
  reviewDate: string | null;
  /** The patient has died: nothing about them is urgent any more (domain/person-status.ts). */
  isDeceased?: boolean;
}

export interface WorklistRank {
  tier: WorklistTier;
  /** The moment the tier is ordered by (ISO instant), oldest first; null sorts last. */
  since: string | null;
}

function earliest(values: (string | null)[]): string | null {
  let first: string | null = null;
  for (const value of values) if (value !== null && (first === null || value < first)) first = value;
  return first;
}

/** The urgency tier of a worklist row and the moment it is ordered by within the tier. */
export function rankWorklistItem(facts: WorklistFacts, now: Date): WorklistRank {
  if (facts.isDeceased) return { tier: 'later', since: null };
  if (facts.requestedAt !== null) return { tier: 'waiting', since: facts.requestedAt };
  const today = swedishToday(now);
  const next = facts.nextContactAt === null ? null : new Date(facts.nextContactAt).toISOString();
  const review = facts.reviewDate === null ? null : swedishDayBounds(facts.reviewDate).start;
  const overdue = earliest([
    next !== null && next < now.toISOString() ? next : null,
    facts.reviewDate !== null && facts.reviewDate < today ? review : null,
  ]);
  if (overdue !== null) return { tier: 'overdue', since: overdue };
  const dueToday = earliest([
    next !== null && swedishDayOf(next) === today ? next : null,
    facts.reviewDate === today ? review : null,
  ]);
  if (dueToday !== null) return { tier: 'today', since: dueToday };
  return { tier: 'later', since: earliest([next, review]) };
}

/** Orders ranked rows: tier, then oldest first (no date last), then name, then id. */
export function compareWorklistItems(
  a: WorklistRank & { name: string; patientId: string },
  b: WorklistRank & { name: string; patientId: string },
): number {
  const byTier = worklistTiers.indexOf(a.tier) - worklistTiers.indexOf(b.tier);
  if (byTier !== 0) return byTier;
  if (a.since !== b.since) {
    if (a.since === null) return 1;
    if (b.since === null) return -1;
    return a.since < b.since ? -1 : 1;
  }
  const byName = a.name.localeCompare(b.name, 'sv');
  if (byName !== 0) return byName;
  return a.patientId < b.patientId ? -1 : a.patientId > b.patientId ? 1 : 0;
}
