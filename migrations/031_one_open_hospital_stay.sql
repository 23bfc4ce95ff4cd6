-- A patient is in hospital at most once at a time: at most one stay without a discharge. The
-- staff route and the admissions import already refuse a second open stay (422 / an error on
-- the file's line); this index makes it the database's rule too, so that two writers at the same
-- moment cannot both win (the loser is refused like the second one, never a 500).
--
-- Data written before the rule: where a patient has several open stays, each one but the latest
-- is closed at the next admission of that patient (a later admission means the earlier stay had
-- ended by then). The discharge is left without a name (discharged_by stays null, like an
-- imported one).
update hospital_stay h
   set discharged_at = n.next_admitted_at
  from (select id, lead(admitted_at) over (partition by patient_id order by admitted_at) as next_admitted_at
          from hospital_stay where discharged_at is null) n
 where h.id = n.id and n.next_admitted_at is not null;

create unique index hospital_stay_one_open on hospital_stay (patient_id) where discharged_at is null;
