/**
 * The fixed demo users that the dev login lists and the README names: staff with stable
 * HSA-ids, and four patients (Skatteverket test personnummer) with contracts, fixed contacts
 * and a next contact. They are the same whatever the seed.
 */
import { workdayBefore, workdayFrom } from './calendar.ts';
import { buildContract } from './contracts.ts';
import { buildDirectory, demoStaff, type Directory, type StaffMember, type Unit } from './directory.ts';
import { HOSPITAL_ID } from './units.ts';
import type { Identity } from './identity.ts';
import { treatingTitles } from './names.ts';
import { officeHours, phoneHours, type ContactPlan } from './contacts.ts';
import { drawPerson, type Diagnosis, type GenContext, type Person } from './patients.ts';
import { Rng } from './random.ts';

const unitIds = {
  centrum: 'SE2321000000-V101',
  soder: 'SE2321000000-V102',
  diabetes: 'SE2321000000-S140',
  kardiologi: 'SE2321000000-S120',
  hemsjukvard: 'SE2120000000-1100',
  hemtjanst: 'SE2120000000-1300',
  privat: 'SE5560000000-V201',
} as const;

const name = (s: { givenName: string; familyName: string }): string => `${s.givenName} ${s.familyName}`;

/** The private vårdcentral's verksamhetschef (generated, so looked up): follow-up of their own provider. */
const privateChief = buildDirectory()
  .staffAt(unitIds.privat)
  .find((s) => s.units.some((u) => u.unitId === unitIds.privat && u.role === 'verksamhetschef'))!;

/** Staff and patients that the dev login lists. */
export const demoUsers: {
  staff: { hsaId: string; name: string; title: string; unitId: string }[];
  patients: { personnummer: string; name: string }[];
} = {
  staff: [
    { ...demoStaff.distriktsskoterska, title: 'Distriktssköterska', unitId: unitIds.centrum },
    { ...demoStaff.allmanlakare, title: 'Specialistläkare allmänmedicin', unitId: unitIds.centrum },
    { ...demoStaff.lakareSoder, title: 'Specialistläkare allmänmedicin', unitId: unitIds.soder },
    { ...demoStaff.diabetesskoterska, title: treatingTitles.diabetes, unitId: unitIds.diabetes },
    { ...demoStaff.kommunskoterska, title: 'Kommunsjuksköterska', unitId: unitIds.hemsjukvard },
    { ...demoStaff.sekreterare, title: 'Medicinsk sekreterare', unitId: unitIds.centrum },
    { ...demoStaff.privatLakare, title: 'Specialistläkare allmänmedicin', unitId: unitIds.privat },
    { ...demoStaff.loggansvarig, title: 'Loggansvarig', unitId: HOSPITAL_ID },
    { ...demoStaff.uppfoljare, title: 'Verksamhetsutvecklare, uppföljning', unitId: HOSPITAL_ID },
    { ...demoStaff.systemforvaltare, title: 'Systemförvaltare', unitId: HOSPITAL_ID },
    { ...privateChief, unitId: unitIds.privat },
  ].map(({ id, title, unitId, ...person }) => ({ hsaId: id, name: name(person), title, unitId })),
  patients: [
    { personnummer: '193803129182', name: 'Elsa Lindqvist' },
    { personnummer: '194001279050', name: 'Gunnar Persson' },
    { personnummer: '195203072227', name: 'Birgitta Håkansson' },
    { personnummer: '193601016987', name: 'Margareta Olsson' },
  ],
};

/** The personnummer of the demo patients, kept out of the pool the generated patients draw from. */
export const demoPersonnummer: ReadonlySet<string> = new Set(demoUsers.patients.map((p) => p.personnummer));

interface DemoPatient {
  identity: Identity;
  vc: string;
  care: Person['care'];
  diagnoses: [Diagnosis['condition'], string, number][];
  /** Contacts as [role, staff HSA-id or the first with this title at the unit, unit id, role title]. */
  contacts: [ContactPlan['role'], string, string, string | null][];
  versions: number;
  nextInDays: number;
}

