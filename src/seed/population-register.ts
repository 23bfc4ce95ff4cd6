/**
 * The demo's imported population register (population_person, migration 018), so that the demo
 * registers a patient by personnummer as a region would: every demo patient with a personnummer
 * as the register would give them, and `REGISTER_ONLY` more people, Skatteverket test personnummer
 * that are not patients yet, with names from the word lists and a made-up address. Written once;
 * a re-run keeps what is there.
 */
import type { RegisterPerson } from '../domain/person-register.ts';
import { parsePatientId } from '../domain/personnummer.ts';
import type { Db } from '../store/db.ts';
import { createPopulationPersonStore } from '../store/population-person-store.ts';
import {
  familyNames,
  femaleNamesOlder,
  femaleNamesYounger,
  maleNamesOlder,
  maleNamesYounger,
} from './names.ts';

/** People in the demo's register who are not patients: enough to register a few by number. */
export const REGISTER_ONLY = 200;

/**
 * Fills the register. `testPersonnummer` is the shipped list; the people who are not patients
 * are taken from its start, skipping the demo's patients, so the same ones every time.
 */
export async function seedPopulationRegister(
  db: Db,
  testPersonnummer: readonly string[],
  today: Date,
): Promise<number> {
  const patients = new Set(
    (
      await db.query<{ identifier: string }>(
        "select identifier from patient where identifier_kind <> 'reservnummer'",
      )
    ).map((r) => r.identifier),
  );
  const others: RegisterPerson[] = [];
  for (const number of testPersonnummer) {
    if (others.length >= REGISTER_ONLY) break;
    if (patients.has(number)) continue;
    const parsed = parsePatientId(number, today);
    if (!parsed.ok || parsed.id.kind === 'reservnummer') continue;
    const i = others.length;
    const isOlder = (parsed.id.birthDate ?? '') < '1965';
    const given =
      parsed.id.sex === 'female'
        ? (isOlder ? femaleNamesOlder : femaleNamesYounger)[i % 30]!
        : (isOlder ? maleNamesOlder : maleNamesYounger)[i % 30]!;
    others.push({
      identifier: parsed.id.value,
      kind: parsed.id.kind,
      givenName: given,
      familyName: familyNames[(i * 7) % familyNames.length]!,
      birthDate: parsed.id.birthDate,
      sex: parsed.id.sex,
      address: {
        line: `Exempelgatan ${i + 1}`,
        postalCode: '12345',
        city: 'Exempelstad',
        municipalityCode: null,
      },
      protection: 'none',
      deceasedOn: null,
      movedOutOn: null,
    });
  }
  return createPopulationPersonStore(db).seedDemo(others, today.toISOString());
}
