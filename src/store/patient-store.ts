/** Patients: identity, listing at a vårdcentral, chronic diagnoses. */
import type { Actor } from '../domain/actor.ts';
import type { PatientDiagnosis } from '../domain/diagnosis.ts';
import type { Protection } from '../domain/person-status.ts';
import type { PatientIdKind } from '../domain/personnummer.ts';
import { DomainError } from '../domain/errors.ts';
import { mayBeVisibleSql, mayBeVisibleToProviderSql } from './access-facts-store.ts';
import type { Queryable } from './db.ts';
import { isUniqueViolation } from './pg-errors.ts';
import { listedNameSql } from './person-status-store.ts';
import { patientVersionReads } from './patient-version-store.ts';

export interface Patient {
  id: string;
  identifier: string;
  identifierKind: PatientIdKind;
  givenName: string;
  familyName: string;
  birthDate: string | null;
  sex: 'female' | 'male' | null;
  phone: string | null;
  listedUnitId: string | null;
  listedSince: string | null;
  /** The current diagnoses (not ended), with the unit that made each when the region's data says. */
  diagnoses: PatientDiagnosis[];
  version: number;
  /**
   * From the population register (domain/person-status.ts): the protection marker, the day of
   * death and of a move out of the region. The address is never read into a Patient: it leaves
   * the server nowhere (security.md, Skyddade personuppgifter).
   */
  protection: Protection;
  deceasedOn: string | null;
  movedOutOn: string | null;
}

export interface NewPatient {
  identifier: string;
  identifierKind: PatientIdKind;
  givenName: string;
  familyName: string;
  birthDate: string | null;
  sex: 'female' | 'male' | null;
  phone?: string | null | undefined;
  listedUnitId?: string | null | undefined;
  listedSince?: string | null | undefined;
  diagnoses?: { icd10: string; since?: string | null | undefined }[] | undefined;
  /** What the population register said at registration (migration 017); absent for a reservnummer. */
  register?: NewPatientRegisterFacts | undefined;
}

/** The register's facts a new patient is written with (services/patient-registration.ts). */
export interface NewPatientRegisterFacts {
  source: 'import' | 'personuppgiftstjansten';
  /** When the register was read (ISO). */
  checkedAt: string;
  address: {
    line: string | null;
    postalCode: string | null;
    city: string | null;
    municipalityCode: string | null;
  } | null;
  protection: Protection;
  deceasedOn: string | null;
  movedOutOn: string | null;
}

export const patientColumns = `p.id, p.identifier, p.identifier_kind as "identifierKind", p.given_name as "givenName",
  p.family_name as "familyName", p.birth_date as "birthDate", p.sex, p.phone,
  p.listed_unit_id as "listedUnitId", p.listed_since as "listedSince", p.version,
  p.protection, p.deceased_on as "deceasedOn", p.moved_out_on as "movedOutOn",
  coalesce((select json_agg(json_build_object('icd10', d.icd10, 'since', d.since, 'sourceUnitId', d.source_unit_id,
      'sourceUnitName', (select u.name from care_unit u where u.id = d.source_unit_id)) order by d.icd10)
    from patient_diagnosis d where d.patient_id = p.id and d.ended_on is null), '[]') as diagnoses`;