const demoPatients: DemoPatient[] = [
  {
    identity: { identifier: '193803129182', kind: 'personnummer', birthDate: '1938-03-12', sex: 'female' },
    vc: unitIds.centrum,
    care: 'hemsjukvard',
    diagnoses: [
      ['hjartsvikt', 'I50', 1400],
      ['flimmer', 'I48', 2900],
      ['njure', 'N18', 700],
    ],
    contacts: [
      ['fast-vardkontakt', demoStaff.distriktsskoterska.id, unitIds.centrum, null],
      ['fast-lakarkontakt', demoStaff.allmanlakare.id, unitIds.centrum, null],
      ['fast-omsorgskontakt', 'Undersköterska hemtjänst', unitIds.hemtjanst, 'Kontaktman hemtjänst'],
      ['behandlande-roll', treatingTitles.hjartsvikt, unitIds.kardiologi, treatingTitles.hjartsvikt],
      [
        'behandlande-roll',
        demoStaff.kommunskoterska.id,
        unitIds.hemsjukvard,
        'Patientansvarig sjuksköterska',
      ],
    ],
    versions: 3,
    nextInDays: 6,
  },
  {
    identity: { identifier: '194001279050', kind: 'personnummer', birthDate: '1940-01-27', sex: 'male' },
    vc: unitIds.centrum,
    care: 'none',
    diagnoses: [
      ['kol', 'J44', 2200],
      ['diabetes2', 'E11', 3300],
    ],
    contacts: [
      ['fast-vardkontakt', demoStaff.distriktsskoterska.id, unitIds.centrum, null],
      ['fast-lakarkontakt', demoStaff.allmanlakare.id, unitIds.centrum, null],
      ['behandlande-roll', treatingTitles.kol, unitIds.centrum, treatingTitles.kol],
    ],
    versions: 2,
    nextInDays: 14,
  },
  {
    identity: { identifier: '195203072227', kind: 'personnummer', birthDate: '1952-03-07', sex: 'female' },
    vc: unitIds.soder,
    care: 'none',
    diagnoses: [
      ['diabetes1', 'E10', 15000],
      ['depression', 'F32', 500],
    ],
    contacts: [
      ['fast-vardkontakt', demoStaff.diabetesskoterska.id, unitIds.diabetes, null],
      ['fast-lakarkontakt', demoStaff.lakareSoder.id, unitIds.soder, null],
      ['behandlande-roll', demoStaff.diabetesskoterska.id, unitIds.diabetes, treatingTitles.diabetes],
    ],
    versions: 1,
    nextInDays: 9,
  },
  {
    // Home care names her in the plan (Lena Åberg, a municipality: another care provider), but she
    // has not consented to that unit: the nurse's search finds nothing until she does, and Min plan
    // tells her so. Kept apart from Elsa, whose consent other demos may record.
    identity: { identifier: '193601016987', kind: 'personnummer', birthDate: '1936-01-01', sex: 'female' },
    vc: unitIds.centrum,
    care: 'hemsjukvard',
    diagnoses: [
      ['hjartsvikt', 'I50', 900],
      ['diabetes2', 'E11', 2600],
    ],
    contacts: [
      ['fast-vardkontakt', demoStaff.distriktsskoterska.id, unitIds.centrum, null],
      ['fast-lakarkontakt', demoStaff.allmanlakare.id, unitIds.centrum, null],
      [
        'behandlande-roll',
        demoStaff.kommunskoterska.id,
        unitIds.hemsjukvard,
        'Patientansvarig sjuksköterska',
      ],
    ],
    versions: 2,
    nextInDays: 4,
  },
];

function contact(
  dir: Directory,
  today: number,
  [role, who, unitId, title]: DemoPatient['contacts'][number],
  n: number,
): ContactPlan {
  const unit: Unit = dir.unit(unitId);
  const staff: StaffMember = who.startsWith('SE')
    ? dir.staffMember(who)
    : (dir.staffAt(unitId).find((s) => s.title === who) ?? dir.staffMember(who));
  const startDay = today - 400 + n * 30;
  return {
    role,
    roleTitle: title,
    staff,
    unit,
    reason: role === 'fast-vardkontakt' ? 'behov' : null,
    status: 'active',
    startDay,
    reviewDay: role === 'fast-vardkontakt' ? today + 60 : null,
    endDay: null,
    endReason: null,
    note: null,
    reachable:
      role === 'fast-lakarkontakt' ? [] : role === 'fast-omsorgskontakt' ? officeHours : phoneHours(staff),
  };
}

/** Builds demo patient `n` (0–3) with its rows' inputs; `id` is its uuid, `contractId` its contract's. */
export function buildDemoPatient(ctx: GenContext, n: number, id: string, contractId: string) {
  const demo = demoPatients[n];
  const listed = demoUsers.patients[n];
  if (!demo || !listed) throw new RangeError(`no demo patient ${n}`);
  const rng = new Rng(0xde30, n);
  const person = drawPerson(ctx, rng, n, id, demo.identity);
  const [givenName = '', familyName = ''] = listed.name.split(' ');
  const vc = ctx.dir.vardcentraler.find((v) => v.unit.id === demo.vc) ?? null;
  const municipality =
    ctx.dir.municipalities.find((m) => m.name === vc?.unit.municipality) ?? person.municipality;
  Object.assign(person, {
    givenName,
    familyName,
    phone: `070-174 06 ${10 + n}`,
    vc,
    listedSinceDay: ctx.today - 3000 + n * 450,
    municipality,
    care: demo.care,
    careUnit: demo.care === 'hemsjukvard' ? municipality.hemsjukvard : null,
    diagnoses: demo.diagnoses.map(([condition, code, daysAgo]) => ({
      condition,
      code,
      sinceDay: ctx.today - daysAgo,
    })),
  });
  person.contacts = demo.contacts.map((c, i) => contact(ctx.dir, ctx.today, c, i));
  const contract = buildContract(ctx, rng, person, contractId, {
    status: 'active',
    versions: demo.versions,
    lastDay: workdayBefore(ctx.today - 3),
    nextDay: workdayFrom(ctx.today + demo.nextInDays),
    hasAnswers: true,
  });
  return { person, contract };
}
