-- The patient's own view: närstående/ombud grants record who gave them, to whom by
-- which name, and who revoked them. The name is the one the patient (or staff) gave, so that
-- the list never reveals whether, or under which name, the person was already registered.
alter table proxy_grant add column grantee_name text;
alter table proxy_grant add column created_by_kind text check (created_by_kind in ('staff', 'patient'));
alter table proxy_grant add column created_by text;
alter table proxy_grant add column created_by_unit_id text;
alter table proxy_grant add column revoked_by text;
create index proxy_grant_grantee_idx on proxy_grant (grantee_patient_id);
-- One current grant per person: giving access again replaces the earlier grant.
create unique index proxy_grant_one_current on proxy_grant (patient_id, grantee_patient_id)
  where revoked_at is null;