export function createPatientStore(db: Queryable & { transaction?: unknown }) {
  return {
    /** The versions FHIR Patient shows (migration 027): store/patient-version-store.ts. */
    ...patientVersionReads(db),

    async findById(id: string, tx: Queryable = db): Promise<Patient | null> {
      if (!isUuid(id)) return null;
      const rows = await tx.query<Patient>(`select ${patientColumns} from patient p where p.id = $1`, [id]);
      return rows[0] ?? null;
    },

    /** Names of the patients with these identifiers, in the order given (the development login's list). */
    async namesByIdentifiers(
      identifiers: readonly string[],
    ): Promise<{ personnummer: string; name: string }[]> {
      return db.query<{ personnummer: string; name: string }>(
        `select p.identifier as personnummer, ${listedNameSql('p')} as name from patient p
         where p.identifier = any($1::text[]) order by array_position($1::text[], p.identifier)`,
        [identifiers],
      );
    },

    /**
     * The patient with this number; a reservnummer merged into a real number (migration 018)
     * finds the person it was merged into.
     */
    async findByIdentifier(identifier: string): Promise<Patient | null> {
      const rows = await db.query<Patient>(
        `select ${patientColumns} from patient p
          where p.id = (select coalesce(x.merged_into, x.id) from patient x where x.identifier = $1)`,
        [identifier],
      );
      return rows[0] ?? null;
    },

    /** The id a patient id stands for now: the survivor of a merged reservnummer, else itself. */
    async resolveId(id: string): Promise<string> {
      if (!isUuid(id)) return id;
      const rows = await db.query<{ id: string }>(
        'select coalesce(merged_into, id) as id from patient where id = $1',
        [id],
      );
      return rows[0]?.id ?? id;
    },

    /**
     * A reservnummer not yet taken: `prefix` and the next number of reservnummer_seq (migration
     * 018), skipping numbers already held (the demo's, an imported one).
     */
    async nextReservnummer(tx: Queryable, prefix: string): Promise<string> {
      const rows = await tx.query<{ identifier: string }>(
        `with recursive n(v) as (select nextval('reservnummer_seq')
           union all select nextval('reservnummer_seq') from n
            where exists (select 1 from patient where identifier = $1::text || lpad(n.v::text, 10, '0')))
         select $1::text || lpad(max(v)::text, 10, '0') as identifier from n`,
        [prefix],
      );
      return rows[0]!.identifier;
    },

    /**
     * The register's name and the time it was read, on a known patient (a refresh); the version
     * moves only when the name changed. The protection, death, move and address go through
     * services/person-status-service.ts. Answers whether the name changed.
     */
    async writeRegisterName(
      tx: Queryable,
      id: string,
      person: { givenName: string; familyName: string; source: string; checkedAt: string },
    ): Promise<boolean> {
      const rows = await tx.query<{ changed: boolean }>(
        `with old as (select id, given_name, family_name from patient where id = $1 for update)
         update patient p set given_name = $2, family_name = $3, register_source = $4, register_checked_at = $5,
           version = p.version + case when (old.given_name, old.family_name) is distinct from ($2::text, $3::text)
                                      then 1 else 0 end
           from old where p.id = old.id
          returning (old.given_name, old.family_name) is distinct from ($2::text, $3::text) as changed`,
        [id, person.givenName, person.familyName, person.source, person.checkedAt],
      );
      return rows[0]?.changed ?? false;
    },

    /**
     * One batch of a patient search, among the patients `actor` may see by `mayBeVisibleSql` (so
     * that LIMIT counts those, not every match), in a stable order (family name, given name, id)
     * after the patient `afterId`. `name`: every word must match the start of the given or family
     * name; `ids`: only these patients. The caller still decides access per result.
     */
    async searchFor(
      actor: Actor,
      query: { name?: string | undefined; ids?: readonly string[] | undefined },
      page: { afterId: string | null; limit: number },
    ): Promise<Patient[]> {
      const words = (query.name ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 4);
      const ids = query.ids?.filter(isUuid);
      if (words.length === 0 && ids === undefined) return [];
      if (ids?.length === 0 || (page.afterId !== null && !isUuid(page.afterId))) return [];
      // $1–$3 the actor, $4 the ids, $5 the cursor, $6… the words.
      const nameClauses = words.map(
        (_, i) => `(lower(p.given_name) like $${i + 6} || '%' or lower(p.family_name) like $${i + 6} || '%')`,
      );
      return db.query<Patient>(
        `select ${patientColumns} from patient p
         where ${
           actor.kind === 'system'
             ? // $1 and $3 (nulls) are named so that every parameter has a type.
               `${mayBeVisibleToProviderSql('$2')} and $1::text is null and $3::uuid is null`
             : mayBeVisibleSql('$1', '$2', '$3')
         }
           and ($4::uuid[] is null or p.id = any($4::uuid[]))
           and ($5::uuid is null or (p.family_name, p.given_name, p.id) >
             (select a.family_name, a.given_name, a.id from patient a where a.id = $5::uuid))
           ${nameClauses.map((c) => `and ${c}`).join(' ')}
           ${
             // A protected person is never found by name (security.md, Skyddade personuppgifter): only
             // by their number, or by id.
             nameClauses.length > 0 ? `and p.protection = 'none'` : ''
           }
         order by p.family_name, p.given_name, p.id
         limit ${Math.min(Math.max(page.limit, 1), 1000)}`,
        [
          actor.kind === 'staff' ? actor.staffId : null,
          // A system client's care provider takes the unit's place (mayBeVisibleToProviderSql).
          actor.kind === 'staff' ? actor.unitId : actor.kind === 'system' ? actor.providerId : null,
          actor.kind === 'patient' ? actor.patientId : null,
          ids ?? null,
          page.afterId,
          ...words.map(escapeLike),
        ],
      );
    },

    /** Inserts a patient with its diagnoses; the caller runs this in a transaction. */
    async create(tx: Queryable, patient: NewPatient): Promise<string> {
      try {
        const facts = patient.register;
        const rows = await tx.query<{ id: string }>(
          `insert into patient (identifier, identifier_kind, given_name, family_name, birth_date, sex, phone,
             listed_unit_id, listed_since, address_line, postal_code, city, municipality_code, protection,
             deceased_on, moved_out_on, register_source, register_checked_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, coalesce($14, 'none'), $15, $16, $17, $18)
           returning id`,
          [
            patient.identifier,
            patient.identifierKind,
            patient.givenName,
            patient.familyName,
            patient.birthDate,
            patient.sex,
            patient.phone ?? null,
            patient.listedUnitId ?? null,
            patient.listedSince ?? null,
            facts?.address?.line ?? null,
            facts?.address?.postalCode ?? null,
            facts?.address?.city ?? null,
            facts?.address?.municipalityCode ?? null,
            facts?.protection ?? null,
            facts?.deceasedOn ?? null,
            facts?.movedOutOn ?? null,
            facts?.source ?? null,
            facts?.checkedAt ?? null,
          ],
        );
        const id = rows[0]!.id;
        for (const d of patient.diagnoses ?? []) {
          await tx.query('insert into patient_diagnosis (patient_id, icd10, since) values ($1, $2, $3)', [
            id,
            d.icd10,
            d.since ?? null,
          ]);
        }
        return id;
      } catch (error) {
        if (isUniqueViolation(error, 'patient_identifier_key')) throw new DomainError('patient_exists');
        throw error;
      }
    },
  };
}

export type PatientStore = ReturnType<typeof createPatientStore>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids that are not uuids cannot exist; answering "not found" early keeps them out of SQL casts. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
