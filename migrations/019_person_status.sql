-- What follows from the population register's facts about a person (017): a death, a move out of
-- the region, a change of protection marker. Each such change is recorded once in
-- `patient_status_event`, in the transaction that applied the facts
-- (services/person-status-service.ts), so that a second import of the same facts finds nothing
-- new and tells no one. A death reported by care (the physician, before the register knows) is
-- the same record with source 'care'.
create table patient_status_event (
  id bigserial primary key,
  patient_id uuid not null references patient (id),
  kind text not null check (kind in ('died', 'moved-out', 'moved-back', 'protection-changed')),
  -- The day it happened, as the register or the reporter says (null: the register gave none).
  occurred_on date,
  source text not null check (source in ('import', 'personuppgiftstjansten', 'manual', 'demo', 'care')),
  -- Who recorded it: a member of staff (source 'care') or the import's actor.
  recorded_by text not null,
  recorded_by_unit_id text,
  recorded_at timestamptz not null default now()
);
create index patient_status_event_patient_idx on patient_status_event (patient_id, id);
-- A person dies once: a second report of the death (the register after care, a re-import) is not
-- a new event, even under concurrent writers.
create unique index patient_status_event_one_death on patient_status_event (patient_id) where kind = 'died';

-- Why a contract ended when the product ended it (null: staff ended it in the plan).
--   died   the patient died (the register or care reported it)
--   moved  kept for a region that ends plans on a move; this product flags the plan for the fast
--          vårdkontakt instead (docs/operations.md)
alter table contract
  add column end_reason text check (end_reason in ('died', 'moved'));
