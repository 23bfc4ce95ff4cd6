import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseInstant } from './swedish-calendar.ts';
import { swedishDayOf } from './swedish-time.ts';

describe('instants read from text', () => {
  it('reads summer time as UTC+2 and a zoned instant as given', () => {
    assert.equal(parseInstant('2025-07-01 10:00'), '2025-07-01T08:00:00.000Z');
    assert.equal(parseInstant('2025-03-30 03:30'), '2025-03-30T01:30:00.000Z');
    assert.equal(parseInstant('2025-03-30 01:30'), '2025-03-30T00:30:00.000Z');
    assert.equal(parseInstant('2025-10-26 04:00'), '2025-10-26T03:00:00.000Z');
    assert.equal(parseInstant('2025-07-01T10:00:00+02:00'), '2025-07-01T08:00:00.000Z');
    assert.equal(parseInstant('2025-02-30 10:00'), null);
    assert.equal(parseInstant('igår'), null);
    assert.equal(parseInstant('2025-03-04T09:30:15'), '2025-03-04T08:30:15.000Z');
    // Date.UTC alone reads the years 0–99 as 1900–1999.
    assert.equal(parseInstant('0050-01-15 10:00'), '0050-01-15T09:00:00.000Z');
    for (const wrong of [
      '2025-03-04 9:30',
      '2025-3-04 09:30',
      '2025-03-04 09:30:',
      '2025-03-04 24:00',
      '2025-03-04 09:60',
      '2025-03-04 09:30:60',
      '2025-03-04_09:30',
      '2025-03-04 09.30',
      '+025-03-04 09:30',
    ])
      assert.equal(parseInstant(wrong), null, wrong);
  });

  it('agrees with the time zone database on every Swedish wall-clock hour it reads back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * 365 * 24 }), (hours) => {
        const utc = new Date(Date.UTC(2023, 0, 1) + hours * 3_600_000).toISOString();
        const format = (instant: string): string =>
          new Intl.DateTimeFormat('sv-SE', {
            timeZone: 'Europe/Stockholm',
            dateStyle: 'short',
            timeStyle: 'short',
          }).format(new Date(instant));
        const wall = format(utc);
        const back = parseInstant(wall);
        // The hour repeated in October is ambiguous: either reading is right if it shows the same
        // wall-clock time. (Accepting any reading an hour off let a parser without summer time pass.)
        assert.ok(back !== null, wall);
        assert.equal(format(back), wall, `${wall} → ${back}`);
        assert.equal(swedishDayOf(back), wall.slice(0, 10));
      }),
    );
  });
});
