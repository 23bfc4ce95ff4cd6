-- Access control and the access log (security.md; PDL 4 kap, Lag 2022:913, HSLF-FS 2016:40).

-- The Patientkontrakt is held by the care provider whose unit drew it up. Readers at other
-- providers need the patient's consent (Lag 2022:913).
alter table contract add column owner_unit_id text references care_unit (id);

-- A care relationship registered by hand (e.g. a ward that takes over), with start and end.
create table care_relationship (
  id uuid primary key default gen_random_uuid(),
  patient_id uuid not null references patient (id),
  unit_id text not null references care_unit (id),
  start_date date not null,
  end_date date,
  reason text not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  ended_at timestamptz,
  check (end_date is null or end_date >= start_date)
);
create index care_relationship_patient_idx on care_relationship (patient_id);

-- Consent (samtycke) to read the plan across care providers: scope a unit or a person.
create table consent (
  id uuid primary key default gen_random_uuid(),
  patient_id uuid not null references patient (id),
  scope_kind text not null check (scope_kind in ('unit', 'staff')),
  unit_id text references care_unit (id),
  staff_id text references staff (id),
  valid_from timestamptz not null,
  valid_to timestamptz,
  method text not null check (method in ('i-person', 'telefon', 'digitalt')),
  recorded_by_kind text not null check (recorded_by_kind in ('staff', 'patient')),
  recorded_by text not null,
  recorded_by_unit_id text,
  recorded_at timestamptz not null default now(),
  revoked_at timestamptz,
  revoked_by text,
  check ((scope_kind = 'unit' and unit_id is not null) or (scope_kind = 'staff' and staff_id is not null)),
  check (valid_to is null or valid_to > valid_from)
);
create index consent_patient_idx on consent (patient_id);

-- Spärr: the patient blocks information held by a unit or a whole care provider.
create table block (
  id uuid primary key default gen_random_uuid(),
  patient_id uuid not null references patient (id),
  scope_kind text not null check (scope_kind in ('unit', 'provider')),
  unit_id text references care_unit (id),
  provider_id text references care_provider (id),
  created_by_kind text not null check (created_by_kind in ('staff', 'patient')),
  created_by text not null,
  created_at timestamptz not null default now(),
  lifted_at timestamptz,
  lifted_by text,
  check ((scope_kind = 'unit' and unit_id is not null) or (scope_kind = 'provider' and provider_id is not null))
);
create index block_patient_idx on block (patient_id);

-- Nödåtkomst: opened in two steps with a mandatory reason, time-limited, queued for review.
create table emergency_access (
  id uuid primary key default gen_random_uuid(),
  patient_id uuid not null references patient (id),
  staff_id text not null references staff (id),
  unit_id text not null references care_unit (id),
  reason text not null check (length(trim(reason)) >= 10),
  opened_at timestamptz not null default now(),
  expires_at timestamptz not null,
  reviewed_at timestamptz,
  reviewed_by text,
  review_conclusion text
);
create index emergency_access_patient_idx on emergency_access (patient_id, staff_id);

alter table staff add column disabled_at timestamptz;

-- The access log (HSLF-FS 2016:40 4 kap 9 §). Append-only: the database refuses updates and
-- deletes. Entries are chained: each `hash` is an HMAC over the entry and the previous hash,
-- so `npm run audit:verify` finds an altered, removed or inserted entry.
create table access_log (
  seq bigint primary key,
  at timestamptz not null,
  action text not null,
  actor_kind text not null,
  actor_id text not null,
  unit_id text,
  provider_id text,
  patient_id uuid,
  outcome text not null check (outcome in ('allowed', 'denied')),
  legal_basis text,
  is_emergency boolean not null default false,
  request_id text not null,
  route text not null,
  detail text,
  prev_hash text not null,
  hash text not null
);
create index access_log_patient_idx on access_log (patient_id, at);
create index access_log_actor_idx on access_log (actor_id, at);
create index access_log_unit_idx on access_log (unit_id, at);
create index access_log_emergency_idx on access_log (at) where is_emergency;

-- The head of the chain: one row, locked by each batch of entries so the chain stays linear.
create table access_log_head (
  id integer primary key check (id = 1),
  seq bigint not null,
  hash text not null
);
insert into access_log_head (id, seq, hash) values (1, 0, 'genesis');

create function access_log_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'access_log is append-only';
end;
$$;
create trigger access_log_no_update before update or delete on access_log
  for each row execute function access_log_refuse_change();
create trigger access_log_no_truncate before truncate on access_log
  for each statement execute function access_log_refuse_change();

-- Log review (loggkontroll): what was checked, by whom, and the conclusion.
create table log_review (
  id uuid primary key default gen_random_uuid(),
  reviewer_id text not null,
  reviewer_unit_id text,
  reviewed_at timestamptz not null default now(),
  kind text not null check (kind in ('stickprov', 'riktad', 'nodatkomst')),
  filter text not null,
  entry_seqs bigint[] not null,
  conclusion text not null,
  is_remark boolean not null default false
);

-- Närstående/ombud: a person the patient lets read the plan, until an end date.
create table proxy_grant (
  id uuid primary key default gen_random_uuid(),
  patient_id uuid not null references patient (id),
  grantee_patient_id uuid not null references patient (id),
  valid_to timestamptz,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  check (patient_id <> grantee_patient_id)
);
create index proxy_grant_patient_idx on proxy_grant (patient_id);
