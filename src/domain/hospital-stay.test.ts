import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admissionStep } from './hospital-stay.ts';

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
