/**
 * The directory of the demo region: providers, units and staff, with the indexes the patient
 * generator draws from. It does not depend on the seed: the HSA-ids, names and the demo users
 * stay the same in every demo database, so the README and the dev login can name them.
 */
import {
  familyNames,
  femaleNamesYounger,
  maleNamesYounger,
  municipalities,
  treatingTitles,
  type Clinic,
  type Profession,
} from './names.ts';
import { Rng } from './random.ts';
import {
  clinicCodes,
  demoStaff,
  HOSPITAL_ID,
  planRegion,
  type Provider,
  type ProviderKind,
  type Unit,
  type UnitKind,
} from './units.ts';

export { demoStaff, REGION_ID, type Provider, type Unit, type UnitKind } from './units.ts';

export interface StaffMember {
  id: string;
  givenName: string;
  familyName: string;
  profession: Profession;
  title: string;
  phone: string;
  units: {
    unitId: string;
    role: 'medarbetare' | 'verksamhetschef' | 'loggansvarig' | 'uppfoljning' | 'systemforvaltare';
  }[];
}

/** A vårdcentral with its staff sorted by what they do for patients. */
export interface Vardcentral {
  unit: Unit;
  /** Share of the region's listed patients (a large VC lists twice as many). */
  weight: number;
  physicians: StaffMember[];
  nurses: StaffMember[];
  diabetesNurse: StaffMember;
  kolNurse: StaffMember;
  staff: StaffMember[];
}

export interface Municipality {
  name: string;
  provider: Provider;
  hemsjukvard: Unit;
  sabo: Unit[];
  hemtjanst: Unit;
}

export interface Directory {
  region: Provider;
  providers: Provider[];
  units: Unit[];
  staff: StaffMember[];
  vardcentraler: Vardcentral[];
  hospital: Unit;
  clinics: Record<Clinic, Unit>;
  municipalities: Municipality[];
  /** Everyone working at a unit, in definition order. */
  staffAt(unitId: string): StaffMember[];
  unit(id: string): Unit;
  staffMember(id: string): StaffMember;
}

