-- Every change to a fixed contact or treating role (appointed, declined, changed, ended, ended by
-- a change of holder), with who, when, and the contact as it was before and after: the row in
-- care_contact keeps only the latest state and a version counter, so an overwritten review date,
-- phone number or reachable hours could not be recovered. Written in the same transaction as the
-- change, by store/care-contact-store.ts. Contacts changed before this migration start their
-- history at their next change (its `before` is the state they had until then).
create table care_contact_version (
  -- The order of writing: a change of holder writes two rows in one transaction (one instant).
  seq bigint generated always as identity,
  contact_id uuid not null references care_contact (id),
  version integer not null,
  patient_id uuid not null references patient (id),
  action text not null check (action in ('appointed', 'declined', 'changed', 'ended', 'replaced')),
  before jsonb,
  after jsonb not null,
  changed_at timestamptz not null default now(),
  actor_kind text not null check (actor_kind in ('staff', 'patient', 'system')),
  actor_id text not null,
  actor_name text not null,
  actor_unit_id text,
  primary key (contact_id, version)
);
create index care_contact_version_patient_idx on care_contact_version (patient_id, seq);
