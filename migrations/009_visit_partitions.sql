-- Follow-up (issue 6): `visit` partitioned by range of its instant, a partition per month.
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

-- The partitions of `visit` other than the default, with their bounds.
create view visit_partition as
  select c.relname::text as name, b[1]::timestamptz as starts, b[2]::timestamptz as ends
    from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    cross join lateral regexp_match(pg_get_expr(c.relpartbound, c.oid), $$FROM \('([^']+)'\) TO \('([^']+)'\)$$) b
   where i.inhparent = 'visit'::regclass and b is not null;

-- The calendar month (Swedish time) that `t` falls in begins at …, and the next one at … (counted in
-- Swedish time: a month added to an instant counts in the session's time zone).
create function visit_month(t timestamptz) returns timestamptz
  language sql immutable as $$ select date_trunc('month', t at time zone 'Europe/Stockholm') at time zone 'Europe/Stockholm' $$;
create function visit_month_after(t timestamptz) returns timestamptz
  language sql immutable as $$
  select (date_trunc('month', t at time zone 'Europe/Stockholm') + interval '1 month') at time zone 'Europe/Stockholm' $$;

-- Makes a partition for each month from `first` to `last` that no partition covers yet, unless the
-- default partition already has visits of that month (those stay where they are). Writers call it
-- before they insert; imports that create partitions of their own take the same lock.
create function visit_add_partitions(first timestamptz, last timestamptz) returns integer
  language plpgsql as $$
declare
  month timestamptz;
  added integer := 0;
begin
  if first is null or last is null then
    return 0;
  end if;
  for month in select m at time zone 'Europe/Stockholm'
                 from generate_series(date_trunc('month', first at time zone 'Europe/Stockholm'),
                                      date_trunc('month', last at time zone 'Europe/Stockholm'), interval '1 month') m loop
    continue when exists (select 1 from visit_partition p where p.starts <= month and p.ends > month);
    perform pg_advisory_xact_lock(hashtext('visit_partition'));
    continue when exists (select 1 from visit_partition p where p.starts <= month and p.ends > month)
               or exists (select 1 from visit_other o where o.at >= month and o.at < visit_month_after(month));
    begin
      execute format('create table %I partition of visit for values from (%L) to (%L)',
                     'visit_' || to_char(month at time zone 'Europe/Stockholm', 'YYYY_MM'),
                     month, visit_month_after(month));
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
select visit_add_partitions(min(at), max(at)) from visit_before_009;
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
