/**
 * Spärr applied to what a reader sees: items held by a blocked unit or provider are removed,
 * and the reader is told only that blocked information exists (security.md 5).
 */
import {
  diffContent,
  referencedStaffIds,
  referencedUnitIds,
  type Contract,
  type ContractContent,
  type ContractVersion,
} from './contract.ts';

/** The content without items held by hidden units; `hasBlockedInformation` when something was removed. */
export function redactContent(
  content: ContractContent,
  isHidden: (unitId: string) => boolean,
): { content: ContractContent; hasBlockedInformation: boolean } {
  const activities = content.activities.filter((a) => !isHidden(a.unitId));
  const linkedPlans = content.linkedPlans.filter((p) => !isHidden(p.unitId));
  const nextContact =
    content.nextContact && isHidden(content.nextContact.unitId) ? null : content.nextContact;
  const hasBlockedInformation =
    activities.length !== content.activities.length ||
    linkedPlans.length !== content.linkedPlans.length ||
    nextContact !== content.nextContact;
  return { content: { ...content, activities, linkedPlans, nextContact }, hasBlockedInformation };
}

/**
 * A writer who cannot see blocked items must not delete them by saving what they see: the
 * hidden items of the current version are carried over into the new one.
 */
export function restoreHidden(
  current: ContractContent,
  incoming: ContractContent,
  isHidden: (unitId: string) => boolean,
): ContractContent {
  return {
    ...incoming,
    activities: [
      ...incoming.activities.filter((a) => !isHidden(a.unitId)),
      ...current.activities.filter((a) => isHidden(a.unitId)),
    ],
    linkedPlans: [
      ...incoming.linkedPlans.filter((p) => !isHidden(p.unitId)),
      ...current.linkedPlans.filter((p) => isHidden(p.unitId)),
    ],
    nextContact:
      current.nextContact && isHidden(current.nextContact.unitId)
        ? current.nextContact
        : incoming.nextContact,
  };
}

/**
 * A contract's history as a reader who must not see some units' information sees it: each
 * version's content redacted, its changes the difference between what the reader sees of it
 * and of the version before (so that a hidden item's id never shows), and an author acting from
 * a hidden unit not named.
 */
export function redactVersions(
  versions: readonly ContractVersion[],
  isHidden: (unitId: string) => boolean,
): ContractVersion[] {
  const byVersion = new Map(versions.map((v) => [v.version, v]));
  return versions.map((v) => {
    const previous = byVersion.get(v.version - 1);
    const content = redactContent(v.content, isHidden).content;
    const before = previous ? redactContent(previous.content, isHidden).content : null;
    const isAuthorHidden = v.actor.unitId !== null && isHidden(v.actor.unitId);
    return {
      ...v,
      content,
      changes: diffContent(before, content, previous?.status, v.status),
      actor: isAuthorHidden ? { kind: v.actor.kind, id: '', name: '', unitId: null } : v.actor,
    };
  });
}

/**
 * A contract as a reader from whom some units are hidden sees who wrote it: an author who acted
 * from a hidden unit is not named (their HSA-id would tell where the blocked care is).
 */
export function redactAuthors<C extends { createdBy: string; updatedBy: string }>(
  contract: C,
  from: { createdFrom: string | null; updatedFrom: string | null } | undefined,
  isHidden: (unitId: string) => boolean,
): C {
  const isHiddenUnit = (unitId: string | null | undefined): boolean => !!unitId && isHidden(unitId);
  return {
    ...contract,
    createdBy: isHiddenUnit(from?.createdFrom) ? '' : contract.createdBy,
    updatedBy: isHiddenUnit(from?.updatedFrom) ? '' : contract.updatedBy,
  };
}

/**
 * The diagnoses a reader may see: one made at a unit hidden from the reader (spärr) is left out,
 * like every other item that unit holds. A diagnosis without a source unit (recorded before the
 * region's data named one) is the plan's own and stays.
 */
export function visibleDiagnoses<D extends { sourceUnitId?: string | null | undefined }>(
  diagnoses: readonly D[],
  isHidden: (unitId: string) => boolean,
): D[] {
  return diagnoses.filter((d) => !d.sourceUnitId || !isHidden(d.sourceUnitId));
}

/**
 * The stays in hospital a reader may see: one at a ward hidden from the reader (spärr), or
 * recorded by staff acting from a hidden unit, is left out whole (its ward or its author would
 * tell where the blocked care is).
 */
export function visibleStays<
  S extends { unitId: string | null; admittedBy: { unitId: string | null } | null },
>(stays: readonly S[], isHidden: (unitId: string) => boolean): S[] {
  return stays.filter(
    (s) => !(s.unitId && isHidden(s.unitId)) && !(s.admittedBy?.unitId && isHidden(s.admittedBy.unitId)),
  );
}

/** What `redactOverview` needs of the patient overview (`store/overview-store.ts#PatientOverview`). */
export interface RedactableOverview {
  patient: {
    listedUnitId: string | null;
    diagnoses?: readonly { sourceUnitId?: string | null | undefined }[];
  };
  contract: Contract | null;
  careContacts: readonly { unitId: string }[];
  /** Names of the units the overview refers to, by id. */
  units: Record<string, unknown>;
  /** Names of the people the plan refers to, by id. */
  staff: Record<string, unknown>;
  hasBlockedInformation?: boolean;
}

/** The overview as a reader who must not see some units' information (spärr) sees it. */
export function redactOverview<O extends RedactableOverview>(
  overview: O,
  isHidden: (unitId: string) => boolean,
  /** Where the contract's first and latest version were written from (`ContractStore#authorUnits`). */
  authors?: { createdFrom: string | null; updatedFrom: string | null },
): O {
  const careContacts = overview.careContacts.filter((c) => !isHidden(c.unitId));
  const redacted = overview.contract ? redactContent(overview.contract.content, isHidden) : null;
  // The names are kept only for what the reader still sees: a unit or person named only by a
  // hidden item would tell where and with whom the blocked care is (security.md, Spärr).
  const content = redacted?.content;
  const unitIds = new Set([
    ...(content ? referencedUnitIds(content) : []),
    ...careContacts.map((c) => c.unitId),
    ...(overview.patient.listedUnitId ? [overview.patient.listedUnitId] : []),
  ]);
  const staffIds = new Set(content ? referencedStaffIds(content) : []);
  const units = Object.fromEntries(
    Object.entries(overview.units).filter(([id]) => unitIds.has(id) && !isHidden(id)),
  );
  const staff = Object.fromEntries(Object.entries(overview.staff).filter(([id]) => staffIds.has(id)));
  const diagnoses = overview.patient.diagnoses
    ? visibleDiagnoses(overview.patient.diagnoses, isHidden)
    : null;
  const hasBlockedInformation =
    careContacts.length !== overview.careContacts.length ||
    (redacted?.hasBlockedInformation ?? false) ||
    (diagnoses !== null && diagnoses.length !== overview.patient.diagnoses?.length);
  return {
    ...overview,
    patient: diagnoses ? { ...overview.patient, diagnoses } : overview.patient,
    contract:
      overview.contract && redacted
        ? { ...redactAuthors(overview.contract, authors, isHidden), content: redacted.content }
        : overview.contract,
    careContacts,
    units,
    staff,
    hasBlockedInformation,
  };
}
