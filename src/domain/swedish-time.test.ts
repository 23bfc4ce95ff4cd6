import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  swedishDayBounds,
  swedishDayOf,
  swedishDayOfDateOrInstant,
  swedishTimeOfDay,
  swedishToday,
  swedishWallClockMs,
} from './swedish-time.ts';

// The independent oracle: the runtime's time-zone database (Node ships full ICU).
const stockholm = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
function wallClockOf(ms: number): string {
  const part = (parts: Intl.DateTimeFormatPart[], type: string): string =>
    parts.find((p) => p.type === type)!.value;
  const parts = stockholm.formatToParts(new Date(ms));
  const [y, mo, d, h, mi, s] = ['year', 'month', 'day', 'hour', 'minute', 'second'].map((t) =>
    part(parts, t),
  );
  return `${y}-${mo}-${d} ${h}:${mi}:${s}`;
}

// The EU rule (1996 on); the time-zone database projects it forward.
const FROM = Date.UTC(1996, 0, 1);
const TO = Date.UTC(2100, 0, 1);
const instant = fc.integer({ min: FROM, max: TO - 1 });
/** Instants within three hours of a switch to or from summer time. */
const nearSwitch = fc
  .record({
    year: fc.integer({ min: 1996, max: 2099 }),
    month: fc.constantFrom(3, 10),
    minutes: fc.integer({ min: -180, max: 180 }),
  })
  .map(({ year, month, minutes }) => {
    const last = new Date(Date.UTC(year, month, 0));
    return Date.UTC(year, month - 1, last.getUTCDate() - last.getUTCDay(), 1) + minutes * 60_000;
  });

describe('Swedish time', () => {
  it('gives the day Europe/Stockholm has at any instant from 1996 to 2099', () => {
    fc.assert(
      fc.property(instant, (ms) => swedishToday(new Date(ms)) === wallClockOf(ms).slice(0, 10)),
      { numRuns: 20_000 },
    );
  });

  it('gives the Swedish day in the hours around every switch to and from summer time', () => {
    fc.assert(
      fc.property(nearSwitch, (ms) => swedishDayOf(ms) === wallClockOf(ms).slice(0, 10)),
      { numRuns: 5_000 },
    );
  });

  it('is already tomorrow at 22:30 UTC in summer but not in winter, and at 23:30 UTC in both', () => {
    assert.equal(swedishToday(new Date('2026-07-14T22:30:00Z')), '2026-07-15');
    assert.equal(swedishToday(new Date('2026-07-14T23:30:00Z')), '2026-07-15');
    assert.equal(swedishToday(new Date('2026-07-14T21:59:59Z')), '2026-07-14');
    assert.equal(swedishToday(new Date('2026-01-14T22:30:00Z')), '2026-01-14');
    assert.equal(swedishToday(new Date('2026-01-14T23:30:00Z')), '2026-01-15');
    assert.equal(swedishToday(new Date('2026-01-14T22:59:59Z')), '2026-01-14');
  });

  it('reads a Swedish wall-clock time as the instant the time-zone database gives it', () => {
    fc.assert(
      fc.property(fc.oneof(instant, nearSwitch), (ms) => {
        const wall = wallClockOf(ms);
        const [y, mo, d, h, mi, s] = wall.split(/[- :]/).map(Number) as [
          number,
          number,
          number,
          number,
          number,
          number,
        ];
        return wallClockOf(swedishWallClockMs(y, mo, d, h, mi, s)) === wall;
      }),
      { numRuns: 10_000 },
    );
  });

  it('bounds a day by its first instant and the first instant of the next, 23 or 25 hours on switch days', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const day = swedishDayOf(ms);
        const { start, end } = swedishDayBounds(day);
        const [startMs, endMs] = [Date.parse(start), Date.parse(end)];
        return (
          startMs <= ms &&
          ms < endMs &&
          wallClockOf(startMs) === `${day} 00:00:00` &&
          swedishDayOf(startMs - 1) < day &&
          swedishDayOf(endMs - 1) === day &&
          swedishDayOf(endMs) > day
        );
      }),
      { numRuns: 5_000 },
    );
    const hours = (day: string): number => {
      const { start, end } = swedishDayBounds(day);
      return (Date.parse(end) - Date.parse(start)) / 3_600_000;
    };
    assert.deepEqual(['2026-03-28', '2026-03-29', '2026-10-25', '2026-12-31'].map(hours), [24, 23, 25, 24]);
    assert.deepEqual(swedishDayBounds('2026-07-15'), {
      start: '2026-07-14T22:00:00.000Z',
      end: '2026-07-15T22:00:00.000Z',
    });
  });

  it('refuses a day that is not on the calendar', () => {
    assert.throws(() => swedishDayBounds('2026-02-30'), RangeError);
    assert.throws(() => swedishDayBounds('15/07/2026'), RangeError);
    assert.throws(() => swedishToday(new Date(NaN)), RangeError);
  });

  it("reads an activity's when as its Swedish day, whether a day or an instant", () => {
    assert.equal(swedishDayOfDateOrInstant('2026-07-15'), '2026-07-15');
    assert.equal(swedishDayOfDateOrInstant('2026-07-14T22:30:00Z'), '2026-07-15');
    assert.equal(swedishDayOfDateOrInstant('inte ett datum'), 'inte ett datum');
  });
  it('gives the Swedish wall-clock time of day Europe/Stockholm has, around the switches too', () => {
    fc.assert(
      fc.property(
        fc.oneof(instant, nearSwitch),
        (ms) => swedishTimeOfDay(ms) === wallClockOf(ms).slice(11, 16),
      ),
      { numRuns: 5_000 },
    );
    assert.equal(swedishTimeOfDay('2026-07-14T22:30:00Z'), '00:30');
    assert.throws(() => swedishTimeOfDay('inte en tid'), RangeError);
  });
});
