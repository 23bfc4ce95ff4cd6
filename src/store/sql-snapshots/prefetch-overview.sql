-- prefetch-overview: GET /api/patients/:patientId/overview: the session, the access facts and the overview as JSON text, one round trip (store/prefetch-store.ts).
-- Generated from the store's code: src/store/sql-snapshots.test.ts checks it, `npm run sql:snapshots` rewrites it.
-- Parameters, as sent: $1 :patientId, $2 :tokenHash, $3 :idleSeconds.
with
p as (select id, listed_unit_id from patient where id = :patientId),
c as (select content, owner_unit_id from contract where patient_id = :patientId and status <> 'ended'),
holder as (
  select coalesce((select owner_unit_id from c), (select listed_unit_id from p)) as unit_id),

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
  order by array_position(array['fast-vardkontakt','fast-lakarkontakt','fast-omsorgskontakt','behandlande-roll'], cc.role)),
a as (select s.id, s.subject_kind as "subjectKind", s.subject_id as "subjectId", s.unit_id as "unitId",
  s.created_at as "createdAt", s.last_seen_at as "lastSeenAt", s.expires_at as "expiresAt",
  s.last_seen_at < now() - interval '60 seconds' as "isStale",
  coalesce(p.given_name || ' ' || p.family_name, st.given_name || ' ' || st.family_name) as name,
  st.profession, u.provider_id as "providerId", su.role from session s
  left join patient p
    on p.id = case when s.subject_kind = 'patient' then s.subject_id::uuid end
  left join staff_unit su
    on s.subject_kind = 'staff' and su.staff_id = s.subject_id and su.unit_id = s.unit_id and su.ended_at is null
  left join staff st on st.id = su.staff_id and st.is_active
  left join care_unit u on st.id is not null and u.id = su.unit_id where s.id = :tokenHash and s.expires_at > now()
  and s.last_seen_at > now() - make_interval(secs => :idleSeconds))
select a.*,
  exists (select 1 from p) as "patientExists",
  (select unit_id from holder) as "holderUnitId",
  (select u.provider_id from care_unit u where u.id = (select unit_id from holder)) as "holderProviderId",
  array(
    select unit_id from (
      select listed_unit_id from p
      union select unit_id from care_contact where patient_id = :patientId and status = 'active'
      union select jsonb_path_query(content, '$.activities[*].unitId') #>> '{}' from c
      union select content #>> '{nextContact,unitId}' from c
      union select owner_unit_id from c
      union select unit_id from care_relationship where patient_id = :patientId and ended_at is null
      and start_date <= (now() at time zone 'Europe/Stockholm')::date and (end_date is null or end_date >= (now() at time zone 'Europe/Stockholm')::date)
      union select m.unit_id from enrolment e join team_member m on m.team_id = e.team_id
      where e.patient_id = :patientId and e.status <> 'ended'
      and m.starts <= (now() at time zone 'Europe/Stockholm')::date and (m.ends is null or m.ends >= (now() at time zone 'Europe/Stockholm')::date)
    ) as source (unit_id) where unit_id is not null
  ) as "relationshipUnitIds",
  coalesce((select json_agg(json_build_object('scope', scope_kind, 'unitId', unit_id, 'staffId', staff_id,
      'validFrom', valid_from, 'validTo', valid_to, 'revokedAt', revoked_at))
    from consent where patient_id = :patientId and revoked_at is null), '[]') as consents,
  coalesce((select json_agg(json_build_object('scope', scope_kind, 'unitId', unit_id, 'providerId', provider_id))
    from block where patient_id = :patientId and lifted_at is null), '[]') as blocks,
  coalesce((select json_agg(json_build_object('staffId', staff_id, 'unitId', unit_id, 'expiresAt', expires_at))
    from emergency_access where patient_id = :patientId and expires_at > now()), '[]') as emergencies,
  array(select grantee_patient_id::text from proxy_grant where patient_id = :patientId and revoked_at is null
    and (valid_to is null or valid_to > now())) as proxies,
  (select role from staff_unit where staff_id = case when a."subjectKind" = 'staff' then a."subjectId" end and unit_id = a."unitId" and ended_at is null) as "actorRole",
  now() as now,
  case when exists (select 1 from pat) then json_build_object(
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
  (select version from con) as "overviewContractVersion"
from a;
