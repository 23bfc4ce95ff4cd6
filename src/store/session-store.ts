/**
 * Sessions. The cookie carries a random 256-bit token; only its SHA-256 is stored, so a copy
 * of the database does not hand out sessions.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AccessFacts } from '../domain/access.ts';
import type { Actor } from '../domain/actor.ts';
import { factsColumns, factsCtes } from './access-facts-store.ts';
import type { Queryable } from './db.ts';

export interface Session {
  id: string;
  subjectKind: 'staff' | 'patient';
  subjectId: string;
  unitId: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

export interface SessionPolicy {
  /** Idle timeout in seconds. */
  idleSeconds: number;
  /** Absolute lifetime in seconds. */
  absoluteSeconds: number;
}

const hash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** The session, the person and (for staff) their role at the chosen unit: one row or none. */
const actorColumns = `s.id, s.subject_kind as "subjectKind", s.subject_id as "subjectId", s.unit_id as "unitId",
  s.created_at as "createdAt", s.last_seen_at as "lastSeenAt", s.expires_at as "expiresAt",
  s.last_seen_at < now() - interval '60 seconds' as "isStale",
  coalesce(p.given_name || ' ' || p.family_name, st.given_name || ' ' || st.family_name) as name,
  st.profession, u.provider_id as "providerId"`;
const actorFrom = `from session s
  left join patient p
    on p.id = case when s.subject_kind = 'patient' then s.subject_id::uuid end
  left join staff_unit su
    on s.subject_kind = 'staff' and su.staff_id = s.subject_id and su.unit_id = s.unit_id
  left join staff st on st.id = su.staff_id and st.is_active
  left join care_unit u on st.id is not null and u.id = su.unit_id`;
/** `$1` the token's hash, `$2` the idle timeout in seconds. */
const actorWhere = `s.id = $1 and s.expires_at > now() and s.last_seen_at > now() - make_interval(secs => $2)`;

const actorSql = `select ${actorColumns} ${actorFrom} where ${actorWhere}`;
/**
 * More about the patient in the same statement (the route's own read): common table
 * expressions, a join after the session row `a`, and columns, all about the patient whose id
 * is the parameter `patient`. Their names must not clash with the facts' (`p`, `c`, `holder`).
 */
export interface PatientSql {
  ctes?: string;
  join?: string;
  columns: string;
}

/**
 * `actorSql` and the access facts about the patient `$3` as this actor reads them, in one
 * statement; with `extra`, the route's own read about the patient too.
 */
const actorWithFactsSqlOf = (extra?: PatientSql): string => `with ${factsCtes('$3')},${
  extra?.ctes ? `\n${extra.ctes},` : ''
}
a as (select ${actorColumns} ${actorFrom} where ${actorWhere})
select a.*, ${factsColumns('$3', `case when a."subjectKind" = 'staff' then a."subjectId" end`, 'a."unitId"')}${
  extra ? `,\n  ${extra.columns}` : ''
}
from a ${extra?.join ?? ''}`;

const actorWithFactsSql = actorWithFactsSqlOf();
/** The statement text with `more`, built once per `more`. */
const actorWithFactsAndMoreSql = new Map<(patient: string) => PatientSql, string>();
function withMore(more: (patient: string) => PatientSql): string {
  let text = actorWithFactsAndMoreSql.get(more);
  if (text === undefined) {
    text = actorWithFactsSqlOf(more('$3'));
    actorWithFactsAndMoreSql.set(more, text);
  }
  return text;
}

type ActorRow = Session & {
  isStale: boolean;
  name: string | null;
  profession: string | null;
  providerId: string | null;
};

/** How often, at most, a login also deletes the sessions that have ended (idle or expired). */
const CLEANUP_INTERVAL_MS = 10 * 60 * 1000;

