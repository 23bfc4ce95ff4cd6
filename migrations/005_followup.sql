-- Follow-up (uppföljning): the population register with dates, visits and contacts,
-- and the import runs that brought them. Plain SQL, identical on PGlite and PostgreSQL.
-- The indicators are computed from these tables in src/store/followup-store.ts.

-- One import of a file (CSV or NDJSON), through the CLI or the API. Only completed imports are
-- recorded: the row is written in the same transaction as the data it brought.
create table import_run (
  id bigserial primary key,
  kind text not null check (kind in ('visits', 'population')),
  source text not null,                      -- file name, or the API route
  format text not null check (format in ('csv', 'ndjson')),
  mode text not null check (mode in ('all-or-nothing', 'valid-rows')),
  actor_id text not null,                    -- HSA-id, or 'cli:<os user>'
  unit_id text,
  started_at timestamptz not null,
  finished_at timestamptz not null default now(),
  rows_read integer not null,
  imported integer not null,
  updated integer not null,
  skipped_duplicates integer not null,
  errors integer not null
);

-- The population register (the Östergötland plan: "Master befolkningsregister", and the municipalities'
-- lists of who lives in SÄBO and who is enrolled in hemsjukvård), one row per period:
--   listning     listed at a vårdcentral (HSL 7 kap 3 §)
--   sabo         resident at a SÄBO (särskilt boende)
--   hemsjukvard  enrolled in (municipal) home health care
-- `valid_to` is the last day (inclusive); null while it lasts. The named fast läkarkontakt is a
-- care_contact with role 'fast-lakarkontakt' and its start and end dates.
create table register_period (
  patient_id uuid not null references patient (id),
  kind text not null check (kind in ('listning', 'sabo', 'hemsjukvard')),
  unit_id text not null references care_unit (id),
  valid_from date not null,
  valid_to date,
  import_id bigint references import_run (id),
  primary key (patient_id, kind, unit_id, valid_from),
  check (valid_to is null or valid_to >= valid_from)
);
create index register_period_unit_idx on register_period (kind, unit_id, valid_from);

-- The listing history follows patient.listed_unit_id / listed_since, whoever changes them (the
-- register import, the app, the demo generator): a new listing closes the open one the day before.
create function patient_listing_history() returns trigger language plpgsql as $$
declare
  since date := coalesce(new.listed_since, (new.created_at at time zone 'Europe/Stockholm')::date);
begin
  if tg_op = 'UPDATE' and new.listed_unit_id is not distinct from old.listed_unit_id
     and new.listed_since is not distinct from old.listed_since then
    return new;
  end if;
  if new.listed_unit_id is null then
    -- Listed no more: the open listing ends today.
    update register_period set valid_to = greatest(valid_from, (now() at time zone 'Europe/Stockholm')::date)
     where patient_id = new.id and kind = 'listning' and valid_to is null;
    return new;
  end if;
  update register_period set valid_to = greatest(valid_from, since - 1)
   where patient_id = new.id and kind = 'listning' and valid_to is null
     and (unit_id <> new.listed_unit_id or valid_from <> since);
  insert into register_period (patient_id, kind, unit_id, valid_from)
  values (new.id, 'listning', new.listed_unit_id, since)
  on conflict (patient_id, kind, unit_id, valid_from) do update set valid_to = null;
  return new;
end;
$$;
create trigger patient_listing_history after insert or update of listed_unit_id, listed_since on patient
  for each row execute function patient_listing_history();

insert into register_period (patient_id, kind, unit_id, valid_from)
select id, 'listning', listed_unit_id, coalesce(listed_since, (created_at at time zone 'Europe/Stockholm')::date)
  from patient where listed_unit_id is not null;

-- Visits and contacts (vårdkontakter) from the journal systems. The key (instant, patient, staff
-- member) is natural: one person does not meet the same patient twice at the same instant. It
-- makes a re-import change nothing. Time first: an import of recent contacts writes to the end of
-- the index instead of all over it (twice the import rate at 10 million visits). No foreign
-- keys: the import resolves patient and unit itself (an unknown one is an error on its line), and
-- per-row key checks would slow the import further.
create table visit (
  patient_id uuid not null,
  at timestamptz not null,
  staff_id text not null,                    -- HSA-id of the person met
  unit_id text not null,                     -- HSA-id of the care unit
  profession text not null,                  -- lakare, sjukskoterska, … (the staff member's)
  contact_type text not null check (contact_type in ('besok', 'telefon', 'video', 'hembesok')),
  -- Förstärkt vårdgaranti: a medical assessment, and the day the patient sought care.
  is_assessment boolean not null default false,
  sought_on date,
  import_id bigint,
  check (not is_assessment or sought_on is not null)
);
create unique index visit_key on visit (at, patient_id, staff_id);
create index visit_assessment_idx on visit (at) where is_assessment;
