import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkAdmission, checkHeader, checkPopulation, checkVisit } from './import-formats.ts';

const now = new Date('2025-06-01T12:00:00Z');
const visit = {
  personnummer: '19380312-9182',
  tidpunkt: '2025-03-04 09:30',
  enhet: 'SE2321000000-V101',
  personal: 'SE2321000000-P0002',
  yrke: 'lakare',
  kontakttyp: 'besok',
};

describe('import formats', () => {
  it('reads a visit and normalises identifier and time (Swedish wall-clock time, CET)', () => {
    const checked = checkVisit(visit, 2, now);
    assert.ok(checked.ok);
    assert.equal(checked.row.identifier, '193803129182');
    assert.equal(new Date(checked.row.at).toISOString(), '2025-03-04T08:30:00.000Z');
    assert.equal(checked.row.isAssessment, false);
    assert.equal(checked.row.soughtOn, null);
  });

  it('compares the day care was sought with the contact in any year', () => {
    const early = {
      ...visit,
      tidpunkt: '0050-06-01T10:00Z',
      medicinsk_bedomning: 'ja',
      sokte_vard: '0050-01-01',
    };
    assert.ok(checkVisit(early, 2, now).ok);
    const after = { ...visit, medicinsk_bedomning: 'ja', sokte_vard: '2025-03-05' };
    const checked = checkVisit(after, 2, now);
    assert.ok(!checked.ok);
    assert.deepEqual(
      checked.errors.map((e) => e.field),
      ['sokte_vard'],
    );
  });

  it('names every wrong field of a visit with its line', () => {
    const checked = checkVisit(
      {
        ...visit,
        personnummer: '19380312-9183',
        kontakttyp: 'brev',
        yrke: 'Läkare',
        tidpunkt: '2025-13-01 08:00',
      },
      7,
      now,
    );
    assert.ok(!checked.ok);
    assert.deepEqual(
      checked.errors.map((e) => [e.line, e.field]),
      [
        [7, 'personnummer'],
        [7, 'tidpunkt'],
        [7, 'yrke'],
        [7, 'kontakttyp'],
      ],
    );
    assert.match(checked.errors[0]!.message, /Kontrollsiffran/);
  });

  it('needs the day the patient sought care for a medical assessment, on or before the contact', () => {
    const missing = checkVisit({ ...visit, medicinsk_bedomning: 'ja' }, 3, now);
    assert.ok(!missing.ok);
    assert.equal(missing.errors[0]!.field, 'sokte_vard');
    const after = checkVisit({ ...visit, medicinsk_bedomning: 'ja', sokte_vard: '2025-03-05' }, 3, now);
    assert.ok(!after.ok);
    const ok = checkVisit({ ...visit, medicinsk_bedomning: true, sokte_vard: '2025-03-01' }, 3, now);
    assert.ok(ok.ok);
    assert.equal(ok.row.isAssessment, true);
    assert.equal(ok.row.soughtOn, '2025-03-01');
  });

  it('refuses contacts in the future and unknown fields in NDJSON', () => {
    const future = checkVisit({ ...visit, tidpunkt: '2025-06-02 08:00' }, 2, now);
    assert.ok(!future.ok);
    assert.match(future.errors[0]!.message, /framtiden/);
    const extra = checkVisit({ ...visit, diagnos: 'J44' }, 2, now, true);
    assert.ok(!extra.ok);
    assert.deepEqual(extra.errors[0], { line: 2, field: 'diagnos', message: 'Okänt fält.' });
  });

  it('checks a CSV header: unknown, repeated and missing columns on line 1', () => {
    assert.deepEqual(checkHeader('visits', Object.keys(visit)), []);
    const errors = checkHeader('visits', [
      'personnummer',
      'personnummer',
      'tid',
      'enhet',
      'personal',
      'yrke',
    ]);
    assert.deepEqual(
      errors.map((e) => e.field),
      ['personnummer', 'tid', 'tidpunkt', 'kontakttyp'],
    );
    assert.ok(errors.every((e) => e.line === 1));
  });

  it('reads the population register, with the physician only for fast läkarkontakt', () => {
    const gp = checkPopulation(
      {
        typ: 'fast-lakarkontakt',
        personnummer: '194001279050',
        enhet: 'SE1-V1',
        personal: 'SE1-P1',
        fran: '2024-01-01',
      },
      2,
      now,
    );
    assert.ok(gp.ok);
    assert.equal(gp.row.staffId, 'SE1-P1');
    assert.equal(gp.row.sex, 'male');
    const noGp = checkPopulation(
      { typ: 'fast-lakarkontakt', personnummer: '194001279050', enhet: 'SE1-V1', fran: '2024-01-01' },
      3,
      now,
    );
    assert.ok(!noGp.ok);
    assert.equal(noGp.errors[0]!.field, 'personal');
    const sabo = checkPopulation(
      {
        typ: 'sabo',
        personnummer: '194001279050',
        enhet: 'SE1-S1',
        personal: 'SE1-P1',
        fran: '2024-05-01',
        till: '2024-04-01',
        fornamn: 'Gunnar',
      },
      4,
      now,
    );
    assert.ok(!sabo.ok);
    assert.deepEqual(
      sabo.errors.map((e) => e.field),
      ['personal', 'till', 'efternamn'],
    );
  });
});

describe('the admissions format', () => {
  const stay = { personnummer: '19380312-9182', enhet: 'SE2321000000-S110', inskriven: '2025-03-04 09:30' };

  it('reads an open stay (Swedish wall-clock time) and a discharged one', () => {
    const open = checkAdmission(stay, 2, now);
    assert.ok(open.ok);
    assert.equal(open.row.identifier, '193803129182');
    assert.equal(new Date(open.row.admittedAt).toISOString(), '2025-03-04T08:30:00.000Z');
    assert.equal(open.row.dischargedAt, null);
    const ended = checkAdmission({ ...stay, utskriven: '2025-03-06T10:00:00+01:00' }, 3, now);
    assert.ok(ended.ok);
    assert.equal(new Date(ended.row.dischargedAt!).toISOString(), '2025-03-06T09:00:00.000Z');
  });

  it('names each problem by line and field, in Swedish', () => {
    const checked = checkAdmission(
      {
        personnummer: '19380312-9183',
        enhet: 'x y',
        inskriven: '2025-03-04 09:30',
        utskriven: '2025-03-01 08:00',
        extra: 1,
      },
      7,
      now,
      true,
    );
    assert.ok(!checked.ok);
    assert.deepEqual(
      checked.errors.map((e) => [e.line, e.field]),
      [
        [7, 'extra'],
        [7, 'personnummer'],
        [7, 'enhet'],
        [7, 'utskriven'],
      ],
    );
    const future = checkAdmission({ ...stay, inskriven: '2025-07-01 08:00' }, 2, now);
    assert.ok(!future.ok);
    assert.match(future.errors[0]!.message, /framtiden/);
    assert.deepEqual(checkHeader('admissions', ['personnummer', 'enhet']), [
      { line: 1, field: 'inskriven', message: 'Kolumnen saknas.' },
    ]);
  });
});
