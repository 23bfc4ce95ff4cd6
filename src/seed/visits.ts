/**
 * Visits and contacts of a demo patient over the last two years, and the municipalities'
 * register periods (SÄBO, hemsjukvård), for follow-up.
 *
 * Physician visits at the vårdcentral go to the patient's usual doctor (the named fast
 * läkarkontakt, else one doctor drawn once) with a probability that is a property of the unit:
 * some vårdcentraler keep their patients with one doctor, others spread them over colleagues and
 * locums. So continuity varies between units as it does in Region Östergötland, handlingsplan Patientkontrakt 2021 (0.18–0.48). Some contacts are
 * medical assessments with the day the patient sought care, a few days before (förstärkt
 * vårdgaranti). Drawn from a stream of their own (from the patient's uuid), so the rest of the
 * demo data is unchanged.
 */
import { swedishInstant, workdayFrom, isoOf } from './calendar.ts';
import type { StaffMember, Unit } from './directory.ts';
import { majorCount, type GenContext, type Person } from './patients.ts';
import { mix32, Rng } from './random.ts';

/** A row of the visit table. */
export interface VisitRow {
  patient_id: string;
  at: string;
  staff_id: string;
  unit_id: string;
  profession: string;
  contact_type: 'besok' | 'telefon' | 'video' | 'hembesok';
  is_assessment: boolean;
  sought_on: string | null;
}

/** A row of register_period (SÄBO residence, home-care enrolment). */
export interface RegisterRow {
  patient_id: string;
  kind: 'sabo' | 'hemsjukvard';
  unit_id: string;
  valid_from: string;
  valid_to: string | null;
}

const VISIT_STREAM = 0x7151;
const HISTORY_DAYS = 730;

/** A 32-bit hash of a text (the patient's uuid already depends on the seed). */
function hashOf(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = mix32(h, text.charCodeAt(i));
  return h;
}

/** How strongly a unit keeps patients with their own doctor: 0.1–0.6, fixed per unit. */
export function unitContinuity(unitId: string): number {
  return 0.1 + (hashOf(unitId) / 2 ** 32) * 0.5;
}

/** Days from seeking care to the medical assessment: most within 3, a tail beyond. */
const assessmentDelays: readonly (readonly [number, number])[] = [
  [0, 30],
  [1, 25],
  [2, 14],
  [3, 11],
  [4, 7],
  [5, 5],
  [7, 5],
  [10, 3],
];

/** The register periods of a patient: where they live (SÄBO) or whether home care is enrolled. */
export function registerRows(ctx: GenContext, p: Person): RegisterRow[] {
  if (!p.careUnit || (p.care !== 'sabo' && p.care !== 'hemsjukvard')) return [];
  const rng = new Rng(mix32(hashOf(p.id), VISIT_STREAM, 2), p.index);
  return [
    {
      patient_id: p.id,
      kind: p.care,
      unit_id: p.careUnit.id,
      valid_from: isoOf(ctx.today - rng.int(30, 1800)),
      valid_to: null,
    },
  ];
}

/** The visits of a patient in the two years before the seeding day. */
export function drawVisits(ctx: GenContext, p: Person): VisitRow[] {
  const rng = new Rng(mix32(hashOf(p.id), VISIT_STREAM), p.index);
  const visits: VisitRow[] = [];
  const taken = new Set<string>();
  const start = ctx.today - HISTORY_DAYS;
  const add = (
    day: number,
    staff: StaffMember,
    unit: Unit,
    type: VisitRow['contact_type'],
    assess: boolean,
  ): void => {
    const d = workdayFrom(day);
    if (d >= ctx.today) return;
    const at = swedishInstant(d, rng.int(8, 15), rng.pick([0, 15, 30, 45]));
    if (taken.has(`${at}|${staff.id}`)) return;
    taken.add(`${at}|${staff.id}`);
    const delay = assess ? rng.weighted(assessmentDelays) : 0;
    visits.push({
      patient_id: p.id,
      at,
      staff_id: staff.id,
      unit_id: unit.id,
      profession: staff.profession,
      contact_type: type,
      is_assessment: assess,
      sought_on: assess ? isoOf(d - delay) : null,
    });
  };
  const count = (perYear: number): number => {
    let n = 0;
    for (let i = 0; i < Math.ceil(perYear * 4); i++) if (rng.chance(0.5)) n += 1;
    return n;
  };

  const vc = p.vc;
  if (vc && vc.physicians.length > 0) {
    const major = majorCount(p);
    const perYear =
      0.4 +
      0.9 * major +
      (p.age >= 75 ? 0.8 : 0) +
      (p.care === 'sabo' ? 2 : p.care === 'hemsjukvard' ? 1 : 0);
    const named = p.contacts.find((c) => c.role === 'fast-lakarkontakt' && c.status === 'active')?.staff;
    const usual = named ?? rng.pick(vc.physicians);
    const keep = Math.min(0.95, unitContinuity(vc.unit.id) + (named ? 0.1 : 0));
    // Visits not kept with the usual doctor go to a colleague or, half of the time, a locum
    // (hyrläkare: HSA-ids outside the directory, as in real extracts).
    const locum = (): StaffMember => ({
      ...usual,
      id: `${vc.unit.id}-H${rng.int(1, 6)}`,
      title: 'Hyrläkare',
    });
    for (let i = count(perYear); i > 0; i--) {
      const doctor = rng.chance(keep) ? usual : rng.chance(0.5) ? locum() : rng.pick(vc.physicians);
      const home = (p.care === 'sabo' || p.care === 'hemsjukvard') && rng.chance(0.6);
      const type = home
        ? 'hembesok'
        : rng.weighted([
            ['besok', 75],
            ['telefon', 15],
            ['video', 10],
          ] as const);
      add(rng.int(start, ctx.today - 1), doctor, vc.unit, type, !home && rng.chance(0.3));
    }
    // Nurses: telephone advice and visits, more for the chronically ill.
    const nurses = [...vc.nurses, vc.diabetesNurse, vc.kolNurse].filter(
      (n): n is StaffMember => n !== undefined,
    );
    if (nurses.length > 0) {
      for (let i = count(0.5 + 0.8 * major); i > 0; i--) {
        add(
          rng.int(start, ctx.today - 1),
          rng.pick(nurses),
          vc.unit,
          rng.chance(0.5) ? 'telefon' : 'besok',
          false,
        );
      }
    }
  }
  // Specialist care for the sicker: visits at the hospital's clinics (not primary care).
  if (majorCount(p) >= 2 && rng.chance(0.5)) {
    const clinic = rng.pick(Object.values(ctx.dir.clinics));
    const doctors = ctx.dir.staffAt(clinic.id).filter((s) => s.profession === 'lakare');
    if (doctors.length > 0) {
      for (let i = rng.int(1, 3); i > 0; i--)
        add(rng.int(start, ctx.today - 1), rng.pick(doctors), clinic, 'besok', false);
    }
  }
  return visits;
}
