-- Follow-up: `visit` partitioned by range of its instant, a partition per month.
--
-- A large import of a period that has no visits yet (the usual monthly file) can then be written
-- as a table of its own: copied in without indexes, indexed once afterwards and attached as the
-- period's partition (src/store/import-store.ts). Writing the same rows into an indexed table
-- costs three times as much: every row is put into both indexes one by one.
--
-- `visit_other`, the default partition, takes what no partition covers, so that a writer never
-- fails for want of one; `visit_add_partitions` makes the months a writer is about to fill. The
-- default partition is kept small: attaching a partition scans it.

alter table visit rename to visit_before_009;
alter index visit_key rename to visit_before_009_key;
alter index visit_assessment_idx rename to visit_before_009_assessment_idx;

create table visit (
  patient_id uuid not null,
  at timestamptz not null,
  staff_id text not null,
  unit_id text not null,
  profession text not null,
  contact_type text not null check (contact_type in ('besok', 'telefon', 'video', 'hembesok')),
  is_assessment boolean not null default false,
  sought_on date,
  import_id bigint,
  check (not is_assessment or sought_on is not null)
) partition by range (at);
create table visit_other partition of visit default;

-- The partitions of `visit` other than the default, with their bounds. The bounds are read from
-- their text, which follows the session's DateStyle and TimeZone: fixed here for the reading.
create function visit_partitions() returns table (name text, starts timestamptz, ends timestamptz)
  language sql stable set datestyle = 'ISO, YMD' set timezone = 'UTC' as $$
  select c.relname::text, b[1]::timestamptz, b[2]::timestamptz
    from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    cross join lateral regexp_match(pg_get_expr(c.relpartbound, c.oid), $re$FROM \('([^']+)'\) TO \('([^']+)'\)$re$) b
   where i.inhparent = 'visit'::regclass and b is not null $$;
create view visit_partition as select name, starts, ends from visit_partitions();

-- The calendar month (Swedish time) that `t` falls in begins at …, and the next one at … (counted in
-- Swedish time: a month added to an instant counts in the session's time zone).
create function visit_month(t timestamptz) returns timestamptz
  language sql immutable as $$ select date_trunc('month', t at time zone 'Europe/Stockholm') at time zone 'Europe/Stockholm' $$;
create function visit_month_after(t timestamptz) returns timestamptz
  language sql immutable as $$
  select (date_trunc('month', t at time zone 'Europe/Stockholm') + interval '1 month') at time zone 'Europe/Stockholm' $$;

-- Visit imports write one at a time: each takes this lock before it touches `visit`, so that
-- one making or attaching partitions never waits for another that waits for it.
create function visit_write_lock() returns void
  language sql as $$ select pg_advisory_xact_lock(hashtext('visit_partition')) $$;

-- Makes a partition for each of `months` (their first instants, as visit_month gives them) that no
-- partition covers yet, unless the default partition already has visits of that month (those stay
-- where they are); at most 120 in one call (more stay in the default partition). Writers call it
-- before they insert. Made as a table of its own and attached: creating a partition in place
-- would lock out every reader of `visit` until the writer commits.
create function visit_add_partitions(months timestamptz[]) returns integer
  language plpgsql as $$
declare
  month timestamptz;
  name text;
  added integer := 0;
begin
  perform visit_write_lock();
  for month in select distinct m from unnest(months) m where m is not null order by m loop
    exit when added >= 120;
    continue when exists (select 1 from visit_partition p where p.starts < visit_month_after(month) and p.ends > month)
               or exists (select 1 from visit_other o where o.at >= month and o.at < visit_month_after(month));
    name := 'visit_' || to_char(month at time zone 'Europe/Stockholm', 'YYYY_MM');
    begin
      execute format('create table %I (like visit including defaults including constraints)', name);
      execute format('alter table visit attach partition %I for values from (%L) to (%L)',
                     name, month, visit_month_after(month));
      added := added + 1;
    exception when check_violation then
      -- A writer put visits of this month into the default partition meanwhile: they stay there.
      null;
    end;
  end loop;
  return added;
end $$;

-- The visits already imported, moved into their months' partitions. The triggers of migration 008
-- go with the old table and are made anew below, so the move leaves visit_series as it is.
select visit_add_partitions(array(select distinct visit_month(at) from visit_before_009));
insert into visit (patient_id, at, staff_id, unit_id, profession, contact_type, is_assessment, sought_on, import_id)
  select patient_id, at, staff_id, unit_id, profession, contact_type, is_assessment, sought_on, import_id
    from visit_before_009;
drop table visit_before_009;

-- Indexed after the move: building an index costs a fraction of putting rows into it one by one.
create unique index visit_key on visit (at, patient_id, staff_id);
create index visit_assessment_idx on visit (at) include (unit_id, sought_on) where is_assessment;

create trigger visit_series_insert after insert on visit
  referencing new table as added for each statement execute function visit_series_added();
create trigger visit_series_delete after delete on visit
  referencing old table as removed for each statement execute function visit_series_removed();
create trigger visit_series_update after update on visit
  referencing old table as removed new table as added for each statement execute function visit_series_removed();
create trigger visit_series_truncate after truncate on visit
  for each statement execute function visit_series_emptied();
