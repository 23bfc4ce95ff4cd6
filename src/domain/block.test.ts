import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isInvalidInput, patient, staff } from '../../test/helpers/domain-fixtures.ts';
import { blocksShownTo, checkBlockTarget, checkLift } from './block.ts';

const NOW = '2026-12-07T09:00:00.000Z';

describe('spärr', () => {
  it('refuses a spärr that does not name the unit or care provider its scope says', () => {
    assert.throws(() => checkBlockTarget({ scope: 'unit' }), isInvalidInput());
    assert.throws(() => checkBlockTarget({ scope: 'provider', unitId: 'U1' }), isInvalidInput());
    assert.doesNotThrow(() => checkBlockTarget({ scope: 'provider', providerId: 'P2' }));
  });

  it('lets staff lift a spärr only with the patient’s consent, the patient without', () => {
    assert.throws(() => checkLift(staff, undefined), isInvalidInput('/patientConsent'));
    assert.doesNotThrow(() => checkLift(staff, { method: 'telefon' }));
    assert.doesNotThrow(() => checkLift(patient, undefined));
  });

  it('shows staff only the spärrar their unit or provider holds, and only that others stand', () => {
    const own = { unitId: 'U1', providerId: null, liftedAt: null };
    const ownProvider = { unitId: null, providerId: 'P1', liftedAt: null };
    const other = { unitId: 'U9', providerId: null, liftedAt: null };
    const liftedOther = { unitId: 'U8', providerId: null, liftedAt: NOW };
    assert.deepEqual(blocksShownTo(staff, [own, ownProvider, other]), {
      blocks: [own, ownProvider],
      hasOtherBlocks: true,
    });
    assert.deepEqual(blocksShownTo(staff, [own, liftedOther]), { blocks: [own], hasOtherBlocks: false });
    assert.deepEqual(blocksShownTo(patient, [own, other]), { blocks: [own, other], hasOtherBlocks: false });
  });
});
