-- The launch log's retention (docs/operations.md, "Retention and the monthly archive"; security.md,
-- "The launch log"). A SMART launch from a journal system that ended, opened or refused, is a row
-- of ehr_launch_event (migration 024); one that reached a patient is log data of that patient's
-- record as much as its access-log entry is. So launch events follow the access log's rule:
-- they stay live for ACCESS_LOG_RETENTION_YEARS, then `npm run audit:archive` moves them, a month
-- at a time in the same transaction as that month's access-log entries, to the archive below.
-- Nothing is deleted: a refused launch (an unknown journal system, a lost launch) is the security
-- log of the launch gate and is kept alike.

-- A child of ehr_launch_event (table inheritance, as access_log_archive): a read of
-- ehr_launch_event (the log review's launch list) reads archived events too; `only
-- ehr_launch_event` is the live part. Indexes are not inherited: the archive's own are below.
create table ehr_launch_event_archive () inherits (ehr_launch_event);
alter table ehr_launch_event_archive add primary key (id);
create index ehr_launch_event_archive_at_idx on ehr_launch_event_archive (at);

-- Log review lists a care provider's launches by user and period.
create index ehr_launch_event_staff_idx on ehr_launch_event (staff_id, at);
create index ehr_launch_event_archive_staff_idx on ehr_launch_event_archive (staff_id, at);

-- The launch log is append-only like the access log: a row may leave the live table only once
-- the same row is in the archive, which is what the archive's move does in its transaction.
create function ehr_launch_event_refuse_change() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and tg_level = 'ROW' and exists (
      select 1 from ehr_launch_event_archive a where a.id = old.id and a.at = old.at
        and a.request_id = old.request_id and a.outcome = old.outcome) then
    return old;
  end if;
  raise exception 'ehr_launch_event is append-only';
end;
$$;
create trigger ehr_launch_event_no_change before update or delete on ehr_launch_event
  for each row execute function ehr_launch_event_refuse_change();
create trigger ehr_launch_event_no_truncate before truncate on ehr_launch_event
  for each statement execute function ehr_launch_event_refuse_change();

-- The archive is append-only without exception (the access log archive's function, migration 022).
create trigger ehr_launch_event_archive_no_change before update or delete on ehr_launch_event_archive
  for each row execute function access_log_archive_refuse_change();
create trigger ehr_launch_event_archive_no_truncate before truncate on ehr_launch_event_archive
  for each statement execute function access_log_archive_refuse_change();
