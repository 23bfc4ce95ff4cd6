import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { dayOf, isDayOff, isoOf, weekdayOf, workdayBefore, workdayFrom } from './calendar.ts';

describe('the demo calendar', () => {
  it('knows the Swedish holidays of 2026, Easter and midsommar included', () => {
    const off = [
      '2026-01-01',
      '2026-01-06',
      '2026-04-03', // långfredagen (Easter is 5 April)
      '2026-04-06', // annandag påsk
      '2026-05-01',
      '2026-05-14', // Kristi himmelfärdsdag
      '2026-06-19', // midsommarafton
      '2026-12-24',
      '2026-12-25',
      '2026-12-31',
    ];
    for (const iso of off) assert.equal(isDayOff(dayOf(iso)), true, iso);
    for (const iso of ['2026-04-02', '2026-04-07', '2026-06-18', '2026-06-22', '2026-12-23', '2026-12-30'])
      assert.equal(isDayOff(dayOf(iso)), false, iso);
    // Easter 2027 is 28 March; midsommarafton 2027 is 25 June.
    assert.equal(isDayOff(dayOf('2027-03-26')), true);
    assert.equal(isDayOff(dayOf('2027-06-25')), true);
  });

  it('moves a booking off weekends and holidays, forward or back', () => {
    assert.equal(isoOf(workdayFrom(dayOf('2026-12-24'))), '2026-12-28');
    assert.equal(isoOf(workdayBefore(dayOf('2026-12-26'))), '2026-12-23');
    assert.equal(isoOf(workdayFrom(dayOf('2026-04-03'))), '2026-04-07');
    fc.assert(
      fc.property(fc.integer({ min: dayOf('2000-01-01'), max: dayOf('2100-12-31') }), (day) => {
        const next = workdayFrom(day);
        const before = workdayBefore(day);
        assert.ok(next >= day && next - day <= 5 && !isDayOff(next) && weekdayOf(next) <= 5);
        assert.ok(before <= day && day - before <= 5 && !isDayOff(before));
        for (let d = day; d < next; d++) assert.equal(isDayOff(d), true);
      }),
    );
  });
});
