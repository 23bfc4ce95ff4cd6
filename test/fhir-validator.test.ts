/**
 * The independent FHIR validator that every FHIR answer in the tests passes through
 * (helpers/fhir-validator.ts): it accepts valid R4 and refuses each kind of broken resource, so
 * that a test relying on it can fail.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertValidFhirResponse, validateFhir } from './helpers/fhir-validator.ts';

const carePlan = {
  resourceType: 'CarePlan',
  id: 'c1',
  status: 'active',
  intent: 'plan',
  subject: { reference: 'Patient/p1' },
};

/** The rules broken, e.g. `['bdl-7']`. */
const rules = (resource: unknown): string[] => validateFhir(resource).map((i) => i.rule);

describe('the FHIR validator', () => {
  it('accepts a valid CarePlan and a valid searchset', () => {
    assert.deepEqual(validateFhir(carePlan), []);
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: 1,
      link: [{ relation: 'self', url: 'http://x/fhir/CarePlan?patient=p1' }],
      entry: [{ fullUrl: 'http://x/fhir/CarePlan/c1', resource: carePlan, search: { mode: 'match' } }],
    };
    assert.deepEqual(validateFhir(bundle), []);
  });

  it('refuses a CarePlan without status (a required element)', () => {
    const { status: _, ...withoutStatus } = carePlan;
    const issues = validateFhir(withoutStatus);
    assert.ok(
      issues.some((i) => i.rule === 'structure' && /status/.test(i.location)),
      JSON.stringify(issues),
    );
  });

  it('refuses a code outside a required value set and an unknown property', () => {
    assert.ok(rules({ ...carePlan, status: 'pågående' }).includes('structure'));
    assert.ok(rules({ ...carePlan, statusText: 'x' }).includes('structure'));
  });

  it('refuses a searchset with the same fullUrl twice (bdl-7)', () => {
    const entry = { fullUrl: 'http://x/fhir/CarePlan/c1', resource: carePlan, search: { mode: 'match' } };
    assert.deepEqual(rules({ resourceType: 'Bundle', type: 'searchset', entry: [entry, entry] }), ['bdl-7']);
  });

  it('refuses a total outside a searchset or history (bdl-1) and a fullUrl with _history (bdl-8)', () => {
    assert.deepEqual(rules({ resourceType: 'Bundle', type: 'collection', total: 1 }), ['bdl-1']);
    const versioned = { fullUrl: 'http://x/fhir/CarePlan/c1/_history/1', resource: carePlan };
    assert.deepEqual(rules({ resourceType: 'Bundle', type: 'collection', entry: [versioned] }), ['bdl-8']);
  });

  it('refuses an extension with both a value and extensions (ext-1), nested too', () => {
    const both = { url: 'https://e', valueString: 'a', extension: [{ url: 'b', valueString: 'c' }] };
    assert.deepEqual(rules({ ...carePlan, extension: [both] }), ['ext-1']);
    const nested = { url: 'https://e', extension: [{ url: 'b' }] };
    assert.ok(rules({ ...carePlan, extension: [nested] }).includes('ext-1'));
  });

  it('refuses an element with neither value nor children (ele-1)', () => {
    assert.ok(rules({ ...carePlan, period: {} }).includes('ele-1'));
  });

  it('evaluates datatype invariants deep in a resource (per-1) and resource invariants (dom-3, ctm-1)', () => {
    const activity = {
      detail: { status: 'scheduled', scheduledPeriod: { start: '2026-02-01', end: '2026-01-01' } },
    };
    assert.deepEqual(rules({ ...carePlan, activity: [activity] }), ['per-1']);
    const contained = {
      resourceType: 'Goal',
      id: 'g1',
      lifecycleStatus: 'active',
      description: { text: 'x' },
      subject: { reference: 'Patient/p1' },
    };
    assert.ok(rules({ ...carePlan, contained: [contained] }).includes('dom-3'));
    const careTeam = {
      resourceType: 'CareTeam',
      participant: [
        { member: { reference: 'Organization/o1' }, onBehalfOf: { reference: 'Organization/o1' } },
      ],
    };
    assert.deepEqual(rules(careTeam), ['ctm-1']);
  });

  it('refuses a primitive that does not match its type', () => {
    assert.ok(rules({ ...carePlan, created: 'igår' }).includes('regex'));
  });

  it('validates the resources inside a Bundle', () => {
    const bad = { ...carePlan, activity: [{ detail: { status: 'scheduled', scheduledPeriod: {} } }] };
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [{ fullUrl: 'http://x/fhir/CarePlan/c1', resource: bad, search: { mode: 'match' } }],
    };
    assert.ok(rules(bundle).includes('ele-1'));
  });

  it('fails an injected FHIR answer that is invalid, and leaves other answers alone', () => {
    const res = (body: unknown) => ({
      statusCode: 200,
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(body),
    });
    const { status: _, ...withoutStatus } = carePlan;
    assert.throws(
      () => assertValidFhirResponse({ method: 'GET', url: '/fhir/CarePlan/c1' }, res(withoutStatus)),
      /Invalid FHIR R4/,
    );
    assert.doesNotThrow(() =>
      assertValidFhirResponse({ method: 'GET', url: '/fhir/CarePlan/c1' }, res(carePlan)),
    );
    assert.doesNotThrow(() => assertValidFhirResponse({ method: 'GET', url: '/api/x' }, res(withoutStatus)));
  });
});
