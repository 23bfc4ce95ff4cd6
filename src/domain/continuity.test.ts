import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  continuityOf,
  indexNames,
  indicesOf,
  meanIndices,
  tallyPatients,
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

describe('tallying a whole region at once', () => {
  /** Visits of up to 8 patients: (patient, time, provider), in any order, ties in time included. */
  const regionArb = fc.array(
    fc.record({
      patient: fc.integer({ min: 0, max: 7 }),
      at: fc.integer({ min: 0, max: 30 }),
      provider: fc.integer({ min: 0, max: 4 }),
    }),
    { maxLength: 200 },
  );
  const windowArb = fc
    .tuple(fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 31 }))
    .map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b) }));

  it('gives every patient the tally of its visits in the window, in time order', () => {
    fc.assert(
      fc.property(regionArb, fc.array(windowArb, { minLength: 1, maxLength: 3 }), (visits, windows) => {
        // Providers rank in reverse of their number, so that the tie rule is tested, not luck.
        const providerRank = Int32Array.from([4, 3, 2, 1, 0]);
        const tallies = tallyPatients(
          {
            count: visits.length,
            patients: 8,
            providers: 5,
            patient: Int32Array.from(visits.map((v) => v.patient)),
            at: Float64Array.from(visits.map((v) => v.at)),
            provider: Int32Array.from(visits.map((v) => v.provider)),
            providerRank,
          },
          windows,
        );
        windows.forEach((w, k) => {
          for (let p = 0; p < 8; p += 1) {
            const inOrder = visits
              .filter((v) => v.patient === p && v.at >= w.from && v.at < w.to)
              .sort((a, b) => a.at - b.at || providerRank[a.provider]! - providerRank[b.provider]!)
              .map((v) => String(v.provider));
            const t = tallies[k]!;
            assert.deepEqual(
              {
                visits: t.visits[p],
                sumSquares: t.sumSquares[p],
                maxPerProvider: t.maxPerProvider[p],
                providers: t.providers[p],
                sequentialSame: t.sequentialSame[p],
              },
              tallyVisits(inOrder),
            );
          }
        });
      }),
    );
  });

  it('sorts a patient with many visits the same way as one with few', () => {
    const n = 500;
    const at = Float64Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const tallies = tallyPatients(
      {
        count: n,
        patients: 1,
        providers: 2,
        patient: new Int32Array(n),
        at,
        provider: Int32Array.from(at, (t) => (t < n / 2 ? 0 : 1)),
        providerRank: Int32Array.from([0, 1]),
      },
      [{ from: 0, to: n }],
    );
    // In time order: 250 visits to one provider, then 250 to the other.
    assert.equal(tallies[0]!.sequentialSame[0], n - 2);
    assert.equal(tallies[0]!.sumSquares[0], 2 * 250 * 250);
  });
});
