/** The conflict view's three-way merge (web/src/features/contract/merge.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeContent } from '../../web/src/features/contract/merge.ts';
import { sampleContent } from '../helpers/factories.ts';

const base = sampleContent('SE2321000000-E1');

describe('merging two changes of a contract', () => {
  it('keeps both changes when they touch different parts', () => {
    const mine = { ...base, goals: [{ ...base.goals[0]!, text: 'Gå 3 km' }] };
    const theirs = { ...base, whatMatters: 'Att träffa barnbarnen' };
    const { merged, conflicts } = mergeContent(base, mine, theirs);
    assert.equal(conflicts.length, 0);
    assert.equal(merged.whatMatters, 'Att träffa barnbarnen');
    assert.equal(merged.goals[0]?.text, 'Gå 3 km');
  });

  it('keeps items both added, and removes only what one removed', () => {
    const mine: typeof base = {
      ...base,
      goals: [...base.goals, { id: 'm', text: 'Mitt', ambition: 'lindra', status: 'pagaende' }],
    };
    const theirs = {
      ...base,
      patientResponsibilities: [],
      goals: [...base.goals, { id: 't', text: 'Deras', ambition: 'bota', status: 'pagaende' }],
    } as typeof base;
    const { merged, conflicts } = mergeContent(base, mine, theirs);
    assert.equal(conflicts.length, 0);
    assert.deepEqual(
      merged.goals.map((g) => g.id),
      ['g1', 't', 'm'],
    );
    assert.equal(merged.patientResponsibilities.length, 0);
  });

  it('reports the same thing changed twice, and lets the choice decide', () => {
    const mine = { ...base, ifWorse: 'Ring 1177' };
    const theirs = { ...base, ifWorse: 'Ring vårdcentralen' };
    const first = mergeContent(base, mine, theirs);
    assert.deepEqual(
      first.conflicts.map((c) => c.key),
      ['ifWorse'],
    );
    assert.equal(first.merged.ifWorse, 'Ring 1177');
    assert.equal(
      mergeContent(base, mine, theirs, { ifWorse: 'theirs' }).merged.ifWorse,
      'Ring vårdcentralen',
    );
  });

  it('treats an item changed by one and removed by the other as a conflict', () => {
    const mine = { ...base, activities: [{ ...base.activities[0]!, what: 'Ändrad' }] };
    const theirs = { ...base, activities: [] };
    const { conflicts, merged } = mergeContent(base, mine, theirs);
    assert.equal(conflicts[0]?.key, 'activities/a1');
    assert.equal(merged.activities[0]?.what, 'Ändrad');
  });
});
