/**
 * Started OpenID Connect logins (`oidc_login`): one row per login under way, keyed by the SHA-256
 * of the browser's cookie, used up by the callback whatever its outcome.
 */
import type { Queryable } from './db.ts';

export interface StartedLogin {
  /** The SHA-256 of the cookie value that binds the login to the browser. */
  id: string;
  kind: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  ttlSeconds: number;
}

export interface TakenLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Still within its time when it was taken. */
  isLive: boolean;
}

export function createOidcLoginStore(db: Queryable) {
  return {
    /** Records a started login; logins past their time are deleted first. */
    async start(login: StartedLogin): Promise<void> {
      await db.query('delete from oidc_login where expires_at < now()');
      await db.query(
        `insert into oidc_login (id, kind, state, nonce, code_verifier, expires_at)
         values ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))`,
        [login.id, login.kind, login.state, login.nonce, login.codeVerifier, login.ttlSeconds],
      );
    },

    /** Deletes the started login and returns it: null when there is none of this kind. */
    async take(id: string, kind: string): Promise<TakenLogin | null> {
      const rows = await db.query<TakenLogin>(
        `delete from oidc_login where id = $1 and kind = $2
         returning state, nonce, code_verifier as "codeVerifier", expires_at > now() as "isLive"`,
        [id, kind],
      );
      return rows[0] ?? null;
    },
  };
}

export type OidcLoginStore = ReturnType<typeof createOidcLoginStore>;
