import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  assertDecision,
  assessmentOutcomeLabels,
  assessmentOutcomes,
  backupCutoff,
  backupDue,
  callsEmergencyFirst,
  closeOnDeath,
  contactsPhysician,
  decisionKindLabels,
  decisionKinds,
  escalationStatuses,
  escalationStatusLabels,
  isOpenEscalation,
  nextEscalationStatus,
  routeEscalation,
  routeViaLabels,
  type EscalationAction,
  type EscalationStatus,
  type RoutingFacts,
  type Route,
} from './escalation.ts';
import type { Reachability } from './team.ts';

/** Weekday office hours of a vårdcentral, 08–17 (Swedish time). */
const officeHours = (phone: string): Reachability => [
  { weekdays: [1, 2, 3, 4, 5], from: '08:00', to: '17:00', phone, label: 'Mottagningen' },
];
/** Moments in and out of those hours (December: CET). */
const moments = {
  'weekday 10:00': { now: new Date('2026-12-07T09:00:00Z'), inOfficeHours: true },
  'weekday 16:59': { now: new Date('2026-12-07T15:59:00Z'), inOfficeHours: true },
  'weekday 17:00': { now: new Date('2026-12-07T16:00:00Z'), inOfficeHours: false },
  'weekday 03:00': { now: new Date('2026-12-08T02:00:00Z'), inOfficeHours: false },
  'saturday 10:00': { now: new Date('2026-12-12T09:00:00Z'), inOfficeHours: false },
};

const text = fc.string({ minLength: 1, maxLength: 12 });
const person = fc.record({ staffId: text, name: text, phone: text });

/** Facts in which each source of an answer is present or not, drawn with their own names and numbers. */
const factsArb = (now: Date) =>
  fc
    .record({
      hasTeam: fc.boolean(),
      teamOnCall: fc.boolean(),
      teamBackup: fc.boolean(),
      hasFlk: fc.boolean(),
      hasListed: fc.boolean(),
      team: fc.record({ teamId: text, name: text }),
      onCall: person,
      backup: person,
      flk: fc.record({
        staffId: text,
        name: text,
        phone: text,
        unitId: text,
        unitName: text,
        hoursPhone: text,
      }),
      listed: fc.record({ unitId: text, name: text, phone: text, hoursPhone: text }),
      regional: fc.record({ phone: text, label: text }),
    })
    .map((d) => {
      const facts: RoutingFacts = {
        now,
        regionalOnCall: d.regional,
        ...(d.hasTeam
          ? {
              team: {
                ...d.team,
                ...(d.teamOnCall ? { onCall: d.onCall } : {}),
                ...(d.teamBackup ? { backup: d.backup } : {}),
              },
            }
          : {}),
        ...(d.hasFlk
          ? {
              fastLakarkontakt: {
                staffId: d.flk.staffId,
                name: d.flk.name,
                phone: d.flk.phone,
                unitId: d.flk.unitId,
                unitName: d.flk.unitName,
                hours: officeHours(d.flk.hoursPhone),
              },
            }
          : {}),
        ...(d.hasListed
          ? {
              listedUnit: {
                unitId: d.listed.unitId,
                name: d.listed.name,
                phone: d.listed.phone,
                hours: officeHours(d.listed.hoursPhone),
              },
            }
          : {}),
      };
      return { d, facts };
    });

