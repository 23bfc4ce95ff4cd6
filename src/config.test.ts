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

describe('the population register and reservnummer', () => {
  const service = {
    PERSON_SERVICE_URL: 'https://pu.example/GetPersonsForProfile/3',
    PERSON_SERVICE_CERT: '/etc/pk/cert.pem',
    PERSON_SERVICE_KEY: '/etc/pk/key.pem',
    PERSON_SERVICE_LOGICAL_ADDRESS: '5565594230',
  };

  it('uses the imported register when PERSON_SERVICE_URL is unset, and PK reservnummer', () => {
    const config = readConfig({});
    assert.equal(config.personService, undefined);
    assert.equal(config.reservnummerPrefix, 'PK');
  });

  it('reads the person service with its defaults: profile P1, 5 s, no CA of its own', () => {
    assert.deepEqual(readConfig(service).personService, {
      url: service.PERSON_SERVICE_URL,
      cert: '/etc/pk/cert.pem',
      key: '/etc/pk/key.pem',
      ca: undefined,
      logicalAddress: '5565594230',
      profile: 'P1',
      timeoutMs: 5000,
    });
  });

  it('refuses at start a person service over http, or without its certificate, key or logical address', () => {
    assert.throws(() => readConfig({ ...service, PERSON_SERVICE_URL: 'http://pu.example' }), /https/);
    for (const missing of ['PERSON_SERVICE_CERT', 'PERSON_SERVICE_KEY', 'PERSON_SERVICE_LOGICAL_ADDRESS'])
      assert.throws(() => readConfig({ ...service, [missing]: '' }), new RegExp(missing));
  });

  it("takes the region's reservnummer prefix, two capital letters", () => {
    assert.equal(readConfig({ RESERVNUMMER_PREFIX: 'RV' }).reservnummerPrefix, 'RV');
    for (const bad of ['rv', 'R', 'RVX', 'R1'])
      assert.throws(() => readConfig({ RESERVNUMMER_PREFIX: bad }), /RESERVNUMMER_PREFIX/);
  });
});
