/**
 * The fixed contacts around a demo patient (Region Gävleborg, handlingsplan Patientkontrakt 2021):
 * fast vårdkontakt, fast läkarkontakt, fast omsorgskontakt and treating roles, with telephone
 * hours (Inera's draft model: weekday, from, to). Patientlagen 6 kap 2 §; HSL 7 kap 3 §.
 */
import type { ReachableHours } from '../domain/care-contact.ts';
import { isoOf, swedishInstant } from './calendar.ts';
import { demoStaff, type StaffMember, type Unit, type Vardcentral } from './directory.ts';
import { treatingTitles } from './names.ts';
import { hasCondition, hasDiabetes, majorCount, type GenContext, type Person } from './patients.ts';
import { Rng } from './random.ts';
import type { CareContactRow } from './write.ts';

export interface ContactPlan {
  role: CareContactRow['role'];
  roleTitle: string | null;
  staff: StaffMember | null;
  unit: Unit;
  reason: CareContactRow['reason'];
  status: CareContactRow['status'];
  startDay: number;
  reviewDay: number | null;
  endDay: number | null;
  endReason: string | null;
  note: string | null;
  reachable: ReachableHours[];
}

const slots = [
  ['08:00', '09:00'],
  ['08:00', '10:00'],
  ['08:30', '09:30'],
  ['12:30', '13:30'],
  ['13:00', '14:00'],
] as const;

/**
 * Telephone hours of a member of staff: a slot on two to five weekdays. Drawn from the staff
 * member's own HSA-id, not from the patient: one phone number has one set of hours, whichever
 * patient's contact card shows it.
 */
export function phoneHours(staff: StaffMember): ReachableHours[] {
  let hash = 0x70686f6e;
  for (const ch of staff.id) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0;
  const rng = new Rng(hash >>> 0, 0x686f7572);
  const [from, to] = rng.pick(slots);
  return rng
    .sample([1, 2, 3, 4, 5], rng.int(2, 5))
    .sort((a, b) => a - b)
    .map((weekday) => ({ weekday, from, to }));
}
export const officeHours: ReachableHours[] = [1, 2, 3, 4, 5].map((weekday) => ({
  weekday,
  from: '08:00',
  to: '16:00',
}));

/** Prefers `preferred` with probability p, otherwise any of `others`. */
function prefer(rng: Rng, preferredId: string, p: number, others: StaffMember[]): StaffMember {
  const preferred = others.find((s) => s.id === preferredId);
  return preferred && rng.chance(p) ? preferred : rng.pick(others);
}

/**
 * The fixed contacts and treating roles of a patient: a fast vårdkontakt for many of the
 * chronically ill (more often the sicker), some offers declined and some assignments ended,
 * a fast läkarkontakt for about half of the listed, a fast omsorgskontakt for municipal care.
 * At most one active holder of each one-holder role, as the unique indexes demand.
 */
