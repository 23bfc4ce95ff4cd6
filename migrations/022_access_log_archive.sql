-- The access log's archive (docs/operations.md, "Retention and the monthly archive"). Entries stay
-- in access_log for ACCESS_LOG_RETENTION_YEARS (at least five, HSLF-FS 2016:40); then
-- `npm run audit:archive` moves them here a month at a time, in one transaction per month. They
-- keep their seq, hashes and chain: `audit:verify` walks live and archive in seq order, and log
-- review and the patient's own log read both. Nothing is ever deleted.

-- The months are cut by `at`; an index makes each month a range read instead of a scan of the
-- whole log (and serves log review by period).
create index access_log_at_idx on access_log (at);

-- A child of access_log (table inheritance): it has the same columns, and every column a later
-- migration adds to access_log it gets too. A read of access_log therefore reads the archived
-- entries as well (log review, the patient's own log, `audit:verify`), and `only access_log` is
-- the live part. Indexes are not inherited: the archive's own are below.
create table access_log_archive () inherits (access_log);
alter table access_log_archive add primary key (seq);
create index access_log_archive_patient_idx on access_log_archive (patient_id, at);
create index access_log_archive_actor_idx on access_log_archive (actor_id, at);
create index access_log_archive_unit_idx on access_log_archive (unit_id, at);
create index access_log_archive_at_idx on access_log_archive (at);
create index access_log_archive_emergency_idx on access_log_archive (at) where is_emergency;

-- One row per archived month: what was moved and the hash at its end (the month's chain head).
create table access_log_archive_month (
  month date primary key check (extract(day from month) = 1),
  entries bigint not null check (entries >= 0),
  first_seq bigint not null,
  last_seq bigint not null,
  last_hash text not null,
  archived_at timestamptz not null default now()
);

-- access_log stays append-only, but for one thing: a row may leave it once the same row (seq and
-- hash) is in the archive, which is what the archive's move does in its transaction.
create or replace function access_log_refuse_change() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and tg_level = 'ROW' and exists (
      select 1 from access_log_archive a where a.seq = old.seq and a.hash = old.hash) then
    return old;
  end if;
  raise exception 'access_log is append-only';
end;
$$;

-- The archive is append-only without exception.
create function access_log_archive_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only', tg_table_name;
end;
$$;
create trigger access_log_archive_no_update before update or delete on access_log_archive
  for each row execute function access_log_archive_refuse_change();
create trigger access_log_archive_no_truncate before truncate on access_log_archive
  for each statement execute function access_log_archive_refuse_change();
-- A month's row may grow (entries of that month that arrive late are archived on the next run),
-- never disappear.
create trigger access_log_archive_month_no_delete before delete on access_log_archive_month
  for each row execute function access_log_archive_refuse_change();
create trigger access_log_archive_month_no_truncate before truncate on access_log_archive_month
  for each statement execute function access_log_archive_refuse_change();
