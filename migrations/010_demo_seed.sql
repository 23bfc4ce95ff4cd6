-- The demo region's seeding is finished (src/seed/generate.ts): the row is written after the last
-- batch of patients. A seeding cut off before it (a kill, a crash) leaves the directory and some
-- batches but no row here, so the next start finishes the job instead of taking the region for
-- seeded (every batch is idempotent).

create table demo_seed (
  region_id text primary key,
  patients integer not null,
  seed integer not null,
  finished_at timestamptz not null default now()
);
