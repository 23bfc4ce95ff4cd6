import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Contract, ContractContent } from '../domain/contract.ts';
import type { DomainError } from '../domain/errors.ts';
import { carePlanToContent, contractToCarePlan, type FhirCarePlanInput } from './careplan-mapper.ts';

const contractId = '6f1c2a7e-1d2b-4c3d-8e9f-0a1b2c3d4e5f';
const patientId = '0b7d9c1e-2f3a-4b5c-9d6e-7f8a9b0c1d2e';
const unitId = 'SE2321000016-E0001';
const otherUnitId = 'SE2321000016-E0002';
const staffId = 'SE2321000016-P0001';

/** Every part of the contract that the JSON API holds, each optional field both set and unset. */
function fullContent(): ContractContent {
  return {
    whatMatters: 'Att kunna gå till affären och träffa barnbarnen',
    goals: [
      {
        id: 'g1',
        text: 'Gå 2 km utan vila',
        ambition: 'forbattra',
        targetDate: '2027-05-01',
        status: 'pagaende',
      },
      {
        id: 'g2',
        text: 'Sova hela natten',
        ambition: 'lindra',
        status: 'delvis-uppnatt',
        proposedByPatient: true,
      },
      { id: 'g3', text: 'Sluta röka', ambition: 'bota', status: 'uppnatt', proposedByPatient: false },
      { id: 'g4', text: 'Behålla vikten', ambition: 'bibehalla', status: 'ej-uppnatt' },
      { id: 'g5', text: 'Bromsa KOL', ambition: 'bromsa', status: 'avslutat' },
    ],
    patientResponsibilities: [
      { id: 'r1', text: 'Väga mig varje morgon' },
      { id: 'r2', text: 'Ta med blodtrycksmätaren', isDone: true, doneAt: '2026-11-20T08:00:00.000Z' },
      { id: 'r3', text: 'Boka fotvård', isDone: false },
    ],
    activities: [
      { id: 'a1', what: 'Årskontroll diabetes', unitId, when: '2026-12-01', status: 'planerad' },
      {
        id: 'a2',
        what: 'Hembesök av distriktssköterska',
        unitId: otherUnitId,
        responsibleStaffId: staffId,
        when: '2026-12-03T10:30:00.000Z',
        status: 'bokad',
        note: 'Ring på två gånger',
      },
      { id: 'a3', what: 'Spirometri', unitId, when: '2026-10-01', status: 'genomford' },
      { id: 'a4', what: 'Gruppträff', unitId, when: '2026-09-01', status: 'installd' },
    ],
    nextContact: {
      at: '2026-12-01T09:00:00.000Z',
      unitId,
      withStaffId: staffId,
      mode: 'telefon',
      agreement: 'erbjuden',
      patientRequestedChange: true,
      note: 'Patienten vill helst ha förmiddag',
    },
    linkedPlans: [
      {
        id: 'p1',
        type: 'sip',
        title: 'SIP hösten 2026',
        unitId: otherUnitId,
        date: '2026-10-15',
        reference: 'Cosmic SIP 2026-10-15',
      },
      { id: 'p2', type: 'vardplan-kol', unitId, date: '2026-01-10', reference: 'Journal' },
    ],
    answers: {
      questionSetId: 'skr-7-fragor-patient',
      questionSetVersion: 1,
      answeredAt: '2026-11-01T10:00:00.000Z',
      items: [{ questionId: 'q1', answer: 'ja' }],
    },
    ifWorse: 'Ring vårdcentralen, efter 17 ring 1177',
    reviewDate: '2027-03-01',
  };
}

function contractOf(content: ContractContent, status: Contract['status'] = 'active'): Contract {
  return {
    id: contractId,
    patientId,
    status,
    version: 4,
    content,
    createdAt: '2026-11-01T10:00:00.000Z',
    createdBy: staffId,
    updatedAt: '2026-11-20T10:00:00.000Z',
    updatedBy: staffId,
  };
}

/** As a client receives it: plain JSON, no shared objects, no undefined. */
function overTheWire(carePlan: unknown): FhirCarePlanInput {
  return JSON.parse(JSON.stringify(carePlan)) as FhirCarePlanInput;
}

