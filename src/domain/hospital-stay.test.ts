import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admissionProblems, admissionStep, dischargeFollowUp, dischargeProblems } from './hospital-stay.ts';

describe('stays in hospital and enrolment', () => {
  it('pauses an active enrolment while the patient is in hospital', () => {
    assert.equal(admissionStep({ status: 'active', inHospital: true, pausedByAdmission: false }), 'pause');
    assert.equal(admissionStep({ status: 'active', inHospital: false, pausedByAdmission: false }), null);
  });

  it('resumes on discharge only the pause an admission made', () => {
    assert.equal(admissionStep({ status: 'paused', inHospital: false, pausedByAdmission: true }), 'resume');
    assert.equal(admissionStep({ status: 'paused', inHospital: false, pausedByAdmission: false }), null);
    assert.equal(admissionStep({ status: 'paused', inHospital: true, pausedByAdmission: true }), null);
  });

  it('leaves proposed and ended enrolments alone', () => {
    assert.equal(admissionStep({ status: 'proposed', inHospital: true, pausedByAdmission: false }), null);
    assert.equal(admissionStep({ status: 'ended', inHospital: false, pausedByAdmission: true }), null);
  });
});

describe('stays recorded by staff', () => {
  const now = new Date('2026-12-07T12:00:00Z');

  it('refuses an admission in the future (beyond clock skew) or beside an open stay', () => {
    assert.deepEqual(admissionProblems({ admittedAt: '2026-12-07T11:00:00Z' }, now, null), []);
    assert.deepEqual(admissionProblems({ admittedAt: '2026-12-07T12:04:00Z' }, now, null), []);
    assert.deepEqual(
      admissionProblems({ admittedAt: '2026-12-07T12:06:00Z' }, now, null).map((p) => p.path),
      ['/admittedAt'],
    );
    assert.match(
      admissionProblems({ admittedAt: '2026-12-07T11:00:00Z' }, now, {
        admittedAt: '2026-12-01T08:00:00Z',
      })[0]!.message,
      /redan inlagd/,
    );
  });

  it('refuses a discharge before the admission, in the future, or of a stay already discharged', () => {
    const open = { admittedAt: '2026-12-01T08:00:00Z', dischargedAt: null };
    assert.deepEqual(dischargeProblems(open, { dischargedAt: '2026-12-03T10:00:00Z' }, now), []);
    for (const dischargedAt of ['2026-11-30T08:00:00Z', '2026-12-08T08:00:00Z'])
      assert.equal(dischargeProblems(open, { dischargedAt }, now).length, 1, dischargedAt);
    assert.match(
      dischargeProblems(
        { ...open, dischargedAt: '2026-12-02T08:00:00Z' },
        { dischargedAt: '2026-12-03T10:00:00Z' },
        now,
      )[0]!.message,
      /redan en utskrivning/,
    );
  });

  it('names what the plan needs after the discharge: a plan, a fast vårdkontakt, a next contact after it', () => {
    const at = '2026-12-07T10:00:00Z';
    const fvk = { staffId: 'karin', name: 'Karin Lindberg' };
    const later = { at: '2026-12-09T09:00:00Z', mode: 'hembesok', unitId: 'vc' };
    assert.deepEqual(
      dischargeFollowUp({ contractId: 'c1', nextContact: later, fastVardkontakt: fvk }, at).todo,
      [],
    );
    assert.deepEqual(
      dischargeFollowUp(
        { contractId: 'c1', nextContact: { ...later, at: '2026-12-01T09:00:00Z' }, fastVardkontakt: fvk },
        at,
      ),
      {
        contractId: 'c1',
        nextContact: null,
        fastVardkontakt: fvk,
        todo: ['Boka nästa kontakt efter utskrivningen i planen.'],
      },
    );
    assert.deepEqual(
      dischargeFollowUp({ contractId: null, nextContact: null, fastVardkontakt: null }, at).todo,
      ['Patienten har ingen plan: upprätta en samordnad plan.', 'Utse en fast vårdkontakt.'],
    );
  });
});