/** Builds the directory. Pure: the same every time. */
export function buildDirectory(): Directory {
  const rng = new Rng(2321, 0xd1);
  const { providers, kommunProviders, plans } = planRegion();
  const providerById = new Map(providers.map((p) => [p.id, p]));
  const areaCode = (municipality: string): string =>
    municipalities.find((m) => m.name === municipality)?.areaCode ?? '0150';
  const phone = (kind: ProviderKind, municipality: string): string => {
    const d = (n: number): string => String(rng.int(0, 10 ** n - 1)).padStart(n, '0');
    return kind === 'region'
      ? `010-${rng.int(100, 999)} ${d(2)} ${d(2)}`
      : `${areaCode(municipality)}-${rng.int(10, 99)} ${d(2)} ${d(2)}`;
  };

  const units: Unit[] = plans.map(({ unit }) => {
    const kind = providerById.get(unit.providerId)?.kind ?? 'region';
    return { ...unit, providerKind: kind, phone: phone(kind, unit.municipality) };
  });
  const unitById = new Map(units.map((u) => [u.id, u]));

  const staff: StaffMember[] = [];
  const counters = new Map<string, number>();
  plans.forEach((plan) => {
    const unit = unitById.get(plan.unit.id) as Unit;
    let hasChief = false;
    for (const position of plan.staffing) {
      const demo = position.demo ? demoStaff[position.demo] : undefined;
      const key = `${plan.staffPrefix}/${plan.staffBase}`;
      const next = (counters.get(key) ?? plan.staffBase) + (demo ? 0 : 1);
      counters.set(key, next);
      const female = rng.chance(0.75);
      const role = !hasChief && !demo ? 'verksamhetschef' : 'medarbetare';
      if (role === 'verksamhetschef') hasChief = true;
      const member: StaffMember = {
        id: demo?.id ?? `${plan.staffPrefix}-P${String(next).padStart(4, '0')}`,
        givenName: demo?.givenName ?? rng.pick((female ? femaleNamesYounger : maleNamesYounger).slice(0, 20)),
        familyName: demo?.familyName ?? rng.pick(familyNames),
        profession: position.profession,
        title: position.title,
        phone: phone(unit.providerKind, unit.municipality),
        units: [
          { unitId: unit.id, role },
          ...(position.alsoAt ? [{ unitId: position.alsoAt, role: 'medarbetare' as const }] : []),
        ],
      };
      staff.push(member);
    }
  });
  // The region's log reviewer (loggansvarig): reviews the access log, sees no patient data.
  staff.push({
    ...demoStaff.loggansvarig,
    profession: 'administrator',
    title: 'Loggansvarig',
    phone: '010-100 00 00',
    units: [{ unitId: HOSPITAL_ID, role: 'loggansvarig' }],
  });
  // The region's follow-up analyst (uppfoljning): region-wide aggregates only, no patient data.
  staff.push({
    ...demoStaff.uppfoljare,
    profession: 'administrator',
    title: 'Verksamhetsutvecklare, uppföljning',
    phone: '010-100 00 01',
    units: [{ unitId: HOSPITAL_ID, role: 'uppfoljning' }],
  });
  // The region's systemförvaltare: keeps the registries on the Administration page, no patient data.
  staff.push({
    ...demoStaff.systemforvaltare,
    profession: 'administrator',
    title: 'Systemförvaltare',
    phone: '010-100 00 02',
    units: [{ unitId: HOSPITAL_ID, role: 'systemforvaltare' }],
  });

  const byUnit = new Map<string, StaffMember[]>();
  for (const s of staff) for (const u of s.units) byUnit.set(u.unitId, [...(byUnit.get(u.unitId) ?? []), s]);
  const staffAt = (unitId: string): StaffMember[] => byUnit.get(unitId) ?? [];
  const staffById = new Map(staff.map((s) => [s.id, s]));

  const vardcentraler: Vardcentral[] = units
    .filter((u) => u.kind === 'vardcentral')
    .map((unit) => {
      const here = staffAt(unit.id);
      const titled = (title: string): StaffMember => here.find((s) => s.title === title) as StaffMember;
      return {
        unit,
        weight: here.filter((s) => s.profession === 'lakare').length >= 4 ? 2 : 1,
        physicians: here.filter((s) => s.profession === 'lakare'),
        nurses: here.filter((s) => s.title === 'Distriktssköterska'),
        diabetesNurse: titled(treatingTitles.diabetes),
        kolNurse: titled(treatingTitles.kol),
        staff: here,
      };
    });
  const clinics = Object.fromEntries(
    (Object.keys(clinicCodes) as Clinic[]).map((c) => [
      c,
      unitById.get(`SE2321000000-${clinicCodes[c]}`) as Unit,
    ]),
  ) as Record<Clinic, Unit>;

  return {
    region: providers[0] as Provider,
    providers,
    units,
    staff,
    vardcentraler,
    hospital: unitById.get(HOSPITAL_ID) as Unit,
    clinics,
    municipalities: kommunProviders.map((provider, i) => {
      const mine = units.filter((u) => u.providerId === provider.id);
      const one = (kind: UnitKind): Unit => mine.find((u) => u.kind === kind) as Unit;
      return {
        name: municipalities[i]?.name ?? '',
        provider,
        hemsjukvard: one('hemsjukvard'),
        sabo: mine.filter((u) => u.kind === 'sabo'),
        hemtjanst: one('hemtjanst'),
      };
    }),
    staffAt,
    unit: (id) => {
      const u = unitById.get(id);
      if (!u) throw new RangeError(`unknown unit ${id}`);
      return u;
    },
    staffMember: (id) => {
      const s = staffById.get(id);
      if (!s) throw new RangeError(`unknown staff ${id}`);
      return s;
    },
  };
}
