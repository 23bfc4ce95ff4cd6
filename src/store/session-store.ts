/**
 * Sessions. The cookie carries a random 256-bit token; only its SHA-256 is stored, so a copy
 * of the database does not hand out sessions.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../domain/actor.ts';
import type { Queryable } from './db.ts';
import { namedSql } from './named-sql.ts';

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
  st.profession, u.provider_id as "providerId", su.role`;
const actorFrom = `from session s
  left join patient p
    on p.id = case when s.subject_kind = 'patient' then s.subject_id::uuid end
  left join staff_unit su
    on s.subject_kind = 'staff' and su.staff_id = s.subject_id and su.unit_id = s.unit_id and su.ended_at is null
  left join staff st on st.id = su.staff_id and st.is_active
  left join care_unit u on st.id is not null and u.id = su.unit_id`;
/** `:tokenHash` the token's hash, `:idleSeconds` the idle timeout in seconds. */
const actorWhere = `s.id = :tokenHash and s.expires_at > now()
  and s.last_seen_at > now() - make_interval(secs => :idleSeconds)`;

/**
 * The parts of the actor's statement, for `prefetch-store.ts`, which reads the session in the same
 * statement as the access facts (its rows go through `SessionStore#actorOf`).
 */
export const actorSql = { columns: actorColumns, from: actorFrom, where: actorWhere };

/** The session, the person and (for staff) their role at the chosen unit: one row or none. */
export const actorStatement = namedSql(`select ${actorColumns} ${actorFrom} where ${actorWhere}`, [
  'tokenHash',
  'idleSeconds',
]);

/** What the database stores of a session token (its SHA-256). */
export const tokenHashOf = hash;

export type ActorRow = Session & {
  isStale: boolean;
  name: string | null;
  profession: string | null;
  providerId: string | null;
  role: string | null;
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
      role,
    } = row;
    const session: Session = { id, subjectKind, subjectId, unitId, createdAt, lastSeenAt, expiresAt };
    if (name === null) return null;
    if (session.subjectKind === 'patient') {
      return { session, actor: { kind: 'patient', patientId: session.subjectId, name } };
    }
    if (!session.unitId || profession === null || providerId === null || role === null) return null;
    return {
      session,
      actor: {
        kind: 'staff',
        staffId: session.subjectId,
        name,
        profession,
        unitId: session.unitId,
        providerId,
        role,
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
      const rows = await db.query<ActorRow>(
        actorStatement.text,
        actorStatement.params({ tokenHash: hash(token), idleSeconds: policy.idleSeconds }),
      );
      return toResolved(rows[0]);
    },

    /**
     * The actor of a row read with `actorSql` (prefetch-store.ts), as `resolveActor` makes it:
     * null when the session is not live; the idle timer moved when it is stale.
     */
    actorOf: toResolved,

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
           where s.id = session.subject_id and su.unit_id = $3 and su.ended_at is null and s.is_active)
         returning id`,
        [hash(next), hash(token), unitId],
      );
      return rows.length > 0 ? next : null;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
