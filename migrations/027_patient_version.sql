-- Version history of FHIR Patient and of the fixed contacts' CareTeam (docs/fhir.md, "History of
-- Patient and CareTeam"). Both are kept by triggers, so that every writer is covered in the
-- transaction of its change: the FHIR and JSON API, a refresh from the population register, the
-- register import's bulk statements, a merge of a reservnummer, the demo generator and tests.
--
-- Neither table has a foreign key to patient: a merge (store/patient-merge-store.ts) moves every
-- column that references patient to the surviving record, and a version belongs to the record
-- it describes.

-- patient_version: what FHIR Patient shows of each version of a patient
-- (fhir/patient-mapper.ts#patientToFhir), and nothing else. Never an address: the address
-- leaves the server nowhere, and for skyddad folkbokföring it is not even kept (migration 017).
create table patient_version (
  patient_id uuid not null,
  version integer not null,
  identifier text not null,
  identifier_kind text not null,
  given_name text not null,
  family_name text not null,
  phone text,
  sex text,
  birth_date date,
  listed_unit_id text,
  protection text not null,
  deceased_on date,
  -- When the version was written; null for a version kept by this migration whose time is not
  -- known (a patient's current version, when it is not their first).
  changed_at timestamptz,
  -- The transaction that wrote it: further changes in that transaction belong to the same version.
  written_in bigint not null default txid_current(),
  primary key (patient_id, version)
);

-- A change to what FHIR Patient shows is a new version, once per transaction: the statements that
-- do not raise the version themselves (protection, death, listing …) raise it here, unless the
-- transaction has already written this version (a refresh writes the name, then the protection).
create function patient_version_bump() returns trigger language plpgsql as $$
begin
  if new.version = old.version
     and (new.identifier, new.identifier_kind, new.given_name, new.family_name, new.phone, new.sex,
          new.birth_date, new.listed_unit_id, new.protection, new.deceased_on)
         is distinct from
         (old.identifier, old.identifier_kind, old.given_name, old.family_name, old.phone, old.sex,
          old.birth_date, old.listed_unit_id, old.protection, old.deceased_on)
     and not exists (select 1 from patient_version v
                      where v.patient_id = old.id and v.version = old.version and v.written_in = txid_current())
  then
    new.version := old.version + 1;
  end if;
  return new;
end;
$$;
create trigger patient_version_bump before update on patient
  for each row execute function patient_version_bump();

create function patient_version_added() returns trigger language plpgsql as $$
begin
  insert into patient_version (patient_id, version, identifier, identifier_kind, given_name, family_name, phone,
    sex, birth_date, listed_unit_id, protection, deceased_on, changed_at)
  select a.id, a.version, a.identifier, a.identifier_kind, a.given_name, a.family_name, a.phone, a.sex,
         a.birth_date, a.listed_unit_id, a.protection, a.deceased_on, now()
    from added a;
  return null;
end;
$$;
create trigger patient_version_insert after insert on patient
  referencing new table as added for each statement execute function patient_version_added();

-- A new version is written; a further change in the same transaction rewrites it.
create function patient_version_changed() returns trigger language plpgsql as $$
begin
  insert into patient_version (patient_id, version, identifier, identifier_kind, given_name, family_name, phone,
    sex, birth_date, listed_unit_id, protection, deceased_on, changed_at)
  select a.id, a.version, a.identifier, a.identifier_kind, a.given_name, a.family_name, a.phone, a.sex,
         a.birth_date, a.listed_unit_id, a.protection, a.deceased_on, now()
    from changed a join unchanged b on b.id = a.id
   where a.version <> b.version
      or (a.identifier, a.identifier_kind, a.given_name, a.family_name, a.phone, a.sex, a.birth_date,
          a.listed_unit_id, a.protection, a.deceased_on)
         is distinct from
         (b.identifier, b.identifier_kind, b.given_name, b.family_name, b.phone, b.sex, b.birth_date,
          b.listed_unit_id, b.protection, b.deceased_on)
  on conflict (patient_id, version) do update set
    identifier = excluded.identifier, identifier_kind = excluded.identifier_kind,
    given_name = excluded.given_name, family_name = excluded.family_name, phone = excluded.phone,
    sex = excluded.sex, birth_date = excluded.birth_date, listed_unit_id = excluded.listed_unit_id,
    protection = excluded.protection, deceased_on = excluded.deceased_on, changed_at = excluded.changed_at;
  return null;
end;
$$;
create trigger patient_version_update after update on patient
  referencing old table as unchanged new table as changed
  for each statement execute function patient_version_changed();

-- Patients from before this migration: their history starts at the version they have now.
insert into patient_version (patient_id, version, identifier, identifier_kind, given_name, family_name, phone, sex,
  birth_date, listed_unit_id, protection, deceased_on, changed_at, written_in)
select p.id, p.version, p.identifier, p.identifier_kind, p.given_name, p.family_name, p.phone, p.sex,
       p.birth_date, p.listed_unit_id, p.protection, p.deceased_on,
       case when p.version = 1 then p.created_at end, 0
  from patient p;

-- care_team_version: the patient's CareTeam (fixed contacts and treating roles) at each of its
-- versions: the contacts it shows (declined offers are no participants), as
-- fhir/careteam-mapper.ts reads them; the names of staff and units are today's, from the
-- directory. care_contact_version (migration 011) cannot give this: the register import changes
-- contacts without a row there, a merge moves another record's contacts and rows into the team,
-- and concurrent changes of two contacts were ordered by neither.
--
-- The CareTeam's version (meta.versionId, ETag) is the latest version here: a new version for
-- each transaction that changes what the CareTeam shows (a phone number, a note or a declined
-- offer does not); 0 for a patient who never had a contact.
create table care_team_version (
  patient_id uuid not null,
  version integer not null,
  participants jsonb not null,
  changed_at timestamptz not null default now(),
  written_in bigint not null default txid_current(),
  primary key (patient_id, version)
);

-- The contacts each of these patients' CareTeam shows, in the order it shows them ('[]' for none).
create function care_team_participants(pids uuid[]) returns table (patient_id uuid, participants jsonb)
language sql stable as $$
  select x.pid, coalesce(t.participants, '[]'::jsonb)
    from (select distinct pid from unnest(pids) as pid where pid is not null) x
    left join (
      select c.patient_id, jsonb_agg(jsonb_build_object(
               'id', c.id, 'role', c.role, 'roleTitle', c.role_title, 'staffId', c.staff_id, 'unitId', c.unit_id,
               'viaTeam', c.via_team, 'reason', c.reason, 'status', c.status, 'startDate', c.start_date,
               'endDate', c.end_date)
             order by array_position(array['fast-vardkontakt','fast-lakarkontakt','fast-omsorgskontakt','behandlande-roll'],
                                     c.role), c.status, c.start_date desc nulls last, c.id) as participants
        from care_contact c where c.patient_id = any(pids) and c.status <> 'declined'
       group by c.patient_id) t on t.patient_id = x.pid
$$;

-- Keeps the CareTeam of these patients, in one statement for a whole import: one writer per team
-- at a time (the patient rows locked, in id order), a new version where what it shows changed,
-- the same version where this transaction wrote it already (a change of holder ends one contact
-- and appoints another).
create function care_team_keep(pids uuid[]) returns void language plpgsql as $$
begin
  perform 1 from patient where id = any(pids) order by id for no key update;
  with shown as (select * from care_team_participants(pids)),
  latest as (
    select distinct on (v.patient_id) v.patient_id, v.version, v.participants, v.written_in
      from care_team_version v where v.patient_id = any(pids) order by v.patient_id, v.version desc),
  changed as (
    select s.patient_id, s.participants, l.version, l.written_in
      from shown s left join latest l on l.patient_id = s.patient_id
     where (l.version is null and s.participants <> '[]'::jsonb)
        or (l.version is not null and l.participants <> s.participants)),
  rewritten as (
    update care_team_version v set participants = c.participants, changed_at = now()
      from changed c
     where c.written_in = txid_current() and v.patient_id = c.patient_id and v.version = c.version)
  insert into care_team_version (patient_id, version, participants)
  select c.patient_id, coalesce(c.version, 0) + 1, c.participants
    from changed c where c.version is null or c.written_in <> txid_current();
end;
$$;

-- A trigger's transition tables are visible only in its own function: each passes the patients on.
create function care_team_added() returns trigger language plpgsql as $$
begin
  perform care_team_keep(array(select patient_id from added));
  return null;
end;
$$;
create function care_team_changed() returns trigger language plpgsql as $$
begin
  perform care_team_keep(array(select patient_id from changed union select patient_id from unchanged));
  return null;
end;
$$;
create function care_team_removed() returns trigger language plpgsql as $$
begin
  perform care_team_keep(array(select patient_id from removed));
  return null;
end;
$$;
create trigger care_team_insert after insert on care_contact
  referencing new table as added for each statement execute function care_team_added();
create trigger care_team_update after update on care_contact
  referencing old table as unchanged new table as changed for each statement execute function care_team_changed();
create trigger care_team_delete after delete on care_contact
  referencing old table as removed for each statement execute function care_team_removed();

-- Teams from before this migration: their history starts now, at the version a read answered
-- until now (the sum of the versions of the patient's contacts), so that an ETag read before
-- still matches.
insert into care_team_version (patient_id, version, participants, changed_at, written_in)
select c.patient_id, sum(c.version)::int, t.participants, max(c.updated_at), 0
  from care_contact c
  join care_team_participants(array(select distinct patient_id from care_contact)) t on t.patient_id = c.patient_id
 group by c.patient_id, t.participants;
