/**
 * The session statement of the hot patient routes: the session and its actor, the access facts
 * about the patient in the path and, on some routes, the route's own read about that patient,
 * in one statement (one round trip). The parts belong to their stores (the session to
 * session-store.ts, the facts to access-facts-store.ts, the current contract to contract-store.ts,
 * the overview to overview-store.ts); this module joins them, once, when it is loaded. The final
 * text of each statement is in sql-snapshots/prefetch-*.sql.
 */
import type { AccessFacts } from '../domain/access.ts';
import type { Actor } from '../domain/actor.ts';
import { factsColumns, factsCtes } from './access-facts-store.ts';
import { currentForUpdateOf, currentForUpdateSql, type CurrentForUpdate } from './contract-store.ts';
import type { Queryable } from './db.ts';
import { namedSql } from './named-sql.ts';
import { overviewJsonOf, overviewJsonSql, type OverviewJson } from './overview-store.ts';
import { actorSql, tokenHashOf, type ActorRow, type SessionStore } from './session-store.ts';

/**
 * What a route reads with its session: the access facts alone (`access`), or with them the
 * current contract as a save needs it (`contract`, PUT …/contract) or the overview as JSON text
 * (`overview`, GET …/overview).
 */
export type PrefetchKind = 'access' | 'contract' | 'overview';

/**
 * More about the patient in the same statement: common table expressions, a join after the
 * session row `a`, and columns, about the patient `:patientId`. Their names must not clash with
 * the facts' (`p`, `c`, `holder`).
 */
interface PatientRead {
  ctes?: string;
  join?: string;
  columns: string;
}

const statementOf = (read?: PatientRead) =>
  namedSql(
    `with ${factsCtes},${read?.ctes ? `\n${read.ctes},` : ''}
a as (select ${actorSql.columns} ${actorSql.from} where ${actorSql.where})
select a.*, ${factsColumns(`case when a."subjectKind" = 'staff' then a."subjectId" end`, 'a."unitId"')}${
      read ? `,\n  ${read.columns}` : ''
    }
from a ${read?.join ?? ''}`,
    ['patientId', 'tokenHash', 'idleSeconds'],
  );

/** The three statements, by what the route reads with its session. */
export const prefetchStatements = {
  access: statementOf(),
  contract: statementOf(currentForUpdateSql(':patientId')),
  overview: statementOf(overviewJsonSql(':patientId')),
} as const;

/** The route's own read, by kind. */
export type PatientPrefetch =
  | { kind: 'access' }
  | { kind: 'contract'; current: CurrentForUpdate }
  | { kind: 'overview'; overview: OverviewJson | null };

export interface Prefetched {
  actor: Actor;
  /**
   * The facts about the patient as this actor reads them: the same as
   * `AccessFactsStore#gather` for the actor of this session (their role at the unit they act from).
   */
  facts: AccessFacts;
  read: PatientPrefetch;
}

export function createPrefetchStore(db: Queryable, deps: { sessions: SessionStore; idleSeconds: number }) {
  return {
    /**
     * The actor behind `token`, the access facts about `patientId` (a uuid) and the read of
     * `kind`, in one round trip; null when the session is not live.
     */
    async read(token: string, patientId: string, kind: PrefetchKind): Promise<Prefetched | null> {
      const statement = prefetchStatements[kind];
      const rows = await db.query<ActorRow & Omit<AccessFacts, 'patientId'>>(
        statement.text,
        statement.params({ patientId, tokenHash: tokenHashOf(token), idleSeconds: deps.idleSeconds }),
      );
      const row = rows[0];
      const resolved = await deps.sessions.actorOf(row);
      if (!resolved || !row) return null;
      const facts: AccessFacts = {
        patientId,
        patientExists: row.patientExists,
        holderUnitId: row.holderUnitId,
        holderProviderId: row.holderProviderId,
        relationshipUnitIds: row.relationshipUnitIds,
        consents: row.consents,
        blocks: row.blocks,
        emergencies: row.emergencies,
        proxies: row.proxies,
        actorRole: row.actorRole,
        now: row.now,
      };
      const read: PatientPrefetch =
        kind === 'contract'
          ? { kind, current: currentForUpdateOf(row) }
          : kind === 'overview'
            ? { kind, overview: overviewJsonOf(row) }
            : { kind };
      return { actor: resolved.actor, facts, read };
    },
  };
}

export type PrefetchStore = ReturnType<typeof createPrefetchStore>;
