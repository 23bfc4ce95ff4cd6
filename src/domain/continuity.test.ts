import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  continuityOf,
  indexNames,
  indicesOf,
  meanIndices,
  tallyVisits,
  type TallyGroup,
} from './continuity.ts';

const close = (actual: number | undefined, expected: number): void =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);

/** Visits as providers in time order: up to 40 visits among up to 6 providers. */
const visitsArb = fc.array(fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'), { minLength: 0, maxLength: 40 });

describe('continuity indices on hand-computed cases', () => {
  it('gives 1 on every index when all visits are to one doctor', () => {
    assert.deepEqual(continuityOf(['A', 'A', 'A']), { coc: 1, upc: 1, mmci: 1, secon: 1 });
  });

  it('gives COC 0 and SECON 0 when every visit is to a new doctor', () => {
    const ix = continuityOf(['A', 'B', 'C'])!;
    close(ix.coc, 0);
    close(ix.upc, 1 / 3);
    // (1 − 3/3.1) / (1 − 1/3.1) = 0.1 / 2.1
    close(ix.mmci, 0.1 / 2.1);
    close(ix.secon, 0);
  });

  it('computes A A B A: COC 0.5, UPC 0.75, MMCI 2.1/3.1, SECON 1/3', () => {
    // n_A = 3, n_B = 1: Σn² = 10, N = 4 → (10 − 4) / (4·3) = 0.5
    const ix = continuityOf(['A', 'A', 'B', 'A'])!;
    close(ix.coc, 0.5);
    close(ix.upc, 0.75);
    close(ix.mmci, 2.1 / 3.1);
    close(ix.secon, 1 / 3);
  });

  it('computes alternating doctors A B A B: COC 1/3, UPC 0.5, SECON 0', () => {
    const ix = continuityOf(['A', 'B', 'A', 'B'])!;
    close(ix.coc, 1 / 3);
    close(ix.upc, 0.5);
    close(ix.mmci, 2.1 / 3.1);
    close(ix.secon, 0);
  });

  it('is undefined below the minimum number of visits', () => {
    assert.equal(continuityOf(['A', 'A']), null);
    assert.equal(continuityOf([]), null);
    assert.deepEqual(continuityOf(['A', 'A'], 2), { coc: 1, upc: 1, mmci: 1, secon: 1 });
    assert.equal(continuityOf(['A'], 1), null, 'one visit has no index whatever the setting');
    assert.equal(continuityOf(['A', 'B', 'A'], 4), null);
  });

  it('averages a unit over its patients, weighting tallies by their patient count', () => {
    const groups: TallyGroup[] = [
      { ...tallyVisits(['A', 'A', 'A']), patients: 1 },
      { ...tallyVisits(['A', 'B', 'C']), patients: 3 },
      { ...tallyVisits(['A', 'B']), patients: 5 }, // below the minimum: left out
    ];
    const mean = meanIndices(groups, 3)!;
    assert.equal(mean.patients, 4);
    close(mean.coc, (1 + 0) / 4);
    close(mean.upc, (1 + 3 * (1 / 3)) / 4);
    assert.equal(meanIndices([{ ...tallyVisits(['A']), patients: 2 }], 3), null);
  });
});

describe('continuity indices, properties', () => {
  it('stays within 0 and 1 on every index', () => {
    fc.assert(
      fc.property(visitsArb, (visits) => {
        const ix = continuityOf(visits);
        if (!ix) return;
        for (const k of indexNames) assert.ok(ix[k] >= 0 && ix[k] <= 1, `${k} = ${ix[k]}`);
      }),
    );
  });

  it('is defined exactly from the minimum number of visits', () => {
    fc.assert(
      fc.property(visitsArb, fc.integer({ min: 1, max: 8 }), (visits, min) => {
        assert.equal(continuityOf(visits, min) !== null, visits.length >= Math.max(2, min));
      }),
    );
  });

  it('agrees with COC = (N·HHI − 1) / (N − 1)', () => {
    fc.assert(
      fc.property(visitsArb, (visits) => {
        const ix = continuityOf(visits);
        if (!ix) return;
        const n = visits.length;
        const counts = new Map<string, number>();
        for (const v of visits) counts.set(v, (counts.get(v) ?? 0) + 1);
        const hhi = [...counts.values()].reduce((sum, c) => sum + (c / n) ** 2, 0);
        close(ix.coc, (n * hhi - 1) / (n - 1));
      }),
    );
  });

  it('does not depend on the order of visits, except SECON', () => {
    fc.assert(
      fc.property(visitsArb, fc.integer(), (visits, seed) => {
        const shuffled = [...visits].sort(
          (a, b) => ((a.charCodeAt(0) * 31 + seed) % 7) - ((b.charCodeAt(0) * 31 + seed) % 7),
        );
        const a = continuityOf(visits);
        const b = continuityOf(shuffled);
        if (!a || !b) return;
        close(b.coc, a.coc);
        close(b.upc, a.upc);
        close(b.mmci, a.mmci);
      }),
    );
  });

  it('gives 1 on every index exactly when one doctor was seen', () => {
    fc.assert(
      fc.property(visitsArb, (visits) => {
        const ix = continuityOf(visits);
        if (!ix) return;
        const one = new Set(visits).size === 1;
        assert.equal(ix.coc === 1, one);
        assert.equal(ix.mmci === 1, one);
        assert.equal(ix.upc === 1, one);
      }),
    );
  });

  it('keeps UPC at least 1/s and SECON at least as high as sorting makes it', () => {
    fc.assert(
      fc.property(visitsArb, (visits) => {
        const ix = continuityOf(visits);
        if (!ix) return;
        assert.ok(ix.upc >= 1 / new Set(visits).size - 1e-12);
        // Grouping the visits by doctor maximises SECON: (N − s) / (N − 1).
        const best = continuityOf([...visits].sort())!;
        assert.ok(best.secon >= ix.secon - 1e-12);
        close(best.secon, (visits.length - new Set(visits).size) / (visits.length - 1));
      }),
    );
  });

  it('gives the same mean from tallies grouped as from patients one by one', () => {
    fc.assert(
      fc.property(fc.array(visitsArb, { maxLength: 30 }), (patients) => {
        const byTally = new Map<string, TallyGroup>();
        for (const p of patients) {
          const t = tallyVisits(p);
          const key = JSON.stringify(t);
          const g = byTally.get(key);
          if (g) g.patients += 1;
          else byTally.set(key, { ...t, patients: 1 });
        }
        const mean = meanIndices([...byTally.values()], 3);
        const each = patients.map((p) => continuityOf(p)).filter((ix) => ix !== null);
        if (each.length === 0) return assert.equal(mean, null);
        assert.equal(mean?.patients, each.length);
        close(mean?.coc, each.reduce((s, ix) => s + ix.coc, 0) / each.length);
        close(mean?.secon, each.reduce((s, ix) => s + ix.secon, 0) / each.length);
      }),
    );
  });

  it('reads a tally the same as the visits it came from', () => {
    fc.assert(
      fc.property(visitsArb, (visits) => {
        assert.deepEqual(indicesOf(tallyVisits(visits)), continuityOf(visits));
      }),
    );
  });
});
