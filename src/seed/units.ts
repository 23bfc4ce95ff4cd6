/**
 * The plan of the demo region "Region Exempelland": its care providers, its care units and
 * who works where. HSA-ids are shaped like real ones (SE + organisation number + suffix) but
 * fictitious: SE2321000000 for the region, SE2120000000 for the municipalities,
 * SE5560000000/SE5560000001 for the private providers. directory.ts turns the plan into people.
 */
import {
  clinicNames,
  districtNames,
  municipalities,
  professions,
  saboNames,
  treatingTitles,
  type Clinic,
  type Profession,
} from './names.ts';

export type ProviderKind = 'region' | 'kommun' | 'privat';
export type UnitKind =
  'vardcentral' | 'sjukhus' | 'specialistmottagning' | 'hemsjukvard' | 'sabo' | 'hemtjanst';

export interface Provider {
  id: string;
  name: string;
  kind: ProviderKind;
  huvudman: string;
}

export interface Unit {
  id: string;
  providerId: string;
  providerKind: ProviderKind;
  name: string;
  kind: UnitKind;
  phone: string;
  municipality: string;
}

export const REGION_ID = 'SE2321000000-0001';
export const HOSPITAL_ID = 'SE2321000000-S100';
/** HSA-id suffixes of the hospital's clinics. */
export const clinicCodes: Record<Clinic, string> = {
  medicin: 'S110',
  kardiologi: 'S120',
  lung: 'S130',
  diabetes: 'S140',
  geriatrik: 'S150',
  rehab: 'S160',
  onkologi: 'S170',
};
export const REGION_NAME = 'Region Exempelland';

/** The fixed demo staff: stable ids and names that the README and the dev login list. */
export const demoStaff = {
  distriktsskoterska: { id: 'SE2321000000-P0001', givenName: 'Karin', familyName: 'Lindberg' },
  allmanlakare: { id: 'SE2321000000-P0002', givenName: 'Johan', familyName: 'Ek' },
  lakareSoder: { id: 'SE2321000000-P0003', givenName: 'Sara', familyName: 'Holm' },
  diabetesskoterska: { id: 'SE2321000000-P0004', givenName: 'Maria', familyName: 'Sundqvist' },
  sekreterare: { id: 'SE2321000000-P0005', givenName: 'Eva', familyName: 'Strand' },
  kommunskoterska: { id: 'SE2120000000-P1001', givenName: 'Lena', familyName: 'Åberg' },
  privatLakare: { id: 'SE5560000000-P0001', givenName: 'Ali', familyName: 'Hassan' },
  loggansvarig: { id: 'SE2321000000-P0900', givenName: 'Anders', familyName: 'Lund' },
  uppfoljare: { id: 'SE2321000000-P0901', givenName: 'Ingrid', familyName: 'Nyström' },
  systemforvaltare: { id: 'SE2321000000-P0902', givenName: 'Maja', familyName: 'Berg' },
} as const;
export type DemoKey = keyof typeof demoStaff;

/** One position in a unit's staffing: who, and optionally a second unit or a fixed demo person. */
export interface Position {
  profession: Profession;
  title: string;
  alsoAt?: string;
  demo?: DemoKey;
}

const pos = (
  profession: Profession,
  title: string = professions[profession],
  extra: Partial<Position> = {},
) => ({
  profession,
  title,
  ...extra,
});
const gp = 'Specialistläkare allmänmedicin';

function vcStaffing(large: boolean, extra: Position[]): Position[] {
  return [
    pos('lakare', gp),
    pos('lakare', large ? gp : 'Distriktsläkare'),
    ...(large ? [pos('lakare', 'Distriktsläkare'), pos('lakare', 'ST-läkare allmänmedicin')] : []),
    pos('distriktsskoterska'),
    ...(large ? [pos('distriktsskoterska')] : []),
    pos('sjukskoterska', treatingTitles.diabetes),
    pos('distriktsskoterska', treatingTitles.kol),
    ...(large ? [pos('administrator')] : []),
    ...extra,
  ];
}

export interface UnitPlan {
  unit: Omit<Unit, 'providerKind' | 'phone'>;
  staffing: Position[];
  /** Prefix of the HSA-ids of the people employed here. */
  staffPrefix: string;
  /** Generated people are numbered from here, above the demo ids (P0001…). */
  staffBase: number;
}

