import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { contactTypes } from './continuity.ts';
import { checkVisit } from './import-formats.ts';
import { dayNumber } from './swedish-calendar.ts';
import { lookupOf } from '../../test/helpers/visit-lookup.ts';
import { scanVisitLines, visitFile, type VisitSink } from './visit-bytes.ts';

const now = new Date('2025-06-01T12:00:00Z');
// Skatteverket's test personnummer, a reservnummer, and one born after `now`.
const persons = ['193803129182', '189001019802', 'PK0000000042', '202512312399'];
const units = ['SE2321000000-V101', 'SE2321000000-V102'];
const header = [
  'personnummer',
  'tidpunkt',
  'enhet',
  'personal',
  'yrke',
  'kontakttyp',
  'medicinsk_bedomning',
  'sokte_vard',
];

/** One line through the quick lane: the row it wrote, 'other', or 'hand over'. */
function quickLane(line: string, columns: readonly string[] = header) {
  const { lookup, staff, profession } = lookupOf(persons, units);
  let row: unknown = null;
  const sink: VisitSink = {
    add(p, at, s, u, pr, type, assessment, soughtDay) {
      row = {
        identifier: persons[p],
        at,
        staffId: staff.keys[s],
        unitId: units[u],
        profession: profession.keys[pr],
        contactType: contactTypes[type],
        isAssessment: assessment,
        soughtDay,
      };
    },
  };
  let other = false;
  const buf = Buffer.from(`${line}\n`);
  const scanned = scanVisitLines(
    buf,
    0,
    buf.length,
    2,
    visitFile(columns, ',', false, now),
    lookup,
    sink,
    () => {
      other = true;
    },
  );
  if (scanned.handOver >= 0) return 'hand over';
  return other ? 'other' : row;
}

/** What checkVisit and the register make of the same line: the row, or 'refused'. */
function reference(line: string, columns: readonly string[] = header) {
  const fields = line.split(',');
  if (fields.length > columns.length) return 'refused';
  const record: Record<string, unknown> = {};
  columns.forEach((name, i) => (record[name] = fields[i]));
  const checked = checkVisit(record, 2, now);
  if (!checked.ok) return 'refused';
  const r = checked.row;
  if (!persons.includes(r.identifier) || !units.includes(r.unitId)) return 'refused';
  return {
    identifier: r.identifier,
    at: r.at,
    staffId: r.staffId,
    unitId: r.unitId,
    profession: r.profession,
    contactType: r.contactType,
    isAssessment: r.isAssessment,
    soughtDay: r.soughtOn === null ? NaN : dayNumber(r.soughtOn),
  };
}

const two = (n: number): string => String(n).padStart(2, '0');
/** A field: mostly plainly valid, sometimes any of the forms checkVisit also reads or refuses. */
/** YYYY-MM-DD, the month and day sometimes out of range. */
const day = fc
  .tuple(fc.integer({ min: 1, max: 2026 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
  .map(([y, mo, d]) => `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}`);
const fields = {
  personnummer: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...persons) },
    fc.constantFrom('19380312-9182', ' 193803129182', 'pk0000000042', '193803129183', 'PK000000004', '', 'x'),
  ),
  tidpunkt: fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(
          day,
          fc.constantFrom(' ', 'T'),
          fc.integer({ min: 0, max: 24 }),
          fc.integer({ min: 0, max: 60 }),
          fc.option(fc.integer({ min: 0, max: 60 })),
        )
        .map(([d, sep, h, mi, s]) => `${d}${sep}${two(h)}:${two(mi)}${s === null ? '' : `:${two(s)}`}`),
    },
    fc.constantFrom(
      '2025-03-30 02:30', // the hour summer time skips
      '2025-10-26 02:30', // the hour that comes twice
      '2025-03-04T09:30:00+01:00',
      '2025-03-04T09:30Z',
      '2025-06-01 14:01',
      '2025-03-04 9:30',
      '',
    ),
  ),
  enhet: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...units) },
    fc.constantFrom('SE2321000000-V999', 'SE 1', 'ab', ''),
  ),
  personal: fc.oneof(
    { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9-]{3,12}$/) },
    fc.constantFrom('ab', 'a'.repeat(65), 'a'.repeat(64), 'SE_1', ' P1', 'P1 ', 'å12', ''),
  ),
  yrke: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('lakare', 'sjukskoterska', 'fysioterapeut', 'ab', 'a-') },
    fc.constantFrom('Lakare', '-ab', 'a', 'a'.repeat(41), 'a'.repeat(40), 'läkare', ''),
  ),
  kontakttyp: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...contactTypes) },
    fc.constantFrom('Besok', 'brev', ' video', ''),
  ),
  medicinsk_bedomning: fc.constantFrom('', 'ja', 'nej', '1', '0', 'JA', 'true', 'false', 'kanske', ' ja'),
  sokte_vard: fc.oneof(
    { weight: 3, arbitrary: day },
    fc.constantFrom('', '', '', '2025-02-29', '2024-02-29', '2025-3-01', ' 2025-03-01'),
  ),
};
const line = fc
  .tuple(
    fields.personnummer,
    fields.tidpunkt,
    fields.enhet,
    fields.personal,
    fields.yrke,
    fields.kontakttyp,
    fields.medicinsk_bedomning,
    fields.sokte_vard,
  )
  .map((values) => values.join(','));

