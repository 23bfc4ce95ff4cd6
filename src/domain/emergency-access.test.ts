import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isInvalidInput } from '../../test/helpers/domain-fixtures.ts';
import { checkConfirmation, confirmationSubject, parseConfirmation } from './emergency-access.ts';

const NOW = '2026-12-07T09:00:00.000Z';

describe('nödåtkomst', () => {
  it('signs the confirmation over the number, the user, their unit and the expiry', () => {
    assert.equal(confirmationSubject('191212121212', 'S1', 'U1', '5'), '191212121212|S1|U1|5');
    assert.deepEqual(parseConfirmation('5.abc'), { expires: '5', signature: 'abc' });
    assert.deepEqual(parseConfirmation('junk'), { expires: 'junk', signature: undefined });
  });

  it('refuses a confirmation that is forged or expired', () => {
    const now = new Date(NOW);
    const later = String(now.getTime() + 1000);
    assert.doesNotThrow(() => checkConfirmation(true, later, now));
    assert.throws(() => checkConfirmation(false, later, now), isInvalidInput());
    assert.throws(() => checkConfirmation(true, String(now.getTime()), now), isInvalidInput());
    assert.throws(() => checkConfirmation(true, 'junk', now), isInvalidInput());
  });
});
