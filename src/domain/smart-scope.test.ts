/** SMART scopes: the table of what each scope text means, and how scopes cover a request. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fhirInteractions, parseScope, parseScopes, scopeGrant, type SmartScope } from './smart-scope.ts';

const letters = (scope: SmartScope | null): string | null =>
  scope === null ? null : fhirInteractions.filter((i) => scope.interactions.has(i)).join('');

describe('parseScope', () => {
  const table: [string, { context: string; type: string; letters: string } | null][] = [
    ['patient/*.rs', { context: 'patient', type: '*', letters: 'rs' }],
    ['user/CarePlan.cruds', { context: 'user', type: 'CarePlan', letters: 'cruds' }],
    ['system/Patient.rs', { context: 'system', type: 'Patient', letters: 'rs' }],
    ['user/Observation.r', { context: 'user', type: 'Observation', letters: 'r' }],
    ['user/CarePlan.cu', { context: 'user', type: 'CarePlan', letters: 'cu' }],
    ['patient/*.read', { context: 'patient', type: '*', letters: 'rs' }],
    ['user/CarePlan.write', { context: 'user', type: 'CarePlan', letters: 'cud' }],
    ['system/*.*', { context: 'system', type: '*', letters: 'cruds' }],
    // Not resource scopes, or not ones we can honour: they grant nothing.
    ['openid', null],
    ['fhirUser', null],
    ['launch', null],
    ['launch/patient', null],
    ['offline_access', null],
    ['user/CarePlan.', null],
    ['user/CarePlan.sr', null], // v2 letters come in the order c r u d s
    ['user/CarePlan.rr', null],
    ['user/CarePlan.x', null],
    ['user/careplan.r', null],
    ['admin/CarePlan.r', null],
    ['patient/Observation.rs?category=vital-signs', null],
    ['user/CarePlan.read ', null],
    ['', null],
  ];
  for (const [text, expected] of table) {
    it(`reads ${JSON.stringify(text)} as ${expected ? `${expected.context} ${expected.type} ${expected.letters}` : 'no resource scope'}`, () => {
      const scope = parseScope(text);
      if (expected === null) return assert.equal(scope, null);
      assert.equal(scope?.context, expected.context);
      assert.equal(scope?.resourceType, expected.type);
      assert.equal(letters(scope), expected.letters);
    });
  }

  it('reads a space-separated claim and an array claim alike, keeping only resource scopes', () => {
    const fromString = parseScopes('openid fhirUser user/CarePlan.rs  patient/*.read');
    const fromArray = parseScopes(['openid', 'user/CarePlan.rs', 'patient/*.read']);
    assert.deepEqual(fromString, fromArray);
    assert.equal(fromString.length, 2);
    assert.deepEqual(parseScopes(undefined), []);
  });
});

describe('scopeGrant', () => {
  const user = ['user', 'patient'] as const;
  const table: [
    string,
    readonly ('user' | 'patient' | 'system')[],
    string,
    'c' | 'r' | 'u' | 'd' | 's',
    boolean,
    boolean,
  ][] = [
    // scopes, contexts the token may use, type, interaction → allowed, patientOnly
    ['user/CarePlan.rs', user, 'CarePlan', 'r', true, false],
    ['user/CarePlan.rs', user, 'CarePlan', 'u', false, false],
    ['user/CarePlan.rs', user, 'Patient', 'r', false, false],
    ['user/*.rs', user, 'Patient', 's', true, false],
    ['patient/*.rs', user, 'CarePlan', 'r', true, true],
    ['patient/*.rs user/Organization.r', user, 'Organization', 'r', true, false],
    ['patient/*.rs user/CarePlan.r', user, 'CarePlan', 's', true, true],
    ['patient/CarePlan.read', user, 'CarePlan', 'c', false, false],
    ['user/CarePlan.write', user, 'CarePlan', 'u', true, false],
    ['user/CarePlan.write', user, 'CarePlan', 'r', false, false],
    // A person's token cannot use system scopes, nor a system's token user scopes.
    ['system/*.rs', user, 'CarePlan', 'r', false, false],
    ['user/*.rs', ['system'], 'CarePlan', 'r', false, false],
    ['system/CarePlan.rs', ['system'], 'CarePlan', 's', true, false],
    ['system/CarePlan.rs', ['system'], 'CarePlan', 'c', false, false],
    ['', user, 'CarePlan', 'r', false, false],
  ];
  for (const [claim, contexts, type, interaction, allowed, patientOnly] of table) {
    it(`${claim || '(none)'} ${allowed ? 'allows' : 'does not allow'} ${interaction} on ${type}${patientOnly ? ', for the token’s patient only' : ''}`, () => {
      assert.deepEqual(scopeGrant(parseScopes(claim), contexts, type, interaction), { allowed, patientOnly });
    });
  }
});
