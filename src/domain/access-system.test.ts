/**
 * The permission matrix of a system client (SMART backend services) of care provider X, and of
 * a token limited to one patient: every combination of who holds the plan × which units have a
 * care relationship × consent × spärr × the token's patient × action, each against the answer
 * the rules give, stated here as independent predicates (security.md, "System clients").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decideAccess,
  decideActingInCare,
  decidePatientWishRecording,
  type AccessAction,
  type AccessFacts,
  type Consent,
} from './access.ts';
import type { StaffActor, SystemActor } from './actor.ts';

const now = '2026-11-23T12:00:00.000Z';
const PATIENT = '11111111-1111-4111-8111-111111111111';
const OTHER_PATIENT = '22222222-2222-4222-8222-222222222222';
const X = 'P-X';
const Y = 'P-Y';
const unitProviders = { 'X-HOLD': X, X1: X, X2: X, 'Y-HOLD': Y, Y1: Y };

const holders = ['client provider', 'other provider', 'nobody'] as const;
const relationships = ['none', 'own provider', 'other provider', 'both'] as const;
const consentStates = [
  'none',
  'unit with relationship',
  'own unit without relationship',
  'named person',
  'expired',
  'revoked',
  'other provider unit',
] as const;
const blockStates = [
  'none',
  'holder unit',
  'holder provider',
  "client's provider",
  'a unit of X',
  'unrelated unit',
] as const;
const tokenPatients = ['any', 'this patient', 'another patient'] as const;
const actions: AccessAction[] = ['read', 'write', 'search', 'print', 'export', 'patient-action'];

function client(tokenPatient: (typeof tokenPatients)[number]): SystemActor {
  return {
    kind: 'system',
    clientId: 'journal-x',
    name: 'Journal X',
    providerId: X,
    token: {
      clientId: 'journal-x',
      scopes: [],
      patientId:
        tokenPatient === 'any'
          ? null
          : tokenPatient === 'this patient'
            ? PATIENT.toUpperCase()
            : OTHER_PATIENT,
    },
  };
}

function consentsFor(state: (typeof consentStates)[number]): Consent[] {
  const base = { validFrom: '2026-01-01T00:00:00.000Z', validTo: null, revokedAt: null };
  const unit = (unitId: string, extra: Partial<Consent> = {}): Consent[] => [
    { ...base, scope: 'unit', unitId, staffId: null, ...extra },
  ];
  switch (state) {
    case 'none':
      return [];
    case 'unit with relationship':
      return unit('X1');
    case 'own unit without relationship':
      return unit('X2');
    case 'named person':
      return [{ ...base, scope: 'staff', unitId: null, staffId: 'S-AT-X1' }];
    case 'expired':
      return unit('X1', { validTo: '2026-11-01T00:00:00.000Z' });
    case 'revoked':
      return unit('X1', { revokedAt: '2026-11-01T00:00:00.000Z' });
    case 'other provider unit':
      return unit('Y1');
  }
}

function factsFor(
  holder: (typeof holders)[number],
  relationship: (typeof relationships)[number],
  consent: (typeof consentStates)[number],
  block: (typeof blockStates)[number],
): AccessFacts {
  const holderUnitId =
    holder === 'client provider' ? 'X-HOLD' : holder === 'other provider' ? 'Y-HOLD' : null;
  const blocks: AccessFacts['blocks'] = {
    none: [],
    'holder unit': holderUnitId ? [{ scope: 'unit' as const, unitId: holderUnitId, providerId: null }] : [],
    'holder provider':
      holder === 'nobody'
        ? []
        : [{ scope: 'provider' as const, unitId: null, providerId: unitProviders[holderUnitId!] }],
    "client's provider": [{ scope: 'provider' as const, unitId: null, providerId: X }],
    'a unit of X': [{ scope: 'unit' as const, unitId: 'X2', providerId: null }],
    'unrelated unit': [{ scope: 'unit' as const, unitId: 'Z9', providerId: null }],
  }[block];
  return {
    patientId: PATIENT,
    patientExists: true,
    holderUnitId,
    holderProviderId: holderUnitId ? unitProviders[holderUnitId as keyof typeof unitProviders] : null,
    relationshipUnitIds: { none: [], 'own provider': ['X1'], 'other provider': ['Y1'], both: ['X1', 'Y1'] }[
      relationship
    ],
    consents: consentsFor(consent),
    blocks,
    emergencies: [],
    proxies: [],
    actorRole: null,
    now,
    unitProviders,
  };
}

/** The answer the rules give, written out on its own. */
function expected(
  holder: (typeof holders)[number],
  relationship: (typeof relationships)[number],
  consent: (typeof consentStates)[number],
  block: (typeof blockStates)[number],
  tokenPatient: (typeof tokenPatients)[number],
  action: AccessAction,
): string {
  if (tokenPatient === 'another patient') return 'out-of-scope';
  if (action === 'patient-action') return 'patient-only';
  if (action !== 'read' && action !== 'search') return 'read-only';
  const holderBlocked =
    (block === 'holder unit' && holder !== 'nobody') ||
    (block === 'holder provider' && holder === 'other provider');
  if (holderBlocked) return 'blocked';
  if (relationship === 'none' || relationship === 'other provider') return 'no-relationship';
  if (holder !== 'other provider') return 'same-provider';
  return consent === 'unit with relationship' ? 'consent' : 'no-consent';
}

