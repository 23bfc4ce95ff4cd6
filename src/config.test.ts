import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { availableParallelism } from 'node:os';
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

describe('database pool', () => {
  it('takes DATABASE_POOL_SIZE, else four connections per core, at most 20', () => {
    assert.equal(readConfig({ DATABASE_POOL_SIZE: '6' }).databasePoolSize, 6);
    assert.equal(readConfig({ DATABASE_POOL_SIZE: '0' }).databasePoolSize, 1);
    assert.equal(readConfig({}).databasePoolSize, Math.min(20, 4 * availableParallelism()));
  });
});
