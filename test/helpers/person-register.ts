/**
 * The imported population register in tests: a person written to population_person as a
 * population import's `person` row would (migration 018), so that a registration finds them.
 */
import type { Protection } from '../../src/domain/person-status.ts';
import { parsePatientId } from '../../src/domain/personnummer.ts';
import type { Db } from '../../src/store/db.ts';

export interface RegisterPersonFacts {
  givenName?: string;
  familyName?: string;
  addressLine?: string | null;
  postalCode?: string | null;
  city?: string | null;
  municipalityCode?: string | null;
  protection?: Protection;
  deceasedOn?: string | null;
  movedOutOn?: string | null;
}

/** Puts (or replaces) the person with `identifier` in the imported register; answers the normalised number. */
export async function addRegisterPerson(
  db: Db,
  identifier: string,
  facts: RegisterPersonFacts = {},
): Promise<string> {
  const parsed = parsePatientId(identifier, new Date());
  if (!parsed.ok || parsed.id.kind === 'reservnummer')
    throw new Error(`not a register number: ${identifier}`);
  const id = parsed.id;
  const hidden = facts.protection === 'skyddad-folkbokforing';
  await db.query(
    `insert into population_person (identifier, identifier_kind, given_name, family_name, birth_date, sex,
       address_line, postal_code, city, municipality_code, protection, deceased_on, moved_out_on, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now())
     on conflict (identifier) do update set given_name = excluded.given_name, family_name = excluded.family_name,
       address_line = excluded.address_line, postal_code = excluded.postal_code, city = excluded.city,
       municipality_code = excluded.municipality_code, protection = excluded.protection,
       deceased_on = excluded.deceased_on, moved_out_on = excluded.moved_out_on, updated_at = now()`,
    [
      id.value,
      id.kind,
      facts.givenName ?? 'Registrerad',
      facts.familyName ?? 'Person',
      id.birthDate,
      id.sex,
      hidden ? null : facts.addressLine === undefined ? 'Storgatan 1' : facts.addressLine,
      hidden ? null : facts.postalCode === undefined ? '58185' : facts.postalCode,
      hidden ? null : facts.city === undefined ? 'Linköping' : facts.city,
      hidden ? null : facts.municipalityCode === undefined ? '0580' : facts.municipalityCode,
      facts.protection ?? 'none',
      facts.deceasedOn ?? null,
      facts.movedOutOn ?? null,
    ],
  );
  return id.value;
}