describe('access of a system client of one care provider (generated matrix)', () => {
  it('answers every cell as the rules say, and hides every blocked unit and other provider', () => {
    let cells = 0;
    for (const holder of holders)
      for (const relationship of relationships)
        for (const consent of consentStates)
          for (const block of blockStates)
            for (const tokenPatient of tokenPatients)
              for (const action of actions) {
                const facts = factsFor(holder, relationship, consent, block);
                const decision = decideAccess(client(tokenPatient), action, facts);
                const got = decision.allowed ? decision.basis : decision.reason;
                const cell = `${holder} | ${relationship} | ${consent} | ${block} | ${tokenPatient} | ${action}`;
                assert.equal(got, expected(holder, relationship, consent, block, tokenPatient, action), cell);
                if (decision.allowed) {
                  const unitBlocks = facts.blocks.flatMap((b) => (b.scope === 'unit' ? [b.unitId] : []));
                  assert.deepEqual(decision.hiddenUnitIds, unitBlocks, cell);
                  assert.ok(!decision.hiddenProviderIds.includes(X), cell);
                }
                cells += 1;
              }
    assert.equal(cells, 3 * 4 * 7 * 6 * 3 * 6);
  });

  it('denies without the units’ providers (facts not read for a system client): fail closed', () => {
    const { unitProviders: _, ...facts } = factsFor('client provider', 'own provider', 'none', 'none');
    assert.deepEqual(decideAccess(client('any'), 'read', facts), {
      allowed: false,
      reason: 'no-relationship',
    });
  });

  it('never lets a system client record a patient’s wishes or act by personnummer', () => {
    const facts = factsFor('client provider', 'own provider', 'none', 'none');
    assert.equal(decidePatientWishRecording(client('any'), facts).allowed, false);
    assert.equal(decideActingInCare(client('any'), 'medarbetare').allowed, false);
  });
});

describe('a user token limited to one patient (patient/ scopes)', () => {
  const nurse: StaffActor = {
    kind: 'staff',
    staffId: 'S1',
    name: 'S',
    profession: 'sjukskoterska',
    unitId: 'X-HOLD',
    providerId: X,
    role: 'medarbetare',
  };
  const facts = {
    ...factsFor('client provider', 'own provider', 'none', 'none'),
    relationshipUnitIds: ['X-HOLD'],
    actorRole: 'medarbetare',
  };

  it('reaches the token’s patient as the session would', () => {
    const token = { clientId: 'app', scopes: [], patientId: PATIENT };
    assert.deepEqual(decideAccess({ ...nurse, token }, 'read', facts), decideAccess(nurse, 'read', facts));
    assert.equal(decideAccess({ ...nurse, token }, 'read', facts).allowed, true);
  });

  it('denies every other patient, for every action, even one the user may see', () => {
    const token = { clientId: 'app', scopes: [], patientId: OTHER_PATIENT };
    for (const action of actions) {
      assert.deepEqual(decideAccess({ ...nurse, token }, action, facts), {
        allowed: false,
        reason: 'out-of-scope',
      });
    }
  });

  it('never widens: a token cannot open a patient the user may not see', () => {
    const token = { clientId: 'app', scopes: [], patientId: PATIENT };
    const stranger = { ...nurse, unitId: 'Y1', providerId: Y };
    assert.equal(
      decideAccess({ ...stranger, token }, 'read', { ...facts, relationshipUnitIds: [] }).allowed,
      false,
    );
  });
});