describe('routing an escalation', () => {
  for (const [moment, { now, inOfficeHours }] of Object.entries(moments))
    it(`sends it to the first who answers, ${moment} (${inOfficeHours ? 'in' : 'out of'} office hours)`, () => {
      fc.assert(
        fc.property(factsArb(now), ({ d, facts }) => {
          // The order: the team's physician on call, else its backup, the fast läkarkontakt's
          // vårdcentral in its hours, the listed vårdcentral in its hours, the region's on-call number.
          const expected: Route =
            d.hasTeam && d.teamOnCall
              ? {
                  via: 'team-on-call',
                  staffId: d.onCall.staffId,
                  teamId: d.team.teamId,
                  name: d.onCall.name,
                  phone: d.onCall.phone,
                }
              : d.hasTeam && d.teamBackup
                ? {
                    via: 'team-backup',
                    staffId: d.backup.staffId,
                    teamId: d.team.teamId,
                    name: d.backup.name,
                    phone: d.backup.phone,
                  }
                : d.hasFlk && inOfficeHours
                  ? {
                      via: 'fast-lakarkontakt',
                      staffId: d.flk.staffId,
                      unitId: d.flk.unitId,
                      name: `${d.flk.name}, ${d.flk.unitName}`,
                      phone: d.flk.hoursPhone,
                    }
                  : d.hasListed && inOfficeHours
                    ? {
                        via: 'listed-vardcentral',
                        unitId: d.listed.unitId,
                        name: d.listed.name,
                        phone: d.listed.hoursPhone,
                      }
                    : { via: 'regional-on-call', name: d.regional.label, phone: d.regional.phone };
          assert.deepEqual(routeEscalation(facts), expected);
        }),
      );
    });

  it("goes to the team's physician on call whatever the hour", () => {
    for (const { now } of Object.values(moments)) {
      const route = routeEscalation({
        now,
        team: {
          teamId: 't1',
          name: 'Hemsjukvårdsteam Norr',
          onCall: { staffId: 'ek', name: 'Johan Ek', phone: '070-111 11 11' },
        },
        listedUnit: { unitId: 'vc', name: 'Vårdcentralen Norr', phone: '010-1', hours: officeHours('010-1') },
        regionalOnCall: { phone: '010-999', label: 'Jourläkare' },
      });
      assert.deepEqual([route.via, route.staffId, route.phone], ['team-on-call', 'ek', '070-111 11 11']);
    }
  });

  it("goes to the team's backup when the roster has no physician on call now, in and out of hours", () => {
    for (const { now } of Object.values(moments)) {
      const route = routeEscalation({
        now,
        team: { teamId: 't1', name: 'Team', backup: { staffId: 'holm', name: 'Sara Holm', phone: '070-2' } },
        listedUnit: {
          unitId: 'vc',
          name: 'Vårdcentralen Norr',
          phone: '010-1',
          hours: officeHours('010-100'),
        },
        regionalOnCall: { phone: '010-999', label: 'Jourläkare' },
      });
      assert.deepEqual(
        [route.via, route.staffId, route.teamId, route.phone],
        ['team-backup', 'holm', 't1', '070-2'],
      );
    }
  });

  it('passes over a team with neither physician on call nor backup to the vårdcentral in its hours', () => {
    const route = routeEscalation({
      now: moments['weekday 10:00'].now,
      team: { teamId: 't1', name: 'Team' },
      listedUnit: { unitId: 'vc', name: 'Vårdcentralen Norr', phone: '010-1', hours: officeHours('010-100') },
      regionalOnCall: { phone: '010-999', label: 'Jourläkare' },
    });
    assert.deepEqual([route.via, route.unitId, route.phone], ['listed-vardcentral', 'vc', '010-100']);
  });

  it("reads each vårdcentral's own hours: the listed one can answer when the fast läkarkontakt's has closed", () => {
    const facts: RoutingFacts = {
      now: new Date('2026-12-07T17:00:00Z'), // Monday 18:00
      fastLakarkontakt: {
        staffId: 'ek',
        name: 'Johan Ek',
        phone: '010-1',
        unitId: 'vc-a',
        unitName: 'Vårdcentralen A',
        hours: officeHours('010-1'),
      },
      listedUnit: {
        unitId: 'vc-b',
        name: 'Vårdcentralen B',
        phone: '010-2',
        hours: [
          { weekdays: [1, 2, 3, 4, 5], from: '08:00', to: '20:00', phone: '010-2', label: 'Kvällsöppet' },
        ],
      },
      regionalOnCall: { phone: '010-999', label: 'Jourläkare' },
    };
    assert.equal(routeEscalation(facts).via, 'listed-vardcentral');
    assert.equal(
      routeEscalation({ ...facts, now: new Date('2026-12-07T19:00:00Z') }).via,
      'regional-on-call',
    );
  });
});

describe('the backup timer', () => {
  const sentAt = '2026-12-07T09:00:00.000Z';
  const at = (minutes: number, seconds = 0) =>
    new Date(Date.parse(sentAt) + minutes * 60_000 + seconds * 1000);

  it('is due when nobody has acknowledged within 10 minutes, not a second before', () => {
    assert.equal(backupDue({ status: 'sent', sentAt }, at(9, 59)), false);
    assert.equal(backupDue({ status: 'sent', sentAt }, at(10)), true);
    assert.equal(backupDue({ status: 'sent', sentAt }, at(60)), true);
  });

  it('is due exactly for the escalations sent by the cutoff, which the store selects by', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 120 * 60 }),
        fc.integer({ min: 1, max: 60 }),
        (seconds, minutes) => {
          const now = at(0, seconds);
          const selected = Date.parse(sentAt) <= backupCutoff(now, minutes).getTime();
          assert.equal(backupDue({ status: 'sent', sentAt }, now, minutes), selected);
        },
      ),
    );
  });

  it('takes the configured time', () => {
    assert.equal(backupDue({ status: 'sent', sentAt }, at(2, 59), 3), false);
    assert.equal(backupDue({ status: 'sent', sentAt }, at(3), 3), true);
  });

  it('is never due once acknowledged, answered, closed or already moved to the backup', () => {
    for (const status of ['acknowledged', 'answered', 'closed'] as const)
      assert.equal(backupDue({ status, sentAt }, at(30)), false);
    assert.equal(
      backupDue({ status: 'sent', sentAt, escalatedToBackupAt: at(10).toISOString() }, at(30)),
      false,
    );
    assert.equal(backupDue({ status: 'sent', sentAt, escalatedToBackupAt: null }, at(30)), true);
  });
});

