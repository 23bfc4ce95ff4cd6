-- Follow-up: each patient's visits packed into few rows, for continuity of care.
--
-- Continuity reads every countable visit of a whole region (5 million rows over 18 months for
-- 465,000 inhabitants). Sent row by row that took the server 4.6 s however few columns it sent:
-- the cost is per row. Here a patient's visits are packed into a bytea, 16 bytes a visit, so the
-- same read is about one row per patient. Triggers on `visit` keep it exact: every insert adds a
-- row per patient with the new visits in the same transaction, a delete or update rebuilds the
-- patients it touched, a truncate empties it; `visit_series_compact` merges the rows.
--
-- A packed visit: the instant as timestamptz's binary form (int8, microseconds since
-- 2000-01-01 UTC), then two int4 codes: the staff member (visit_staff) and the context — unit,
-- profession and contact type together (visit_context). The order within a row is the order of
-- arrival; readers sort by time.

create table visit_staff (
  code integer generated always as identity primary key,
  staff_id text not null unique
);

create table visit_context (
  code integer generated always as identity primary key,
  unit_id text not null,
  profession text not null,
  contact_type text not null,
  unique (unit_id, profession, contact_type)
);

-- No key and no index: continuity reads the whole table, an insert only appends. A patient may have
-- several rows (one per insert statement that added visits) until the table is compacted.
create table visit_series (
  patient_id uuid not null,
  visits bytea not null
);

-- One packed visit.
create function visit_packed(at timestamptz, staff integer, context integer) returns bytea
  language sql immutable parallel safe
  as $$ select timestamptz_send(at) || int4send(staff) || int4send(context) $$;

-- The statements that add the visits of `source` (a table, or a trigger's transition table) to
-- visit_series, numbering staff and contexts not seen before; `patients`, when given, is a query
-- of the patients whose visits to take. A trigger's transition tables are visible only in the
-- trigger's own function (not in the functions it calls), so the triggers EXECUTE these there.
create function visit_series_statements(source text, patients text default null) returns text[]
  language sql immutable as $$
  select array[
    format('insert into visit_staff (staff_id)
              select distinct v.staff_id from %1$I v
               where not exists (select 1 from visit_staff s where s.staff_id = v.staff_id) %2$s
            on conflict do nothing', source, clause),
    format('insert into visit_context (unit_id, profession, contact_type)
              select distinct v.unit_id, v.profession, v.contact_type from %1$I v
               where not exists (select 1 from visit_context c where c.unit_id = v.unit_id
                                   and c.profession = v.profession and c.contact_type = v.contact_type) %2$s
            on conflict do nothing', source, clause),
    format('insert into visit_series (patient_id, visits)
              select v.patient_id, string_agg(visit_packed(v.at, s.code, c.code), ''''::bytea)
                from %1$I v
                join visit_staff s on s.staff_id = v.staff_id
                join visit_context c on c.unit_id = v.unit_id and c.profession = v.profession
                                    and c.contact_type = v.contact_type
               where true %2$s
               group by v.patient_id', source, clause)]
  from (select coalesce('and v.patient_id in (' || patients || ')', '') as clause) o
$$;

-- The planner knows nothing of a transition table's size: without these settings it probes the
-- staff codes a row at a time and sorts on disk (2.9 s instead of 1.8 s for a million visits).
create function visit_series_added() returns trigger language plpgsql
  set work_mem = '256MB' set enable_nestloop = off as $$
declare
  statement text;
begin
  foreach statement in array visit_series_statements('added') loop
    execute statement;
  end loop;
  return null;
end $$;

-- A delete or an update rebuilds the rows of the patients it touched from the visit table (the
-- codes of what remains are there already; an update may bring new ones).
create function visit_series_removed() returns trigger language plpgsql
  set work_mem = '256MB' as $$
declare
  touched text := case when tg_op = 'UPDATE'
                    then 'select patient_id from removed union select patient_id from added'
                    else 'select distinct patient_id from removed' end;
  statement text;
begin
  if tg_op = 'UPDATE' then
    foreach statement in array (visit_series_statements('added'))[1:2] loop
      execute statement;
    end loop;
  end if;
  execute format('delete from visit_series where patient_id in (%s)', touched);
  execute (visit_series_statements('visit', touched))[3];
  return null;
end $$;

create function visit_series_emptied() returns trigger language plpgsql as $$
begin
  truncate visit_series;
  return null;
end $$;

-- Merges each patient's rows into one, when there are more than twice as many rows as patients in
-- the register (or always, with `force`); the import calls it after each file. Rewriting the whole
-- table now and then costs a fraction of merging each imported patient's row as it comes (an
-- update per patient halved the import rate). Imports and deletes wait while it runs.
create function visit_series_compact(force boolean default false) returns boolean language plpgsql
  set work_mem = '256MB' as $$
begin
  if not force and (select count(*) from visit_series) <= 2 * (select count(*) from patient) then
    return false;
  end if;
  lock table visit_series in share row exclusive mode;
  create temp table visit_series_compacted on commit drop as
    select patient_id, string_agg(visits, ''::bytea) as visits from visit_series group by patient_id;
  delete from visit_series;
  insert into visit_series (patient_id, visits) select patient_id, visits from visit_series_compacted;
  drop table visit_series_compacted;
  return true;
end $$;

create trigger visit_series_insert after insert on visit
  referencing new table as added for each statement execute function visit_series_added();
create trigger visit_series_delete after delete on visit
  referencing old table as removed for each statement execute function visit_series_removed();
create trigger visit_series_update after update on visit
  referencing old table as removed new table as added for each statement execute function visit_series_removed();
create trigger visit_series_truncate after truncate on visit
  for each statement execute function visit_series_emptied();

-- The visits already imported.
do $$
declare
  statement text;
begin
  foreach statement in array visit_series_statements('visit') loop
    execute statement;
  end loop;
end $$;
