-- contract-write: PUT …/contract and FHIR's CarePlan and Appointment: a contract's next version only if it is still at the version read, with its history row, change event and notification, in one statement (store/contract-store.ts#writeVersion, store/event-store.ts#changeEventStatement).
-- Generated from the store's code: src/store/sql-snapshots.test.ts checks it, `npm run sql:snapshots` rewrites it.
-- Parameters, as sent: $1 :status, $2 :content, $3 :reviewDate, $4 :nextContactAt, $5 :actorId, $6 :contractId, $7 :readVersion, $8 :unitIds, $9 :staffIds, $10 :actorKind, $11 :actorName, $12 :actorUnitId, $13 :changes, $14 :eventPatientId, $15 :eventContractId, $16 :eventKind, $17 :eventActorKind, $18 :eventActorId, $19 :eventActorName, $20 :eventActorUnitId, $21 :eventSummary, $22 :notificationSummary, $23 :recipients.
with upd as (
  update contract c set status = :status, version = version + 1, content = :content, review_date = :reviewDate,
    next_contact_at = :nextContactAt, updated_by = :actorId, updated_at = now(),
    ended_at = case when :status = 'ended' then now() else null end
  where c.id = :contractId and c.version = :readVersion and c.status <> 'ended'
    and not exists (select x as id from unnest(:unitIds::text[]) as x where not exists (select 1 from care_unit t where t.id = x)) and not exists (select x as id from unnest(:staffIds::text[]) as x where not exists (select 1 from staff t where t.id = x))
  returning c.*),
ver as (
  insert into contract_version (contract_id, version, status, content, actor_kind, actor_id, actor_name,
    actor_unit_id, changes)
  select id, version, status, content, :actorKind::text, :actorId, :actorName::text, :actorUnitId::text,
    :changes::jsonb from upd),
change as (select c.id, c.patient_id as "patientId", c.status, c.version, c.content,
  c.created_at as "createdAt", c.created_by as "createdBy", c.updated_at as "updatedAt", c.updated_by as "updatedBy" from upd c),
ev as (
  insert into change_event (patient_id, contract_id, kind, actor_kind, actor_id, actor_name, actor_unit_id,
    summary)
  select :eventPatientId::uuid, :eventContractId::uuid, :eventKind::text, :eventActorKind::text,
    :eventActorId::text, :eventActorName::text, :eventActorUnitId::text, :eventSummary::text
  where exists (select 1 from change)
  returning id, created_at),
note as (
  insert into notification (recipient_staff_id, patient_id, event_id, kind, summary)
  select r, :eventPatientId::uuid, ev.id, :eventKind::text, :notificationSummary::text
  from ev, unnest(:recipients::text[]) as r)
select change.*, ev.id as "eventId", ev.created_at as "eventCreatedAt" from change, ev;
