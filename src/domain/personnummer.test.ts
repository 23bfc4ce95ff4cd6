// node:test returns promises from describe/it that the runner itself awaits; awaiting them here is noise.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  formatPersonnummer,
  isValidPatientId,
  luhnCheckDigit,
  makeReservnummer,
  parsePatientId,
} from './personnummer.ts';

const TODAY = new Date('2026-11-23');
const TODAY_ISO = '2026-11-23';

const official = readFileSync(
  new URL('../../data/skatteverket-testpersonnummer.csv', import.meta.url),
  'utf8',
)
  .split(/\r?\n/)
  .slice(1)
  .filter((line) => line.trim() !== '');

/** 12-digit number for the given date fields and serial, with the correct Luhn digit appended. */
function withLuhn(yyyy: string, mm: string, dd: string, nnn: string): string {
  const nine = `${yyyy.slice(2)}${mm}${dd}${nnn}`;
  return `${yyyy}${mm}${dd}${nnn}${luhnCheckDigit(nine)}`;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
// SKV 704/707: birth numbers run from 001 to 999; 000 is tested on its own below.
const serialArb = fc.integer({ min: 1, max: 999 }).map((n) => pad(n, 3));
const pastDateArb = fc
  .date({ min: new Date('1900-01-01'), max: new Date(TODAY_ISO), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const validNumberArb = fc
  .tuple(pastDateArb, serialArb)
  .map(([iso, nnn]) => withLuhn(iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10), nnn));

function reasonOf(input: string): string {
  const result = parsePatientId(input, TODAY);
  assert.equal(result.ok, false, `expected ${input} to be rejected`);
  return result.ok ? '' : result.reason;
}

describe('Skatteverket test personnummer', () => {
  it('contains the full official list of 41,493 numbers', () => {
    assert.equal(official.length, 41_493);
  });

  it('accepts every official number in 12-digit form and keeps the same normalised value', () => {
    const failures = official.filter((pn) => {
      const result = parsePatientId(pn, TODAY);
      return !result.ok || result.id.value !== pn || result.id.kind !== 'personnummer';
    });
    assert.deepEqual(failures, []);
  });

  it('accepts every official number in 10-digit form, with + for those aged 100 or more', () => {
    const failures = official.filter((pn) => {
      const centenarian = `${Number(pn.slice(0, 4)) + 100}-${pn.slice(4, 6)}-${pn.slice(6, 8)}` <= TODAY_ISO;
      const forms = centenarian
        ? [`${pn.slice(2, 8)}+${pn.slice(8)}`]
        : [`${pn.slice(2, 8)}-${pn.slice(8)}`, pn.slice(2), `${pn.slice(0, 8)}-${pn.slice(8)}`];
      return forms.some((form) => {
        const result = parsePatientId(form, TODAY);
        return !result.ok || result.id.value !== pn;
      });
    });
    assert.deepEqual(failures, []);
  });
});

describe('parsePatientId for personnummer', () => {
  it('normalises all accepted formats, ignoring surrounding whitespace', () => {
    for (const input of ['811218-9876', '8112189876', '198112189876', '19811218-9876', '  811218-9876\t']) {
      assert.deepEqual(parsePatientId(input, TODAY), {
        ok: true,
        id: { kind: 'personnummer', value: '198112189876', birthDate: '1981-12-18', sex: 'male' },
      });
    }
  });

  it('derives sex from the second-to-last digit, even meaning female', () => {
    const female = withLuhn('1990', '05', '17', '124');
    const result = parsePatientId(female, TODAY);
    assert.equal(result.ok && result.id.sex, 'female');
  });

  it('places a 10-digit number in the most recent century where the birth date is not in the future', () => {
    const born = (input: string): string | null => {
      const result = parsePatientId(input, TODAY);
      return result.ok ? result.id.birthDate : null;
    };
    assert.equal(born(withLuhn('2026', '11', '23', '123').slice(2)), '2026-11-23');
    assert.equal(born(withLuhn('1926', '11', '24', '123').slice(2)), '1926-11-24');
    const plus = withLuhn('1926', '11', '24', '123');
    assert.equal(born(`${plus.slice(2, 8)}+${plus.slice(8)}`), '1826-11-24');
  });

  it('rejects any single changed digit among the ten Luhn-protected digits', () => {
    fc.assert(
      fc.property(
        validNumberArb,
        fc.integer({ min: 2, max: 11 }),
        fc.integer({ min: 1, max: 9 }),
        (pn, i, delta) => {
          const changed = `${pn.slice(0, i)}${(Number(pn[i]) + delta) % 10}${pn.slice(i + 1)}`;
          assert.equal(isValidPatientId(changed, TODAY), false);
          assert.equal(isValidPatientId(changed.slice(2), TODAY), false);
        },
      ),
    );
  });

  it('rejects a wrong check digit with a check-digit message', () => {
    fc.assert(
      fc.property(validNumberArb, fc.integer({ min: 1, max: 9 }), (pn, delta) => {
        const wrong = `${pn.slice(0, 11)}${(Number(pn[11]) + delta) % 10}`;
        assert.equal(reasonOf(wrong), 'Kontrollsiffran stämmer inte.');
      }),
    );
  });

  it('rejects impossible dates even when the check digit is correct', () => {
    const year = fc.integer({ min: 1901, max: 2025 }).map(String);
    const nonLeapYear = fc.oneof(
      fc.constant('1900'),
      fc
        .integer({ min: 1901, max: 2025 })
        .filter((y) => y % 4 !== 0)
        .map(String),
    );
    const badDate = fc.oneof(
      fc.tuple(year, fc.constantFrom('00', '13'), fc.constant('15')),
      fc.tuple(year, fc.constant('05'), fc.constantFrom('00', '32')),
      fc.tuple(year, fc.constant('02'), fc.constant('30')),
      fc.tuple(nonLeapYear, fc.constant('02'), fc.constant('29')),
      fc.tuple(year, fc.constantFrom('04', '06', '09', '11'), fc.constant('31')),
    );
    fc.assert(
      fc.property(badDate, serialArb, ([yyyy, mm, dd], nnn) => {
        assert.equal(reasonOf(withLuhn(yyyy, mm, dd, nnn)), 'Datumet finns inte.');
      }),
    );
  });

  it('accepts 29 February 2000 and rejects 29 February 1900 (400-year leap rule)', () => {
    const y2000 = withLuhn('2000', '02', '29', '123');
    const y1900 = withLuhn('1900', '02', '29', '123');
    assert.equal(isValidPatientId(y2000, TODAY), true);
    assert.equal(isValidPatientId(`${y2000.slice(2, 8)}-${y2000.slice(8)}`, TODAY), true);
    assert.equal(reasonOf(y1900), 'Datumet finns inte.');
    assert.equal(reasonOf(`${y1900.slice(2, 8)}+${y1900.slice(8)}`), 'Datumet finns inte.');
  });

  it('rejects birth dates after today', () => {
    const futureDate = fc
      .date({ min: new Date('2026-11-24'), max: new Date('2099-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(futureDate, serialArb, (iso, nnn) => {
        const pn = withLuhn(iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10), nnn);
        assert.equal(reasonOf(pn), 'Födelsedatumet ligger i framtiden.');
      }),
    );
  });
});

describe('parsePatientId for samordningsnummer', () => {
  it('accepts day + 60 with a correct check digit and reports the real birth date', () => {
    fc.assert(
      fc.property(pastDateArb, serialArb, (iso, nnn) => {
        const day = pad(Number(iso.slice(8, 10)) + 60, 2);
        const sn = withLuhn(iso.slice(0, 4), iso.slice(5, 7), day, nnn);
        const result = parsePatientId(`${sn.slice(0, 8)}-${sn.slice(8)}`, TODAY);
        assert.ok(result.ok);
        assert.equal(result.id.kind, 'samordningsnummer');
        assert.equal(result.id.value, sn);
        assert.equal(result.id.birthDate, iso);
        const centenarian = `${Number(iso.slice(0, 4)) + 100}${iso.slice(4)}` <= TODAY_ISO;
        const short = `${sn.slice(2, 8)}${centenarian ? '+' : '-'}${sn.slice(8)}`;
        assert.deepEqual(parsePatientId(short, TODAY), result);
      }),
    );
  });

  it('places a 10-digit samordningsnummer by the real birth date, so one born today is not a century old', () => {
    const sn = withLuhn('2026', '11', '83', '123');
    const result = parsePatientId(`${sn.slice(2, 8)}-${sn.slice(8)}`, TODAY);
    assert.equal(result.ok && result.id.birthDate, '2026-11-23');
  });

  it('rejects a samordningsnummer whose day minus 60 is not a real date', () => {
    assert.equal(reasonOf(withLuhn('1990', '04', '91', '123')), 'Datumet finns inte.');
    assert.equal(reasonOf(withLuhn('1990', '01', '92', '123')), 'Datumet finns inte.');
  });
});

describe('parsePatientId for reservnummer and garbage', () => {
  it('accepts PK followed by ten digits in any case and normalises to uppercase', () => {
    assert.deepEqual(parsePatientId(' pk0000123456 ', TODAY), {
      ok: true,
      id: { kind: 'reservnummer', value: 'PK0000123456', birthDate: null, sex: null },
    });
  });

  it('rejects empty input, letters, wrong lengths and letters among the digits with a Swedish reason', () => {
    for (const input of [
      '',
      '   ',
      'abc',
      '12345678901',
      '8112189876123',
      '811218-98A6',
      'PK123',
      'PK00001234567',
    ]) {
      assert.match(reasonOf(input), /^(Inget patient-id angivet|Okänt format)/);
    }
    assert.match(reasonOf('19811218+9876'), /^Okänt format/);
  });
});

describe('parsePatientId refuses birth number 000', () => {
  it('refuses serial 000 with a correct check digit on every date, in every form, and accepts 001-999', () => {
    fc.assert(
      fc.property(pastDateArb, fc.boolean(), (iso, isSamordning) => {
        const day = isSamordning ? pad(Number(iso.slice(8, 10)) + 60, 2) : iso.slice(8, 10);
        for (let n = 0; n <= 999; n++) {
          const pnr = withLuhn(iso.slice(0, 4), iso.slice(5, 7), day, pad(n, 3));
          const centenarian = `${Number(iso.slice(0, 4)) + 100}${iso.slice(4)}` <= TODAY_ISO;
          for (const form of [
            pnr,
            `${pnr.slice(0, 8)}-${pnr.slice(8)}`,
            `${pnr.slice(2, 8)}${centenarian ? '+' : '-'}${pnr.slice(8)}`,
          ]) {
            const result = parsePatientId(form, TODAY);
            if (n === 0)
              assert.deepEqual(result, { ok: false, reason: 'Födelsenumret 000 delas inte ut.' }, form);
            else assert.ok(result.ok, form);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('refuses the all-zero reservnummer and never makes one', () => {
    assert.equal(parsePatientId('PK0000000000', TODAY).ok, false);
    assert.equal(parsePatientId('PK0000000001', TODAY).ok, true);
    assert.throws(() => makeReservnummer(0), RangeError);
  });
});

describe('helpers', () => {
  it('computes the Luhn digit of the SKV 704 example 811218-987 as 6', () => {
    assert.equal(luhnCheckDigit('811218987'), 6);
    assert.throws(() => luhnCheckDigit('81121898'), RangeError);
  });

  it('formats a 12-digit number for display and leaves a reservnummer unchanged', () => {
    assert.equal(formatPersonnummer('198112189876'), '19811218-9876');
    assert.equal(formatPersonnummer('PK0000123456'), 'PK0000123456');
  });

  it('makes a zero-padded reservnummer that parses back to itself', () => {
    assert.equal(makeReservnummer(123456), 'PK0000123456');
    const result = parsePatientId(makeReservnummer(9_999_999_999), TODAY);
    assert.equal(result.ok && result.id.value, 'PK9999999999');
    assert.throws(() => makeReservnummer(-1), RangeError);
    assert.throws(() => makeReservnummer(1.5), RangeError);
  });
});
