/**
 * The history of the registries a systemförvaltare keeps (migration 030, `admin_change`): every
 * change to a journal system, a SMART client or a product role, written by the store that makes
 * the change in the same statement or transaction.
 */
import type { Queryable } from './db.ts';

/**
 * Who changes a registry: the systemförvaltare's HSA-id, and the API request when the change came
 * through the web page (null from the CLI).
 */
export interface RegistryChangeBy {
  hsaId: string;
  requestId?: string | null | undefined;
}

export type AdminRegistry = 'ehr-system' | 'smart-client' | 'product-role';

export interface AdminChange {
  registry: AdminRegistry;
  subject: string;
  unitId: string | null;
  change: 'registered' | 'changed' | 'enabled' | 'disabled' | 'deactivated' | 'given' | 'taken';
  role: string | null;
  roleAfter: string | null;
  byId: string;
  /** The name of the systemförvaltare, when they are in the directory. */
  byName: string | null;
  requestId: string | null;
  at: string;
}

export function createAdminChangeStore(db: Queryable) {
  return {
    /** The latest changes, newest first. */
    async latest(limit: number): Promise<AdminChange[]> {
      return db.query<AdminChange>(
        `select c.registry, c.subject, c.unit_id as "unitId", c.change, c.role, c.role_after as "roleAfter",
           c.by_id as "byId", s.given_name || ' ' || s.family_name as "byName", c.request_id as "requestId", c.at
         from admin_change c left join staff s on s.id = c.by_id
         order by c.at desc, c.id desc limit $1`,
        [limit],
      );
    },
  };
}

export type AdminChangeStore = ReturnType<typeof createAdminChangeStore>;
