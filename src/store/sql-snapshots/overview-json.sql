-- overview-json: the overview as JSON text when the session statement did not read it (store/overview-store.ts#readJson).
-- Generated from the store's code: src/store/sql-snapshots.test.ts checks it, `npm run sql:snapshots` rewrites it.
-- Parameters, as sent: $1 :patientId.
with
pat as (select p.id, p.identifier, p.identifier_kind as "identifierKind", p.given_name as "givenName",
  p.family_name as "familyName", p.birth_date as "birthDate", p.sex, p.phone,
  p.listed_unit_id as "listedUnitId", p.listed_since as "listedSince", p.version,
  p.protection, p.deceased_on as "deceasedOn", p.moved_out_on as "movedOutOn",
  coalesce((select json_agg(json_build_object('icd10', d.icd10, 'since', d.since, 'sourceUnitId', d.source_unit_id,
      'sourceUnitName', (select u.name from care_unit u where u.id = d.source_unit_id)) order by d.icd10)
    from patient_diagnosis d where d.patient_id = p.id and d.ended_on is null), '[]') as diagnoses from patient p where p.id = :patientId),
con as (
  select c.id, c.patient_id as "patientId", c.status, c.version, c.content, c.created_at as "createdAt",
    c.created_by as "createdBy", c.updated_at as "updatedAt", c.updated_by as "updatedBy"
  from contract c where c.patient_id = :patientId and c.status <> 'ended'),
cc as (
  select cc.id, cc.patient_id as "patientId", cc.role, cc.role_title as "roleTitle", cc.staff_id as "staffId",
    cc.unit_id as "unitId", cc.via_team as "viaTeam", cc.phone, cc.reachable, cc.reason, cc.status,
    cc.start_date as "startDate", cc.review_date as "reviewDate", cc.end_date as "endDate",
    cc.end_reason as "endReason", cc.note, cc.version,
    case when s.id is null then null else s.given_name || ' ' || s.family_name end as "staffName",
    s.profession as "staffProfession", u.name as "unitName", pr.kind as "providerKind",
    exists (select 1 from staff_unit su where su.staff_id = cc.staff_id and su.unit_id = cc.unit_id
      and su.ended_at is not null) as "holderHasLeft"
  from care_contact cc join care_unit u on u.id = cc.unit_id join care_provider pr on pr.id = u.provider_id
    left join staff s on s.id = cc.staff_id
  where cc.patient_id = :patientId and cc.status = 'active'
  order by array_position(array['fast-vardkontakt','fast-lakarkontakt','fast-omsorgskontakt','behandlande-roll'], cc.role))
select case when exists (select 1 from pat) then json_build_object(
  'patient', (select row_to_json(pat) from pat),
  'contract', (select row_to_json(con) from con),
  'careContacts', (select coalesce(json_agg(cc), '[]') from cc),
  'units', (select coalesce(json_object_agg(u.id, json_build_object('name', u.name, 'providerKind', pr.kind,
      'providerName', pr.name, 'phone', u.phone)), '{}')
    from care_unit u join care_provider pr on pr.id = u.provider_id where u.id = any(array(
      select jsonb_path_query(content, '$.activities[*].unitId') #>> '{}' from con
      union all select jsonb_path_query(content, '$.linkedPlans[*].unitId') #>> '{}' from con
      union all select jsonb_path_query(content, '$.nextContact.unitId') #>> '{}' from con
      union all select "unitId" from cc
      union all select "listedUnitId" from pat))),
  'staff', (select coalesce(json_object_agg(s.id, json_build_object('name', s.given_name || ' ' || s.family_name,
      'title', s.title, 'profession', s.profession, 'phone', s.phone)), '{}')
    from staff s where s.id = any(array(
      select jsonb_path_query(content, '$.activities[*].responsibleStaffId') #>> '{}' from con
      union all select jsonb_path_query(content, '$.nextContact.withStaffId') #>> '{}' from con))))::text end as "overviewJson",
  (select version from con) as "overviewContractVersion";
