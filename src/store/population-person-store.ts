/**
 * The imported population register's persons (population_person, migration 018): read by number
 * for a registration or a refresh (services/person-register.ts). Written only by the population
 * import (population-import-store.ts).
 */
import type { RegisterPerson } from '../domain/person-register.ts';
import type { Queryable } from './db.ts';

/** The address columns as a row carries them. */
export interface RegisterAddressRow {
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  municipalityCode: string | null;
}

type PersonRow = Omit<RegisterPerson, 'address'> & RegisterAddressRow;

/** The columns of population_person `pp` as a {@link PersonRow}. */
export const populationPersonColumns = `pp.identifier, pp.identifier_kind as kind, pp.given_name as "givenName",
  pp.family_name as "familyName", pp.birth_date as "birthDate", pp.sex, pp.address_line as "addressLine",
  pp.postal_code as "postalCode", pp.city, pp.municipality_code as "municipalityCode",
  pp.protection, pp.deceased_on as "deceasedOn", pp.moved_out_on as "movedOutOn"`;

/** A row of population_person as the register's person. */
export function registerPersonOf(row: PersonRow): RegisterPerson {
  const { addressLine, postalCode, city, municipalityCode, ...person } = row;
  const hasAddress =
    addressLine !== null || postalCode !== null || city !== null || municipalityCode !== null;
  return {
    ...person,
    protection: person.protection,
    address: hasAddress ? { line: addressLine, postalCode, city, municipalityCode } : null,
  };
}

export function createPopulationPersonStore(db: Queryable) {
  return {
    /** The person with this normalised number, or null when the imported register has none. */
    async find(identifier: string): Promise<RegisterPerson | null> {
      const rows = await db.query<PersonRow>(
        `select ${populationPersonColumns} from population_person pp where pp.identifier = $1`,
        [identifier],
      );
      return rows[0] ? registerPersonOf(rows[0]) : null;
    },
  };
}

export type PopulationPersonStore = ReturnType<typeof createPopulationPersonStore>;