describe('CarePlan mapping', () => {
  it('maps a contract to a CarePlan and back to the same content', () => {
    const content = fullContent();
    const carePlan = contractToCarePlan(contractOf(content));
    const back = carePlanToContent(overTheWire(carePlan), { patientId, contractId, current: content });
    assert.deepEqual(back, { status: 'active', content });
  });

  it('maps the write form, with goals and next contact contained, back to the same content', () => {
    const content = fullContent();
    const carePlan = contractToCarePlan(contractOf(content, 'draft'), { contained: true });
    const back = carePlanToContent(overTheWire(carePlan), { patientId, contractId: null, current: null });
    assert.deepEqual(back, { status: 'draft', content: { ...content, answers: null } });
  });

  it('keeps the question answers of the current version on a write', () => {
    const content = fullContent();
    const carePlan = overTheWire(contractToCarePlan(contractOf(content)));
    assert.equal(JSON.stringify(carePlan).includes('skr-7-fragor'), false);
    const back = carePlanToContent(carePlan, { patientId, contractId, current: content });
    assert.deepEqual(back.content.answers, content.answers);
  });

  it("shows what matters in the patient's own words apart from staff's text, and a write does not take it", () => {
    const words = { text: 'Att orka gå till kolonilotten', writtenAt: '2026-11-19T18:00:00.000Z' };
    const content = { ...fullContent(), whatMattersPatientWords: words };
    const carePlan = overTheWire(contractToCarePlan(contractOf(content)));
    assert.equal(carePlan.description, content.whatMatters);
    const extension = carePlan.extension?.find((e) => e.url.endsWith('/patient-words'));
    assert.deepEqual(extension?.extension, [
      { url: 'text', valueString: words.text },
      { url: 'writtenAt', valueDateTime: words.writtenAt },
    ]);
    // Read-only: the mapping leaves the patient's words out; the contract store keeps them.
    const back = carePlanToContent(carePlan, { patientId, contractId, current: content });
    assert.equal('whatMattersPatientWords' in back.content, false);
  });

  it('shows the contract as a CarePlan with references to its Goals and Appointment', () => {
    const carePlan = contractToCarePlan(contractOf(fullContent(), 'ended'));
    assert.equal(carePlan.status, 'completed');
    assert.equal(carePlan.intent, 'plan');
    assert.equal(carePlan.title, 'Patientkontrakt');
    assert.equal(carePlan.meta.versionId, '4');
    assert.deepEqual(carePlan.subject, { reference: `Patient/${patientId}`, type: 'Patient' });
    assert.equal(carePlan.goal?.[0]?.reference, `Goal/${contractId}-g1`);
    const appointment = carePlan.activity?.find((a) => a.reference);
    assert.equal(appointment?.reference?.reference, `Appointment/${contractId}-next`);
    const a2 = carePlan.activity?.find((a) => a.id === 'a2');
    assert.equal(a2?.detail?.status, 'scheduled');
    assert.deepEqual(
      a2?.detail?.performer.map((p) => p.reference),
      [`Organization/${otherUnitId}`, `Practitioner/${staffId}`],
    );
    const statuses = (carePlan.activity ?? []).filter((a) => a.detail).map((a) => [a.id, a.detail?.status]);
    assert.deepEqual(Object.fromEntries(statuses), {
      a1: 'scheduled',
      a2: 'scheduled',
      a3: 'completed',
      a4: 'cancelled',
      r1: 'not-started',
      r2: 'completed',
      r3: 'in-progress',
    });
  });

  it('reads an activity without the Swedish status extension by its FHIR status', () => {
    const content = { ...fullContent(), nextContact: null, goals: [] };
    const carePlan = overTheWire(contractToCarePlan(contractOf(content)));
    for (const activity of carePlan.activity ?? []) delete activity.detail?.extension;
    const back = carePlanToContent(carePlan, { patientId, contractId, current: content });
    assert.deepEqual(
      back.content.activities.map((a) => a.status),
      ['planerad', 'planerad', 'genomford', 'installd'],
    );
  });

  it('refuses a reference to a goal of another contract', () => {
    const content = fullContent();
    const carePlan = overTheWire(contractToCarePlan(contractOf(content)));
    carePlan.goal = [{ reference: 'Goal/11111111-2222-4333-8444-555555555555-g1' }];
    assert.throws(
      () => carePlanToContent(carePlan, { patientId, contractId, current: content }),
      (e: DomainError) => e.code === 'invalid_input' && e.details[0]?.path === 'CarePlan.goal[0]',
    );
  });

  const writeForm = () => overTheWire(contractToCarePlan(contractOf(fullContent()), { contained: true }));
  const newContract = { patientId, contractId: null, current: null };

  it('refuses an activity without a performing unit', () => {
    const carePlan = writeForm();
    carePlan.activity![0]!.detail!.performer = [];
    assert.throws(
      () => carePlanToContent(carePlan, newContract),
      (e: DomainError) =>
        e.code === 'invalid_input' && e.details[0]?.path === 'CarePlan.activity[0].detail.performer',
    );
  });

  it('refuses a contained resource that nothing refers to', () => {
    const carePlan = writeForm();
    carePlan.goal = carePlan.goal!.slice(1);
    assert.throws(() => carePlanToContent(carePlan, newContract), /används inte/);
  });

  it('refuses a contained Goal with a field of the wrong type', () => {
    const carePlan = writeForm();
    (carePlan.contained![0] as unknown as { lifecycleStatus: unknown }).lifecycleStatus = 42;
    assert.throws(
      () => carePlanToContent(carePlan, newContract),
      (e: DomainError) =>
        e.code === 'invalid_input' &&
        e.details.some((d) => d.path === 'CarePlan.contained[g1].lifecycleStatus'),
    );
  });

  it('refuses a status the contract does not have', () => {
    assert.throws(
      () => carePlanToContent({ ...writeForm(), status: 'revoked' }, newContract),
      /draft, active eller completed/,
    );
  });

  it('refuses a modifier extension it cannot understand', () => {
    assert.throws(
      () => carePlanToContent({ ...writeForm(), modifierExtension: [{ url: 'x' }] }, newContract),
      /modifierExtension/,
    );
  });
});
