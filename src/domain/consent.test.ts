import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isInvalidInput, patient, staff } from '../../test/helpers/domain-fixtures.ts';
import { checkConsentTarget, consentToRecord, type ConsentRequest } from './consent.ts';

const NOW = '2026-12-07T09:00:00.000Z';

describe('consent', () => {
  it('refuses a consent that does not name the unit or person its scope says', () => {
    assert.throws(() => checkConsentTarget({ scope: 'unit', method: 'i-person' }), isInvalidInput('/unitId'));
    assert.throws(
      () => checkConsentTarget({ scope: 'staff', method: 'i-person' }),
      isInvalidInput('/staffId'),
    );
    assert.doesNotThrow(() => checkConsentTarget({ scope: 'unit', unitId: 'U2', method: 'telefon' }));
  });

  it('holds from now unless a start is given, and refuses an end that is not after the start', () => {
    const request: ConsentRequest = { scope: 'unit', unitId: 'U2', method: 'telefon' };
    assert.equal(consentToRecord(request, staff, NOW).validFrom, NOW);
    assert.throws(
      () => consentToRecord({ ...request, validTo: NOW }, staff, NOW),
      isInvalidInput('/validTo'),
    );
    assert.equal(
      consentToRecord({ ...request, validTo: '2027-01-01T00:00:00.000Z' }, staff, NOW).validFrom,
      NOW,
    );
  });

  it('records a patient’s own consent as given digitally, and staff’s as they say', () => {
    const request: ConsentRequest = { scope: 'unit', unitId: 'U2', method: 'i-person' };
    assert.equal(consentToRecord(request, patient, NOW).method, 'digitalt');
    assert.equal(consentToRecord(request, staff, NOW).method, 'i-person');
  });
});
