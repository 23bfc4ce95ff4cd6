import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  assertMayConfirm,
  assertMayPropose,
  DEFAULT_ENROLMENT_CRITERIA,
  endReasonLabels,
  endReasons,
  enrolmentEventKinds,
  enrolmentEventLabels,
  enrolmentProposalProblems,
  enrolmentStatuses,
  enrolmentStatusLabels,
  eventOf,
  isOpenEnrolment,
  nextEnrolmentStatus,
  targetGroupLabels,
  targetGroups,
  type EnrolmentAction,
  type EnrolmentDecider,
  type EnrolmentStatus,
} from './enrolment.ts';

const physician: EnrolmentDecider = {
  staffId: 'SE2321000000-P0002',
  profession: 'lakare',
  isTeamMember: true,
};
const nurse: EnrolmentDecider = {
  staffId: 'SE2120000000-P1001',
  profession: 'sjukskoterska',
  isTeamMember: true,
};

describe('who decides an enrolment', () => {
  it('lets a nurse confirm what a physician proposed, and the other way round', () => {
    assert.doesNotThrow(() => assertMayConfirm(physician, nurse));
    assert.doesNotThrow(() => assertMayConfirm(nurse, physician));
    assert.doesNotThrow(() => assertMayConfirm({ ...nurse, profession: 'distriktsskoterska' }, physician));
  });

  it('refuses one person confirming their own proposal', () => {
    assert.throws(() => assertMayConfirm(physician, { ...physician }), { code: 'enrolment_same_person' });
  });

  it('refuses two physicians or two nurses', () => {
    assert.throws(() => assertMayConfirm(physician, { ...physician, staffId: 'other' }), {
      code: 'enrolment_professions',
    });
    assert.throws(() => assertMayConfirm(nurse, { ...nurse, staffId: 'other' }), {
      code: 'enrolment_professions',
    });
  });

  it('refuses someone outside the team', () => {
    assert.throws(() => assertMayConfirm(physician, { ...nurse, isTeamMember: false }), {
      code: 'enrolment_not_team_member',
    });
    assert.throws(() => assertMayPropose({ ...nurse, isTeamMember: false }), {
      code: 'enrolment_not_team_member',
    });
  });

  it('lets only a physician or a nurse propose', () => {
    assert.doesNotThrow(() => assertMayPropose(physician));
    assert.doesNotThrow(() => assertMayPropose(nurse));
    assert.throws(() => assertMayPropose({ ...nurse, profession: 'arbetsterapeut' }), {
      code: 'enrolment_professions',
    });
  });

  it('allows exactly two different team members, one physician and one nurse', () => {
    const decider = fc.record({
      staffId: fc.constantFrom('a', 'b', 'c'),
      profession: fc.constantFrom('lakare', 'sjukskoterska', 'distriktsskoterska', 'fysioterapeut'),
      isTeamMember: fc.boolean(),
    });
    const kind = (p: string) => (p === 'lakare' ? 'physician' : p.endsWith('skoterska') ? 'nurse' : 'other');
    fc.assert(
      fc.property(decider, decider, (a, b) => {
        const allowed =
          a.staffId !== b.staffId &&
          a.isTeamMember &&
          b.isTeamMember &&
          new Set([kind(a.profession), kind(b.profession)]).size === 2 &&
          kind(a.profession) !== 'other' &&
          kind(b.profession) !== 'other';
        let ok = true;
        try {
          assertMayConfirm(a, b);
        } catch {
          ok = false;
        }
        assert.equal(ok, allowed);
      }),
    );
  });
});

