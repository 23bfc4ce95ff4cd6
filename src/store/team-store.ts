/** Mobile care teams: the team, its members from several care providers, reachability and roster. */
import type { EnrolledPatient, TeamMember, TeamSummary } from '../domain/mobile-care-view.ts';
import type { Reachability, RosterEntry } from '../domain/team.ts';
import type { Queryable } from './db.ts';
import { isUuid } from './patient-store.ts';
import { listedNameSql } from './person-status-store.ts';

export interface NewTeam {
  name: string;
  publicName: string;
  kind: string;
  municipality?: string | null;
  members: { staffId: string; unitId: string; role: TeamMember['role']; starts: string }[];
  reachability: Reachability;
  roster?: RosterEntry[];
}

const SUMMARY = `t.id, t.name, t.public_name as "publicName", t.kind, k.name as "kindLabel"`;

export function createTeamStore(db: Queryable) {
  return {
    /** The teams the staff member belongs to today. */
    async listForStaff(staffId: string, today: string, limit: number): Promise<TeamSummary[]> {
      return db.query<TeamSummary>(
        `select ${SUMMARY} from team t join team_kind k on k.code = t.kind
         where exists (select 1 from team_member m where m.team_id = t.id and m.staff_id = $1
           and m.starts <= $2::date and (m.ends is null or m.ends >= $2::date))
         order by t.name limit $3`,
        [staffId, today, limit],
      );
    },

    /** The team of that name, if any (the demo seeder writes its teams once). */
    async findByName(name: string): Promise<TeamSummary | null> {
      const rows = await db.query<TeamSummary>(
        `select ${SUMMARY} from team t join team_kind k on k.code = t.kind where t.name = $1 limit 1`,
        [name],
      );
      return rows[0] ?? null;
    },

    async find(teamId: string): Promise<TeamSummary | null> {
      if (!isUuid(teamId)) return null;
      const rows = await db.query<TeamSummary>(
        `select ${SUMMARY} from team t join team_kind k on k.code = t.kind where t.id = $1`,
        [teamId],
      );
      return rows[0] ?? null;
    },

    /** The members today, physicians first. */
    async members(teamId: string, today: string): Promise<TeamMember[]> {
      return db.query<TeamMember>(
        `select m.staff_id as "staffId", s.given_name || ' ' || s.family_name as name, s.title, s.profession,
           s.phone, m.role, m.unit_id as "unitId", u.name as "unitName",
           json_build_object('id', p.id, 'name', p.name, 'kind', p.kind) as "careProvider"
         from team_member m join staff s on s.id = m.staff_id join care_unit u on u.id = m.unit_id
           join care_provider p on p.id = u.provider_id
         where m.team_id = $1 and m.starts <= $2::date and (m.ends is null or m.ends >= $2::date)
         order by case m.role when 'lakare' then 0 when 'sjukskoterska' then 1 else 2 end, s.family_name
         limit 200`,
        [teamId, today],
      );
    },

    /** The member's row when the staff member belongs to the team today. */
    async membership(
      teamId: string,
      staffId: string,
      today: string,
    ): Promise<{ unitId: string; role: string; profession: string } | null> {
      if (!isUuid(teamId)) return null;
      const rows = await db.query<{ unitId: string; role: string; profession: string }>(
        `select m.unit_id as "unitId", m.role, s.profession from team_member m join staff s on s.id = m.staff_id
         where m.team_id = $1 and m.staff_id = $2 and m.starts <= $3::date and (m.ends is null or m.ends >= $3::date)`,
        [teamId, staffId, today],
      );
      return rows[0] ?? null;
    },

    async reachability(teamId: string): Promise<Reachability> {
      return db.query(
        `select weekdays, from_time as "from", to_time as "to", phone, label from team_reachability
         where team_id = $1 order by position limit 100`,
        [teamId],
      );
    },

    /** Roster entries that end after `from` (the current and coming shifts), in order. */
    async roster(teamId: string, from: string): Promise<RosterEntry[]> {
      return db.query<RosterEntry>(
        `select staff_id as "staffId", starts, ends, backup from team_roster
         where team_id = $1 and ends > $2::timestamptz order by starts, backup limit 500`,
        [teamId, from],
      );
    },

    /** Replaces the roster from `from` on; shifts that ended before it stay as they were. */
    async replaceRoster(
      tx: Queryable,
      teamId: string,
      from: string,
      roster: readonly RosterEntry[],
    ): Promise<void> {
      await tx.query('delete from team_roster where team_id = $1 and ends > $2::timestamptz', [teamId, from]);
      if (roster.length === 0) return;
      await tx.query(
        `insert into team_roster (team_id, staff_id, starts, ends, backup)
         select $1, r.staff_id, r.starts, r.ends, r.backup
         from jsonb_to_recordset($2::jsonb) as r(staff_id text, starts timestamptz, ends timestamptz, backup boolean)`,
        [
          teamId,
          JSON.stringify(
            roster.map((e) => ({ staff_id: e.staffId, starts: e.starts, ends: e.ends, backup: e.backup })),
          ),
        ],
      );
    },

    /** Staff ids among `staffIds` that are not members of the team today. */
    async nonMembers(teamId: string, staffIds: readonly string[], today: string): Promise<string[]> {
      const rows = await db.query<{ id: string }>(
        `select s.id from unnest($2::text[]) as s (id) where not exists (select 1 from team_member m
           where m.team_id = $1 and m.staff_id = s.id and m.starts <= $3::date and (m.ends is null or m.ends >= $3::date))`,
        [teamId, [...staffIds], today],
      );
      return rows.map((r) => r.id);
    },

    /** Patients enrolled (proposed, active or paused), by start. */
    async enrolled(teamId: string, limit: number): Promise<EnrolledPatient[]> {
      return db.query<EnrolledPatient>(
        `select e.patient_id as "patientId", ${listedNameSql('p')} as name,
           e.target_group as "targetGroup", e.status, e.start_date as since, e.review_date as "reviewDate"
         from enrolment e join patient p on p.id = e.patient_id
         where e.team_id = $1 and e.status <> 'ended' order by e.start_date, e.id limit $2`,
        [teamId, limit],
      );
    },

    /** Creates a team with its members, reachability and roster (demo data, tests, administration). */
    async create(tx: Queryable, team: NewTeam, createdAt: string): Promise<string> {
      const rows = await tx.query<{ id: string }>(
        `insert into team (name, public_name, kind, municipality, created_at) values ($1, $2, $3, $4, $5) returning id`,
        [team.name, team.publicName, team.kind, team.municipality ?? null, createdAt],
      );
      const id = rows[0]!.id;
      for (const m of team.members)
        await tx.query(
          'insert into team_member (team_id, staff_id, unit_id, role, starts) values ($1, $2, $3, $4, $5)',
          [id, m.staffId, m.unitId, m.role, m.starts],
        );
      let position = 0;
      for (const r of team.reachability)
        await tx.query(
          `insert into team_reachability (team_id, position, weekdays, from_time, to_time, phone, label)
           values ($1, $2, $3::int[], $4, $5, $6, $7)`,
          [id, position++, r.weekdays, r.from, r.to, r.phone, r.label],
        );
      if (team.roster) await this.replaceRoster(tx, id, createdAt, team.roster);
      return id;
    },
  };
}

export type TeamStore = ReturnType<typeof createTeamStore>;