export function drawContacts(ctx: GenContext, rng: Rng, p: Person): ContactPlan[] {
  const { dir, today } = ctx;
  const contacts: ContactPlan[] = [];
  const major = majorCount(p);
  const chronic = p.diagnoses.length > 0;
  const firstDx = Math.min(...p.diagnoses.map((d) => d.sinceDay), today - 60);
  const startLow = Math.max(firstDx, p.listedSinceDay ?? firstDx, today - 6 * 365);
  const drawStart = (): number => rng.int(Math.min(startLow, today - 60), today - 7);
  const drawReview = (start: number): number => {
    const review = start + rng.int(180, 365);
    return review < today - 90 ? review + 365 * Math.ceil((today - 90 - review) / 365) : review;
  };
  const add = (
    c: Omit<ContactPlan, 'reachable' | 'note' | 'endDay' | 'endReason'> & Partial<ContactPlan>,
  ): void => {
    contacts.push({ reachable: [], note: null, endDay: null, endReason: null, ...c });
  };
  const nursesAt = (unit: Unit): StaffMember[] =>
    dir
      .staffAt(unit.id)
      .filter((s) => s.profession === 'sjukskoterska' || s.profession === 'distriktsskoterska');
  const vcNurse = (vc: Vardcentral): StaffMember => {
    const pool = [
      ...vc.nurses,
      ...(hasDiabetes(p) ? [vc.diabetesNurse] : []),
      ...(hasCondition(p, 'kol') ? [vc.kolNurse] : []),
    ];
    return prefer(rng, demoStaff.distriktsskoterska.id, 0.7, pool);
  };
  const municipalNurse = (): { staff: StaffMember; unit: Unit } => {
    const unit = p.care === 'sabo' && p.careUnit && rng.chance(0.5) ? p.careUnit : p.municipality.hemsjukvard;
    return { unit, staff: prefer(rng, demoStaff.kommunskoterska.id, 0.6, nursesAt(unit)) };
  };

  // Fast vårdkontakt: on request or when needed (Patientlagen 6 kap 2 §), more often the sicker.
  const municipal = p.care === 'sabo' || p.care === 'hemsjukvard';
  const pFvk = !chronic
    ? 0
    : Math.min(0.9, [0.08, 0.35, 0.55, 0.75][Math.min(major, 3)] ?? 0.75) + (municipal ? 0.2 : 0);
  if (rng.chance(pFvk)) {
    let holder: { staff: StaffMember | null; unit: Unit };
    if (hasCondition(p, 'cancer') && rng.chance(0.5)) {
      holder = { unit: dir.clinics.onkologi, staff: rng.pick(nursesAt(dir.clinics.onkologi)) };
    } else if (municipal && rng.chance(0.4)) {
      holder = municipalNurse();
    } else if (hasCondition(p, 'hjartsvikt') && rng.chance(0.2)) {
      holder = { unit: dir.clinics.kardiologi, staff: rng.pick(nursesAt(dir.clinics.kardiologi)) };
    } else if (p.vc) {
      holder = { unit: p.vc.unit, staff: vcNurse(p.vc) };
    } else {
      holder = { unit: dir.clinics.medicin, staff: null };
    }
    if (holder.staff && rng.chance(0.04)) holder = { unit: holder.unit, staff: null };
    const startDay = drawStart();
    if (rng.chance(0.08) && p.vc) {
      const before = rng.int(Math.min(startLow, startDay - 30) - 400, startDay - 30);
      add({
        role: 'fast-vardkontakt',
        roleTitle: null,
        staff: vcNurse(p.vc),
        unit: p.vc.unit,
        reason: 'behov',
        status: 'ended',
        startDay: before,
        reviewDay: before + 365,
        endDay: startDay - 1,
        endReason: rng.pick([
          'Byte av vårdkontakt efter samtal med patienten',
          'Vårdkontakten har slutat på enheten',
        ]),
      });
    }
    add({
      role: 'fast-vardkontakt',
      roleTitle: null,
      ...holder,
      reason: rng.chance(0.7) ? 'behov' : 'patientens-begaran',
      status: 'active',
      startDay,
      reviewDay: drawReview(startDay),
      reachable: holder.staff ? phoneHours(holder.staff) : officeHours,
      note: rng.chance(0.1) ? 'Patienten vill helst bli uppringd på förmiddagen.' : null,
    });
  } else if (chronic && p.vc && rng.chance(0.12)) {
    const startDay = Math.min(drawStart(), today - 90);
    const declined = rng.chance(0.6);
    add({
      role: 'fast-vardkontakt',
      roleTitle: null,
      staff: vcNurse(p.vc),
      unit: p.vc.unit,
      reason: declined ? null : 'behov',
      status: declined ? 'declined' : 'ended',
      startDay,
      reviewDay: null,
      endDay: declined ? null : rng.int(startDay + 30, today - 1),
      endReason: declined ? null : 'Behovet har upphört enligt överenskommelse med patienten',
      note: declined ? 'Patienten tackade nej till erbjudandet om fast vårdkontakt.' : null,
    });
  }

  // Fast läkarkontakt i primärvården (HSL 7 kap 3 §): about half of the listed (Region Östergötland, handlingsplan Patientkontrakt 2021: 49 %),
  // most SÄBO residents (target 80 %).
  if (p.vc) {
    const pLakare = p.care === 'sabo' ? 0.8 : 0.42 + (major > 0 ? 0.15 : 0) + (p.age >= 65 ? 0.1 : 0);
    if (rng.chance(pLakare)) {
      const physicians = p.vc.physicians.filter((s) => !s.title.startsWith('ST-'));
      const startDay = rng.int(p.listedSinceDay ?? today - 365, today - 7);
      add({
        role: 'fast-lakarkontakt',
        roleTitle: null,
        staff: prefer(rng, demoStaff.allmanlakare.id, 0.5, physicians),
        unit: p.vc.unit,
        reason: null,
        status: 'active',
        startDay,
        reviewDay: null,
      });
    }
  }

  // Fast omsorgskontakt: the municipal counterpart (Inera's draft model).
  if (p.careUnit && rng.chance(p.care === 'sabo' ? 0.8 : 0.5)) {
    const unit = p.care === 'sabo' ? p.careUnit : p.municipality.hemtjanst;
    const staff = dir.staffAt(unit.id).find((s) => s.profession === 'underskoterska') ?? null;
    add({
      role: 'fast-omsorgskontakt',
      roleTitle: p.care === 'sabo' ? 'Kontaktman' : 'Kontaktman hemtjänst',
      staff,
      unit,
      reason: null,
      status: 'active',
      startDay: drawStart(),
      reviewDay: null,
      reachable: officeHours,
    });
  }

  // Treating roles (behandlande roller, Region Gävleborg, handlingsplan Patientkontrakt 2021): a patient may have several.
  const treat = (title: string, unit: Unit, staff: StaffMember): void =>
    add({
      role: 'behandlande-roll',
      roleTitle: title,
      staff,
      unit,
      reason: null,
      status: 'active',
      startDay: drawStart(),
      reviewDay: null,
      reachable: phoneHours(staff),
    });
  const byTitle = (unit: Unit, title: string): StaffMember[] =>
    dir.staffAt(unit.id).filter((s) => s.title === title);
  if (hasCondition(p, 'diabetes1') && rng.chance(0.7)) {
    const staff = prefer(
      rng,
      demoStaff.diabetesskoterska.id,
      0.6,
      byTitle(dir.clinics.diabetes, treatingTitles.diabetes),
    );
    treat(treatingTitles.diabetes, dir.clinics.diabetes, staff);
  } else if (hasCondition(p, 'diabetes2') && p.vc && rng.chance(0.6)) {
    treat(treatingTitles.diabetes, p.vc.unit, p.vc.diabetesNurse);
  }
  if (hasCondition(p, 'kol') && rng.chance(0.55)) {
    const atClinic = !p.vc || rng.chance(0.2);
    const unit = atClinic ? dir.clinics.lung : (p.vc as Vardcentral).unit;
    treat(
      treatingTitles.kol,
      unit,
      atClinic ? rng.pick(byTitle(unit, treatingTitles.kol)) : (p.vc as Vardcentral).kolNurse,
    );
  }
  if (hasCondition(p, 'hjartsvikt') && rng.chance(0.5)) {
    const unit = dir.clinics.kardiologi;
    treat(treatingTitles.hjartsvikt, unit, rng.pick(byTitle(unit, treatingTitles.hjartsvikt)));
  }
  if (hasCondition(p, 'cancer') && rng.chance(0.7)) {
    const unit = dir.clinics.onkologi;
    treat(treatingTitles.cancer, unit, rng.pick(byTitle(unit, treatingTitles.cancer)));
  }
  if (hasCondition(p, 'demens') && rng.chance(0.3)) {
    const unit = dir.clinics.geriatrik;
    treat(treatingTitles.demens, unit, rng.pick(byTitle(unit, treatingTitles.demens)));
  }
  if (municipal && p.age >= 80 && rng.chance(0.2)) {
    const unit = p.municipality.hemsjukvard;
    const at = dir.staffAt(unit.id).find((s) => s.profession === 'arbetsterapeut');
    if (at) treat('Patientansvarig arbetsterapeut', unit, at);
  }
  return contacts;
}