describe('enrolment status', () => {
  const end: EnrolmentAction = { kind: 'end', reason: 'stable' };
  const table: [EnrolmentStatus, EnrolmentAction, EnrolmentStatus | 'refused'][] = [
    ['proposed', { kind: 'confirm' }, 'active'],
    ['proposed', { kind: 'pause' }, 'refused'],
    ['proposed', { kind: 'resume' }, 'refused'],
    ['proposed', end, 'ended'],
    ['active', { kind: 'confirm' }, 'refused'],
    ['active', { kind: 'pause' }, 'paused'],
    ['active', { kind: 'resume' }, 'refused'],
    ['active', end, 'ended'],
    ['paused', { kind: 'confirm' }, 'refused'],
    ['paused', { kind: 'pause' }, 'refused'],
    ['paused', { kind: 'resume' }, 'active'],
    ['paused', { kind: 'end', reason: 'died' }, 'ended'],
    ['ended', { kind: 'confirm' }, 'refused'],
    ['ended', { kind: 'pause' }, 'refused'],
    ['ended', { kind: 'resume' }, 'refused'],
    ['ended', end, 'refused'],
  ];
  for (const [from, action, to] of table)
    it(`${action.kind} on ${from}: ${to}`, () => {
      if (to === 'refused')
        assert.throws(() => nextEnrolmentStatus(from, action), { code: 'enrolment_transition' });
      else assert.equal(nextEnrolmentStatus(from, action), to);
    });

  it('writes one history event per action', () => {
    assert.deepEqual(
      (['confirm', 'pause', 'resume'] as const).map((kind) => eventOf({ kind })).concat(eventOf(end)),
      ['confirmed', 'paused', 'resumed', 'ended'],
    );
  });

  it('holds while proposed, active or paused', () => {
    assert.deepEqual(
      enrolmentStatuses.filter((status) => isOpenEnrolment({ status })),
      ['proposed', 'active', 'paused'],
    );
  });
});

describe('an enrolment proposal', () => {
  const valid = {
    targetGroup: 'tidvis-sviktande',
    criteria: ['samtidiga-insatser', 'upprepade-akutbesok'],
    start: '2026-12-07',
    reviewDate: '2027-03-07',
  };

  it('accepts a target group, criteria from the checklist and dates in order; criteria only support', () => {
    assert.deepEqual(enrolmentProposalProblems(valid), []);
    assert.deepEqual(enrolmentProposalProblems({ ...valid, criteria: [] }), []);
    assert.deepEqual(enrolmentProposalProblems({ ...valid, reviewDate: valid.start }), []);
  });

  it('names each wrong field in Swedish', () => {
    const problems = enrolmentProposalProblems({
      targetGroup: 'skör',
      criteria: ['okänt'],
      start: '2026-02-30',
      reviewDate: 'snart',
    });
    assert.deepEqual(
      problems.map((p) => p.path),
      ['/targetGroup', '/criteria', '/start', '/reviewDate'],
    );
    assert.match(problems[0]!.message, /mest sjuka eller tidvis sviktande/);
    assert.deepEqual(enrolmentProposalProblems({ ...valid, reviewDate: '2026-12-06' }), [
      { path: '/reviewDate', message: 'Uppföljningen kan inte vara före startdatum.' },
    ]);
  });

  it("checks criteria against the region's own checklist version", () => {
    const own = {
      id: 'egen',
      version: 2,
      name: 'Egen',
      criteria: [{ code: 'egen-1', text: 'Eget kriterium' }],
    };
    assert.deepEqual(enrolmentProposalProblems({ ...valid, criteria: ['egen-1'] }, own), []);
    assert.equal(enrolmentProposalProblems(valid, own).length, 1);
  });

  it('has unique criterion codes in the built-in checklist', () => {
    const codes = DEFAULT_ENROLMENT_CRITERIA.criteria.map((c) => c.code);
    assert.equal(new Set(codes).size, codes.length);
  });

  it('has a Swedish label for every code', () => {
    for (const [codes, labels] of [
      [targetGroups, targetGroupLabels],
      [enrolmentStatuses, enrolmentStatusLabels],
      [endReasons, endReasonLabels],
      [enrolmentEventKinds, enrolmentEventLabels],
    ] as [readonly string[], Record<string, string>][])
      for (const code of codes) assert.ok(labels[code]?.trim(), code);
  });
});
