/**
 * The permission matrix, generated: every combination of role × reader's unit (the holder
 * unit, another unit of the same provider, a unit of another provider) × care relationship ×
 * consent × spärr × emergency × action. The expected answer of each cell is derived from the
 * rules as written in security.md, stated here as independent predicates.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decideAccess,
  decideActingInCare,
  decidePatientWishRecording,
  mayAdministerDirectory,
  type AccessAction,
  type AccessFacts,
  type Consent,
} from './access.ts';
import type { StaffActor } from './actor.ts';

const now = '2026-11-23T12:00:00.000Z';
const HOLDER_UNIT = 'U-HOLDER';
const HOLDER_PROVIDER = 'P-REGION';
const positions = {
  'holder unit': { unitId: HOLDER_UNIT, providerId: HOLDER_PROVIDER },
  'other unit, same provider': { unitId: 'U-SAME', providerId: HOLDER_PROVIDER },
  'other provider': { unitId: 'U-KOMMUN', providerId: 'P-KOMMUN' },
} as const;
type Position = keyof typeof positions;

const roles = ['medarbetare', 'verksamhetschef', 'loggansvarig', 'systemforvaltare', null] as const;
const consentStates = [
  'none',
  'valid for unit',
  'valid for person',
  'other unit',
  'expired',
  'revoked',
  'not yet valid',
] as const;
const blockStates = [
  'none',
  'holder unit',
  'holder provider',
  "reader's own unit",
  'unrelated unit',
] as const;
const emergencyStates = ['none', 'active', 'expired', 'someone else'] as const;
const actions: AccessAction[] = ['read', 'write', 'search', 'print', 'export', 'patient-action'];

function consentFor(state: (typeof consentStates)[number], reader: StaffActor): Consent[] {
  const base = { validFrom: '2026-01-01T00:00:00.000Z', validTo: null, revokedAt: null };
  switch (state) {
    case 'none':
      return [];
    case 'valid for unit':
      return [{ ...base, scope: 'unit', unitId: reader.unitId, staffId: null }];
    case 'valid for person':
      return [{ ...base, scope: 'staff', unitId: null, staffId: reader.staffId }];
    case 'other unit':
      return [{ ...base, scope: 'unit', unitId: 'U-ELSEWHERE', staffId: null }];
    case 'expired':
      return [
        { ...base, scope: 'unit', unitId: reader.unitId, staffId: null, validTo: '2026-11-01T00:00:00.000Z' },
      ];
    case 'revoked':
      return [
        {
          ...base,
          scope: 'unit',
          unitId: reader.unitId,
          staffId: null,
          revokedAt: '2026-11-20T00:00:00.000Z',
        },
      ];
    case 'not yet valid':
      return [
        {
          ...base,
          scope: 'unit',
          unitId: reader.unitId,
          staffId: null,
          validFrom: '2026-12-01T00:00:00.000Z',
        },
      ];
  }
}

function blocksFor(state: (typeof blockStates)[number], reader: StaffActor): AccessFacts['blocks'] {
  switch (state) {
    case 'none':
      return [];
    case 'holder unit':
      return [{ scope: 'unit', unitId: HOLDER_UNIT, providerId: null }];
    case 'holder provider':
      return [{ scope: 'provider', unitId: null, providerId: HOLDER_PROVIDER }];
    case "reader's own unit":
      return [{ scope: 'unit', unitId: reader.unitId, providerId: null }];
    case 'unrelated unit':
      return [{ scope: 'unit', unitId: 'U-PSYK', providerId: null }];
  }
}

function emergenciesFor(
  state: (typeof emergencyStates)[number],
  reader: StaffActor,
): AccessFacts['emergencies'] {
  switch (state) {
    case 'none':
      return [];
    case 'active':
      return [{ staffId: reader.staffId, unitId: reader.unitId, expiresAt: '2026-11-23T14:00:00.000Z' }];
    case 'expired':
      return [{ staffId: reader.staffId, unitId: reader.unitId, expiresAt: '2026-11-23T11:00:00.000Z' }];
    case 'someone else':
      return [{ staffId: 'S-OTHER', unitId: reader.unitId, expiresAt: '2026-11-23T14:00:00.000Z' }];
  }
}

interface Cell {
  role: (typeof roles)[number];
  position: Position;
  hasRelationship: boolean;
  consent: (typeof consentStates)[number];
  block: (typeof blockStates)[number];
  emergency: (typeof emergencyStates)[number];
  action: AccessAction;
}

/** The rules of security.md 1–6, each as its own predicate. */
function expected(c: Cell): { allowed: boolean; basis?: string } {
  const isCareRole = c.role === 'medarbetare' || c.role === 'verksamhetschef'; // 2: per role, not profession
  const readerPosition = positions[c.position];
  const isOtherProvider = readerPosition.providerId !== HOLDER_PROVIDER;
  const isHolderHiddenFromReader = // 5: others see nothing held by the blocked unit/provider
    (c.block === 'holder unit' && readerPosition.unitId !== HOLDER_UNIT) ||
    (c.block === 'holder provider' && isOtherProvider);
  const hasConsent = c.consent === 'valid for unit' || c.consent === 'valid for person'; // 4: current, in scope
  const hasEmergency = c.emergency === 'active'; // 6: own, unexpired
  if (c.action === 'patient-action') return { allowed: false }; // only the patient acts as the patient
  if (!isCareRole || isHolderHiddenFromReader) return { allowed: false };
  if (!c.hasRelationship) return hasEmergency ? { allowed: true, basis: 'emergency' } : { allowed: false }; // 1
  if (!isOtherProvider)
    return { allowed: true, basis: c.position === 'holder unit' ? 'own-unit' : 'same-provider' };
  if (hasConsent) return { allowed: true, basis: 'consent' };
  return hasEmergency ? { allowed: true, basis: 'emergency' } : { allowed: false };
}

