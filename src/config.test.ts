import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readConfig } from './config.ts';

describe('follow-up settings', () => {
  it('reads the professions and unit kinds the continuity index counts', () => {
    const config = readConfig({
      FOLLOWUP_PROFESSIONS: 'lakare, ST-lakare',
      FOLLOWUP_UNIT_KINDS: 'vardcentral',
    });
    assert.deepEqual(config.followup.continuity.professions, ['lakare', 'ST-lakare']);
    assert.deepEqual(config.followup.continuity.unitKinds, ['vardcentral']);
  });

  it('refuses at start a profession or unit kind that is not a code, naming the setting', () => {
    assert.throws(
      () => readConfig({ FOLLOWUP_PROFESSIONS: 'lakare,allmän läkare' }),
      /FOLLOWUP_PROFESSIONS: not a code: allmän läkare/,
    );
    assert.throws(() => readConfig({ FOLLOWUP_UNIT_KINDS: "vardcentral'}" }), /FOLLOWUP_UNIT_KINDS/);
  });
});
