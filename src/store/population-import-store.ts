/**
 * Imports of the population register (docs/imports.md): listings, SÄBO, home care and the named
 * fast läkarkontakt, staged in stage_population and written as the register's current state and
 * periods, upserted so that a re-import changes nothing. Rows with names add the person, and so
 * does a period of a person the register holds. `person` rows (folkbokföringen's extract) go to
 * population_person (migration 018), whether or not the person is a patient; a patient's name
 * follows them here, and `after` (services/person-register.ts) applies the rest of the facts.
 */
import { physicianProfessions } from '../domain/care-contact.ts';
import type { PopulationRecord, ReadTally } from '../domain/import-formats.ts';
import type { RegisterPerson } from '../domain/person-register.ts';
import { writeRegisterFastLakarkontakter } from './care-contact-store.ts';
import type { Db, Queryable } from './db.ts';
import { stage } from './import-staging.ts';
import {
  collectErrors,
  Rollback,
  runImport,
  type ImportMeta,
  type ImportResult,
  type WorkDone,
} from './import-run-store.ts';
import { namedSql } from './named-sql.ts';
import {
  populationPersonColumns,
  registerPersonOf,
  type RegisterAddressRow,
} from './population-person-store.ts';

/**
 * What else a population import does in its transaction, once it is written: the patients whose
 * register facts (protection, death, move-out, address) now differ from what their row holds,
 * each with the register's person, to apply with their consequences.
 */
export type AfterPopulation = (
  tx: Queryable,
  changed: { patientId: string; person: RegisterPerson }[],
) => Promise<void>;

export function createPopulationImportStore(db: Db) {
  return {
    /** Imports periods and persons of the population register. */
    async importPopulation(
      chunks: AsyncIterable<PopulationRecord[]>,
      tally: ReadTally,
      meta: ImportMeta,
      after?: AfterPopulation,
    ): Promise<ImportResult> {
      return runImport(db, 'population', tally, meta, async (tx, importId) => {
        await tx.exec(`create temp table stage_population (
        line integer, kind text, identifier text, identifier_kind text, birth_date date, sex text, unit_id text,
        staff_id text, from_day date, to_day date, given_name text, family_name text,
        address_line text, postal_code text, city text, municipality_code text, protection text,
        deceased_on date, moved_out_on date, ok boolean default true)
        on commit drop`);
        const staged = await stage(
          tx,
          'stage_population',
          [
            ['line', 'integer'],
            ['kind', 'text'],
            ['identifier', 'text'],
            ['identifier_kind', 'text'],
            ['birth_date', 'date'],
            ['sex', 'text'],
            ['unit_id', 'text'],
            ['staff_id', 'text'],
            ['from_day', 'date'],
            ['to_day', 'date'],
            ['given_name', 'text'],
            ['family_name', 'text'],
            ['address_line', 'text'],
            ['postal_code', 'text'],
            ['city', 'text'],
            ['municipality_code', 'text'],
            ['protection', 'text'],
            ['deceased_on', 'date'],
            ['moved_out_on', 'date'],
          ],
          chunks,
          (r) => [
            r.line,
            r.kind,
            r.identifier,
            r.identifierKind,
            r.birthDate,
            r.sex,
            r.unitId,
            r.staffId,
            r.from,
            r.to,
            r.givenName,
            r.familyName,
            r.person?.addressLine ?? null,
            r.person?.postalCode ?? null,
            r.person?.city ?? null,
            r.person?.municipalityCode ?? null,
            r.person?.protection ?? null,
            r.person?.deceasedOn ?? null,
            r.person?.movedOutOn ?? null,
          ],
        );
        if (tally.isUnreadable) return { imported: 0, updated: 0, staged, unresolved: 0, createdPersons: 0 };
        const done = await writePopulation(tx, tally, meta, importId, staged);
        if (after) await after(tx, await changedRegisterFacts(tx));
        return done;
      });
    },
  };
}

/**
 * Rows of stage_population that cannot be written: line, field, message. `:physicians` the
 * professions that count as physicians (`domain/care-contact.ts#physicianProfessions`: a fast
 * läkarkontakt is a physician).
 */