function* cells(): Generator<Cell> {
  for (const role of roles)
    for (const position of Object.keys(positions) as Position[])
      for (const hasRelationship of [true, false])
        for (const consent of consentStates)
          for (const block of blockStates)
            for (const emergency of emergencyStates)
              for (const action of actions)
                yield { role, position, hasRelationship, consent, block, emergency, action };
}

describe('the permission matrix', () => {
  it('answers every cell as the rules say', () => {
    let count = 0;
    const failures: string[] = [];
    for (const c of cells()) {
      count += 1;
      const reader: StaffActor = {
        kind: 'staff',
        staffId: 'S-READER',
        name: 'R',
        profession: 'sjukskoterska',
        role: 'medarbetare',
        ...positions[c.position],
      };
      const facts: AccessFacts = {
        patientId: 'p1',
        patientExists: true,
        holderUnitId: HOLDER_UNIT,
        holderProviderId: HOLDER_PROVIDER,
        relationshipUnitIds: c.hasRelationship ? [reader.unitId] : ['U-ELSEWHERE'],
        consents: consentFor(c.consent, reader),
        blocks: blocksFor(c.block, reader),
        emergencies: emergenciesFor(c.emergency, reader),
        proxies: [],
        actorRole: c.role,
        now,
      };
      const got = decideAccess(reader, c.action, facts);
      const want = expected(c);
      const same = got.allowed === want.allowed && (!got.allowed || got.basis === want.basis);
      if (!same) failures.push(`${JSON.stringify(c)} → ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    }
    assert.equal(count, 5 * 3 * 2 * 7 * 5 * 4 * 6);
    assert.deepEqual(failures.slice(0, 5), []);
  });

  it('hides an unrelated blocked unit from readers elsewhere but not from the unit itself', () => {
    const facts = (unitId: string): AccessFacts => ({
      patientId: 'p1',
      patientExists: true,
      holderUnitId: HOLDER_UNIT,
      holderProviderId: HOLDER_PROVIDER,
      relationshipUnitIds: [unitId],
      consents: [],
      blocks: [{ scope: 'unit', unitId: 'U-PSYK', providerId: null }],
      emergencies: [],
      proxies: [],
      actorRole: 'medarbetare',
      now,
    });
    const at = (unitId: string): StaffActor => ({
      kind: 'staff',
      staffId: 'S',
      name: 'S',
      profession: 'lakare',
      role: 'medarbetare',
      unitId,
      providerId: HOLDER_PROVIDER,
    });
    const elsewhere = decideAccess(at(HOLDER_UNIT), 'read', facts(HOLDER_UNIT));
    assert.ok(elsewhere.allowed && elsewhere.hiddenUnitIds.includes('U-PSYK'));
    const inside = decideAccess(at('U-PSYK'), 'read', facts('U-PSYK'));
    assert.ok(inside.allowed && inside.hiddenUnitIds.length === 0);
  });

  it('lets patients read their own plan and change it only through their own actions, and proxies only read it', () => {
    const facts: AccessFacts = {
      patientId: 'p1',
      patientExists: true,
      holderUnitId: HOLDER_UNIT,
      holderProviderId: HOLDER_PROVIDER,
      relationshipUnitIds: [],
      consents: [],
      blocks: [{ scope: 'provider', unitId: null, providerId: HOLDER_PROVIDER }],
      emergencies: [],
      proxies: ['p-proxy'],
      actorRole: null,
      now,
    };
    for (const action of actions) {
      const own = decideAccess({ kind: 'patient', patientId: 'p1', name: 'P' }, action, facts);
      // Staff work on the plan (write) needs a staff actor, even on one's own plan.
      assert.deepEqual(
        own.allowed ? 'allowed' : own.reason,
        action === 'write' ? 'staff-only' : 'allowed',
        action,
      );
      assert.equal(
        decideAccess({ kind: 'patient', patientId: 'p2', name: 'Q' }, action, facts).allowed,
        false,
      );
      assert.equal(
        decideAccess({ kind: 'patient', patientId: 'p-proxy', name: 'N' }, action, facts).allowed,
        action === 'read' || action === 'print',
      );
    }
  });

  it('lets only staff with a care role act by personnummer, whatever the number', () => {
    const staff: StaffActor = {
      kind: 'staff',
      staffId: 'S',
      name: 'S',
      profession: 'sjukskoterska',
      role: 'medarbetare',
      unitId: 'U',
      providerId: 'P',
    };
    for (const role of roles)
      assert.equal(
        decideActingInCare(staff, role).allowed,
        role === 'medarbetare' || role === 'verksamhetschef',
        String(role),
      );
    assert.equal(
      decideActingInCare({ kind: 'patient', patientId: 'p1', name: 'P' }, 'medarbetare').allowed,
      false,
    );
    // A SMART token limited to one patient registers nobody and opens no one else by number.
    const limited: StaffActor = {
      ...staff,
      token: { clientId: 'app', scopes: [], patientId: 'p1' },
    };
    assert.deepEqual(decideActingInCare(limited, 'medarbetare'), { allowed: false, reason: 'out-of-scope' });
  });

  it('denies everyone when the patient does not exist', () => {
    const facts = { patientId: 'x', patientExists: false } as AccessFacts;
    assert.deepEqual(decideAccess({ kind: 'patient', patientId: 'x', name: 'X' }, 'read', facts), {
      allowed: false,
      reason: 'no-patient',
    });
  });
});

describe('a token limited to one patient (patient/ scopes)', () => {
  const facts: AccessFacts = {
    patientId: 'p1',
    patientExists: true,
    holderUnitId: HOLDER_UNIT,
    holderProviderId: HOLDER_PROVIDER,
    relationshipUnitIds: [HOLDER_UNIT],
    consents: [],
    blocks: [],
    emergencies: [],
    proxies: [],
    actorRole: 'medarbetare',
    now,
  };
  const nurse = (tokenPatientId: string | null): StaffActor => ({
    kind: 'staff',
    staffId: 'S-1',
    name: 'N',
    profession: 'sjukskoterska',
    role: 'medarbetare',
    unitId: HOLDER_UNIT,
    providerId: HOLDER_PROVIDER,
    token: { clientId: 'app', scopes: [], patientId: tokenPatientId },
  });

  it('reaches no act about another patient, recording a consent or spärr included', () => {
    for (const action of ['read', 'write', 'search', 'print', 'export'] as const)
      assert.deepEqual(decideAccess(nurse('p2'), action, facts), { allowed: false, reason: 'out-of-scope' });
    assert.deepEqual(decidePatientWishRecording(nurse('p2'), facts), {
      allowed: false,
      reason: 'out-of-scope',
    });
  });

  it('leaves the acts about its own patient to the rule', () => {
    assert.equal(decideAccess(nurse('p1'), 'read', facts).allowed, true);
    assert.equal(decidePatientWishRecording(nurse('p1'), facts).allowed, true);
    assert.equal(decidePatientWishRecording(nurse(null), facts).allowed, true);
  });
});

describe('the directory (systemförvaltare)', () => {
  it('lets only a systemförvaltare sync and read the directory, and never a patient', () => {
    const staff: StaffActor = {
      kind: 'staff',
      staffId: 'S',
      name: 'S',
      profession: 'administrator',
      role: 'systemforvaltare',
      unitId: 'U',
      providerId: 'P',
    };
    for (const role of roles)
      assert.equal(mayAdministerDirectory(staff, role), role === 'systemforvaltare', String(role));
    assert.equal(
      mayAdministerDirectory({ kind: 'patient', patientId: 'p1', name: 'P' }, 'systemforvaltare'),
      false,
    );
    assert.equal(decideActingInCare(staff, 'systemforvaltare').allowed, false);
  });
});
