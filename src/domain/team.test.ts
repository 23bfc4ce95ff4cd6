import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  minutesOf,
  onCallAt,
  reachabilityProblems,
  rosterProblems,
  swedishWallClock,
  whoAnswersNow,
  type ReachabilityRow,
  type RosterEntry,
} from './team.ts';

const row = (weekdays: number[], from: string, to: string, label: string): ReachabilityRow => ({
  weekdays,
  from,
  to,
  phone: `010-${label.length}00 00 00`,
  label,
});

// A team's week: the team's nurse in office hours, the night nurse every night, a weekend day line.
const week: ReachabilityRow[] = [
  row([1, 2, 3, 4, 5], '08:00', '17:00', 'dag'),
  row([1, 2, 3, 4, 5, 6, 7], '17:00', '08:00', 'natt'),
  row([6, 7], '08:00', '17:00', 'helgdag'),
];
const answers = (rows: ReachabilityRow[], iso: string) => whoAnswersNow(rows, new Date(iso))?.label ?? null;

describe('the Swedish wall clock', () => {
  it('reads weekday and minute in winter and in summer time', () => {
    // Monday 7 December 2026, 10:00 CET.
    assert.deepEqual(
      { ...swedishWallClock(new Date('2026-12-07T09:00:00Z')), day: 0 },
      { weekday: 1, minute: 600, day: 0 },
    );
    // Wednesday 1 July 2026, 08:00 CEST.
    assert.equal(swedishWallClock(new Date('2026-07-01T06:00:00Z')).weekday, 3);
    assert.equal(swedishWallClock(new Date('2026-07-01T06:00:00Z')).minute, 480);
    // Sunday 00:30 CET is still Saturday in UTC.
    assert.deepEqual(
      { ...swedishWallClock(new Date('2026-12-05T23:30:00Z')), day: 0 },
      { weekday: 7, minute: 30, day: 0 },
    );
  });

  it('agrees with the runtime time-zone database at any instant', () => {
    const names = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
    const intl = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Stockholm',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2037, 11, 31) }), (ms) => {
        const parts = Object.fromEntries(intl.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
        const clock = swedishWallClock(new Date(ms));
        assert.equal(clock.weekday, names.indexOf(parts.weekday!) + 1);
        assert.equal(clock.minute, Number(parts.hour) * 60 + Number(parts.minute));
      }),
    );
  });
});

describe('who answers now', () => {
  it('answers in office hours with the day line, up to but not at its end', () => {
    assert.equal(answers(week, '2026-12-07T07:00:00Z'), 'dag'); // Monday 08:00
    assert.equal(answers(week, '2026-12-07T15:59:00Z'), 'dag'); // Monday 16:59
    assert.equal(answers(week, '2026-12-07T16:00:00Z'), 'natt'); // Monday 17:00
  });

  it('keeps a row that crosses midnight through the next morning', () => {
    assert.equal(answers(week, '2026-12-08T02:00:00Z'), 'natt'); // Tuesday 03:00, Monday's night
    assert.equal(answers(week, '2026-12-07T06:59:00Z'), 'natt'); // Monday 07:59, Sunday's night
    assert.equal(answers(week, '2026-12-12T11:00:00Z'), 'helgdag'); // Saturday 12:00
  });

  it('starts a night row on its own weekdays only', () => {
    const fridayNight = [row([5], '22:00', '06:00', 'fredagsnatt')];
    assert.equal(answers(fridayNight, '2026-12-11T20:59:00Z'), null); // Friday 21:59
    assert.equal(answers(fridayNight, '2026-12-11T21:00:00Z'), 'fredagsnatt'); // Friday 22:00
    assert.equal(answers(fridayNight, '2026-12-12T04:59:00Z'), 'fredagsnatt'); // Saturday 05:59
    assert.equal(answers(fridayNight, '2026-12-12T05:00:00Z'), null); // Saturday 06:00
    assert.equal(answers(fridayNight, '2026-12-13T00:00:00Z'), null); // Sunday 01:00
    assert.equal(answers(fridayNight, '2026-12-10T00:00:00Z'), null); // Thursday 01:00
  });

  it('crosses from Sunday night into Monday morning', () => {
    const sundayNight = [row([7], '22:00', '06:00', 'söndagsnatt')];
    assert.equal(answers(sundayNight, '2026-12-07T02:00:00Z'), 'söndagsnatt'); // Monday 03:00
    assert.equal(answers(sundayNight, '2026-12-08T02:00:00Z'), null); // Tuesday 03:00
  });

  it('reads equal from and to as round the clock, and 24:00 as the end of the day', () => {
    const always = [row([1, 2, 3, 4, 5, 6, 7], '00:00', '00:00', 'dygnet runt')];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), (ms) =>
        assert.equal(whoAnswersNow(always, new Date(ms))?.label, 'dygnet runt'),
      ),
    );
    const evening = [row([1], '18:00', '24:00', 'kväll')];
    assert.equal(answers(evening, '2026-12-07T22:59:00Z'), 'kväll'); // Monday 23:59
    assert.equal(answers(evening, '2026-12-07T23:00:00Z'), null); // Tuesday 00:00
  });

  it('takes the first row that covers the moment', () => {
    const rows = [row([1], '10:00', '11:00', 'möte'), row([1], '08:00', '17:00', 'dag')];
    assert.equal(answers(rows, '2026-12-07T09:30:00Z'), 'möte'); // Monday 10:30
    assert.equal(answers(rows, '2026-12-07T10:00:00Z'), 'dag'); // Monday 11:00
  });

  it('follows the wall clock on the night clocks go forward', () => {
    // Saturday 28 → Sunday 29 March 2026: 02:00 CET becomes 03:00 CEST.
    const night = [row([6], '22:00', '07:00', 'natt')];
    assert.equal(answers(night, '2026-03-28T21:00:00Z'), 'natt'); // Saturday 22:00 CET
    assert.equal(answers(night, '2026-03-29T00:59:00Z'), 'natt'); // Sunday 01:59 CET
    assert.equal(answers(night, '2026-03-29T01:00:00Z'), 'natt'); // Sunday 03:00 CEST
    assert.equal(answers(night, '2026-03-29T04:59:00Z'), 'natt'); // Sunday 06:59 CEST
    assert.equal(answers(night, '2026-03-29T05:00:00Z'), null); // Sunday 07:00 CEST
  });

  it('follows the wall clock on the night clocks go back', () => {
    // Saturday 24 → Sunday 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:30 happens twice.
    const night = [row([6], '22:00', '07:00', 'natt')];
    assert.equal(answers(night, '2026-10-24T19:59:00Z'), null); // Saturday 21:59 CEST
    assert.equal(answers(night, '2026-10-24T20:00:00Z'), 'natt'); // Saturday 22:00 CEST
    assert.equal(answers(night, '2026-10-25T00:30:00Z'), 'natt'); // 02:30 CEST
    assert.equal(answers(night, '2026-10-25T01:30:00Z'), 'natt'); // 02:30 CET
    assert.equal(answers(night, '2026-10-25T05:59:00Z'), 'natt'); // 06:59 CET
    assert.equal(answers(night, '2026-10-25T06:00:00Z'), null); // 07:00 CET
  });

  it('answers nobody from an empty table', () => {
    assert.equal(whoAnswersNow([], new Date('2026-12-07T09:00:00Z')), null);
  });
});

