import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { normaliseIcd10 } from './diagnosis.ts';
import { checkDiagnosis } from './import-formats.ts';

const now = new Date('2025-06-01T10:00:00Z');

describe('ICD-10 codes', () => {
  it('keeps one form, with the dot, whatever the export wrote', () => {
    for (const [raw, kept] of [
      ['I50.9', 'I50.9'],
      ['I509', 'I50.9'],
      ['i50.9', 'I50.9'],
      [' I50 .9 ', 'I50.9'],
      ['J44', 'J44'],
      ['S72.00', 'S72.00'],
      ['S7200', 'S72.00'],
      ['U07.1', 'U07.1'],
    ] as const)
      assert.equal(normaliseIcd10(raw), kept, raw);
  });

  it('refuses what is not a code', () => {
    for (const raw of ['', 'I5', '150.9', 'I50.', 'I50.999', 'II50', 'hjärtsvikt', 'I50,9', 'I50-9'])
      assert.equal(normaliseIcd10(raw), null, raw);
  });

  it('gives the same code for the form with and without the dot (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
        fc.integer({ min: 0, max: 99 }),
        fc.stringMatching(/^[0-9A-Z]{0,2}$/),
        (letter, n, rest) => {
          const digits = String(n).padStart(2, '0');
          const dotted = normaliseIcd10(`${letter}${digits}${rest ? `.${rest}` : ''}`);
          assert.equal(normaliseIcd10(`${letter}${digits}${rest}`.toLowerCase()), dotted);
          assert.equal(normaliseIcd10(dotted!), dotted);
        },
      ),
    );
  });
});

describe('a row of the diagnoses import', () => {
  const row = {
    personnummer: '19380312-9182',
    diagnos: 'I509',
    fran: '2024-03-01',
    enhet: 'SE2321000000-E001',
    till: '',
  };

  it('is read with the code in its one form and no end', () => {
    const checked = checkDiagnosis(row, 2, now);
    assert.ok(checked.ok);
    assert.deepEqual(checked.row, {
      line: 2,
      identifier: '193803129182',
      icd10: 'I50.9',
      since: '2024-03-01',
      unitId: 'SE2321000000-E001',
      endedOn: null,
    });
  });

  it('names each bad field in Swedish', () => {
    const checked = checkDiagnosis(
      {
        personnummer: '19380312-9183',
        diagnos: 'hjärtsvikt',
        fran: '2026-01-01',
        enhet: 'x y',
        till: '2020-01-01',
      },
      7,
      now,
    );
    assert.ok(!checked.ok);
    assert.deepEqual(
      checked.errors.map((e) => e.field),
      ['personnummer', 'diagnos', 'enhet', 'fran', 'till'],
    );
    for (const e of checked.errors) assert.equal(e.line, 7);
  });

  it('refuses an unknown field in NDJSON', () => {
    const checked = checkDiagnosis({ ...row, kod: 'I50' }, 1, now, true);
    assert.ok(!checked.ok);
    assert.deepEqual(
      checked.errors.map((e) => e.field),
      ['kod'],
    );
  });
});
