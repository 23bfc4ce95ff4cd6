import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  asListed,
  isOutsideRegion,
  listedName,
  nextPersonStatus,
  statusChanges,
  type PersonStatus,
} from './person-status.ts';

const REGION = ['0180', '0181'];
const home = { line: 'Gatan 1', postalCode: '11111', city: 'Staden', municipalityCode: '0180' };
const living: PersonStatus = { protection: 'none', deceasedOn: null, movedOutOn: null, address: home };
const today = '2026-12-07';

describe('person status from the register', () => {
  it('records a death once, and never undoes it on the register’s silence', () => {
    const dead = nextPersonStatus(living, { deceasedOn: '2026-12-01' }, REGION, today);
    assert.deepEqual(statusChanges(living, dead, REGION), [{ kind: 'died', on: '2026-12-01' }]);
    for (const facts of [{ deceasedOn: null }, { deceasedOn: '2026-12-02' }, {}]) {
      const again = nextPersonStatus(dead, facts, REGION, today);
      assert.equal(again.deceasedOn, '2026-12-01');
      assert.deepEqual(statusChanges(dead, again, REGION), []);
    }
  });

  it('takes a municipality outside the region as a move, dated the day it was learnt, and a new one inside as a move back', () => {
    const away = nextPersonStatus(living, { address: { ...home, municipalityCode: '1480' } }, REGION, today);
    assert.equal(away.movedOutOn, today);
    assert.deepEqual(statusChanges(living, away, REGION), [{ kind: 'moved-out', on: today }]);
    const still = nextPersonStatus(
      away,
      { address: { ...home, municipalityCode: '1480' }, movedOutOn: null },
      REGION,
      '2027-01-01',
    );
    assert.equal(still.movedOutOn, today, 'the day stays the one first learnt');
    assert.deepEqual(statusChanges(away, still, REGION), []);
    const back = nextPersonStatus(away, { address: home }, REGION, today);
    assert.equal(back.movedOutOn, null);
    assert.deepEqual(statusChanges(away, back, REGION), [{ kind: 'moved-back' }]);
  });

  it('counts only the register’s move-out day when the region names no municipalities', () => {
    const elsewhere = { ...living, address: { ...home, municipalityCode: '1480' } };
    assert.equal(isOutsideRegion(elsewhere, []), false);
    assert.equal(isOutsideRegion({ ...living, movedOutOn: '2026-01-01' }, []), true);
  });

  it('tells no move of a person who died', () => {
    const dead = nextPersonStatus(
      living,
      { deceasedOn: '2026-12-01', movedOutOn: '2026-11-01' },
      REGION,
      today,
    );
    assert.deepEqual(
      statusChanges(living, dead, REGION).map((c) => c.kind),
      ['died'],
    );
  });

  it('keeps no address for skyddad folkbokföring, and refuses a malformed date or municipality', () => {
    const hidden = nextPersonStatus(
      living,
      { protection: 'skyddad-folkbokforing', address: home },
      REGION,
      today,
    );
    assert.deepEqual(hidden.address, { line: null, postalCode: null, city: null, municipalityCode: null });
    assert.deepEqual(statusChanges(living, hidden, REGION), [
      { kind: 'protection-changed', from: 'none', to: 'skyddad-folkbokforing' },
    ]);
    assert.throws(() => nextPersonStatus(living, { deceasedOn: '1 dec' }, REGION, today), {
      name: 'DomainError',
    });
    assert.throws(
      () => nextPersonStatus(living, { address: { ...home, municipalityCode: '18' } }, REGION, today),
      {
        name: 'DomainError',
      },
    );
  });

  it('lists a protected person as "Skyddad identitet"', () => {
    assert.equal(listedName('Anna Berg', 'sekretessmarkering'), 'Skyddad identitet');
    assert.equal(listedName('Anna Berg', 'none'), 'Anna Berg');
    const p = { givenName: 'Anna', familyName: 'Berg', protection: 'skyddad-folkbokforing' as const };
    assert.deepEqual(asListed(p), { ...p, givenName: 'Skyddad identitet', familyName: '' });
  });
});