describe('the roster', () => {
  const shift = (staffId: string, starts: string, ends: string, backup = false): RosterEntry => ({
    staffId,
    starts,
    ends,
    backup,
  });
  const roster = [
    shift('ek', '2026-12-07T07:00:00Z', '2026-12-07T16:00:00Z'),
    shift('holm', '2026-12-07T16:00:00Z', '2026-12-08T07:00:00Z'),
    shift('hassan', '2026-12-07T07:00:00Z', '2026-12-08T07:00:00Z', true),
  ];

  it('finds the physician on call and the backup at a moment', () => {
    const at = onCallAt(roster, new Date('2026-12-07T10:00:00Z'));
    assert.equal(at.primary?.staffId, 'ek');
    assert.equal(at.backup?.staffId, 'hassan');
  });

  it('hands over at the shift boundary: the end is not part of the shift', () => {
    assert.equal(onCallAt(roster, new Date('2026-12-07T15:59:59Z')).primary?.staffId, 'ek');
    assert.equal(onCallAt(roster, new Date('2026-12-07T16:00:00Z')).primary?.staffId, 'holm');
  });

  it('lets a swap entered on top of the plan win: the shift that started last', () => {
    const swapped = [...roster, shift('lindberg', '2026-12-07T12:00:00Z', '2026-12-07T14:00:00Z')];
    assert.equal(onCallAt(swapped, new Date('2026-12-07T13:00:00Z')).primary?.staffId, 'lindberg');
    assert.equal(onCallAt(swapped, new Date('2026-12-07T14:00:00Z')).primary?.staffId, 'ek');
  });

  it('has nobody outside every shift', () => {
    assert.deepEqual(onCallAt(roster, new Date('2026-12-08T07:00:00Z')), {});
    assert.deepEqual(onCallAt([], new Date('2026-12-08T07:00:00Z')), {});
  });
});

describe('checking a team schedule', () => {
  it('accepts a valid week', () => {
    assert.deepEqual(reachabilityProblems(week), []);
  });

  it('names what is wrong in each row', () => {
    const problems = reachabilityProblems([
      { weekdays: [0, 8], from: '8:00', to: '25:00', phone: 'ring', label: '' },
      { weekdays: [1], from: '24:00', to: '08:00', phone: '+46 10 123 45 67', label: 'natt' },
      null,
    ]);
    assert.deepEqual(
      problems.map((p) => p.path),
      [
        '/reachability/0/weekdays',
        '/reachability/0/from',
        '/reachability/0/to',
        '/reachability/0/phone',
        '/reachability/0/label',
        '/reachability/1/from',
        '/reachability/2',
      ],
    );
    assert.ok(problems.every((p) => p.message.length > 0));
    assert.deepEqual(reachabilityProblems('alltid'), [
      { path: '/reachability', message: 'Tiderna ska vara en lista.' },
    ]);
  });

  it('reads times strictly', () => {
    assert.deepEqual(['00:00', '08:30', '23:59', '24:00'].map(minutesOf), [0, 510, 1439, 1440]);
    assert.deepEqual(['24:01', '8:00', '12:60', 'kl 8'].map(minutesOf), [null, null, null, null]);
  });

  it('accepts a valid roster and names what is wrong in a broken one', () => {
    assert.deepEqual(
      rosterProblems([
        { staffId: 'ek', starts: '2026-12-07T07:00:00Z', ends: '2026-12-07T16:00:00Z', backup: false },
      ]),
      [],
    );
    assert.deepEqual(
      rosterProblems([
        { staffId: '', starts: 'i morgon', ends: '2026-12-07T16:00:00Z', backup: 'nej' },
        { staffId: 'ek', starts: '2026-12-07T16:00:00Z', ends: '2026-12-07T07:00:00Z', backup: true },
      ]).map((p) => p.path),
      ['/roster/0/staffId', '/roster/0/starts', '/roster/0/backup', '/roster/1/ends'],
    );
  });
});
