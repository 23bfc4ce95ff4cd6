-- Stays in hospital recorded by staff through the JSON API (besides the admissions import): who
-- recorded the admission and the discharge, from which unit, and when they did it.
alter table hospital_stay add column admitted_by text;
alter table hospital_stay add column admitted_by_name text;
alter table hospital_stay add column admitted_by_unit_id text references care_unit (id);
alter table hospital_stay add column admission_recorded_at timestamptz;
alter table hospital_stay add column discharged_by text;
alter table hospital_stay add column discharged_by_name text;
alter table hospital_stay add column discharged_by_unit_id text references care_unit (id);
alter table hospital_stay add column discharge_recorded_at timestamptz;

-- Diagnoses from the region's data (docs/imports.md, kind 'diagnoses'): the unit that made the
-- diagnosis, the import that wrote it, and the day it stopped being current. A diagnosis stays
-- keyed by (patient, ICD-10 code): a later file updates its start, unit and end.
alter table patient_diagnosis add column source_unit_id text references care_unit (id);
alter table patient_diagnosis add column import_id bigint references import_run (id);
alter table patient_diagnosis add column ended_on date;
alter table patient_diagnosis add constraint patient_diagnosis_period_check
  check (ended_on is null or since is null or ended_on >= since);

alter table import_run drop constraint import_run_kind_check;
alter table import_run add constraint import_run_kind_check
  check (kind in ('visits', 'population', 'admissions', 'diagnoses'));
