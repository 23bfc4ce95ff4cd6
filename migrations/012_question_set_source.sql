-- The Gävleborg battery names its source document by its title, as every other question set
-- does (databases created before this release carry an internal reference instead).
update question_set
   set source = 'Region Gävleborg, handlingsplan Patientkontrakt 2021'
 where id = 'fragebatteri-000' and version = 1
   and source <> 'Region Gävleborg, handlingsplan Patientkontrakt 2021';
