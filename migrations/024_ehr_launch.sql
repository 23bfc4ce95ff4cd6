-- SMART App Launch from the region's journal systems (docs/fhir.md, "Opening the plan from a
-- journal system"; security.md 20). Patientkontrakt is the SMART app; each journal system (EHR)
-- has its own authorization server.

-- The region's registry of journal systems: only a launch whose `iss` is here is followed.
-- The client's secret or private key is never stored here: `secret_ref` names the environment
-- variable SMART_SECRET_<secret_ref> that holds it (a client secret, or a PKCS#8 PEM private key
-- for private_key_jwt).
create table ehr_system (
  id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text not null check (length(name) between 1 and 200),
  iss text not null unique check (iss ~ '^https?://'),
  client_id text not null check (length(client_id) between 1 and 400),
  client_auth text not null default 'none'
    check (client_auth in ('none', 'client_secret_basic', 'private_key_jwt')),
  secret_ref text check (secret_ref ~ '^[A-Z0-9_]{1,64}$'),
  key_id text,
  active boolean not null default true,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((client_auth = 'none') = (secret_ref is null))
);

-- Launches under way, one row per browser: keyed by the SHA-256 of the browser's cookie, used up
-- by the callback (or by the return from the unit choice) whatever the outcome.
create table ehr_launch (
  id text primary key,
  ehr_system_id text not null references ehr_system (id),
  stage text not null check (stage in ('authorize', 'choose-unit')),
  state text,
  nonce text,
  code_verifier text,
  -- Stage choose-unit: who was launched, and for which of our patients (null: none matched).
  staff_id text,
  patient_id uuid,
  patient_note text,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index ehr_launch_expires_idx on ehr_launch (expires_at);

-- Every launch that ended, allowed or refused (the security log of launches; an opened patient is
-- also in the access log, a refused one too when the user was known).
create table ehr_launch_event (
  id bigserial primary key,
  at timestamptz not null default now(),
  ehr_system_id text references ehr_system (id),
  iss text,
  outcome text not null,
  staff_id text,
  unit_id text,
  patient_id uuid,
  request_id text not null,
  detail text
);
create index ehr_launch_event_at_idx on ehr_launch_event (at);
