/** Which SMART interaction each FHIR route is, and what a token's scopes allow beyond its path. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { staff } from '../../test/helpers/domain-fixtures.ts';
import { parseScopes } from '../domain/smart-scope.ts';
import { interactionOf, tokenAllows } from './bearer.ts';

describe('interactionOf', () => {
  const table: [string, string, string | null][] = [
    ['GET', '/fhir/CarePlan/:id', 'CarePlan r'],
    ['GET', '/fhir/CarePlan/:id/_history/:version', 'CarePlan r'],
    ['GET', '/fhir/CarePlan/:id/_history', 'CarePlan r'],
    ['GET', '/fhir/Patient/:id/$everything', 'Patient r'],
    ['GET', '/fhir/CarePlan', 'CarePlan s'],
    ['GET', '/fhir/CarePlan/_history', 'CarePlan s'],
    ['POST', '/fhir/CarePlan/_search', 'CarePlan s'],
    ['POST', '/fhir/CarePlan', 'CarePlan c'],
    ['PUT', '/fhir/CarePlan/:id', 'CarePlan u'],
    ['PATCH', '/fhir/CarePlan/:id', 'CarePlan u'],
    ['DELETE', '/fhir/CarePlan/:id', 'CarePlan d'],
    ['GET', '/fhir/metadata', null],
    ['GET', '/fhir/*', null],
    ['GET', '/fhir', null],
    ['OPTIONS', '/fhir/CarePlan', null],
  ];
  for (const [method, url, expected] of table) {
    it(`${method} ${url} is ${expected ?? 'no interaction'}`, () => {
      const got = interactionOf(method, url);
      assert.equal(got === null ? null : `${got.resourceType} ${got.interaction}`, expected);
    });
  }
});

describe('tokenAllows', () => {
  it('narrows a token actor by its scopes, and leaves a session alone', () => {
    const token = { clientId: 'app', scopes: parseScopes('user/CarePlan.rs user/Goal.r'), patientId: null };
    assert.equal(tokenAllows({ ...staff, token }, 'Goal', 'r'), true);
    assert.equal(tokenAllows({ ...staff, token }, 'Observation', 'r'), false);
    assert.equal(tokenAllows(staff, 'Observation', 'r'), true);
    const system = { kind: 'system' as const, clientId: 's', name: 'S', providerId: 'P1', token };
    assert.equal(tokenAllows(system, 'CarePlan', 'r'), false, 'a system uses system/ scopes only');
  });
});
