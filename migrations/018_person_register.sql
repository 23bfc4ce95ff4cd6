-- The population register as the product keeps it (docs/imports.md, "People in the register"),
-- and merging a reservnummer into the person's real number.
--
-- population_person: what the imported register (folkbokföringen's extract) says about each
-- person, whether or not they are a patient yet: a patient is registered on first contact from
-- this row (services/person-register.ts), never typed by hand. Keyed by the normalised number;
-- reservnummer are never here (they are not in folkbokföringen). The same protection rule as
-- on patient (migration 017): skyddad folkbokföring keeps no address.
create table population_person (
  identifier text primary key,
  identifier_kind text not null check (identifier_kind in ('personnummer', 'samordningsnummer')),
  given_name text not null,
  family_name text not null,
  birth_date date,
  sex text check (sex in ('female', 'male')),
  address_line text,
  postal_code text,
  city text,
  municipality_code text check (municipality_code ~ '^[0-9]{4}$'),
  protection text not null default 'none'
    check (protection in ('none', 'sekretessmarkering', 'skyddad-folkbokforing')),
  deceased_on date,
  moved_out_on date,
  import_id bigint references import_run (id),
  updated_at timestamptz not null,
  constraint population_person_protected_no_address check (
    protection <> 'skyddad-folkbokforing'
    or (address_line is null and postal_code is null and city is null and municipality_code is null))
);

-- A patient first known by a reservnummer and later by their real number: the reservnummer's
-- row stays (the access log and old printouts name it) and points at the survivor, which now
-- holds everything that was the reservnummer's. Who merged it and when.
alter table patient
  add column merged_into uuid references patient (id),
  add column merged_at timestamptz,
  add column merged_by text,
  add constraint patient_merged_not_self check (merged_into <> id),
  add constraint patient_merged_complete check ((merged_into is null) = (merged_at is null)),
  add constraint patient_merged_only_reservnummer check (merged_into is null or identifier_kind = 'reservnummer');
create index patient_merged_into_idx on patient (merged_into) where merged_into is not null;

-- Reservnummer issued by the product (services/patient-registration.ts): the region's prefix
-- (RESERVNUMMER_PREFIX, PK by default) and this number, zero-padded to ten digits. Starting at 1;
-- a number already taken (the demo's seeded ones, an imported one) is skipped at issue.
create sequence reservnummer_seq start 1;