/** The HSA-id a contact is registered by: the holder, or the unit's verksamhetschef. */
export function registeredBy(ctx: GenContext, c: ContactPlan): string {
  if (c.staff) return c.staff.id;
  const chief = ctx.dir
    .staffAt(c.unit.id)
    .find((s) => s.units.some((u) => u.unitId === c.unit.id && u.role === 'verksamhetschef'));
  return chief?.id ?? ctx.dir.staffAt(c.unit.id)[0]?.id ?? 'okänd';
}

/** The care_contact rows of a person; `contactId(n)` gives the uuid of contact n. */
export function contactRows(ctx: GenContext, p: Person, contactId: (n: number) => string): CareContactRow[] {
  return p.contacts.map((c, n): CareContactRow => {
    const created = swedishInstant(c.startDay, 9 + (n % 6), (p.index * 7 + n * 13) % 60);
    return {
      id: contactId(n),
      patient_id: p.id,
      role: c.role,
      role_title: c.roleTitle,
      staff_id: c.staff?.id ?? null,
      unit_id: c.unit.id,
      via_team: c.staff === null,
      phone: c.staff?.phone ?? c.unit.phone,
      reachable: c.reachable,
      reason: c.reason,
      status: c.status,
      start_date: isoOf(c.startDay),
      review_date: c.reviewDay === null ? null : isoOf(c.reviewDay),
      end_date: c.endDay === null ? null : isoOf(c.endDay),
      end_reason: c.endReason,
      note: c.note,
      created_by: registeredBy(ctx, c),
      created_at: created,
      updated_at: c.endDay === null ? created : swedishInstant(c.endDay, 10, 0),
    };
  });
}
