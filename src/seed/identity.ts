/**
 * Who the demo patients are: Skatteverket's official test personnummer first, then reservnummer.
 * A personnummer is never invented: a real person could carry it. The test numbers are drawn by
 * age band, so that the demo population is as old as the patients the product is for (many 65+,
 * Region Gävleborg, handlingsplan Patientkontrakt 2021: chronic illness and complex needs first). Numbers of people over 100 (the list has
 * thousands born 1890–1912) are left out as implausible. When a band runs out, the patient gets
 * a reservnummer with a birth date in the band.
 */
import { parsePatientId, makeReservnummer } from '../domain/personnummer.ts';
import { dayOf, isoOf } from './calendar.ts';
import { Rng } from './random.ts';

export interface Identity {
  identifier: string;
  kind: 'personnummer' | 'reservnummer';
  birthDate: string;
  sex: 'female' | 'male';
}

/** Age bands of the demo population and their shares. */
export const ageBands = [
  { min: 0, max: 17, weight: 0.05 },
  { min: 18, max: 44, weight: 0.17 },
  { min: 45, max: 64, weight: 0.26 },
  { min: 65, max: 79, weight: 0.3 },
  { min: 80, max: 100, weight: 0.22 },
] as const;

/** Seeded reservnummer start here, far from numbers a unit issues by hand from 1 upwards. */
const RESERV_BASE = 7_000_000_000;

/** Parses the CSV shipped in data/ (header `testpersonnummer`, one 12-digit number a line). */
export function parseTestPersonnummerCsv(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => /^\d{12}$/.test(line));
}

/** Hands out identities in a fixed order for a seed: patient n always gets the same one. */
export class IdentityPool {
  private readonly bands: Identity[][];
  private readonly next: number[];
  private readonly today: number;

  /** `exclude`: numbers kept for the fixed demo patients. */
  constructor(
    numbers: readonly string[],
    today: Date,
    todayDay: number,
    seed: number,
    exclude: ReadonlySet<string>,
  ) {
    this.today = todayDay;
    const todayYear = Number(isoOf(todayDay).slice(0, 4));
    this.bands = ageBands.map(() => []);
    for (const value of numbers) {
      if (exclude.has(value)) continue;
      const parsed = parsePatientId(value, today);
      if (!parsed.ok || parsed.id.kind !== 'personnummer' || !parsed.id.birthDate || !parsed.id.sex) continue;
      // Banded by birth year, not exact age, so that the draw order stays the same all year round.
      const age = todayYear - Number(parsed.id.birthDate.slice(0, 4));
      const band = ageBands.findIndex((b) => age >= b.min && age <= b.max);
      if (band >= 0) {
        this.bands[band]?.push({
          identifier: parsed.id.value,
          kind: 'personnummer',
          birthDate: parsed.id.birthDate,
          sex: parsed.id.sex,
        });
      }
    }
    const rng = new Rng(seed, 0x9001);
    for (const band of this.bands) rng.shuffle(band);
    this.next = this.bands.map(() => 0);
  }

  /** How many test personnummer the pool holds. */
  get size(): number {
    return this.bands.reduce((sum, b) => sum + b.length, 0);
  }

  /** The identity of patient `index`; `rng` is the patient's own stream. Call in index order. */
  draw(rng: Rng, index: number): Identity {
    const band = rng.weighted(ageBands.map((b, i) => [i, b.weight] as const));
    const taken = this.next[band] ?? 0;
    const found = this.bands[band]?.[taken];
    if (found) {
      this.next[band] = taken + 1;
      return found;
    }
    const { min, max } = ageBands[band] ?? ageBands[0];
    const age = rng.int(min, max);
    const birthDay = this.today - Math.floor(age * 365.25) - rng.int(1, 364);
    return {
      identifier: makeReservnummer(RESERV_BASE + index),
      kind: 'reservnummer',
      birthDate: isoOf(birthDay),
      sex: rng.chance(0.5) ? 'female' : 'male',
    };
  }
}

/** Day number of an identity's birth date. */
export const birthDayOf = (identity: Identity): number => dayOf(identity.birthDate);
