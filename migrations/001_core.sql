-- Patientkontrakt core schema. Plain SQL, identical on PGlite and PostgreSQL.
-- Identifiers of organisations and staff are HSA-ids (text); patients get a uuid and carry
-- their personnummer/samordningsnummer/reservnummer as a unique identifier.

create table care_provider (
  id text primary key,                       -- HSA-id of the vårdgivare
  name text not null,
  kind text not null check (kind in ('region', 'kommun', 'privat')),
  huvudman text not null                     -- the region or municipality responsible
);

create table care_unit (
  id text primary key,                       -- HSA-id of the vårdenhet
  provider_id text not null references care_provider (id),
  name text not null,
  kind text not null check (kind in ('vardcentral', 'sjukhus', 'specialistmottagning', 'hemsjukvard', 'sabo', 'hemtjanst', 'annan')),
  phone text,
  municipality text
);
create index care_unit_provider_idx on care_unit (provider_id);

create table staff (
  id text primary key,                       -- HSA-id of the person
  given_name text not null,
  family_name text not null,
  profession text not null,
  title text,
  phone text,
  is_active boolean not null default true
);

-- A member of staff works at one or more units, with a role there (medarbetare, verksamhetschef …).
create table staff_unit (
  staff_id text not null references staff (id),
  unit_id text not null references care_unit (id),
  role text not null default 'medarbetare',
  primary key (staff_id, unit_id)
);
create index staff_unit_unit_idx on staff_unit (unit_id);

create table patient (
  id uuid primary key default gen_random_uuid(),
  identifier text not null unique,
  identifier_kind text not null check (identifier_kind in ('personnummer', 'samordningsnummer', 'reservnummer')),
  given_name text not null,
  family_name text not null,
  birth_date date,
  sex text check (sex in ('female', 'male')),
  phone text,
  listed_unit_id text references care_unit (id),  -- listning at a vårdcentral
  listed_since date,
  version integer not null default 1,
  created_at timestamptz not null default now()
);
create index patient_listed_unit_idx on patient (listed_unit_id);
create index patient_name_idx on patient (lower(family_name), lower(given_name));

create table patient_diagnosis (
  patient_id uuid not null references patient (id),
  icd10 text not null,
  since date,
  primary key (patient_id, icd10)
);
create index patient_diagnosis_code_idx on patient_diagnosis (icd10);

-- Fixed contacts around the patient: fast vårdkontakt, fast läkarkontakt, fast omsorgskontakt
-- and treating roles (behandlande roller), as in Region Gävleborg, handlingsplan Patientkontrakt 2021.
create table care_contact (
  id uuid primary key default gen_random_uuid(),
  patient_id uuid not null references patient (id),
  role text not null check (role in ('fast-vardkontakt', 'fast-lakarkontakt', 'fast-omsorgskontakt', 'behandlande-roll')),
  role_title text,
  staff_id text references staff (id),
  unit_id text not null references care_unit (id),
  via_team boolean not null default false,
  phone text,
  reachable jsonb not null default '[]',
  reason text check (reason in ('patientens-begaran', 'behov')),
  status text not null check (status in ('active', 'ended', 'declined')),
  start_date date,
  review_date date,
  end_date date,
  end_reason text,
  note text,
  version integer not null default 1,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (staff_id is not null or via_team),
  check (status <> 'ended' or end_date is not null)
);
create index care_contact_patient_idx on care_contact (patient_id);
create index care_contact_staff_idx on care_contact (staff_id) where status = 'active';
create index care_contact_unit_idx on care_contact (unit_id) where status = 'active';
-- Patientlagen 6 kap 2 § and the Gävleborg plan: exactly one fast vårdkontakt per patient ("it will not
-- be possible to register several"). The database enforces it, so concurrent assignments
-- cannot both win.
create unique index care_contact_one_fast_vardkontakt on care_contact (patient_id)
  where role = 'fast-vardkontakt' and status = 'active';
create unique index care_contact_one_fast_lakarkontakt on care_contact (patient_id)
  where role = 'fast-lakarkontakt' and status = 'active';
create unique index care_contact_one_fast_omsorgskontakt on care_contact (patient_id)
  where role = 'fast-omsorgskontakt' and status = 'active';

-- Question sets are versioned data, not code (regions adapt the questions).
create table question_set (
  id text not null,
  version integer not null,
  name text not null,
  audience text not null check (audience in ('patient', 'vardgivare', 'personal')),
  source text not null,
  questions jsonb not null,
  primary key (id, version)
);

-- The Patientkontrakt. The four parts live in `content` (validated at the API edge and in
-- src/domain/contract.ts); columns that lists and follow-up filter on are kept beside it.
create table contract (
  id uuid primary key default gen_random_uuid(),
  patient_id uuid not null references patient (id),
  status text not null check (status in ('draft', 'active', 'ended')),
  version integer not null,
  content jsonb not null,
  review_date date,
  next_contact_at timestamptz,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_by text not null,
  updated_at timestamptz not null default now(),
  ended_at timestamptz
);
-- One current contract per patient.
create unique index contract_one_current on contract (patient_id) where status <> 'ended';
create index contract_patient_idx on contract (patient_id);
create index contract_review_idx on contract (review_date) where status = 'active';
create index contract_next_contact_idx on contract (next_contact_at) where status <> 'ended';

-- Every accepted version, with who, when and what changed.
create table contract_version (
  contract_id uuid not null references contract (id),
  version integer not null,
  status text not null,
  content jsonb not null,
  changed_at timestamptz not null default now(),
  actor_kind text not null check (actor_kind in ('staff', 'patient', 'system')),
  actor_id text not null,
  actor_name text not null,
  actor_unit_id text,
  changes jsonb not null,
  primary key (contract_id, version)
);

-- Change events: what happened to a patient's plan. They feed notifications now and live
-- updates (server-sent events) later.
create table change_event (
  id bigserial primary key,
  patient_id uuid not null references patient (id),
  contract_id uuid references contract (id),
  kind text not null,
  actor_kind text not null,
  actor_id text not null,
  actor_name text not null,
  actor_unit_id text,
  summary text not null,
  created_at timestamptz not null default now()
);
create index change_event_patient_idx on change_event (patient_id, id);

create table notification (
  id uuid primary key default gen_random_uuid(),
  recipient_staff_id text not null references staff (id),
  patient_id uuid not null references patient (id),
  event_id bigint not null references change_event (id),
  kind text not null,
  summary text not null,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index notification_recipient_idx on notification (recipient_staff_id, created_at desc);

create table session (
  id text primary key,                      -- sha-256 of the cookie token, never the token itself
  subject_kind text not null check (subject_kind in ('staff', 'patient')),
  subject_id text not null,                 -- HSA-id or patient uuid
  unit_id text references care_unit (id),   -- the unit a member of staff acts from
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