const populationErrorsSql = `
  select s.line, 'personnummer' as field,
         'Personen finns inte i registret; ange förnamn och efternamn så läggs personen upp.' as message
    from stage_population s where s.kind <> 'person'
     and not exists (select 1 from patient p where p.identifier = s.identifier)
  union all
  select p.line, 'personnummer', 'Personen finns redan på rad ' || p.first_line || ' i filen, med andra uppgifter.'
    from (select s.line, first_value(s.line) over w as first_line,
                 row(s.given_name, s.family_name, s.address_line, s.postal_code, s.city, s.municipality_code,
                     s.protection, s.deceased_on, s.moved_out_on)::text as facts,
                 first_value(row(s.given_name, s.family_name, s.address_line, s.postal_code, s.city,
                     s.municipality_code, s.protection, s.deceased_on, s.moved_out_on)::text) over w as first_facts
            from stage_population s where s.kind = 'person'
          window w as (partition by s.identifier order by s.line)) p
   where p.line <> p.first_line and p.facts <> p.first_facts
  union all
  select s.line, 'enhet', case when u.id is null then 'Vårdenheten finns inte.'
                              else 'Enheten är av fel slag för ' || s.kind || ' (den är ' || u.kind || ').' end
    from stage_population s left join care_unit u on u.id = s.unit_id
   where s.kind <> 'person'
     and (u.id is null or u.kind <> case s.kind when 'sabo' then 'sabo' when 'hemsjukvard' then 'hemsjukvard'
                                                 else 'vardcentral' end)
  union all
  select s.line, 'personal', case when st.id is null then 'Medarbetaren finns inte.'
                                  else 'En fast läkarkontakt måste vara läkare.' end
    from stage_population s left join staff st on st.id = s.staff_id
   where s.kind = 'fast-lakarkontakt' and (st.id is null or st.profession <> all(:physicians::text[]))
  union all
  select s.line, 'typ', 'Personen har två pågående perioder av typen ' || s.kind || ' i filen.'
    from stage_population s
   where s.kind in ('listning', 'fast-lakarkontakt') and s.to_day is null
     and exists (select 1 from stage_population o where o.identifier = s.identifier and o.kind = s.kind
                  and o.to_day is null and o.line < s.line
                  and (o.unit_id, coalesce(o.staff_id, ''), o.from_day)
                      <> (s.unit_id, coalesce(s.staff_id, ''), s.from_day))`;

const markUnresolved = namedSql(
  `update stage_population set ok = false where line in (select line from (${populationErrorsSql}) e)`,
  ['physicians'],
);

/**
 * The `person` rows into population_person, upserted on the number: a row that says what the
 * register already holds changes nothing (and is counted as a duplicate). Only the first of a
 * person's rows in the file counts; a later one with other facts is an error (above).
 * $1 the import, $2 its instant.
 */
const upsertPersonsSql = `
  with up as (
    insert into population_person as pp (identifier, identifier_kind, given_name, family_name, birth_date, sex,
      address_line, postal_code, city, municipality_code, protection, deceased_on, moved_out_on, import_id, updated_at)
    select distinct on (s.identifier) s.identifier, s.identifier_kind, s.given_name, s.family_name, s.birth_date,
           s.sex, s.address_line, s.postal_code, s.city, s.municipality_code, s.protection, s.deceased_on,
           s.moved_out_on, $1::bigint, $2::timestamptz
      from stage_population s
     where s.kind = 'person' and s.ok
     order by s.identifier, s.line
    on conflict (identifier) do update set
      given_name = excluded.given_name, family_name = excluded.family_name,
      address_line = excluded.address_line, postal_code = excluded.postal_code, city = excluded.city,
      municipality_code = excluded.municipality_code, protection = excluded.protection,
      deceased_on = excluded.deceased_on, moved_out_on = excluded.moved_out_on,
      import_id = excluded.import_id, updated_at = excluded.updated_at
     where (pp.given_name, pp.family_name, pp.address_line, pp.postal_code, pp.city, pp.municipality_code,
            pp.protection, pp.deceased_on, pp.moved_out_on)
           is distinct from (excluded.given_name, excluded.family_name, excluded.address_line, excluded.postal_code,
            excluded.city, excluded.municipality_code, excluded.protection, excluded.deceased_on,
            excluded.moved_out_on)
    returning (xmax = 0) as inserted)
  select count(*) filter (where inserted)::int as imported, count(*) filter (where not inserted)::int as updated
    from up`;

/**
 * The patients whose row says other than the register now does about protection, death,
 * move-out or address: the facts `after` applies (domain/person-status.ts).
 */
async function changedRegisterFacts(tx: Queryable): Promise<{ patientId: string; person: RegisterPerson }[]> {
  const rows = await tx.query<{ patientId: string } & Omit<RegisterPerson, 'address'> & RegisterAddressRow>(
    `select p.id as "patientId", ${populationPersonColumns}
       from population_person pp join patient p on p.identifier = pp.identifier
      where p.merged_into is null
        and (p.protection, p.deceased_on, p.moved_out_on, p.address_line, p.postal_code, p.city, p.municipality_code)
            is distinct from (pp.protection, pp.deceased_on, pp.moved_out_on, pp.address_line, pp.postal_code,
                              pp.city, pp.municipality_code)
        and pp.identifier in (select identifier from stage_population where kind = 'person' and ok)`,
  );
  return rows.map(({ patientId, ...row }) => ({ patientId, person: registerPersonOf(row) }));
}

/** The professions that count as physicians, as the statements take them. */
const physicians = [...physicianProfessions];

type Counts = { imported: number; updated: number }[];

