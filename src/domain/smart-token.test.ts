/** Who a verified token speaks for: a person through an app, or a system client; and what is refused. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenSubjectOf } from './smart-token.ts';

const P = 'SE2321000016-P0001';
const U = 'SE2321000016-E0001';
const PATIENT = 'AAAAAAAA-1111-4111-8111-111111111111';

describe('tokenSubjectOf', () => {
  const table: [string, Record<string, unknown>, unknown][] = [
    [
      'a user by fhirUser, relative',
      { client_id: 'app', fhirUser: `Practitioner/${P}`, scope: 'openid user/*.rs' },
      { kind: 'user', hsaId: P, unitId: null, clientId: 'app', patientId: null, scopes: 1 },
    ],
    [
      'a user by fhirUser, absolute, with the unit as hsa_unit and a patient',
      {
        client_id: 'app',
        fhirUser: `https://ehr.test/fhir/Practitioner/${P}`,
        hsa_unit: U,
        patient: PATIENT,
      },
      { kind: 'user', hsaId: P, unitId: U, clientId: 'app', patientId: PATIENT.toLowerCase(), scopes: 0 },
    ],
    [
      'the unit from fhirContext by reference',
      { client_id: 'app', fhirUser: `Practitioner/${P}`, fhirContext: [{ reference: `Organization/${U}` }] },
      { kind: 'user', hsaId: P, unitId: U, clientId: 'app', patientId: null, scopes: 0 },
    ],
    [
      'the unit from fhirContext by HSA identifier',
      {
        client_id: 'app',
        fhirUser: `Practitioner/${P}`,
        fhirContext: [{ type: 'Organization', identifier: { system: 'urn:oid:1.2.752.29.4.19', value: U } }],
      },
      { kind: 'user', hsaId: P, unitId: U, clientId: 'app', patientId: null, scopes: 0 },
    ],
    [
      'the client from azp when client_id is absent',
      { azp: 'app2', fhirUser: `Practitioner/${P}` },
      { kind: 'user', hsaId: P, unitId: null, clientId: 'app2', patientId: null, scopes: 0 },
    ],
    [
      'a system client: no user',
      { client_id: 'journal-x', sub: 'journal-x', scope: 'system/*.rs' },
      { kind: 'system', clientId: 'journal-x', scopes: 1 },
    ],
    [
      'scopes as an scp array',
      { client_id: 's', scp: ['system/CarePlan.rs', 7] },
      { kind: 'system', clientId: 's', scopes: 1 },
    ],
    ['no client', { fhirUser: `Practitioner/${P}` }, { refused: /client_id/ }],
    ['a Patient as fhirUser', { client_id: 'app', fhirUser: 'Patient/123' }, { refused: /Practitioner/ }],
    ['a fhirUser that is no string', { client_id: 'app', fhirUser: 5 }, { refused: /fhirUser/ }],
    [
      'two different units named',
      {
        client_id: 'app',
        fhirUser: `Practitioner/${P}`,
        hsa_unit: U,
        fhirContext: [{ reference: 'Organization/SE2-E2' }],
      },
      { refused: /flera vårdenheter/ },
    ],
    [
      'a patient claim that is no id of ours is not a patient',
      { client_id: 'app', fhirUser: `Practitioner/${P}`, patient: '../x' },
      { kind: 'user', hsaId: P, unitId: null, clientId: 'app', patientId: null, scopes: 0 },
    ],
  ];
  for (const [name, claims, expected] of table) {
    it(name, () => {
      const subject = tokenSubjectOf(claims, 'fhirUser');
      if ('refused' in (expected as object)) {
        assert.ok('refused' in subject, JSON.stringify(subject));
        assert.match(subject.refused, (expected as { refused: RegExp }).refused);
        return;
      }
      assert.ok(!('refused' in subject), JSON.stringify(subject));
      const { scopes, ...rest } = subject;
      const { scopes: count, ...wanted } = expected as { scopes: number };
      assert.deepEqual(rest, wanted);
      assert.equal(scopes.length, count);
    });
  }

  it('reads the HSA-id itself from another user claim', () => {
    const subject = tokenSubjectOf({ client_id: 'app', employeeHsaId: P }, 'employeeHsaId');
    assert.ok(!('refused' in subject) && subject.kind === 'user' && subject.hsaId === P);
  });

  it('maps sub to a user, except in a client’s own token, whose sub is its client id', () => {
    const user = tokenSubjectOf({ client_id: 'app', sub: P }, 'sub');
    assert.ok(!('refused' in user) && user.kind === 'user' && user.hsaId === P);
    const system = tokenSubjectOf({ client_id: 'journal-x', sub: 'journal-x' }, 'sub');
    assert.ok(!('refused' in system) && system.kind === 'system');
  });
});
