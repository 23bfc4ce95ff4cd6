/**
 * Who keeps the region's registries (journal systems, SMART clients, product roles): a
 * systemförvaltare. Shared by their services, whether the change comes from the CLI (`--by`,
 * the role at any of the person's units) or from the Administration page (the role at the unit
 * the user acts from, docs/security.md).
 */
import { mayAdministerDirectory, SYSTEM_ADMIN_ROLE } from '../domain/access.ts';
import type { Actor, StaffActor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import type { RegistryChangeBy } from '../store/admin-change-store.ts';
import type { DirectoryStore } from '../store/directory-store.ts';

/** Who makes a change to a registry, and what is done once it is checked. */
export interface AdminBy extends RegistryChangeBy {
  /**
   * Called with a description of the change once it has been checked and before it is written:
   * the API writes its access-log entry here, so that nothing changes without one.
   */
  beforeWrite?: ((detail: string) => Promise<void>) | undefined;
}

/** The CLI's `--by <hsa-id>`, or an `AdminBy`. */
export const adminByOf = (by: AdminBy | string): AdminBy => (typeof by === 'string' ? { hsaId: by } : by);

/** A systemförvaltare at any of their units (the CLI's `--by`), or 403. */
export async function requireSystemAdminByHsaId(
  directory: Pick<DirectoryStore, 'unitsOfStaff'>,
  hsaId: string,
): Promise<void> {
  const units = await directory.unitsOfStaff(hsaId);
  if (!units.some((u) => u.role === SYSTEM_ADMIN_ROLE))
    throw new DomainError('forbidden', `${hsaId} är inte systemförvaltare i Patientkontrakt.`);
}

/** A member of staff who is systemförvaltare at the unit they act from, or 403. */
export function requireSystemAdmin(actor: Actor): StaffActor {
  if (actor.kind !== 'staff' || !mayAdministerDirectory(actor, actor.role))
    throw new DomainError('forbidden', 'Administrationen kräver rollen systemförvaltare.');
  return actor;
}