/** The population rows, from the staging table into the register. */
async function writePopulation(
  tx: Queryable,
  tally: ReadTally,
  meta: ImportMeta,
  importId: number,
  staged: number,
): Promise<WorkDone> {
  const counts = { imported: 0, updated: 0 };
  const add = (rows: Counts): void => {
    counts.imported += rows[0]?.imported ?? 0;
    counts.updated += rows[0]?.updated ?? 0;
  };
  // The register's persons first: a period of a person it holds adds them as a patient below.
  // A person given twice with different facts is an error (below), and is not written.
  add(await tx.query(upsertPersonsSql, [importId, meta.startedAt.toISOString()]));
  // New persons: rows with names for an identifier the register does not have, or a period of a
  // person population_person holds (then with the register's name, address and markers).
  const created = await tx.query<{ n: number }>(
    `with ins as (
       insert into patient (identifier, identifier_kind, given_name, family_name, birth_date, sex,
         address_line, postal_code, city, municipality_code, protection, deceased_on, moved_out_on,
         register_source, register_checked_at)
       select distinct on (s.identifier) s.identifier, s.identifier_kind,
              coalesce(pp.given_name, s.given_name), coalesce(pp.family_name, s.family_name), s.birth_date, s.sex,
              pp.address_line, pp.postal_code, pp.city, pp.municipality_code, coalesce(pp.protection, 'none'),
              pp.deceased_on, pp.moved_out_on, case when pp.identifier is not null then 'import' end,
              case when pp.identifier is not null then $1::timestamptz end
         from stage_population s left join population_person pp on pp.identifier = s.identifier
        where s.kind <> 'person' and (s.given_name is not null or pp.identifier is not null)
          and not exists (select 1 from patient p where p.identifier = s.identifier)
        order by s.identifier, s.line
       on conflict (identifier) do nothing returning 1)
     select count(*)::int as n from ins`,
    [meta.startedAt.toISOString()],
  );
  const unresolved = await collectErrors(tx, tally, populationErrorsSql, { physicians });
  if (tally.errorCount > 0 && meta.mode === 'all-or-nothing') throw new Rollback();
  if (unresolved > 0) {
    await tx.query(markUnresolved.text, markUnresolved.params({ physicians }));
  }
  // A patient's name follows the register (the other facts: `after`, with their consequences).
  // (Not counted: the person row that brought it is counted above.)
  await tx.query(
    `update patient p set given_name = pp.given_name, family_name = pp.family_name, version = p.version + 1
       from population_person pp
      where pp.identifier = p.identifier and p.merged_into is null
        and pp.identifier in (select identifier from stage_population where kind = 'person' and ok)
        and (p.given_name, p.family_name) is distinct from (pp.given_name, pp.family_name)`,
  );

  // Current listings: through patient.listed_unit_id, whose trigger keeps the history.
  add(
    await tx.query(
      `with cur as (
         select distinct on (s.identifier) s.identifier, s.unit_id, s.from_day
           from stage_population s where s.ok and s.kind = 'listning' and s.to_day is null
          order by s.identifier, s.from_day desc, s.line),
       old as (select p.id, p.listed_unit_id from patient p join cur on p.identifier = cur.identifier),
       up as (
         update patient p set listed_unit_id = cur.unit_id, listed_since = cur.from_day
           from cur where p.identifier = cur.identifier
            and (p.listed_unit_id is distinct from cur.unit_id or p.listed_since is distinct from cur.from_day)
         returning p.id)
       select count(*) filter (where old.listed_unit_id is null)::int as imported,
              count(*) filter (where old.listed_unit_id is not null)::int as updated
         from up join old on old.id = up.id`,
    ),
  );
  // An ended listing that is the current one: the person is listed no more. (Its own statement,
  // so the history trigger has run before the period gets its end date below.)
  await tx.query(
    `update patient p set listed_unit_id = null
       from stage_population s
      where s.ok and s.kind = 'listning' and s.to_day is not null and p.identifier = s.identifier
        and p.listed_unit_id = s.unit_id and p.listed_since = s.from_day`,
  );
  // Ended listings, SÄBO and home care: periods, upserted on (person, kind, unit, from).
  add(
    await tx.query(
      `with up as (
         insert into register_period (patient_id, kind, unit_id, valid_from, valid_to, import_id)
         select distinct on (p.id, s.kind, s.unit_id, s.from_day)
                p.id, s.kind, s.unit_id, s.from_day, s.to_day, $1::bigint
           from stage_population s join patient p on p.identifier = s.identifier
          where s.ok and (s.kind in ('sabo', 'hemsjukvard') or (s.kind = 'listning' and s.to_day is not null))
          order by p.id, s.kind, s.unit_id, s.from_day, s.line desc
         on conflict (patient_id, kind, unit_id, valid_from) do update set valid_to = excluded.valid_to
           where register_period.valid_to is distinct from excluded.valid_to
         returning (xmax = 0) as inserted)
       select count(*) filter (where inserted)::int as imported,
              count(*) filter (where not inserted)::int as updated
         from up`,
      [importId],
    ),
  );
  // The named fast läkarkontakt: through the care contacts' own writer.
  const gps = await writeRegisterFastLakarkontakter(tx, `import:${importId}`);
  counts.imported += gps.imported;
  counts.updated += gps.updated;
  return { ...counts, staged, unresolved, createdPersons: created[0]?.n ?? 0 };
}
