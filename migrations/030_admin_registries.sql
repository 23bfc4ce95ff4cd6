-- The registries a systemförvaltare keeps (docs/operations.md, "Administration"): the journal
-- systems (ehr_system), the SMART clients (smart_client) and the product roles (staff_unit.role).
-- Every change to them, from the web page or the CLI, is a row here, written in the same
-- statement or transaction as the change itself: what changed, by whom, when, from which request.
-- The API's changes are in the access log too (action `administration`), chained like every entry.
create table admin_change (
  id bigserial primary key,
  registry text not null check (registry in ('ehr-system', 'smart-client', 'product-role')),
  -- ehr_system.id, smart_client.client_id, or the staff HSA-id of a product role (unit_id beside it).
  subject text not null,
  unit_id text,
  change text not null check (change in
    ('registered', 'changed', 'enabled', 'disabled', 'deactivated', 'given', 'taken')),
  -- For a product role: the role given or taken, and the role the place holds after.
  role text,
  role_after text,
  -- The HSA-id of the systemförvaltare (the CLI's --by).
  by_id text not null,
  -- The API request (its access-log entry carries the same id); null from the CLI.
  request_id text,
  at timestamptz not null default now()
);
create index admin_change_subject_idx on admin_change (registry, subject, at);
create index admin_change_at_idx on admin_change (at);
