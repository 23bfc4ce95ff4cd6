import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyContractContent, type ContractContent } from './contract.ts';
import { DomainError } from './errors.ts';
import {
  keepPatientParts,
  proposeGoal,
  proposeWhatMatters,
  recordSelfAssessment,
  respondToNextContact,
  shorten,
  tickResponsibility,
} from './patient-action.ts';

const NOW = '2026-05-04T08:00:00.000Z';
const AT = '2026-06-01T09:00:00.000Z';

function plan(overrides: Partial<ContractContent> = {}): ContractContent {
  return {
    ...emptyContractContent(),
    whatMatters: 'Promenera',
    goals: [{ id: 'g1', text: 'Gå 2 km', ambition: 'forbattra', status: 'pagaende' }],
    patientResponsibilities: [{ id: 'r1', text: 'Väga mig' }],
    nextContact: { at: AT, unitId: 'U1', mode: 'besok', agreement: 'erbjuden' },
    ...overrides,
  };
}

const isCode = (code: string) => (error: unknown) => error instanceof DomainError && error.code === code;

describe('the patient acting in their own plan', () => {
  it('ticks a responsibility with the time, and changes nothing when it is already ticked', () => {
    const ticked = tickResponsibility(plan(), 'r1', true, NOW)!;
    assert.deepEqual(ticked.content.patientResponsibilities, [
      { id: 'r1', text: 'Väga mig', isDone: true, doneAt: NOW },
    ]);
    assert.equal(tickResponsibility(ticked.content, 'r1', true, NOW), null);
    assert.deepEqual(tickResponsibility(ticked.content, 'r1', false, NOW)!.content.patientResponsibilities, [
      { id: 'r1', text: 'Väga mig' },
    ]);
  });

  it('refuses a responsibility that is not in the plan', () => {
    assert.throws(() => tickResponsibility(plan(), 'x', true, NOW), isCode('not_found'));
  });

  it('makes an offered time agreed when the patient confirms it', () => {
    const next = respondToNextContact(plan(), { response: 'confirmed', at: AT }, NOW)!.content.nextContact!;
    assert.equal(next.agreement, 'overenskommen');
    assert.deepEqual(next.patientResponse, { response: 'confirmed', respondedAt: NOW });
  });

  it('flags a request for another time as a patient request, with the message in the summary', () => {
    const change = respondToNextContact(
      plan(),
      { response: 'wants-other', at: '2026-06-01T11:00:00+02:00', message: '  Efter 14  ' },
      NOW,
    )!;
    assert.equal(change.kind, 'patient-request');
    assert.equal(change.content.nextContact!.patientRequestedChange, true);
    assert.equal(change.content.nextContact!.agreement, 'erbjuden');
    assert.equal(change.content.nextContact!.patientResponse!.message, 'Efter 14');
    assert.match(change.summary, /annan tid.*: ”Efter 14”/);
  });

  it('refuses an answer to a time that is no longer the next contact', () => {
    assert.throws(
      () => respondToNextContact(plan(), { response: 'confirmed', at: '2026-06-02T09:00:00.000Z' }, NOW),
      isCode('next_contact_changed'),
    );
  });

  it("keeps the patient's words apart from staff's, and withdraws them with an empty text", () => {
    const written = proposeWhatMatters(plan(), ' Barnbarnen ', NOW)!.content;
    assert.equal(written.whatMatters, 'Promenera');
    assert.deepEqual(written.whatMattersPatientWords, { text: 'Barnbarnen', writtenAt: NOW });
    assert.equal(proposeWhatMatters(written, 'Barnbarnen', NOW), null);
    assert.equal('whatMattersPatientWords' in proposeWhatMatters(written, '', NOW)!.content, false);
  });

  it('adds a proposed goal marked as the patient’s', () => {
    const goals = proposeGoal(plan(), { text: 'Sova', ambition: 'lindra' }, 'p-1').content.goals;
    assert.deepEqual(goals.at(-1), {
      id: 'p-1',
      text: 'Sova',
      ambition: 'lindra',
      status: 'pagaende',
      proposedByPatient: true,
    });
  });

  it('records a self-assessment only for a set meant for patients and its own questions', () => {
    const set = { id: 'skr', version: 1, audience: 'patient', questionIds: ['p1', 'p2'] };
    const done = recordSelfAssessment(plan(), set, [{ questionId: 'p1', answer: 'ja' }], NOW).content;
    assert.deepEqual(done.selfAssessment, {
      questionSetId: 'skr',
      questionSetVersion: 1,
      answeredAt: NOW,
      items: [{ questionId: 'p1', answer: 'ja' }],
    });
    assert.equal(done.answers, null);
    assert.throws(
      () =>
        recordSelfAssessment(
          plan(),
          { ...set, audience: 'personal' },
          [{ questionId: 'p1', answer: 'ja' }],
          NOW,
        ),
      isCode('invalid_input'),
    );
    assert.throws(
      () => recordSelfAssessment(plan(), set, [{ questionId: 'q9', answer: 'ja' }], NOW),
      isCode('invalid_input'),
    );
  });

  it('shortens free text for a one-line summary', () => {
    assert.equal(shorten('a\n b'), 'a b');
    assert.equal(shorten('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
  });
});

describe("a staff save keeps the patient's parts", () => {
  const patientMade = (): ContractContent => {
    let c = proposeWhatMatters(plan(), 'Barnbarnen', NOW)!.content;
    c = proposeGoal(c, { text: 'Sova', ambition: 'lindra' }, 'p-1').content;
    c = respondToNextContact(c, { response: 'wants-other', at: AT }, NOW)!.content;
    return recordSelfAssessment(
      c,
      { id: 'skr', version: 1, audience: 'patient', questionIds: ['p1'] },
      [{ questionId: 'p1', answer: 'nej' }],
      NOW,
    ).content;
  };

  it('carries over what an older client leaves out', () => {
    const current = patientMade();
    const { whatMattersPatientWords: _w, selfAssessment: _s, ...older } = current;
    const { patientResponse: _r, ...nextContact } = current.nextContact!;
    const kept = keepPatientParts(current, { ...older, nextContact });
    assert.deepEqual(kept.whatMattersPatientWords, current.whatMattersPatientWords);
    assert.deepEqual(kept.selfAssessment, current.selfAssessment);
    assert.deepEqual(kept.nextContact!.patientResponse, current.nextContact!.patientResponse);
    assert.equal(kept.nextContact!.patientRequestedChange, true);
    // The request flag is staff's to clear: leaving it out clears it.
    const { patientRequestedChange: _f, ...handled } = nextContact;
    assert.equal(
      keepPatientParts(current, { ...older, nextContact: handled }).nextContact!.patientRequestedChange,
      undefined,
    );
  });

  it("never takes staff's version of the self-assessment or the patient's answer", () => {
    const current = patientMade();
    const forged = keepPatientParts(current, {
      ...current,
      selfAssessment: null,
      nextContact: {
        ...current.nextContact!,
        patientResponse: { response: 'confirmed', respondedAt: NOW },
      },
    });
    assert.deepEqual(forged.selfAssessment, current.selfAssessment);
    assert.deepEqual(forged.nextContact!.patientResponse, current.nextContact!.patientResponse);
  });

  it("lets staff clear the patient's words and adopt or remove a proposed goal", () => {
    const current = patientMade();
    const adopted = keepPatientParts(current, {
      ...current,
      whatMattersPatientWords: null,
      goals: [
        ...current.goals.slice(0, 1),
        { id: 'p-1', text: 'Sova hela natten', ambition: 'lindra', status: 'pagaende' },
      ],
    });
    assert.equal(adopted.whatMattersPatientWords, null);
    assert.equal(adopted.goals[1]!.proposedByPatient, undefined);
  });

  it("refuses staff's changes to the patient's words or to a goal still marked as the patient's", () => {
    const current = patientMade();
    assert.throws(
      () =>
        keepPatientParts(current, { ...current, whatMattersPatientWords: { text: 'Annat', writtenAt: NOW } }),
      isCode('invalid_input'),
    );
    assert.throws(
      () =>
        keepPatientParts(current, {
          ...current,
          goals: current.goals.map((g) => (g.id === 'p-1' ? { ...g, text: 'Annat' } : g)),
        }),
      isCode('invalid_input'),
    );
    assert.throws(
      () =>
        keepPatientParts(null, {
          ...plan(),
          goals: [
            { id: 'x', text: 'Påhittat', ambition: 'bota', status: 'pagaende', proposedByPatient: true },
          ],
        }),
      isCode('invalid_input'),
    );
  });

  it('clears the patient’s answer and request when staff set a new time, and never raises the flag', () => {
    const current = patientMade();
    const moved = keepPatientParts(current, {
      ...current,
      nextContact: { ...current.nextContact!, at: '2026-06-03T09:00:00.000Z' },
    });
    assert.equal(moved.nextContact!.patientResponse, undefined);
    assert.equal(moved.nextContact!.patientRequestedChange, undefined);
    const raised = keepPatientParts(plan(), {
      ...plan(),
      nextContact: { ...plan().nextContact!, patientRequestedChange: true },
    });
    assert.equal(raised.nextContact!.patientRequestedChange, undefined);
  });
});
