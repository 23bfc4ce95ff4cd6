-- Admissions to hospital (vårdtillfällen) come as an import of their own: a re-import of the
-- same file changes nothing (one stay per patient and admission instant), and each stay names
-- the import that wrote it.
alter table import_run drop constraint import_run_kind_check;
alter table import_run add constraint import_run_kind_check check (kind in ('visits', 'population', 'admissions'));
alter table hospital_stay add column import_id bigint references import_run (id);
create unique index hospital_stay_admission_key on hospital_stay (patient_id, admitted_at);
