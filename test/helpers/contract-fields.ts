/**
 * A contract with every field filled in, and every single-field change of it: typed over the
 * content's types, so that a new field does not compile until it is listed (and so tested).
 */
import type {
  ContractContent,
  Goal,
  LinkedPlan,
  NextContact,
  PlannedActivity,
  Responsibility,
} from '../../src/domain/contract.ts';

const unit = 'SE2321000000-E1';

/** A contract with every field of every part filled in, optional ones too. */
export function fullContent(): ContractContent {
  return {
    whatMatters: 'Att kunna promenera',
    whatMattersPatientWords: { text: 'Gå till affären', writtenAt: '2026-11-01T10:00:00.000Z' },
    goals: [
      {
        id: 'g1',
        text: 'Gå 2 km',
        ambition: 'forbattra',
        targetDate: '2027-01-01',
        status: 'pagaende',
        proposedByPatient: false,
      },
    ],
    patientResponsibilities: [
      { id: 'r1', text: 'Väga mig', isDone: false, doneAt: '2026-11-02T10:00:00.000Z' },
    ],
    activities: [
      {
        id: 'a1',
        what: 'Årskontroll',
        unitId: unit,
        responsibleStaffId: 'SE2321000000-P1',
        when: '2026-12-01',
        status: 'planerad',
        note: 'Ta med blodtrycksdagboken',
      },
    ],
    nextContact: {
      at: '2026-12-01T09:00:00.000Z',
      unitId: unit,
      withStaffId: 'SE2321000000-P1',
      mode: 'besok',
      agreement: 'overenskommen',
      durationMinutes: 30,
      patientRequestedChange: false,
      patientResponse: { response: 'confirmed', respondedAt: '2026-11-03T10:00:00.000Z' },
      note: 'Kom fastande',
    },
    linkedPlans: [
      { id: 'p1', type: 'sip', title: 'SIP', unitId: unit, date: '2026-10-01', reference: 'SIP-1' },
    ],
    answers: { questionSetId: 'q', questionSetVersion: 1, answeredAt: '2026-11-01T10:00:00.000Z', items: [] },
    selfAssessment: {
      questionSetId: 'p',
      questionSetVersion: 1,
      answeredAt: '2026-11-01T10:00:00.000Z',
      items: [],
    },
    ifWorse: 'Ring 1177',
    reviewDate: '2027-03-01',
    noNextContactReason: 'Patienten ringer själv',
    fastVardkontaktDecision: 'not-needed-now',
  };
}

/**
 * A changed value for every field of the content: a Record over the type's keys, so that a new
 * field does not compile until it is listed here (and so tested below).
 */
const changedPart: { [K in keyof Required<ContractContent>]: (c: ContractContent) => ContractContent[K] } = {
  whatMatters: () => 'Annat',
  whatMattersPatientWords: () => ({ text: 'Annat', writtenAt: '2026-11-05T10:00:00.000Z' }),
  goals: (c) => c.goals,
  patientResponsibilities: (c) => c.patientResponsibilities,
  activities: (c) => c.activities,
  nextContact: (c) => c.nextContact,
  linkedPlans: (c) => c.linkedPlans,
  answers: (c) => ({ ...c.answers!, questionSetVersion: 2 }),
  selfAssessment: (c) => ({ ...c.selfAssessment!, questionSetVersion: 2 }),
  ifWorse: () => 'Ring 112',
  reviewDate: () => '2027-04-01',
  noNextContactReason: () => 'Annan orsak',
  fastVardkontaktDecision: () => 'declined',
};

const changedGoal: { [K in keyof Required<Goal>]: Goal[K] } = {
  id: 'g1',
  text: 'Gå 3 km',
  ambition: 'lindra',
  targetDate: '2027-02-01',
  status: 'uppnatt',
  proposedByPatient: true,
};
const changedResponsibility: { [K in keyof Required<Responsibility>]: Responsibility[K] } = {
  id: 'r1',
  text: 'Väga mig varje dag',
  isDone: true,
  doneAt: '2026-11-04T10:00:00.000Z',
};
const changedActivity: { [K in keyof Required<PlannedActivity>]: PlannedActivity[K] } = {
  id: 'a1',
  what: 'Fotvård',
  unitId: 'SE2321000000-E2',
  responsibleStaffId: 'SE2321000000-P2',
  when: '2026-12-02',
  status: 'bokad',
  note: 'Annan anteckning',
};
const changedNext: { [K in keyof Required<NextContact>]: NextContact[K] } = {
  at: '2026-12-02T09:00:00.000Z',
  unitId: 'SE2321000000-E2',
  withStaffId: 'SE2321000000-P2',
  mode: 'telefon',
  agreement: 'erbjuden',
  durationMinutes: 45,
  patientRequestedChange: true,
  patientResponse: { response: 'wants-other', respondedAt: '2026-11-04T10:00:00.000Z' },
  note: 'Ta med medicinlistan',
};
const changedPlan: { [K in keyof Required<LinkedPlan>]: LinkedPlan[K] } = {
  id: 'p1',
  type: 'rehabiliteringsplan',
  title: 'Rehab',
  unitId: 'SE2321000000-E2',
  date: '2026-10-02',
  reference: 'VP-2',
};

/** Every single-field change of the content, named, for the tests of every field. */
export function everyFieldChange(): { name: string; part: keyof ContractContent; after: ContractContent }[] {
  const base = fullContent();
  const out: { name: string; part: keyof ContractContent; after: ContractContent }[] = [];
  for (const part of Object.keys(changedPart) as (keyof ContractContent)[]) {
    if (['goals', 'patientResponsibilities', 'activities', 'nextContact', 'linkedPlans'].includes(part))
      continue;
    out.push({ name: part, part, after: { ...base, [part]: changedPart[part](base) } });
  }
  const fieldsOf = <T extends object>(
    part: keyof ContractContent,
    item: T,
    changed: T,
    put: (item: T) => Partial<ContractContent>,
  ) => {
    for (const key of Object.keys(changed) as (keyof T)[]) {
      if (key === 'id') continue;
      out.push({
        name: `${part}.${String(key)}`,
        part,
        after: { ...base, ...put({ ...item, [key]: changed[key] }) },
      });
    }
  };
  fieldsOf('goals', base.goals[0]!, changedGoal, (g) => ({ goals: [g] }));
  fieldsOf('patientResponsibilities', base.patientResponsibilities[0]!, changedResponsibility, (r) => ({
    patientResponsibilities: [r],
  }));
  fieldsOf('activities', base.activities[0]!, changedActivity, (a) => ({ activities: [a] }));
  fieldsOf('nextContact', base.nextContact!, changedNext, (n) => ({ nextContact: n }));
  fieldsOf('linkedPlans', base.linkedPlans[0]!, changedPlan, (p) => ({ linkedPlans: [p] }));
  return out;
}
