import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { contactTypes } from '../domain/continuity.ts';
import { ReadTally, type VisitRecord } from '../domain/import-formats.ts';
import { lookupOf } from '../../test/helpers/visit-lookup.ts';
import { csvVisitScan, readRows } from './import-reader.ts';

const now = new Date('2025-06-01T12:00:00Z');
const persons = ['193803129182', '189001019802', 'PK0000000042'];

type Row = Omit<VisitRecord, 'line'>;
const withoutLine = ({ line: _line, ...row }: VisitRecord): Row => row;
const order = (rows: Row[]): Row[] =>
  [...rows].sort(
    (a, b) => a.at - b.at || a.identifier.localeCompare(b.identifier) || a.staffId.localeCompare(b.staffId),
  );

/** A file through the general reader: its rows and what the tally counted. */
async function general(text: string) {
  const tally = new ReadTally();
  const rows: Row[] = [];
  for await (const chunk of readRows(Readable.from([Buffer.from(text)]), 'visits', 'csv', now, tally))
    rows.push(...chunk.map(withoutLine));
  return { rows: order(rows), rowsRead: tally.rowsRead, errorCount: tally.errorCount, errors: tally.errors };
}

/** The same file through the bulk path's reading: quick rows through the sink, the rest as records. */
async function bulk(text: string) {
  const tally = new ReadTally();
  const { lookup, person, unit, staff, profession } = lookupOf(persons);
  const rows: Row[] = [];
  const sink = {
    add(
      p: number,
      at: number,
      s: number,
      u: number,
      pr: number,
      type: number,
      assessment: boolean,
      day: number,
    ) {
      rows.push({
        identifier: person.keys[p]!,
        at,
        unitId: unit.keys[u]!,
        staffId: staff.keys[s]!,
        profession: profession.keys[pr]!,
        contactType: contactTypes[type]!,
        isAssessment: assessment,
        soughtOn: Number.isNaN(day) ? null : new Date(day * 86_400_000).toISOString().slice(0, 10),
      });
    },
  };
  // Fed in small pieces, so that lines span the pieces.
  const bytes = Buffer.from(text);
  const pieces = Array.from({ length: Math.ceil(bytes.length / 37) }, (_, i) =>
    bytes.subarray(i * 37, i * 37 + 37),
  );
  for await (const records of csvVisitScan(Readable.from(pieces), now, tally)(lookup, sink))
    rows.push(...records.map(withoutLine));
  return { rows: order(rows), rowsRead: tally.rowsRead, errorCount: tally.errorCount, errors: tally.errors };
}

const header = 'personnummer,tidpunkt,enhet,personal,yrke,kontakttyp,medicinsk_bedomning,sokte_vard';
const lineKinds = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .constantFrom(...persons)
      .map((p) => `${p},2025-03-04 09:30,SE-V1,SE-P1,lakare,besok,ja,2025-03-01`),
  },
  fc.constant('19380312-9182,2025-03-04T10:30:00+01:00,SE-V1,SE-P2,sjukskoterska,telefon,,'),
  fc.constant('193803129182,2025-03-04 25:30,SE-V1,SE-P1,lakare,besok,,'),
  fc.constant('193803129182,2025-03-04 11:30,SE-V1,SE-P1,lakare,besok,,,extra'),
  fc.constant(''),
  fc.constant('193803129182,2025-03-04 12:30,SE-V1,SE-P1,"lakare",besok,,'),
  fc.constant('193803129182,2025-03-04 13:30,SE-V1,SE-P1,lakare,"be\nsok",,'),
  fc.constant('193803129182,2025-03-04 14:30,SE-V1,SE-P1,lak\rare,besok,,'),
  fc.constant('193803129182,2025-03-04 15:30,SE-V1,SE-P1,lakare,besok,,"open'),
);

describe('the bulk path reads a visits CSV as the general reader does', () => {
  it('gives the same rows, counts and errors whatever the lines and line breaks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.tuple(lineKinds, fc.constantFrom('\n', '\r\n', '\n', '\r\n', '\r')), { maxLength: 12 }),
        fc.boolean(),
        async (bom, headerBreak, lines, lastBreak) => {
          let text = (bom ? '\ufeff' : '') + header + headerBreak;
          lines.forEach(([line, end], i) => (text += line + (i < lines.length - 1 || lastBreak ? end : '')));
          assert.deepEqual(await bulk(text), await general(text), JSON.stringify(text));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('reads the cases a review found apart', async () => {
    const good = (p: string, t: string): string => `${p},2025-03-04 ${t},SE-V1,SE-P1,lakare,besok,,`;
    const files = [
      `${header}\n${good(persons[0]!, '09:00')}\r\n${good(persons[1]!, '09:00')}\n${good(persons[2]!, '09:00')}\n`,
      `${header}\r\n${good(persons[0]!, '09:00')}\n${good(persons[1]!, '09:00')}\r\n${good(persons[2]!, '09:00')}\r\n`,
      `${header}\n${good(persons[0]!, '09:00')}\n${good(persons[1]!, '09:00').replace('lakare', 'lak\rare')}\n${good(persons[2]!, '09:00')}\n`,
      `${header}\r\n${good(persons[0]!, '09:00')}\r\n\n${good(persons[1]!, '09:00')}\r\nx\r\n`,
      `${header}\n${good(persons[0]!, '09:00')}\n\n\n${good(persons[1]!, '09:00').replace('lakare', '"lakare"')}\n${good(persons[2]!, '09:00')},"open\n`,
      `${header}`,
      `\ufeff${header}\r\n${good(persons[0]!, '09:00')}`,
    ];
    for (const text of files) assert.deepEqual(await bulk(text), await general(text), JSON.stringify(text));
  });
});
