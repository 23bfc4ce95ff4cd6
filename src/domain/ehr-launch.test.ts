import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  hsaIdOfPractitioner,
  launchRefusals,
  normaliseIss,
  personIdentifierOfPatient,
  resourceUrlOn,
  unitOfFhirContext,
} from './ehr-launch.ts';

const ISS = 'https://ehr.example.se/fhir/r4';

describe('the FHIR base a launch names (iss)', () => {
  it('takes an absolute http(s) URL in one form, without a trailing slash', () => {
    assert.equal(normaliseIss('https://ehr.example.se/fhir/r4/'), ISS);
    assert.equal(normaliseIss('HTTPS://EHR.example.se/fhir/r4'), ISS);
    assert.equal(normaliseIss('http://127.0.0.1:8080/fhir'), 'http://127.0.0.1:8080/fhir');
  });

  it('refuses what is no FHIR base: other schemes, a query, a fragment, credentials, junk', () => {
    for (const value of [
      'ftp://ehr.example.se/fhir',
      'javascript:alert(1)',
      'https://ehr.example.se/fhir?x=1',
      'https://ehr.example.se/fhir#x',
      'https://user:pw@ehr.example.se/fhir',
      'ehr.example.se/fhir',
      '',
      `https://ehr.example.se/${'a'.repeat(2001)}`,
    ]) {
      assert.equal(normaliseIss(value), null, value);
    }
  });
});

describe('the fhirUser reference', () => {
  it('resolves a relative or absolute Practitioner reference on the journal system’s server', () => {
    assert.equal(resourceUrlOn(ISS, 'Practitioner/abc-1', 'Practitioner'), `${ISS}/Practitioner/abc-1`);
    assert.equal(
      resourceUrlOn(ISS, `${ISS}/Practitioner/abc.1`, 'Practitioner'),
      `${ISS}/Practitioner/abc.1`,
    );
  });

  it('never names a URL outside the journal system’s server, or another resource type', () => {
    for (const reference of [
      'https://evil.example.org/fhir/Practitioner/1',
      'https://ehr.example.se/fhir/r4x/Practitioner/1',
      `${ISS}/Practitioner/1/_history/2`,
      `${ISS}/Practitioner/../Patient/1`,
      'Patient/1',
      'PractitionerRole/1',
      'Practitioner/a b',
      42,
      null,
    ]) {
      assert.equal(resourceUrlOn(ISS, reference, 'Practitioner'), null, String(reference));
    }
  });
});

describe('identifiers read from the journal system', () => {
  it('finds the HSA-id of a Practitioner', () => {
    const practitioner = {
      resourceType: 'Practitioner',
      identifier: [
        { system: 'urn:oid:1.2.752.29.6.2.1', value: 'x' },
        { system: 'urn:oid:1.2.752.29.4.19', value: 'SE2321000000-P0001' },
      ],
    };
    assert.equal(hsaIdOfPractitioner(practitioner), 'SE2321000000-P0001');
    assert.equal(hsaIdOfPractitioner({ ...practitioner, resourceType: 'Patient' }), null);
    assert.equal(
      hsaIdOfPractitioner({
        resourceType: 'Practitioner',
        identifier: [{ system: 'urn:oid:1.2.752.29.4.19', value: 'not an id!' }],
      }),
      null,
    );
    assert.equal(hsaIdOfPractitioner({ resourceType: 'Practitioner' }), null);
  });

  it('finds a personnummer or samordningsnummer of a Patient, by the Swedish OIDs or our systems', () => {
    for (const system of [
      'urn:oid:1.2.752.129.2.1.3.1',
      'urn:oid:1.2.752.129.2.1.3.3',
      'http://electronichealth.se/identifier/personnummer',
    ]) {
      assert.equal(
        personIdentifierOfPatient({
          resourceType: 'Patient',
          identifier: [{ system, value: ' 199001012385 ' }],
        }),
        '199001012385',
      );
    }
    assert.equal(
      personIdentifierOfPatient({
        resourceType: 'Patient',
        identifier: [{ system: 'urn:oid:1.2.752.129.2.1.3.2', value: '199001012385' }],
      }),
      null,
    );
    assert.equal(personIdentifierOfPatient('Patient'), null);
  });

  it('takes the unit from the first fhirContext entry with an HSA-id', () => {
    assert.equal(
      unitOfFhirContext([
        { reference: 'Encounter/1' },
        {
          type: 'Organization',
          identifier: { system: 'urn:oid:1.2.752.29.4.19', value: 'SE2321000000-V101' },
        },
      ]),
      'SE2321000000-V101',
    );
    assert.equal(
      unitOfFhirContext([{ identifier: { system: 'urn:oid:1.1', value: 'SE2321000000-V101' } }]),
      null,
    );
    assert.equal(unitOfFhirContext({ identifier: {} }), null);
    assert.equal(unitOfFhirContext(undefined), null);
  });
});

describe('the refusal pages', () => {
  it('give every refusal a status, a Swedish title and text, and an English line', () => {
    for (const [code, page] of Object.entries(launchRefusals)) {
      assert.ok(page.status >= 400 && page.status < 600, code);
      assert.ok(page.title.length > 0 && page.message.length > 0 && page.english.length > 0, code);
    }
    // A patient the user may not see is the page of a missing patient: one code for both.
    assert.equal(launchRefusals['no-patient'].status, 404);
  });
});
