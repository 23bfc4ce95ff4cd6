/**
 * The organisation directory's SQL: what the database holds for the care providers a file
 * declares, and the writing of a sync's diff (domain/directory-sync.ts) in one transaction.
 * Rows are passed as one JSON parameter each (`jsonb_to_recordset`), so a 20,000-person sync is a
 * handful of statements, the same on PGlite and PostgreSQL.
 */
import type {
  CurrentDirectory,
  DirectoryAssignment,
  DirectoryDiff,
  DiffCounts,
} from '../domain/directory-sync.ts';
import type { Db, Queryable } from './db.ts';
import { listedNameSql } from './person-status-store.ts';

/** Serialises syncs: two at once would each diff against what the other is changing. */
const SYNC_LOCK = 727275;

export interface SyncRunRecord {
  source: string;
  format: 'fhir' | 'csv';
  providerIds: readonly string[];
  actorId: string;
  confirmedEnds: boolean;
  counts: Record<string, DiffCounts>;
}

export interface SyncRun extends SyncRunRecord {
  id: number;
  ranAt: string;
}

/** A fast vårdkontakt whose holder no longer has a place at the contact's unit. */
export interface OrphanedFastVardkontakt {
  contactId: string;
  patientId: string;
  patientName: string;
  staffId: string;
  staffName: string;
  unitId: string;
  /** When the holder's place at the unit ended. */
  leftAt: string;
}

const json = (rows: readonly object[]): string => JSON.stringify(rows);

/** The current directory for `providerIds`, the file's people `staffIds` and units `unitIds`. */
async function readCurrent(
  q: Queryable,
  providerIds: readonly string[],
  staffIds: readonly string[],
  unitIds: readonly string[],
): Promise<CurrentDirectory> {
  // One after another: inside the sync's transaction they share one connection.
  const providers = await q.query<CurrentDirectory['providers'][number]>(
    `select id, name, kind, huvudman from care_provider where id = any($1::text[])`,
    [providerIds],
  );
  const units = await q.query<CurrentDirectory['units'][number]>(
    `select id, provider_id as "providerId", name, kind, municipality, ended_at is not null as "isEnded"
         from care_unit where provider_id = any($1::text[])`,
    [providerIds],
  );
  const foreignUnits = await q.query<CurrentDirectory['foreignUnits'][number]>(
    `select id, provider_id as "providerId" from care_unit
        where id = any($1::text[]) and provider_id <> all($2::text[])`,
    [unitIds, providerIds],
  );
  const staff = await q.query<CurrentDirectory['staff'][number]>(
    `select id, given_name as "givenName", family_name as "familyName", title, profession
         from staff where id = any($1::text[])`,
    [staffIds],
  );
  const assignments = await q.query<DirectoryAssignment>(
    `select a.staff_id as "staffId", a.unit_id as "unitId", a.purpose, a.role
         from staff_assignment a join care_unit u on u.id = a.unit_id
        where a.ended_at is null and u.provider_id = any($1::text[])`,
    [providerIds],
  );
  const places = await q.query<CurrentDirectory['places'][number]>(
    `select su.staff_id as "staffId", su.unit_id as "unitId", su.role, su.ended_at is not null as "isEnded",
              exists (select 1 from staff_assignment a where a.staff_id = su.staff_id and a.unit_id = su.unit_id)
                as "isManaged"
         from staff_unit su join care_unit u on u.id = su.unit_id
        where u.provider_id = any($1::text[])
          and (su.staff_id = any($2::text[])
               or exists (select 1 from staff_assignment a where a.staff_id = su.staff_id and a.unit_id = su.unit_id))`,
    [providerIds, staffIds],
  );
  return { providers, units, foreignUnits, staff, assignments, places };
}

