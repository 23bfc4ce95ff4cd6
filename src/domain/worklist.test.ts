import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { swedishDayBounds } from './swedish-time.ts';
import {
  compareWorklistItems,
  rankWorklistItem,
  worklistTiers,
  type WorklistFacts,
  type WorklistRank,
} from './worklist.ts';

// 10:00 in Stockholm on Monday 7 December 2026.
const NOW = new Date('2026-12-07T09:00:00.000Z');
const facts = (over: Partial<WorklistFacts>): WorklistFacts => ({
  requestedAt: null,
  nextContactAt: null,
  reviewDate: null,
  ...over,
});

describe('worklist order', () => {
  it('puts a patient waiting for a reply first, whatever else is due', () => {
    const rank = rankWorklistItem(
      facts({
        requestedAt: '2026-12-06T08:00:00.000Z',
        nextContactAt: '2026-12-01T08:00:00.000Z',
        reviewDate: '2026-11-01',
      }),
      NOW,
    );
    assert.deepEqual(rank, { tier: 'waiting', since: '2026-12-06T08:00:00.000Z' });
  });

  it('calls a passed next contact or a passed review date overdue, from the older of the two', () => {
    assert.deepEqual(rankWorklistItem(facts({ nextContactAt: '2026-12-07T08:59:00.000Z' }), NOW), {
      tier: 'overdue',
      since: '2026-12-07T08:59:00.000Z',
    });
    assert.deepEqual(
      rankWorklistItem(facts({ nextContactAt: '2026-12-07T08:00:00.000Z', reviewDate: '2026-12-06' }), NOW),
      { tier: 'overdue', since: swedishDayBounds('2026-12-06').start },
    );
  });

  it('calls a contact later today or a review today due today, by the Swedish calendar day', () => {
    assert.equal(rankWorklistItem(facts({ nextContactAt: '2026-12-07T22:59:00.000Z' }), NOW).tier, 'today');
    // 00:30 on 8 December in Stockholm is still 7 December in UTC: not today.
    assert.equal(rankWorklistItem(facts({ nextContactAt: '2026-12-07T23:30:00.000Z' }), NOW).tier, 'later');
    assert.equal(rankWorklistItem(facts({ reviewDate: '2026-12-07' }), NOW).tier, 'today');
  });

  it('leaves a patient with nothing due, or nothing dated, among the rest', () => {
    assert.deepEqual(rankWorklistItem(facts({ reviewDate: '2027-01-10' }), NOW), {
      tier: 'later',
      since: swedishDayBounds('2027-01-10').start,
    });
    assert.deepEqual(rankWorklistItem(facts({}), NOW), { tier: 'later', since: null });
  });

  const day = fc
    .integer({ min: -40, max: 40 })
    .map((offset) => new Date(NOW.getTime() + offset * 86_400_000).toISOString().slice(0, 10));
  const instant = fc
    .integer({ min: -40 * 24 * 60, max: 40 * 24 * 60 })
    .map((minutes) => new Date(NOW.getTime() + minutes * 60_000).toISOString());
  const row = fc.record({
    requestedAt: fc.option(instant.filter((i) => i <= NOW.toISOString())),
    nextContactAt: fc.option(instant),
    reviewDate: fc.option(day),
    name: fc.constantFrom('Anna Berg', 'Elsa Lind', 'Åke Öberg', 'Bo Ek'),
    patientId: fc.uuid(),
  });
  const ranked = (r: WorklistFacts & { name: string; patientId: string }) => ({
    ...r,
    ...rankWorklistItem(r, NOW),
  });
  const tierOf = (rank: WorklistRank) => worklistTiers.indexOf(rank.tier);

  it('always sorts a row of a more urgent tier before one of a less urgent tier', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const sorted = rows.map(ranked).sort(compareWorklistItems);
        for (let i = 1; i < sorted.length; i++) assert.ok(tierOf(sorted[i - 1]!) <= tierOf(sorted[i]!));
      }),
    );
  });

  it('sorts the oldest first within a tier, undated rows last', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const sorted = rows.map(ranked).sort(compareWorklistItems);
        for (let i = 1; i < sorted.length; i++) {
          const [a, b] = [sorted[i - 1]!, sorted[i]!];
          if (a.tier !== b.tier) continue;
          if (a.since === null) assert.equal(b.since, null);
          else if (b.since !== null) assert.ok(a.since <= b.since);
        }
      }),
    );
  });

  it('gives the same order whatever order the rows arrive in', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }), fc.integer(), (rows, seed) => {
        const once = rows.map(ranked).sort(compareWorklistItems);
        const shuffled = [...rows].sort((a, b) => (a.patientId + seed < b.patientId + seed ? 1 : -1));
        const again = shuffled.map(ranked).sort(compareWorklistItems);
        assert.deepEqual(
          again.map((r) => r.patientId),
          once.map((r) => r.patientId),
        );
      }),
    );
  });

  it('ranks only waiting rows as waiting, and every overdue row has a passed date', () => {
    fc.assert(
      fc.property(row, (r) => {
        const rank = rankWorklistItem(r, NOW);
        assert.equal(rank.tier === 'waiting', r.requestedAt !== null);
        if (rank.tier === 'overdue') assert.ok(rank.since !== null && rank.since < NOW.toISOString());
      }),
    );
  });
});
