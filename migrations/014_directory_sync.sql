-- The organisation directory from the region's HSA data (docs/imports.md, "The organisation
-- directory"). A sync ends what the file no longer holds instead of deleting it: the history and
-- the access log name staff and units, and they must still resolve.

-- An ended unit stays, with the day it left the directory.
alter table care_unit add column ended_at timestamptz;

-- An ended place at a unit stays (with its role: a sync never takes a product role away); the
-- session resolves only places that have not ended, so the person loses access at their next
-- request.
alter table staff_unit add column ended_at timestamptz;

-- One run of a sync: what file, by whom, for which care providers, what it changed.
create table directory_sync_run (
  id bigserial primary key,
  source text not null,
  format text not null check (format in ('fhir', 'csv')),
  provider_ids text[] not null,
  actor_id text not null,
  confirmed_ends boolean not null default false,
  counts jsonb not null,
  ran_at timestamptz not null default now()
);

-- Medarbetaruppdrag: one person at one unit for one purpose, with a role. A changed role ends the
-- row and starts a new one in the same run, so the rows are the assignment's history.
create table staff_assignment (
  id bigserial primary key,
  staff_id text not null references staff (id),
  unit_id text not null references care_unit (id),
  purpose text not null check (purpose in
    ('vard-och-behandling', 'administration', 'kvalitetssakring', 'uppfoljning', 'forskning', 'statistik')),
  role text not null,
  started_at timestamptz not null default now(),
  started_by_run bigint not null references directory_sync_run (id),
  ended_at timestamptz,
  ended_by_run bigint references directory_sync_run (id),
  check ((ended_at is null) = (ended_by_run is null))
);
create unique index staff_assignment_one_active on staff_assignment (staff_id, unit_id, purpose)
  where ended_at is null;
create index staff_assignment_unit_idx on staff_assignment (unit_id) where ended_at is null;
create index staff_assignment_place_idx on staff_assignment (staff_id, unit_id);
