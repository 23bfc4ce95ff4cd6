import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  daysEnrolled,
  EXAMPLE_PHYSICIAN_RATES,
  parsePhysicianRates,
  percentile,
  physicianPosts,
  stayedHome,
} from './mobile-team-followup.ts';

describe('mobile-team follow-up rules', () => {
  it('takes percentiles by nearest rank, whatever the order', () => {
    assert.equal(percentile([], 0.5), null);
    assert.equal(percentile([7], 0.9), 7);
    assert.equal(percentile([30, 4, 12], 0.5), 12);
    assert.equal(percentile([30, 4, 12], 0.9), 30);
    const ten = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    assert.equal(percentile(ten, 0.5), 5);
    assert.equal(percentile(ten, 0.9), 9);
  });

  it('says a patient stayed at home unless an acute event began within 72 hours after', () => {
    const at = '2026-03-03T08:00:00Z';
    assert.equal(stayedHome(at, []), true);
    assert.equal(stayedHome(at, ['2026-03-06T08:00:00Z']), false, 'exactly 72 hours');
    assert.equal(stayedHome(at, ['2026-03-06T08:00:01Z']), true);
    assert.equal(stayedHome(at, ['2026-03-03T07:59:59Z']), true, 'before the assessment');
  });

  it('counts days enrolled with both ends, and posts at a rate per 100', () => {
    assert.equal(daysEnrolled('2026-03-01', '2026-03-31'), 31);
    assert.equal(daysEnrolled('2026-03-31', '2026-03-31'), 1);
    assert.equal(physicianPosts(150, 1.5), 2.25);
  });

  it('reads the region’s rates and refuses what is not one', () => {
    assert.deepEqual(parsePhysicianRates(undefined), EXAMPLE_PHYSICIAN_RATES);
    assert.deepEqual(parsePhysicianRates('mest-sjuka=1.2, tidvis-sviktande=0.6'), {
      'mest-sjuka': 1.2,
      'tidvis-sviktande': 0.6,
    });
    assert.throws(() => parsePhysicianRates('sjuka=1'), /target group/);
    assert.throws(() => parsePhysicianRates('mest-sjuka=-1'), /rate/);
    assert.throws(() => parsePhysicianRates('mest-sjuka='), /rate/);
  });
});