describe('escalation status', () => {
  const decide: EscalationAction = {
    kind: 'decide',
    decision: { kind: 'plan-change', text: 'Öka furosemid' },
  };
  const table: [EscalationStatus, EscalationAction, EscalationStatus | 'refused'][] = [
    ['sent', { kind: 'acknowledge' }, 'acknowledged'],
    ['sent', decide, 'answered'],
    ['sent', { kind: 'close' }, 'closed'],
    ['acknowledged', { kind: 'acknowledge' }, 'refused'],
    ['acknowledged', decide, 'answered'],
    ['acknowledged', { kind: 'close' }, 'closed'],
    ['answered', { kind: 'acknowledge' }, 'refused'],
    ['answered', decide, 'refused'],
    ['answered', { kind: 'close' }, 'closed'],
    ['closed', { kind: 'acknowledge' }, 'refused'],
    ['closed', decide, 'refused'],
    ['closed', { kind: 'close' }, 'refused'],
  ];
  for (const [from, action, to] of table)
    it(`${action.kind} on ${from}: ${to}`, () => {
      if (to === 'refused')
        assert.throws(() => nextEscalationStatus(from, action), { code: 'escalation_transition' });
      else assert.equal(nextEscalationStatus(from, action), to);
    });

  it('calls sent and acknowledged open', () => {
    assert.deepEqual(
      escalationStatuses.filter((s) => isOpenEscalation({ status: s })),
      ['sent', 'acknowledged'],
    );
  });

  it('needs a time for a home visit and a reassessment, and words for a plan change', () => {
    assert.throws(() => assertDecision({ kind: 'home-visit', text: '' }), {
      code: 'escalation_decision_invalid',
    });
    assert.throws(() => assertDecision({ kind: 'reassess', at: 'i eftermiddag', text: '' }), {
      code: 'escalation_decision_invalid',
    });
    assert.throws(() => assertDecision({ kind: 'plan-change', text: ' ' }), {
      code: 'escalation_decision_invalid',
    });
    assert.doesNotThrow(() =>
      assertDecision({ kind: 'home-visit', at: '2026-12-07T13:00:00Z', text: 'Hembesök idag 14:00' }),
    );
    assert.doesNotThrow(() => assertDecision({ kind: 'ambulance', text: '' }));
    assert.throws(
      () =>
        nextEscalationStatus('acknowledged', { kind: 'decide', decision: { kind: 'home-visit', text: '' } }),
      { code: 'escalation_decision_invalid' },
    );
  });
});

describe('outcomes', () => {
  it('contacts a physician for contact, emergency department and ambulance; 112 first only for ambulance', () => {
    assert.deepEqual(assessmentOutcomes.filter(contactsPhysician), [
      'contact-physician',
      'emergency-department',
      'ambulance',
    ]);
    assert.deepEqual(assessmentOutcomes.filter(callsEmergencyFirst), ['ambulance']);
  });

  it('has a Swedish label for every code', () => {
    for (const [codes, labels] of [
      [assessmentOutcomes, assessmentOutcomeLabels],
      [decisionKinds, decisionKindLabels],
      [escalationStatuses, escalationStatusLabels],
      [
        ['team-on-call', 'team-backup', 'fast-lakarkontakt', 'listed-vardcentral', 'regional-on-call'],
        routeViaLabels,
      ],
    ] as [readonly string[], Record<string, string>][])
      for (const code of codes) assert.ok(labels[code]?.trim(), code);
  });
});

describe("the patient's death", () => {
  it('closes every open escalation and leaves the answered ones as they were', () => {
    const list = escalationStatuses.map((status, i) => ({ id: `e${i}`, status }));
    const toClose = closeOnDeath(list);
    assert.deepEqual(
      toClose.map((e) => e.status),
      ['sent', 'acknowledged'],
    );
    for (const e of toClose) assert.equal(nextEscalationStatus(e.status, { kind: 'close' }), 'closed');
  });
});
