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
    /**
     * The demo's imported register (src/seed/population-register.ts): every patient with a
     * personnummer or samordningsnummer as the register would give them, and `others` who are
     * not patients yet. What is there already is kept. Answers the persons written.
     */
    async seedDemo(others: readonly RegisterPerson[], at: string): Promise<number> {
      const fromPatients = await db.query<{ n: number }>(
        `with ins as (
           insert into population_person (identifier, identifier_kind, given_name, family_name, birth_date, sex,
             address_line, postal_code, city, municipality_code, protection, deceased_on, moved_out_on, updated_at)
           select identifier, identifier_kind, given_name, family_name, birth_date, sex, address_line, postal_code,
                  city, municipality_code, protection, deceased_on, moved_out_on, $1::timestamptz
             from patient where identifier_kind <> 'reservnummer' and merged_into is null
           on conflict (identifier) do nothing returning 1)
         select count(*)::int as n from ins`,
        [at],
      );
      const added = await db.query<{ n: number }>(
        `with ins as (
           insert into population_person (identifier, identifier_kind, given_name, family_name, birth_date, sex,
             address_line, postal_code, city, municipality_code, protection, deceased_on, moved_out_on, updated_at)
           select p.identifier, p.kind, p."givenName", p."familyName", p."birthDate"::date, p.sex,
                  p.address->>'line', p.address->>'postalCode', p.address->>'city', p.address->>'municipalityCode',
                  p.protection, p."deceasedOn"::date, p."movedOutOn"::date, $2::timestamptz
             from json_to_recordset($1::json) as p(identifier text, kind text, "givenName" text, "familyName" text,
                  "birthDate" text, sex text, address json, protection text, "deceasedOn" text, "movedOutOn" text)
           on conflict (identifier) do nothing returning 1)
         select count(*)::int as n from ins`,
        [JSON.stringify(others), at],
      );
      return (fromPatients[0]?.n ?? 0) + (added[0]?.n ?? 0);
    },

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
