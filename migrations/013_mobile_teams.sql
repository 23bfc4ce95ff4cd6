-- Mobile care teams and the acute deterioration at home (Region Dalarna, "Plan för nära vård";
-- Region Skåne, uppföljning av handlingsplanen för HS-avtalet 2021): teams with members from
-- several care providers, reachability and an on-call roster, enrolment decided by a physician
-- and a nurse together, the structured assessment (NEWS2 or the region's own version), the SBAR
-- escalation to the physician who answers now, and the patient's directives about care level.
-- Every time here is written by the application's clock (the service passes it), so that the
-- backup timer and the tests read one clock.

-- The kinds of team: a code list the region keeps.
create table team_kind (
  code text primary key check (code ~ '^[a-z0-9-]{2,40}$'),
  name text not null,
  is_active boolean not null default true
);
insert into team_kind (code, name) values
  ('narsjukvardsteam', 'Närsjukvårdsteam'),
  ('hemsjukvardsteam', 'Hemsjukvårdsteam'),
  ('psykiatri', 'Mobilt team psykiatri'),
  ('palliativ', 'Palliativt team');

create table team (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  -- The uniform name patients and other caregivers recognise the team by.
  public_name text not null check (length(public_name) between 1 and 200),
  kind text not null references team_kind (code),
  municipality text,
  created_at timestamptz not null
);

-- A member acts for the team from one of their units; the care providers of a team are those of
-- its members' units.
create table team_member (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references team (id),
  staff_id text not null references staff (id),
  unit_id text not null references care_unit (id),
  role text not null check (role in ('lakare', 'sjukskoterska', 'annan')),
  starts date not null,
  ends date,
  check (ends is null or ends >= starts)
);
create unique index team_member_current_idx on team_member (team_id, staff_id) where ends is null;
create index team_member_staff_idx on team_member (staff_id);
create index team_member_team_idx on team_member (team_id);

-- The number that answers now, by weekday and time of day (a `to` before `from` crosses midnight).
create table team_reachability (
  team_id uuid not null references team (id),
  position integer not null check (position >= 0),
  weekdays integer[] not null check (cardinality(weekdays) between 1 and 7 and weekdays <@ array[1, 2, 3, 4, 5, 6, 7]),
  from_time text not null check (from_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  to_time text not null check (to_time ~ '^([01][0-9]|2[0-4]):[0-5][0-9]$'),
  phone text not null check (length(phone) between 3 and 40),
  label text not null check (length(label) between 1 and 200),
  primary key (team_id, position)
);

-- The team's simple on-call roster: who is the physician on call, and who is backup, when.
create table team_roster (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references team (id),
  staff_id text not null references staff (id),
  starts timestamptz not null,
  ends timestamptz not null,
  backup boolean not null default false,
  check (ends > starts)
);
create index team_roster_team_idx on team_roster (team_id, starts);

-- Region-loaded versions of the assessment checklist and its bands (its own ViSam version). The
-- built-in NEWS2 default (RCP 2017) lives in the code and needs no row.
create table assessment_config (
  id text not null check (id ~ '^[a-z0-9-]{2,60}$'),
  version integer not null check (version >= 1),
  name text not null,
  source text not null,
  config jsonb not null,
  loaded_at timestamptz not null,
  loaded_by text not null,
  primary key (id, version)
);

-- Enrolment (inskrivning): one proposes, the other of the other profession confirms.
create table enrolment (
  id uuid primary key default gen_random_uuid(),
  patient_id uuid not null references patient (id),
  team_id uuid not null references team (id),
  target_group text not null check (target_group in ('mest-sjuka', 'tidvis-sviktande')),
  criteria jsonb not null default '[]' check (jsonb_typeof(criteria) = 'array'),
  criteria_set_id text not null,
  criteria_version integer not null check (criteria_version >= 1),
  start_date date not null,
  review_date date,
  status text not null check (status in ('proposed', 'active', 'paused', 'ended')),
  proposed_by text not null references staff (id),
  proposed_by_unit_id text not null references care_unit (id),
  proposed_at timestamptz not null,
  confirmed_by text references staff (id),
  confirmed_by_unit_id text references care_unit (id),
  confirmed_at timestamptz,
  ended_at timestamptz,
  ended_by text,
  end_reason text check (end_reason in ('stable', 'moved', 'died', 'admitted-long-term', 'patient-wish', 'not-confirmed')),
  version integer not null default 1,
  check (review_date is null or review_date >= start_date),
  -- Two people decide together: the confirmer is never the proposer.
  check (confirmed_by is null or confirmed_by <> proposed_by),
  check (status not in ('active', 'paused') or confirmed_by is not null),
  check ((status = 'ended') = (end_reason is not null and ended_at is not null))
);
-- At most one open enrolment per patient and team, whatever two requests do at once.
create unique index enrolment_open_idx on enrolment (patient_id, team_id) where status <> 'ended';
create index enrolment_team_idx on enrolment (team_id) where status <> 'ended';
create index enrolment_patient_idx on enrolment (patient_id);

-- Every step of an enrolment, with who, when and from which unit.
create table enrolment_event (
  seq bigint generated always as identity primary key,
  enrolment_id uuid not null references enrolment (id),
  action text not null check (action in ('proposed', 'confirmed', 'paused', 'resumed', 'ended')),
  at timestamptz not null,
  actor_id text not null,
  actor_name text not null,
  actor_unit_id text,
  detail text
);
create index enrolment_event_enrolment_idx on enrolment_event (enrolment_id, seq);

-- The patient's own wish about the level of care, and the physician's documented limitations.
create table care_directive (
  id uuid primary key default gen_random_uuid(),
  patient_id uuid not null references patient (id),
  kind text not null check (kind in ('care-level-wish', 'treatment-limitation', 'spo2-scale-2')),
  text text not null check (length(text) between 1 and 4000),
  recorded_by text not null,
  recorded_by_name text not null,
  recorded_by_profession text not null,
  recorded_by_unit_id text not null references care_unit (id),
  recorded_at timestamptz not null,
  ended_at timestamptz,
  ended_by text
);
create index care_directive_patient_idx on care_directive (patient_id);

-- One structured assessment at the patient's side.
create table assessment (
  id uuid primary key default gen_random_uuid(),
  patient_id uuid not null references patient (id),
  enrolment_id uuid references enrolment (id),
  vitals jsonb not null,
  -- Null when no score applies (under 16 years).
  score integer check (score is null or score between 0 and 30),
  parts jsonb,
  scale integer not null check (scale in (1, 2)),
  risk text check (risk in ('low', 'low-medium', 'medium', 'high')),
  config_id text not null,
  config_version integer not null,
  reason text not null check (length(reason) between 1 and 2000),
  judgement text not null check (length(judgement) <= 4000),
  outcome text not null check (outcome in ('stay-home', 'contact-physician', 'emergency-department', 'ambulance', 'increased-home-care')),
  performed_by text not null references staff (id),
  performed_by_name text not null,
  unit_id text not null references care_unit (id),
  at timestamptz not null,
  check ((score is null) = (risk is null))
);
create index assessment_patient_idx on assessment (patient_id, at desc);

-- The SBAR sent to the physician who answers now, and what became of it.
create table escalation (
  id uuid primary key default gen_random_uuid(),
  patient_id uuid not null references patient (id),
  assessment_id uuid not null unique references assessment (id),
  sbar jsonb not null,
  from_staff_id text not null references staff (id),
  from_staff_name text not null,
  from_unit_id text not null references care_unit (id),
  sent_at timestamptz not null,
  -- How the addressee was chosen (via, staff, unit, team, name, phone).
  route jsonb not null,
  addressee_staff_id text references staff (id),
  addressee_unit_id text references care_unit (id),
  team_id uuid references team (id),
  status text not null check (status in ('sent', 'acknowledged', 'answered', 'closed')),
  acknowledged_by text references staff (id),
  acknowledged_by_name text,
  acknowledged_unit_id text,
  acknowledged_at timestamptz,
  decision jsonb,
  decided_by text references staff (id),
  decided_by_name text,
  decided_unit_id text,
  decided_at timestamptz,
  -- Unanswered after the configured minutes: moved to the team's backup and flagged.
  backup_at timestamptz,
  backup_staff_id text references staff (id),
  flagged boolean not null default false,
  closed_at timestamptz,
  close_reason text,
  check (status = 'sent' or acknowledged_at is not null or status = 'closed'),
  check (status <> 'answered' or (decision is not null and decided_at is not null)),
  check (status <> 'closed' or closed_at is not null),
  check (flagged = (backup_at is not null))
);
create index escalation_patient_idx on escalation (patient_id, sent_at desc);
create index escalation_addressee_idx on escalation (addressee_staff_id, sent_at desc);
create index escalation_backup_idx on escalation (backup_staff_id, sent_at desc) where backup_staff_id is not null;
create index escalation_unit_idx on escalation (addressee_unit_id, sent_at desc);
create index escalation_open_idx on escalation (sent_at) where status = 'sent' and backup_at is null;

-- Periods in hospital (imported or recorded): an admission pauses an enrolment.
create table hospital_stay (
  id uuid primary key default gen_random_uuid(),
  patient_id uuid not null references patient (id),
  unit_id text references care_unit (id),
  admitted_at timestamptz not null,
  discharged_at timestamptz,
  source text not null check (source in ('import', 'staff')),
  check (discharged_at is null or discharged_at >= admitted_at)
);
create index hospital_stay_patient_idx on hospital_stay (patient_id, admitted_at);
