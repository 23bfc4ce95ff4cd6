/**
 * The product's own roles at a unit (`verksamhetschef`, `loggansvarig`, `uppfoljning`,
 * `systemforvaltare`: access.ts#productRoles), given and taken away by a systemförvaltare on the
 * Administration page (docs/security.md, "The organisation directory and systemförvaltare").
 * A directory sync gives a product role the file names and never takes one away; this is the
 * way to take one away, e.g. from a loggansvarig who changes jobs.
 */
import { productRoles, SYSTEM_ADMIN_ROLE, type ProductRole } from './access.ts';
import { givesPatientAccess, NON_CARE_ROLE, type AssignmentPurpose } from './directory-sync.ts';
import { DomainError } from './errors.ts';

export function isProductRole(role: string): role is ProductRole {
  return (productRoles as readonly string[]).includes(role);
}

/**
 * The role a place holds once its product role is taken away: what the person's current
 * assignments there give, as a sync would decide without the product role (directory-sync.ts#
 * roleAt): `medarbetare` with an assignment for vård och behandling, else `administrativ`, which
 * opens no patient. Never more than the assignments give: a place without any keeps no access.
 */
export function roleWithoutProductRole(
  purposes: readonly AssignmentPurpose[],
): 'medarbetare' | typeof NON_CARE_ROLE {
  return purposes.some(givesPatientAccess) ? 'medarbetare' : NON_CARE_ROLE;
}

/**
 * May the systemförvaltare role be taken from this place? Not from the region's last one:
 * nobody could keep the registries or give the role again without shell access.
 * `otherHolders` counts the other current places with the role (active person, unit not ended).
 */
export function mayTakeRole(role: ProductRole, otherHolders: number): boolean {
  return role !== SYSTEM_ADMIN_ROLE || otherHolders > 0;
}

/** A holder of a product role at a unit, as the store reads it and the Administration page lists it. */
export interface ProductRoleHolder {
  staffId: string;
  name: string;
  title: string | null;
  unitId: string;
  unitName: string;
  providerName: string;
  role: string;
  /** When and by whom the role was last given here on the Administration page or the CLI (null: from the directory file). */
  givenAt: string | null;
  givenBy: string | null;
}

/** What a change of a product role at one place is decided from, read in its transaction. */
export interface PlaceFacts {
  /** Is the person active in the directory (null: no such person)? */
  isStaffActive: boolean | null;
  /** Is the unit in the directory and not ended (null: no such unit)? */
  isUnitOpen: boolean | null;
  /** The person's place at the unit, ended or not (null: none). */
  place: { role: string; isEnded: boolean } | null;
  /** The purposes of the person's current assignments at the unit. */
  purposes: AssignmentPurpose[];
  /** Other current places with the role systemförvaltare in the region. */
  otherSystemAdmins: number;
}

/** The roles' names as staff read them. */
export const productRoleNames: Record<ProductRole, string> = {
  verksamhetschef: 'verksamhetschef',
  loggansvarig: 'loggansvarig',
  uppfoljning: 'uppföljning',
  systemforvaltare: 'systemförvaltare',
};

function requirePersonAndUnit(facts: PlaceFacts): void {
  if (facts.isStaffActive !== true)
    throw new DomainError(
      'unknown_staff',
      'Det finns ingen aktiv medarbetare med det HSA-id:t i katalogen.',
      [{ path: 'staffId', message: 'Ingen aktiv medarbetare har det HSA-id:t.' }],
    );
  if (facts.isUnitOpen !== true)
    throw new DomainError('unknown_unit', 'Det finns ingen aktiv enhet med det HSA-id:t i katalogen.', [
      { path: 'unitId', message: 'Ingen aktiv enhet har det HSA-id:t.' },
    ]);
}

/**
 * The role a place holds once `role` is given: the person must be active and the unit open; a
 * place the directory ended stays ended; one role per place, so a place holding another product
 * role keeps it until it is taken away (never two changes in one, least of all the last
 * systemförvaltare's). A person without a place at the unit gets one, the product's own, which a
 * sync never ends.
 */
export function decideGive(role: ProductRole, facts: PlaceFacts): string {
  requirePersonAndUnit(facts);
  const place = facts.place;
  if (place?.isEnded)
    throw new DomainError(
      'product_role_conflict',
      'Personen har slutat på enheten enligt katalogen. En roll ges bara där personen arbetar.',
    );
  if (place?.role === role)
    throw new DomainError(
      'product_role_conflict',
      `Personen har redan rollen ${productRoleNames[role]} på enheten.`,
    );
  if (place && isProductRole(place.role))
    throw new DomainError(
      'product_role_conflict',
      `Personen har rollen ${productRoleNames[place.role]} på enheten. En person har en roll per enhet: ta bort den först.`,
    );
  return role;
}

/**
 * The role a place holds once `role` is taken away (`roleWithoutProductRole`); refused when the
 * place does not hold it, and for the region's last systemförvaltare.
 */
export function decideTake(role: ProductRole, facts: PlaceFacts): string {
  if (facts.place === null || facts.place.isEnded || facts.place.role !== role)
    throw new DomainError(
      'product_role_conflict',
      `Personen har inte rollen ${productRoleNames[role]} på enheten. Inget har ändrats.`,
    );
  if (!mayTakeRole(role, facts.otherSystemAdmins)) throw new DomainError('last_system_admin');
  return roleWithoutProductRole(facts.purposes);
}