/** Writes a diff; `runId` is the run it belongs to. */
async function writeDiff(tx: Queryable, diff: DirectoryDiff, runId: number): Promise<void> {
  const providers = [...diff.providers.added, ...diff.providers.changed.map((c) => c.after)];
  if (providers.length > 0)
    await tx.query(
      `insert into care_provider (id, name, kind, huvudman)
       select id, name, kind, huvudman from jsonb_to_recordset($1::jsonb)
         as r(id text, name text, kind text, huvudman text)
       on conflict (id) do update set name = excluded.name, kind = excluded.kind, huvudman = excluded.huvudman`,
      [json(providers)],
    );
  const units = [...diff.units.added, ...diff.units.changed.map((c) => c.after)];
  if (units.length > 0)
    await tx.query(
      `insert into care_unit (id, provider_id, name, kind, municipality)
       select id, "providerId", name, kind, municipality from jsonb_to_recordset($1::jsonb)
         as r(id text, "providerId" text, name text, kind text, municipality text)
       on conflict (id) do update set provider_id = excluded.provider_id, name = excluded.name,
         kind = excluded.kind, municipality = excluded.municipality, ended_at = null`,
      [json(units)],
    );
  if (diff.units.ended.length > 0)
    await tx.query(`update care_unit set ended_at = now() where id = any($1::text[]) and ended_at is null`, [
      diff.units.ended.map((u) => u.id),
    ]);
  const staff = [...diff.staff.added, ...diff.staff.changed.map((c) => c.after)];
  if (staff.length > 0)
    await tx.query(
      `insert into staff (id, given_name, family_name, title, profession)
       select id, "givenName", "familyName", title, profession from jsonb_to_recordset($1::jsonb)
         as r(id text, "givenName" text, "familyName" text, title text, profession text)
       on conflict (id) do update set given_name = excluded.given_name, family_name = excluded.family_name,
         title = excluded.title, profession = excluded.profession`,
      [json(staff)],
    );
  // A changed role ends the assignment and starts it again: the rows are its history.
  const ending = [...diff.assignments.ended, ...diff.assignments.changed.map((c) => c.before)];
  if (ending.length > 0)
    await tx.query(
      `update staff_assignment a set ended_at = now(), ended_by_run = $2
         from jsonb_to_recordset($1::jsonb) as r("staffId" text, "unitId" text, purpose text)
        where a.ended_at is null and a.staff_id = r."staffId" and a.unit_id = r."unitId" and a.purpose = r.purpose`,
      [json(ending), runId],
    );
  const starting = [...diff.assignments.added, ...diff.assignments.changed.map((c) => c.after)];
  if (starting.length > 0)
    await tx.query(
      `insert into staff_assignment (staff_id, unit_id, purpose, role, started_by_run)
       select "staffId", "unitId", purpose, role, $2 from jsonb_to_recordset($1::jsonb)
         as r("staffId" text, "unitId" text, purpose text, role text)`,
      [json(starting), runId],
    );
  if (diff.places.length > 0)
    await tx.query(
      `insert into staff_unit (staff_id, unit_id, role, ended_at)
       select "staffId", "unitId", role, case when "isEnded" then now() end from jsonb_to_recordset($1::jsonb)
         as r("staffId" text, "unitId" text, role text, "isEnded" boolean)
       on conflict (staff_id, unit_id) do update set role = excluded.role,
         ended_at = case when excluded.ended_at is null then null
                         else coalesce(staff_unit.ended_at, excluded.ended_at) end`,
      [json(diff.places)],
    );
}

export function createDirectorySyncStore(db: Db) {
  return {
    /** The current directory, read outside a transaction (a dry run). */
    readCurrent: (providerIds: readonly string[], staffIds: readonly string[], unitIds: readonly string[]) =>
      readCurrent(db, providerIds, staffIds, unitIds),

    /**
     * Reads the current directory and, when `decide` returns a diff and a run, writes both, in
     * one transaction under the sync lock: all of it or none of it. `decide` may throw to write
     * nothing.
     */
    async sync<T>(
      scope: { providerIds: readonly string[]; staffIds: readonly string[]; unitIds: readonly string[] },
      decide: (current: CurrentDirectory) => { diff: DirectoryDiff; run: SyncRunRecord; result: T },
    ): Promise<T & { runId: number }> {
      return db.transaction(
        async (tx) => {
          await tx.query('select pg_advisory_xact_lock($1)', [SYNC_LOCK]);
          const current = await readCurrent(tx, scope.providerIds, scope.staffIds, scope.unitIds);
          const { diff, run, result } = decide(current);
          const rows = await tx.query<{ id: number }>(
            `insert into directory_sync_run (source, format, provider_ids, actor_id, confirmed_ends, counts)
             values ($1, $2, $3::text[], $4, $5, $6::jsonb) returning id::int as id`,
            [
              run.source,
              run.format,
              run.providerIds,
              run.actorId,
              run.confirmedEnds,
              JSON.stringify(run.counts),
            ],
          );
          const runId = rows[0]!.id;
          await writeDiff(tx, diff, runId);
          return { ...result, runId };
        },
        { isBulk: true },
      );
    },

    /** The latest runs, newest first. */
    async listRuns(limit: number): Promise<SyncRun[]> {
      return db.query<SyncRun>(
        `select id::int as id, source, format, provider_ids as "providerIds", actor_id as "actorId",
                confirmed_ends as "confirmedEnds", counts, ran_at as "ranAt"
           from directory_sync_run order by id desc limit $1`,
        [limit],
      );
    },

    /**
     * Active fast vårdkontakt contacts at `unitId` whose holder's place at that unit has ended
     * (they left, or their assignment there did): the manager's "needs a new fast vårdkontakt".
     */
    async orphanedFastVardkontakter(unitId: string, limit: number): Promise<OrphanedFastVardkontakt[]> {
      return db.query<OrphanedFastVardkontakt>(
        `select c.id as "contactId", c.patient_id as "patientId",
                ${listedNameSql('p')} as "patientName", c.staff_id as "staffId",
                s.given_name || ' ' || s.family_name as "staffName", c.unit_id as "unitId", su.ended_at as "leftAt"
           from care_contact c
           join staff_unit su on su.staff_id = c.staff_id and su.unit_id = c.unit_id
           join staff s on s.id = c.staff_id
           join patient p on p.id = c.patient_id
          where c.unit_id = $1 and c.role = 'fast-vardkontakt' and c.status = 'active'
            and su.ended_at is not null
          order by su.ended_at, c.id
          limit $2`,
        [unitId, limit],
      );
    },
  };
}

export type DirectorySyncStore = ReturnType<typeof createDirectorySyncStore>;
