-- Patient experience and team function of the mobile care teams (Region Skåne's follow-up,
-- assignment 15), and the region's sub-regions (delregioner) for the physician dimensioning
-- (assignment 3). See docs/mobile-teams.md and docs/imports.md.

-- A survey as the region loaded it: questions and the answer scale, one row per version; a
-- version once loaded never changes (a change is a new version).
create table survey_definition (
  id text not null check (id ~ '^[a-z0-9-]{2,60}$'),
  version integer not null check (version >= 1),
  kind text not null check (kind in ('patientupplevelse', 'teamfunktion')),
  name text not null,
  definition jsonb not null,
  source text not null,
  loaded_at timestamptz not null,
  loaded_by text not null,
  primary key (id, version)
);

-- One answer to one question of one filled-in form (response_id, the survey tool's own number).
-- Anonymous: no person is named, and none can be joined to.
create table survey_answer (
  survey_id text not null,
  survey_version integer not null,
  response_id text not null,
  question_id text not null,
  team_id uuid not null references team (id),
  respondent text not null
    check (respondent in ('patient', 'narstaende', 'personal-region', 'personal-kommun')),
  answered_on date not null,
  answer integer not null,
  import_id bigint not null references import_run (id),
  primary key (survey_id, survey_version, response_id, question_id),
  foreign key (survey_id, survey_version) references survey_definition (id, version)
);
create index survey_answer_day_idx on survey_answer (answered_on);

-- The region's sub-regions: each municipality (as the teams name it) belongs to one. Replaced
-- whole when the region loads a new list; who loaded it and when is on every row.
create table municipality_subregion (
  municipality text primary key check (length(municipality) between 1 and 100),
  subregion text not null check (length(subregion) between 1 and 100),
  source text not null,
  loaded_at timestamptz not null,
  loaded_by text not null
);

alter table import_run drop constraint import_run_kind_check;
alter table import_run add constraint import_run_kind_check
  check (kind in ('visits', 'population', 'admissions', 'diagnoses', 'surveys'));
