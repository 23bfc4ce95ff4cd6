/**
 * The product's roles at a unit, kept by a systemförvaltare on the Administration page
 * (docs/security.md, "The organisation directory and systemförvaltare"): who holds which, give
 * one, take one away. A directory sync gives the roles its file names and never takes one away;
 * this is where one is taken away. Every change is checked, then announced to `by.beforeWrite`
 * (the access log), then written with its `admin_change` row in one transaction that decides again
 * under lock (domain/product-role.ts), so the region always keeps a systemförvaltare.
 */
import type { ProductRole } from '../domain/access.ts';
import { decideGive, decideTake, type PlaceFacts } from '../domain/product-role.ts';
import type { DirectoryStore } from '../store/directory-store.ts';
import type { PlaceKey, ProductRoleHolder, ProductRoleStore } from '../store/product-role-store.ts';
import { adminByOf, requireSystemAdminByHsaId, type AdminBy } from './system-admin.ts';

export interface ProductRoleChange extends PlaceKey {
  role: ProductRole;
}

export function createProductRoleService(deps: {
  roles: ProductRoleStore;
  directory: Pick<DirectoryStore, 'unitsOfStaff'>;
}) {
  async function change(
    input: ProductRoleChange,
    by: AdminBy | string,
    kind: 'given' | 'taken',
    decide: (role: ProductRole, facts: PlaceFacts) => string,
  ): Promise<{ roleAfter: string }> {
    const who = adminByOf(by);
    await requireSystemAdminByHsaId(deps.directory, who.hsaId);
    const key = { staffId: input.staffId, unitId: input.unitId };
    // Decided once before the log entry, so that a refusal logs nothing and names its reason…
    decide(input.role, await deps.roles.placeFacts(key));
    await who.beforeWrite?.(
      `produktroll ${input.role} ${kind === 'given' ? 'ges' : 'tas bort'}: ${input.staffId} på ${input.unitId}`,
    );
    // …and again under lock in the transaction that writes.
    const roleAfter = await deps.roles.setRole(key, { kind, role: input.role }, who, (facts) =>
      decide(input.role, facts),
    );
    return { roleAfter };
  }

  return {
    /** The current holders of a product role. */
    listHolders: (limit: number): Promise<ProductRoleHolder[]> => deps.roles.listHolders(limit),

    /** Gives a product role at a unit (domain/product-role.ts#decideGive). */
    give: (input: ProductRoleChange, by: AdminBy | string) => change(input, by, 'given', decideGive),

    /**
     * Takes a product role away at a unit; the place keeps what its assignments give
     * (domain/product-role.ts#decideTake). Never from the region's last systemförvaltare.
     */
    take: (input: ProductRoleChange, by: AdminBy | string) => change(input, by, 'taken', decideTake),
  };
}

export type ProductRoleService = ReturnType<typeof createProductRoleService>;
