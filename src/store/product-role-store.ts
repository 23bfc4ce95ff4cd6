/**
 * The product's roles at a unit (`staff_unit.role`, access.ts#productRoles) as a systemförvaltare
 * keeps them: who holds which, and giving or taking one away in a transaction that also writes
 * the change to `admin_change` (migration 030). The session reads the role on every request
 * (session-store.ts#actorStatement), so a change holds from the holder's next request.
 */
import { productRoles, SYSTEM_ADMIN_ROLE } from '../domain/access.ts';
import type { PlaceFacts, ProductRoleHolder } from '../domain/product-role.ts';
import type { RegistryChangeBy } from './admin-change-store.ts';
import type { Db, Queryable } from './db.ts';

export type { ProductRoleHolder };

export interface PlaceKey {
  staffId: string;
  unitId: string;
}

/**
 * `$1` the person, `$2` the unit. The other current places with the role systemförvaltare count
 * only for an active person at a unit that has not ended: those who can still log in.
 */
const factsSql = `select
    (select is_active from staff where id = $1) as "isStaffActive",
    (select ended_at is null from care_unit where id = $2) as "isUnitOpen",
    (select json_build_object('role', role, 'isEnded', ended_at is not null)
       from staff_unit where staff_id = $1 and unit_id = $2) as place,
    coalesce((select json_agg(purpose order by purpose) from staff_assignment
       where staff_id = $1 and unit_id = $2 and ended_at is null), '[]') as purposes,
    (select count(*)::int from staff_unit su join staff s on s.id = su.staff_id join care_unit u on u.id = su.unit_id
      where su.role = '${SYSTEM_ADMIN_ROLE}' and su.ended_at is null and s.is_active and u.ended_at is null
        and not (su.staff_id = $1 and su.unit_id = $2)) as "otherSystemAdmins"`;

const readFacts = async (q: Queryable, key: PlaceKey): Promise<PlaceFacts> =>
  (await q.query<PlaceFacts>(factsSql, [key.staffId, key.unitId]))[0]!;

export function createProductRoleStore(db: Db) {
  return {
    /** The current holders of a product role (active person, unit not ended), by role and name. */
    async listHolders(limit: number): Promise<ProductRoleHolder[]> {
      return db.query<ProductRoleHolder>(
        `select su.staff_id as "staffId", s.given_name || ' ' || s.family_name as name, s.title,
           su.unit_id as "unitId", u.name as "unitName", p.name as "providerName", su.role,
           g.at as "givenAt", g.by_id as "givenBy"
         from staff_unit su join staff s on s.id = su.staff_id
           join care_unit u on u.id = su.unit_id join care_provider p on p.id = u.provider_id
           left join lateral (
             select c.at, c.by_id from admin_change c
              where c.registry = 'product-role' and c.subject = su.staff_id and c.unit_id = su.unit_id
                and c.change = 'given' and c.role = su.role
              order by c.at desc, c.id desc limit 1
           ) g on true
         where su.role = any($1::text[]) and su.ended_at is null and s.is_active and u.ended_at is null
         order by array_position($1::text[], su.role), s.family_name, s.given_name, su.staff_id, u.name
         limit $2`,
        [productRoles, limit],
      );
    },

    /** The facts a change at this place is decided from, read outside a transaction (to refuse early). */
    placeFacts: (key: PlaceKey): Promise<PlaceFacts> => readFacts(db, key),

    /**
     * Sets the role of a place, in one transaction: the places holding the role systemförvaltare
     * and this place are locked, the facts read again and `decide` (which may throw: nothing is
     * written) names the new role; the place and its `admin_change` row are written together.
     * Two systemförvaltare taking the role from each other at once cannot both succeed: the
     * second reads the first's change after the lock.
     */
    async setRole(
      key: PlaceKey,
      change: { kind: 'given' | 'taken'; role: string },
      by: RegistryChangeBy,
      decide: (facts: PlaceFacts) => string,
    ): Promise<string> {
      return db.transaction(async (tx) => {
        await tx.query(
          `select su.staff_id from staff_unit su
            where (su.role = $3 and su.ended_at is null) or (su.staff_id = $1 and su.unit_id = $2)
            order by su.staff_id, su.unit_id for update`,
          [key.staffId, key.unitId, SYSTEM_ADMIN_ROLE],
        );
        const roleAfter = decide(await readFacts(tx, key));
        await tx.query(
          `insert into staff_unit (staff_id, unit_id, role) values ($1, $2, $3)
           on conflict (staff_id, unit_id) do update set role = excluded.role`,
          [key.staffId, key.unitId, roleAfter],
        );
        await tx.query(
          `insert into admin_change (registry, subject, unit_id, change, role, role_after, by_id, request_id)
           values ('product-role', $1, $2, $3, $4, $5, $6, $7)`,
          [key.staffId, key.unitId, change.kind, change.role, roleAfter, by.hsaId, by.requestId ?? null],
        );
        return roleAfter;
      });
    },
  };
}

export type ProductRoleStore = ReturnType<typeof createProductRoleStore>;
