import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  addMonths,
  againstTarget,
  changeFrom,
  continuityTarget,
  followupScopeOf,
  gpsNeeded,
  monthsOf,
  periodProblem,
  scopeAllows,
  shareOf,
  spreadOf,
  windowEnding,
} from './followup.ts';

describe('follow-up rules', () => {
  it('suppresses a share over fewer patients than the minimum cell', () => {
    assert.deepEqual(shareOf(2, 4), { numerator: null, denominator: null, share: null, suppressed: true });
    assert.deepEqual(shareOf(3, 5), { numerator: 3, denominator: 5, share: 0.6, suppressed: false });
    assert.deepEqual(shareOf(0, 0), { numerator: 0, denominator: 0, share: null, suppressed: false });
    assert.equal(shareOf(1, 1, 1).share, 1);
  });

  it("reaches Östergötland's continuity target of just under 0.34 from 0.28", () => {
    assert.ok(Math.abs(continuityTarget(0.28) - 0.336) < 1e-12);
    assert.ok(Math.abs(changeFrom(0.28, 0.31)! - 0.10714285714285714) < 1e-12);
    assert.equal(changeFrom(null, 0.3), null);
  });

  it('measures the distance to a target', () => {
    assert.deepEqual(againstTarget(0.49, 0.55), { target: 0.55, distance: 0.55 - 0.49, isMet: false });
    assert.equal(againstTarget(0.8, 0.8).isMet, true);
    assert.deepEqual(againstTarget(null, 0.8), { target: 0.8, distance: null, isMet: null });
  });

  it('needs one GP per 1,300 listed, rounded up', () => {
    assert.equal(gpsNeeded(465_000), 358);
    assert.equal(gpsNeeded(1300), 1);
    assert.equal(gpsNeeded(1301), 2);
    assert.equal(gpsNeeded(0), 0);
  });

  it('gives the spread across units with quartiles', () => {
    const s = spreadOf([0.18, 0.31, 0.48, 0.25]);
    assert.equal(s.units, 4);
    assert.equal(s.min, 0.18);
    assert.equal(s.max, 0.48);
    assert.ok(Math.abs(s.mean! - 0.305) < 1e-12);
    assert.ok(Math.abs(s.median! - 0.28) < 1e-12);
    assert.equal(spreadOf([]).mean, null);
  });

  it('keeps the spread ordered: min ≤ q1 ≤ median ≤ q3 ≤ max, mean within', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 60 }),
        (v) => {
          const s = spreadOf(v);
          assert.ok(s.min! <= s.q1! && s.q1! <= s.median! && s.median! <= s.q3! && s.q3! <= s.max!);
          assert.ok(s.mean! >= s.min! - 1e-12 && s.mean! <= s.max! + 1e-12);
        },
      ),
    );
  });

  it('reaches 18 months back for the continuity window, clamping to the month end', () => {
    assert.deepEqual(windowEnding('2021-08-31', 18), { from: '2020-03-01', to: '2021-08-31' });
    assert.equal(addMonths('2024-03-31', -1), '2024-02-29');
    assert.equal(addMonths('2023-12-15', 2), '2024-02-15');
  });

  it('splits a period into its calendar months', () => {
    assert.deepEqual(monthsOf({ from: '2024-01-15', to: '2024-03-10' }), [
      { from: '2024-01-15', to: '2024-01-31' },
      { from: '2024-02-01', to: '2024-02-29' },
      { from: '2024-03-01', to: '2024-03-10' },
    ]);
    assert.equal(monthsOf({ from: '2025-01-01', to: '2025-12-31' }).length, 12);
  });

  it('refuses periods that are not dates, backwards or too long', () => {
    assert.equal(periodProblem({ from: '2024-01-01', to: '2024-12-31' }), null);
    assert.match(periodProblem({ from: '2024-02-30', to: '2024-12-31' })!, /ÅÅÅÅ-MM-DD/);
    assert.match(periodProblem({ from: '2024-05-01', to: '2024-01-01' })!, /efter/);
    assert.match(periodProblem({ from: '1990-01-01', to: '2024-01-01' })!, /lång/);
  });

  it('lets uppföljning see the region, a verksamhetschef their own provider, others nothing', () => {
    const region = followupScopeOf('uppfoljning', 'U1', 'P1');
    const chief = followupScopeOf('verksamhetschef', 'U1', 'P1');
    const nurse = followupScopeOf('medarbetare', 'U1', 'P1');
    assert.equal(scopeAllows(region, { unitId: 'U9', unitProviderId: 'P9' }), true);
    assert.equal(scopeAllows(chief, { unitId: 'U2', unitProviderId: 'P1' }), true);
    assert.equal(scopeAllows(chief, { unitId: 'U9', unitProviderId: 'P9' }), false);
    assert.equal(scopeAllows(chief, { providerId: 'P9' }), false);
    assert.equal(scopeAllows(chief, {}), true, 'the region totals, to compare with');
    assert.equal(scopeAllows(nurse, {}), false);
  });
});