describe('visit lines read as bytes', () => {
  it('take a line only when checkVisit and the register give the same row', () => {
    let taken = 0;
    fc.assert(
      fc.property(line, (text) => {
        const quick = quickLane(text);
        if (typeof quick === 'string') return;
        taken += 1;
        assert.deepEqual(quick, reference(text), text);
      }),
      { numRuns: 20_000 },
    );
    // Most generated lines are plainly valid: the quick lane must not pass them all on.
    assert.ok(taken > 300, `taken ${taken}`);
  });

  it('take every plainly valid line of a known person and unit', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...persons.slice(0, 3)),
        fc.integer({ min: 0, max: 10 * 365 * 24 * 4 }),
        fc.constantFrom(...units),
        fc.constantFrom(...contactTypes),
        fc.boolean(),
        (person, quarter, unit, type, assessed) => {
          const at = new Date(Date.UTC(2015, 0, 1) + quarter * 15 * 60_000 + 3_600_000);
          const local = new Date(at.getTime() + 3_600_000).toISOString();
          const day = local.slice(0, 10);
          const text = [
            person,
            `${day} ${local.slice(11, 16)}`,
            unit,
            'SE-P1',
            'lakare',
            type,
            assessed ? 'ja' : 'nej',
            assessed ? day : '',
          ].join(',');
          const expected = reference(text);
          if (expected === 'refused') return; // the hour summer time skips
          assert.deepEqual(quickLane(text), expected, text);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('pass a line with too many or too few fields, a quote or a stray carriage return on', () => {
    const good = `193803129182,2025-03-04 09:30,${units[0]},SE-P1,lakare,besok,,`;
    assert.notEqual(typeof quickLane(good), 'string');
    assert.equal(quickLane(`${good},`), 'other');
    assert.equal(quickLane(good.split(',').slice(0, 6).join(',')), 'other');
    assert.deepEqual(
      quickLane(good.split(',').slice(0, 6).join(','), header.slice(0, 6)),
      reference(good.split(',').slice(0, 6).join(','), header.slice(0, 6)),
    );
    assert.equal(quickLane(good.replace('lakare', '"lakare"')), 'hand over');
    assert.equal(quickLane(good.replace('lakare', 'lak\rare')), 'hand over');
    // A person born after the import's day is refused by checkVisit, so not taken here.
    assert.equal(quickLane(good.replace('193803129182', '202512312399')), 'other');
  });

  it('count lines and skip blank ones, with \\n or \\r\\n', () => {
    const good = `193803129182,2025-03-04 09:30,${units[0]},SE-P1,lakare,besok,,`;
    for (const crlf of [false, true]) {
      const end = crlf ? '\r\n' : '\n';
      const buf = Buffer.from([good, '', 'x', good].join(end) + end);
      const lines: number[] = [];
      let rows = 0;
      const { lookup } = lookupOf(persons, units);
      const scanned = scanVisitLines(
        buf,
        0,
        buf.length,
        2,
        visitFile(header, ',', crlf, now),
        lookup,
        { add: () => (rows += 1) },
        (_s, _e, n) => lines.push(n),
      );
      assert.deepEqual([scanned.lines, scanned.handOver, rows, lines], [4, -1, 2, [4]]);
    }
    // A lone \n in a \r\n file: the general reader takes over there.
    const mixed = Buffer.from(`${good}\r\n${good}\n${good}\r\n`);
    const { lookup } = lookupOf(persons, units);
    const scanned = scanVisitLines(
      mixed,
      0,
      mixed.length,
      2,
      visitFile(header, ',', true, now),
      lookup,
      { add: () => undefined },
      () => undefined,
    );
    assert.deepEqual(scanned, { lines: 1, handOver: good.length + 2 });
  });
});
