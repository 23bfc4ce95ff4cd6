/**
 * Mobile care teams (Region Dalarna's närsjukvårdsteam and hemsjukvårdsteam; Region Skåne's
 * mobila vårdteam with a uniform name): the teams a member of staff belongs to, one team with its
 * members, the number that answers now, who is on call, and its enrolled patients; the roster the
 * team keeps. Only members see a team. The enrolled patients are patient data: each passes the
 * access decision and is logged like a search hit, and one the member may not see is left out.
 */
import type { StaffActor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import { swedishToday } from '../domain/swedish-time.ts';
import { onCallAt, rosterProblems, whoAnswersNow, type RosterEntry } from '../domain/team.ts';
import type { Db } from '../store/db.ts';
import type { OnCallPerson, TeamDetail, TeamMember, TeamSummary } from '../domain/mobile-care-view.ts';
import type { TeamStore } from '../store/team-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';

export interface TeamServiceDeps {
  db: Db;
  teams: TeamStore;
  access: AccessService;
  clock: () => Date;
}

export type { TeamDetail };

const ENROLLED_MAX = 200;
const notFound = () => new DomainError('not_found', 'Teamet finns inte.');

function staffOf(ctx: RequestContext): StaffActor {
  if (ctx.actor.kind !== 'staff') throw new DomainError('forbidden');
  return ctx.actor;
}

export function createTeamService(deps: TeamServiceDeps) {
  const { teams, clock } = deps;

  /** Who is on call now, with name and phone from the member list (a roster names members only). */
  function onCallOf(roster: readonly RosterEntry[], members: readonly TeamMember[], now: Date) {
    const { primary, backup } = onCallAt(roster, now);
    const person = (e: RosterEntry | undefined): OnCallPerson | undefined => {
      const m = e && members.find((x) => x.staffId === e.staffId);
      return m ? { staffId: m.staffId, name: m.name, phone: m.phone ?? '' } : undefined;
    };
    const p = person(primary);
    const b = person(backup);
    return { ...(p ? { primary: p } : {}), ...(b ? { backup: b } : {}) };
  }

  /** The team's reachability and on-call physicians now (for routing, the plan and the patient's view). */
  async function reachNow(teamId: string, now: Date) {
    const today = swedishToday(now);
    const [members, reachability, roster] = await Promise.all([
      teams.members(teamId, today),
      teams.reachability(teamId),
      teams.roster(teamId, now.toISOString()),
    ]);
    const answering = whoAnswersNow(reachability, now);
    return {
      members,
      reachability,
      roster,
      answersNow: answering ? { phone: answering.phone, label: answering.label } : null,
      onCall: onCallOf(roster, members, now),
    };
  }

  async function requireMember(actor: StaffActor, teamId: string): Promise<TeamSummary> {
    const team = await teams.find(teamId);
    if (!team || !(await teams.membership(teamId, actor.staffId, swedishToday(clock())))) throw notFound();
    return team;
  }

  return {
    reachNow,

    /** The teams the staff member belongs to. */
    async listMine(ctx: RequestContext, limit: number): Promise<TeamSummary[]> {
      const actor = staffOf(ctx);
      return teams.listForStaff(actor.staffId, swedishToday(clock()), limit);
    },

    /** One team, for its members: everything the team page shows. Others: 404. */
    async get(ctx: RequestContext, teamId: string): Promise<TeamDetail> {
      const actor = staffOf(ctx);
      const team = await requireMember(actor, teamId);
      const now = clock();
      const reach = await reachNow(team.id, now);
      const enrolled = await teams.enrolled(team.id, ENROLLED_MAX);
      const visible = new Set(
        await deps.access.filterSearch(
          ctx,
          enrolled.map((e) => e.patientId),
        ),
      );
      return { ...team, ...reach, enrolled: enrolled.filter((e) => visible.has(e.patientId)) };
    },

    /** Replaces the roster from now on (members only; everyone on it must be a member). */
    async replaceRoster(ctx: RequestContext, teamId: string, roster: RosterEntry[]): Promise<RosterEntry[]> {
      const actor = staffOf(ctx);
      const team = await requireMember(actor, teamId);
      const problems = rosterProblems(roster);
      if (problems.length > 0) throw new DomainError('team_schedule_invalid', undefined, problems);
      const now = clock();
      const strangers = await teams.nonMembers(
        team.id,
        [...new Set(roster.map((e) => e.staffId))],
        swedishToday(now),
      );
      if (strangers.length > 0)
        throw new DomainError(
          'team_schedule_invalid',
          'Bara teamets medlemmar kan stå på jourlistan.',
          roster.flatMap((e, i) =>
            strangers.includes(e.staffId)
              ? [{ path: `/roster/${i}/staffId`, message: 'Inte medlem i teamet.' }]
              : [],
          ),
        );
      await deps.db.transaction((tx) => teams.replaceRoster(tx, team.id, now.toISOString(), roster));
      return teams.roster(team.id, now.toISOString());
    },
  };
}

export type TeamService = ReturnType<typeof createTeamService>;