/** The providers and the units with their staffing. Pure: the same every time. */
export function planRegion(): { providers: Provider[]; kommunProviders: Provider[]; plans: UnitPlan[] } {
  const region: Provider = { id: REGION_ID, name: REGION_NAME, kind: 'region', huvudman: REGION_NAME };
  const privateA: Provider = {
    id: 'SE5560000000-0001',
    name: 'Vårdkraft Exempel AB',
    kind: 'privat',
    huvudman: REGION_NAME,
  };
  const privateB: Provider = {
    id: 'SE5560000001-0001',
    name: 'Familjeläkarna i Björkvik AB',
    kind: 'privat',
    huvudman: REGION_NAME,
  };
  const [stad, ekby, bjorkvik] = municipalities;
  const r = (code: string): string => `SE2321000000-${code}`;
  const hospital = 'Exempelstads sjukhus';
  const [centrum, soder, norr, ekbacken, ekbyDistrict, sjoudden, bjorkvikDistrict] = districtNames;

  const plans: UnitPlan[] = [];
  const add = (
    unit: UnitPlan['unit'],
    staffing: Position[],
    staffPrefix = 'SE2321000000',
    staffBase = 100,
  ): void => {
    plans.push({ unit, staffing, staffPrefix, staffBase });
  };
  const regionUnit = (code: string, name: string, kind: UnitKind, municipality: string = stad.name) => ({
    id: r(code),
    providerId: region.id,
    name,
    kind,
    municipality,
  });

  add(regionUnit('S100', hospital, 'sjukhus'), [
    pos('lakare', 'Specialistläkare internmedicin'),
    pos('sjukskoterska', 'Sjuksköterska vårdavdelning'),
  ]);
  const clinicStaff: Record<Clinic, Position[]> = {
    medicin: [
      pos('lakare', 'Specialistläkare internmedicin'),
      pos('administrator', undefined, { alsoAt: r('S120') }),
    ],
    kardiologi: [
      pos('lakare', 'Specialistläkare kardiologi'),
      pos('sjukskoterska', treatingTitles.hjartsvikt),
      pos('sjukskoterska', treatingTitles.hjartsvikt),
    ],
    lung: [pos('lakare', 'Specialistläkare lungmedicin'), pos('sjukskoterska', treatingTitles.kol)],
    diabetes: [
      pos('lakare', 'Specialistläkare endokrinologi'),
      pos('sjukskoterska', treatingTitles.diabetes, { demo: 'diabetesskoterska' }),
      pos('sjukskoterska', treatingTitles.diabetes),
    ],
    geriatrik: [
      pos('lakare', 'Specialistläkare geriatrik'),
      pos('sjukskoterska', treatingTitles.demens),
      pos('arbetsterapeut'),
    ],
    rehab: [pos('lakare', 'Specialistläkare ortopedi'), pos('fysioterapeut'), pos('arbetsterapeut')],
    onkologi: [
      pos('lakare', 'Specialistläkare onkologi'),
      pos('sjukskoterska', treatingTitles.cancer),
      pos('sjukskoterska', treatingTitles.cancer),
    ],
  };
  for (const clinic of Object.keys(clinicNames) as Clinic[]) {
    const name = `${clinicNames[clinic]}, ${hospital}`;
    add(regionUnit(clinicCodes[clinic], name, 'specialistmottagning'), clinicStaff[clinic]);
  }

  const vc = (district: string): string => `Vårdcentralen ${district}`;
  const vcPlans: { code: string; name: string; municipality: string; large: boolean; extra: Position[] }[] = [
    { code: 'V101', name: vc(centrum), municipality: stad.name, large: true, extra: [] },
    { code: 'V102', name: vc(soder), municipality: stad.name, large: true, extra: [] },
    { code: 'V103', name: vc(norr), municipality: stad.name, large: false, extra: [] },
    { code: 'V104', name: vc(ekbacken), municipality: stad.name, large: false, extra: [] },
    { code: 'V105', name: vc(ekbyDistrict), municipality: ekby.name, large: false, extra: [] },
    { code: 'V106', name: vc(sjoudden), municipality: ekby.name, large: false, extra: [] },
    { code: 'V107', name: vc(bjorkvikDistrict), municipality: bjorkvik.name, large: false, extra: [] },
  ];
  // People shared by two units (Region Gävleborg, handlingsplan Patientkontrakt 2021: a treating role may serve several units).
  const shared: Record<string, Position[]> = {
    V101: [
      pos('kurator', undefined, { alsoAt: r('V103') }),
      pos('dietist', undefined, { alsoAt: r('S140') }),
    ],
    V102: [pos('psykolog', undefined, { alsoAt: r('V104') })],
    V105: [pos('fysioterapeut', undefined, { alsoAt: r('V106') })],
  };
  for (const p of vcPlans) {
    const staffing = vcStaffing(p.large, shared[p.code] ?? []);
    add(regionUnit(p.code, p.name, 'vardcentral', p.municipality), staffing);
  }
  // Demo people at the two region VCs of the same provider.
  const setDemo = (unitId: string, title: string, demo: DemoKey): void => {
    const found = plans.find((x) => x.unit.id === unitId)?.staffing.find((s) => s.title === title && !s.demo);
    if (found) found.demo = demo;
  };
  setDemo(r('V101'), 'Distriktssköterska', 'distriktsskoterska');
  setDemo(r('V101'), gp, 'allmanlakare');
  setDemo(r('V101'), 'Medicinsk sekreterare', 'sekreterare');
  setDemo(r('V102'), gp, 'lakareSoder');

  const privateVc = (
    provider: Provider,
    code: string,
    name: string,
    municipality: string,
    large: boolean,
  ) => {
    const prefix = provider.id.slice(0, 12);
    add(
      { id: `${prefix}-${code}`, providerId: provider.id, name, kind: 'vardcentral', municipality },
      vcStaffing(large, []),
      prefix,
    );
  };
  privateVc(privateA, 'V201', `Vårdkraft vårdcentral ${stad.name}`, stad.name, true);
  privateVc(privateA, 'V202', `Vårdkraft vårdcentral ${ekby.name}`, ekby.name, false);
  privateVc(privateB, 'V301', privateB.name.replace(' AB', ''), bjorkvik.name, false);
  setDemo(`SE5560000000-V201`, gp, 'privatLakare');

  const kommunProviders: Provider[] = [];
  municipalities.forEach((m, i) => {
    const id = (n: string): string => `SE2120000000-${m.code}${n}`;
    const provider: Provider = { id: id('000'), name: m.provider, kind: 'kommun', huvudman: m.provider };
    kommunProviders.push(provider);
    const unit = (code: string, name: string, kind: UnitKind) => ({
      id: id(code),
      providerId: provider.id,
      name,
      kind,
      municipality: m.name,
    });
    const saboCount = i === 0 ? 2 : 1;
    const saboIds = Array.from({ length: saboCount }, (_, k) => id(`20${k}`));
    add(
      unit('100', `Hemsjukvården ${m.name}`, 'hemsjukvard'),
      [
        pos('sjukskoterska', 'Kommunsjuksköterska', i === 0 ? { demo: 'kommunskoterska' } : {}),
        pos('sjukskoterska', 'Kommunsjuksköterska'),
        pos('arbetsterapeut', undefined, { alsoAt: saboIds[0] ?? '' }),
        pos('fysioterapeut', undefined, { alsoAt: saboIds[saboCount - 1] ?? '' }),
      ],
      'SE2120000000',
      Number(m.code) * 1000 + 100,
    );
    saboIds.forEach((saboId, k) => {
      add(
        unit(saboId.slice(-3), `${saboNames[(i + k * 3) % saboNames.length]}, särskilt boende`, 'sabo'),
        [pos('sjukskoterska', 'Sjuksköterska särskilt boende'), pos('underskoterska')],
        'SE2120000000',
        Number(m.code) * 1000 + 100,
      );
    });
    add(
      unit('300', `Hemtjänsten ${m.name}`, 'hemtjanst'),
      [pos('underskoterska', 'Undersköterska hemtjänst')],
      'SE2120000000',
      Number(m.code) * 1000 + 100,
    );
  });
  return { providers: [region, privateA, privateB, ...kommunProviders], kommunProviders, plans };
}
