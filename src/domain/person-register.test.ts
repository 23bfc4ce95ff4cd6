/**
 * Pure rules of the population register: what of a person the product keeps, a `person` row of
 * the population import, and when a reservnummer may be merged into a real number.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StaffActor } from './actor.ts';
import { DomainError } from './errors.ts';
import { checkPopulation } from './import-formats.ts';
import {
  assertMayMerge,
  assertMergeable,
  mergeConflictMessage,
  mergeSummary,
  type MergeParty,
} from './patient-merge.ts';
import { keptOf, registerFactsOf, type RegisterPerson } from './person-register.ts';

const NOW = new Date('2026-12-07T10:00:00Z');
const person: RegisterPerson = {
  identifier: '198612082399',
  kind: 'personnummer',
  givenName: 'Anna',
  familyName: 'Andersson',
  birthDate: '1986-12-08',
  sex: 'male',
  address: { line: 'Storgatan 1', postalCode: '58185', city: 'Linköping', municipalityCode: '0580' },
  protection: 'none',
  deceasedOn: null,
  movedOutOn: null,
};

describe('what the product keeps of a register person', () => {
  it('keeps the address of a person without a marker, and of one with sekretessmarkering', () => {
    assert.deepEqual(keptOf(person), person);
    assert.deepEqual(keptOf({ ...person, protection: 'sekretessmarkering' }).address, person.address);
  });

  it('keeps no address and no municipality with skyddad folkbokföring', () => {
    const kept = keptOf({ ...person, protection: 'skyddad-folkbokforing' });
    assert.equal(kept.address, null);
    assert.deepEqual(registerFactsOf({ ...person, protection: 'skyddad-folkbokforing' }), {
      protection: 'skyddad-folkbokforing',
      deceasedOn: null,
      movedOutOn: null,
      address: null,
    });
  });
});

describe('a person row of the population import', () => {
  const row = (fields: Record<string, string>) =>
    checkPopulation(
      { typ: 'person', personnummer: '19861208-2399', fornamn: 'Anna', efternamn: 'Andersson', ...fields },
      2,
      NOW,
      true,
    );

  it('reads the address, the marker, death and move-out, the postnummer without its space', () => {
    const checked = row({
      adress: 'Storgatan 1',
      postnummer: '581 85',
      ort: 'Linköping',
      kommun: '0580',
      skydd: 'sekretessmarkering',
      avliden: '2026-11-01',
    });
    assert.ok(checked.ok);
    assert.deepEqual(checked.row.person, {
      addressLine: 'Storgatan 1',
      postalCode: '58185',
      city: 'Linköping',
      municipalityCode: '0580',
      protection: 'sekretessmarkering',
      deceasedOn: '2026-11-01',
      movedOutOn: null,
    });
    assert.equal(checked.row.unitId, null);
  });

  it('drops the address of a person with skyddad folkbokföring', () => {
    const checked = row({
      adress: 'Hemlig 2',
      postnummer: '58185',
      ort: 'Linköping',
      kommun: '0580',
      skydd: 'skyddad-folkbokforing',
    });
    assert.ok(checked.ok);
    assert.deepEqual(
      [
        checked.row.person?.addressLine,
        checked.row.person?.postalCode,
        checked.row.person?.city,
        checked.row.person?.municipalityCode,
      ],
      [null, null, null, null],
    );
  });

  it('names each bad field in Swedish', () => {
    const fieldsOf = (fields: Record<string, string>) => {
      const checked = row(fields);
      return checked.ok ? [] : checked.errors.map((e) => e.field);
    };
    assert.deepEqual(fieldsOf({ kommun: '580' }), ['kommun']);
    assert.deepEqual(fieldsOf({ adress: 'Gatan 1', postnummer: '5818' }), ['postnummer']);
    assert.deepEqual(fieldsOf({ skydd: 'hemlig' }), ['skydd']);
    assert.deepEqual(fieldsOf({ avliden: '2027-01-01' }), ['avliden']);
    assert.deepEqual(fieldsOf({ utflyttad: '2026-02-30' }), ['utflyttad']);
    assert.deepEqual(fieldsOf({ ort: 'Linköping' }), ['adress']);
    assert.deepEqual(fieldsOf({ enhet: 'SE1', fran: '2024-01-01' }), ['enhet', 'fran']);
    assert.deepEqual(fieldsOf({ efternamn: '' }), ['efternamn']);
    assert.deepEqual(fieldsOf({ personnummer: 'PK0000000042' }), ['personnummer']);
  });

  it('refuses a person field on a period row', () => {
    const checked = checkPopulation(
      {
        typ: 'listning',
        personnummer: '19861208-2399',
        enhet: 'SE1',
        fran: '2024-01-01',
        skydd: 'sekretessmarkering',
      },
      3,
      NOW,
      true,
    );
    assert.ok(!checked.ok);
    assert.deepEqual(
      checked.errors.map((e) => e.field),
      ['skydd'],
    );
  });
});

describe('merging a reservnummer', () => {
  const party = (over: Partial<MergeParty>): MergeParty => ({
    id: 'a',
    identifier: 'PK0000000007',
    identifierKind: 'reservnummer',
    mergedInto: null,
    hasCurrentContract: false,
    ...over,
  });
  const into = party({ id: 'b', identifier: '198612082399', identifierKind: 'personnummer' });
  const refused = (fn: () => void) =>
    assert.throws(fn, (e: unknown) => e instanceof DomainError && e.code === 'merge_refused');

  it('merges a reservnummer into a personnummer, one current plan between them', () => {
    assertMergeable(party({}), into);
    assertMergeable(party({ hasCurrentContract: true }), into);
    assertMergeable(party({}), { ...into, hasCurrentContract: true });
  });

  it('refuses two current plans, a merged or non-reservnummer source, a reservnummer target, the same person', () => {
    refused(() =>
      assertMergeable(party({ hasCurrentContract: true }), { ...into, hasCurrentContract: true }),
    );
    refused(() => assertMergeable(party({ mergedInto: 'c' }), into));
    refused(() => assertMergeable({ ...into, id: 'x' }, into));
    refused(() => assertMergeable(party({}), party({ id: 'b' })));
    refused(() => assertMergeable(party({ id: 'b' }), { ...into, id: 'b' }));
  });

  it('lets only a verksamhetschef merge', () => {
    const actor = (role: string): StaffActor => ({
      kind: 'staff',
      staffId: 'S1',
      name: 'N',
      profession: 'lakare',
      unitId: 'U',
      providerId: 'P',
      role,
    });
    assertMayMerge(actor('verksamhetschef'));
    for (const role of ['medarbetare', 'systemforvaltare', 'loggansvarig', 'uppfoljning'])
      assert.throws(
        () => assertMayMerge(actor(role)),
        (e: unknown) => e instanceof DomainError && e.code === 'forbidden',
      );
  });

  it('names the merge with both numbers, and says which one thing both hold', () => {
    assert.equal(
      mergeSummary('PK0000000007', '198612082399'),
      'Reservnummer PK0000000007 sammanfört med 19861208-2399',
    );
    assert.match(mergeConflictMessage('care_contact_one_fast_vardkontakt'), /fast vårdkontakt/);
    assert.match(mergeConflictMessage(null), /inget har ändrats/);
  });
});