export function createSessionStore(
  db: Queryable,
  policy: SessionPolicy,
  options: {
    /** Told when deleting ended sessions failed; the login goes on, and the next one tries again. */
    onCleanupError?: (error: unknown) => void;
  } = {},
) {
  let lastCleanup = -Infinity;
  /**
   * Deletes the sessions that can no longer be used: past their absolute lifetime or idle too
   * long. Who was logged in, from which unit and when is personal data; the access log keeps what
   * was done, the session table only what is live. Run by `create` at most every ten minutes per
   * process. Resolves to the number deleted.
   */
  async function deleteEnded(): Promise<number> {
    const rows = await db.query(
      `delete from session where expires_at <= now() or last_seen_at <= now() - make_interval(secs => $1)
       returning 1`,
      [policy.idleSeconds],
    );
    return rows.length;
  }
  /** The actor of a session row; moves the idle timer when it is stale. Null when not live. */
  async function toResolved(row: ActorRow | undefined): Promise<{ session: Session; actor: Actor } | null> {
    if (!row) return null;
    if (row.isStale) await db.query('update session set last_seen_at = now() where id = $1', [row.id]);
    const {
      id,
      subjectKind,
      subjectId,
      unitId,
      createdAt,
      lastSeenAt,
      expiresAt,
      name,
      profession,
      providerId,
    } = row;
    const session: Session = { id, subjectKind, subjectId, unitId, createdAt, lastSeenAt, expiresAt };
    if (name === null) return null;
    if (session.subjectKind === 'patient') {
      return { session, actor: { kind: 'patient', patientId: session.subjectId, name } };
    }
    if (!session.unitId || profession === null || providerId === null) return null;
    return {
      session,
      actor: {
        kind: 'staff',
        staffId: session.subjectId,
        name,
        profession,
        unitId: session.unitId,
        providerId,
      },
    };
  }

  return {
    /** Starts a new session and returns the token for the cookie (never stored). */
    async create(subject: { kind: 'staff' | 'patient'; id: string; unitId: string | null }): Promise<string> {
      if (performance.now() - lastCleanup >= CLEANUP_INTERVAL_MS) {
        lastCleanup = performance.now();
        try {
          await deleteEnded();
        } catch (error) {
          lastCleanup = -Infinity;
          options.onCleanupError?.(error);
        }
      }
      const token = randomBytes(32).toString('base64url');
      await db.query(
        `insert into session (id, subject_kind, subject_id, unit_id, expires_at)
         values ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
        [hash(token), subject.kind, subject.id, subject.unitId, policy.absoluteSeconds],
      );
      return token;
    },

    /**
     * The live session for a token; null when unknown, idle too long or expired. The idle timer
     * is moved at most once a minute, so that reading does not mean writing on every request.
     */
    async resolve(token: string): Promise<Session | null> {
      const rows = await db.query<Session & { isStale: boolean }>(
        `select id, subject_kind as "subjectKind", subject_id as "subjectId", unit_id as "unitId",
           created_at as "createdAt", last_seen_at as "lastSeenAt", expires_at as "expiresAt",
           last_seen_at < now() - interval '60 seconds' as "isStale"
         from session
         where id = $1 and expires_at > now() and last_seen_at > now() - make_interval(secs => $2)`,
        [hash(token), policy.idleSeconds],
      );
      const row = rows[0];
      if (!row) return null;
      if (row.isStale) await db.query('update session set last_seen_at = now() where id = $1', [row.id]);
      const { isStale: _, ...session } = row;
      return session;
    },

    /**
     * The actor behind a token, read fresh on every request so that an ended session or a
     * disabled account takes effect at once. Null when the session is not live. One round
     * trip: the session, the person and (for staff) their role at the chosen unit in one query.
     */
    async resolveActor(token: string): Promise<{ session: Session; actor: Actor } | null> {
      const rows = await db.query<ActorRow>(actorSql, [hash(token), policy.idleSeconds]);
      return toResolved(rows[0]);
    },

    /**
     * `resolveActor` and the access facts about one patient (store/access-facts-store.ts) in one
     * statement, one round trip: for the hot patient routes (`config.prefetchAccess`, app.ts).
     * The facts are those the actor of this same session would read with `AccessFactsStore#gather`
     * (their role at the unit they act from); the access decision is still made, and logged, by
     * the route (`services/access-service.ts#require`). `patientId` must be a uuid. With `more`
     * (the route's own read: the current contract for PUT …/contract, the overview for GET
     * …/overview) the same statement reads that too, and `row` carries its columns, for the
     * route to use only once access is granted.
     */
    async resolveActorWithFacts(
      token: string,
      patientId: string,
      more?: (patient: string) => PatientSql,
    ): Promise<{ session: Session; actor: Actor; facts: AccessFacts; row: object } | null> {
      const rows = await db.query<ActorRow & Omit<AccessFacts, 'patientId'>>(
        more ? withMore(more) : actorWithFactsSql,
        [hash(token), policy.idleSeconds, patientId],
      );
      const row = rows[0];
      const resolved = await toResolved(row);
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
      return { ...resolved, facts, row };
    },

    /** Deletes the sessions that have ended (see the function above). */
    deleteEnded,

    async end(token: string): Promise<void> {
      await db.query('delete from session where id = $1', [hash(token)]);
    },

    /**
     * Sets the unit a member of staff acts from, if it is one of theirs, and rotates the token
     * (the absolute lifetime is kept). Returns the new token, or null when the session is not a
     * live staff session or the unit is not one of the user's.
     */
    async chooseUnit(token: string, unitId: string): Promise<string | null> {
      const session = await this.resolve(token);
      if (!session || session.subjectKind !== 'staff') return null;
      const next = randomBytes(32).toString('base64url');
      const rows = await db.query(
        `update session set id = $1, unit_id = $3, last_seen_at = now()
         where id = $2 and exists (
           select 1 from staff s join staff_unit su on su.staff_id = s.id
           where s.id = session.subject_id and su.unit_id = $3 and s.is_active)
         returning id`,
        [hash(next), hash(token), unitId],
      );
      return rows.length > 0 ? next : null;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
