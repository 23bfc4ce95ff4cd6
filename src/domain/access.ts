/**
 * Who may see and change a patient's plan: one pure decision, called first by every route that
 * touches a patient, and by every search per result (security.md 1–7).
 *
 * - Deny by default. Staff need a role at their unit that is meant for care work, and a care
 *   relationship between their unit and the patient (PDL 4 kap 1–2 §§).
 * - The plan is held by the care provider whose unit drew it up. Readers at another care
 *   provider (region ↔ municipality ↔ private) also need the patient's current consent, for
 *   their unit or for them as a person (Lag 2022:913).
 * - Spärr: information held by a blocked unit or provider is hidden from everyone outside it;
 *   they learn only that blocked information exists.
 * - Nödåtkomst stands in for a missing relationship or consent, never for a spärr.
 * - Patients see their own plan and change it only through their own actions
 *   (docs/patient-api.md: `patient-action`); every other write is staff work. People they have
 *   given access to (ombud) read it.
 * - A system client (SMART backend services) acts for one care provider and reads at most what
 *   that provider's staff with a care relationship and consent could read; it writes nothing.
 * - A token's `patient/` scopes narrow any actor to the token's patient (`TokenGrant.patientId`).
 */
import type { Actor, SystemActor } from './actor.ts';

/**
 * `write` is staff work on the plan; `patient-action` is what the patient does in their own plan
 * (tick off, answer, propose: docs/patient-api.md), and nobody else.
 */
export type AccessAction = 'read' | 'write' | 'search' | 'print' | 'export' | 'patient-action';

/** Why access was granted; written to the access log. */
export type LegalBasis =
  | 'own-unit'
  | 'same-provider'
  | 'consent'
  | 'emergency'
  | 'own-data'
  | 'proxy'
  /**
   * The SBAR a nurse sends about an acute deterioration reaches the physician it is addressed to
   * without the patient's consent to that unit: a disclosure for the patient's care, logged with
   * this basis. It opens nothing else of the plan (access-service.ts#logDisclosure).
   */
  | 'sbar-disclosure';

export type DenyReason =
  | 'no-patient'
  | 'not-own-data'
  | 'role'
  | 'no-relationship'
  | 'no-consent'
  | 'blocked'
  | 'read-only'
  /** A patient doing staff work in their own plan: they know it exists, so 403, not 404. */
  | 'staff-only'
  /** Staff doing what only the patient does (patient-action). */
  | 'patient-only'
  /** A token whose `patient/` scopes name another patient (smart-scope.ts). */
  | 'out-of-scope';

export type AccessDecision =
  | {
      allowed: true;
      basis: LegalBasis;
      /** Units whose information the reader must not see (spärr). */
      hiddenUnitIds: readonly string[];
      /** Providers whose information the reader must not see (spärr). */
      hiddenProviderIds: readonly string[];
    }
  | { allowed: false; reason: DenyReason };

/** Roles at a unit that are meant for care work. Profession alone is no permission (PDL 4 kap 2 §). */
export const careRoles: readonly string[] = ['medarbetare', 'verksamhetschef'];

/**
 * The product's own roles at a unit, set in the product or through the directory file's role
 * column (docs/imports.md); a directory sync never takes one away.
 */
export const productRoles = ['verksamhetschef', 'loggansvarig', 'uppfoljning', 'systemforvaltare'] as const;
export type ProductRole = (typeof productRoles)[number];

/**
 * Systemförvaltare: runs directory syncs and reads the directory. Not a care role, so never a
 * reader of patients (`decideAccess` denies with `role`).
 */
export const SYSTEM_ADMIN_ROLE: ProductRole = 'systemforvaltare';

/** May `actor`, with `actorRole` at the unit they act from, sync and read the organisation directory? */
export function mayAdministerDirectory(actor: Actor, actorRole: string | null): boolean {
  return actor.kind === 'staff' && actorRole === SYSTEM_ADMIN_ROLE;
}

export interface Consent {
  scope: 'unit' | 'staff';
  unitId: string | null;
  staffId: string | null;
  validFrom: string;
  validTo: string | null;
  revokedAt: string | null;
}

export interface Block {
  scope: 'unit' | 'provider';
  unitId: string | null;
  providerId: string | null;
}

export interface AccessFacts {
  patientId: string;
  patientExists: boolean;
  /** The unit holding the plan (where it was drawn up, else where the patient is listed). */
  holderUnitId: string | null;
  holderProviderId: string | null;
  /** Units with a current care relationship to the patient. */
  relationshipUnitIds: readonly string[];
  consents: readonly Consent[];
  /** Active blocks (spärrar). */
  blocks: readonly Block[];
  /** Unexpired emergency openings for this patient: which staff member at which unit. */
  emergencies: readonly { staffId: string; unitId: string; expiresAt: string }[];
  /** People the patient gave read access to (närstående/ombud), unexpired and unrevoked. */
  proxies: readonly string[];
  /** The acting staff member's role at the unit they act from. */
  actorRole: string | null;
  now: string;
  /**
   * The care provider of each unit in `relationshipUnitIds` and in the consents: read only for a
   * system actor, which acts for a provider rather than from a unit (absent: no unit counts).
   */
  unitProviders?: Readonly<Record<string, string>>;
}

/** True when a consent covers this reader now. Expired or revoked consent denies at once. */
export function isConsentValid(consent: Consent, staffId: string, unitId: string, now: string): boolean {
  if (consent.revokedAt !== null) return false;
  if (Date.parse(consent.validFrom) > Date.parse(now)) return false;
  if (consent.validTo !== null && Date.parse(consent.validTo) <= Date.parse(now)) return false;
  return consent.scope === 'unit' ? consent.unitId === unitId : consent.staffId === staffId;
}

/** Decides whether `actor` may perform `action` on the patient the facts describe. */
export function decideAccess(actor: Actor, action: AccessAction, facts: AccessFacts): AccessDecision {
  if (!facts.patientExists) return deny('no-patient');
  if (actor.kind !== 'patient' && !isWithinTokenPatient(actor, facts.patientId)) return deny('out-of-scope');
  if (actor.kind === 'system') return decideForSystem(actor, action, facts);
  if (actor.kind === 'patient') {
    if (actor.patientId === facts.patientId)
      return action === 'write' ? deny('staff-only') : allow('own-data', [], []);
    if (facts.proxies.includes(actor.patientId)) {
      return action === 'read' || action === 'print' ? allow('proxy', [], []) : deny('read-only');
    }
    return deny('not-own-data');
  }
  if (action === 'patient-action') return deny('patient-only');
  if (facts.actorRole === null || !careRoles.includes(facts.actorRole)) return deny('role');

  // Spärr: everything held outside the reader's own unit/provider that the patient blocked.
  const hiddenUnitIds = facts.blocks.flatMap((b) =>
    b.scope === 'unit' && b.unitId !== actor.unitId ? [b.unitId!] : [],
  );
  const hiddenProviderIds = facts.blocks.flatMap((b) =>
    b.scope === 'provider' && b.providerId !== actor.providerId ? [b.providerId!] : [],
  );
  const isHolderBlocked =
    (facts.holderUnitId !== null && hiddenUnitIds.includes(facts.holderUnitId)) ||
    (facts.holderProviderId !== null && hiddenProviderIds.includes(facts.holderProviderId));
  if (isHolderBlocked) return deny('blocked');

  const isEmergency = facts.emergencies.some(
    (e) =>
      e.staffId === actor.staffId &&
      e.unitId === actor.unitId &&
      Date.parse(e.expiresAt) > Date.parse(facts.now),
  );
  const hasRelationship = facts.relationshipUnitIds.includes(actor.unitId);
  if (!hasRelationship)
    return isEmergency ? allow('emergency', hiddenUnitIds, hiddenProviderIds) : deny('no-relationship');

  const isSameProvider = facts.holderProviderId === null || facts.holderProviderId === actor.providerId;
  if (isSameProvider) {
    const basis =
      facts.holderUnitId === null || facts.holderUnitId === actor.unitId ? 'own-unit' : 'same-provider';
    return allow(basis, hiddenUnitIds, hiddenProviderIds);
  }
  if (facts.consents.some((c) => isConsentValid(c, actor.staffId, actor.unitId, facts.now))) {
    return allow('consent', hiddenUnitIds, hiddenProviderIds);
  }
  return isEmergency ? allow('emergency', hiddenUnitIds, hiddenProviderIds) : deny('no-consent');
}

/** A token limited to one patient (`patient/` scopes) reaches that patient only; uuids in any case. */
function isWithinTokenPatient(actor: Exclude<Actor, { kind: 'patient' }>, patientId: string): boolean {
  const only = actor.token?.patientId ?? null;
  return only === null || only.toLowerCase() === patientId.toLowerCase();
}

/** Actions a system client may take: reading, never writing (a change needs a person who answers for it). */
const systemActions: readonly AccessAction[] = ['read', 'search'];

/**
 * A system client of care provider X: what X's staff with a care relationship and consent could
 * read, and never more. A unit of X must have a care relationship; a plan held at another
 * provider also needs the patient's current consent for such a unit (a consent given to a named
 * person is theirs alone, and does not open the plan to a system). Spärr hides every blocked unit
 * (the client is inside none) and every blocked provider but X; a blocked holder denies. No
 * nödåtkomst: it is a person's decision.
 */
function decideForSystem(actor: SystemActor, action: AccessAction, facts: AccessFacts): AccessDecision {
  if (action === 'patient-action') return deny('patient-only');
  if (!systemActions.includes(action)) return deny('read-only');
  const providerOf = facts.unitProviders ?? {};
  const hiddenUnitIds = facts.blocks.flatMap((b) =>
    b.scope === 'unit' && b.unitId !== null ? [b.unitId] : [],
  );
  const hiddenProviderIds = facts.blocks.flatMap((b) =>
    b.scope === 'provider' && b.providerId !== null && b.providerId !== actor.providerId
      ? [b.providerId]
      : [],
  );
  const isHolderBlocked =
    (facts.holderUnitId !== null && hiddenUnitIds.includes(facts.holderUnitId)) ||
    (facts.holderProviderId !== null && hiddenProviderIds.includes(facts.holderProviderId));
  if (isHolderBlocked) return deny('blocked');
  const ownUnits = facts.relationshipUnitIds.filter((unitId) => providerOf[unitId] === actor.providerId);
  if (ownUnits.length === 0) return deny('no-relationship');
  if (facts.holderProviderId === null || facts.holderProviderId === actor.providerId) {
    return allow('same-provider', hiddenUnitIds, hiddenProviderIds);
  }
  const isConsented = facts.consents.some(
    (c) =>
      c.scope === 'unit' &&
      c.unitId !== null &&
      ownUnits.includes(c.unitId) &&
      isConsentValid(c, '', c.unitId, facts.now),
  );
  return isConsented ? allow('consent', hiddenUnitIds, hiddenProviderIds) : deny('no-consent');
}

function allow(
  basis: LegalBasis,
  hiddenUnitIds: readonly string[],
  hiddenProviderIds: readonly string[],
): AccessDecision {
  return { allowed: true, basis, hiddenUnitIds, hiddenProviderIds };
}

function deny(reason: DenyReason): AccessDecision {
  return { allowed: false, reason };
}

/**
 * May `actor` record the patient's consent, a spärr or its lifting? The patient for
 * themselves; staff whose unit has a care relationship (consent itself is what they record,
 * so it is not required). A spärr does not stop a unit from recording the patient's wishes. A
 * token limited to one patient (`patient/` scopes) records nothing about another.
 */
export function decidePatientWishRecording(actor: Actor, facts: AccessFacts): AccessDecision {
  if (!facts.patientExists) return deny('no-patient');
  if (actor.kind === 'patient')
    return actor.patientId === facts.patientId ? allow('own-data', [], []) : deny('not-own-data');
  // A token's `patient/` scopes narrow the recording of a wish as they narrow every other act.
  if (!isWithinTokenPatient(actor, facts.patientId)) return deny('out-of-scope');
  if (actor.kind === 'system') return deny('role');
  if (facts.actorRole === null || !careRoles.includes(facts.actorRole)) return deny('role');
  return facts.relationshipUnitIds.includes(actor.unitId)
    ? allow('own-unit', [], [])
    : deny('no-relationship');
}

/**
 * May `actor` register a person, or ask for emergency access by personnummer? Staff with a care
 * role at the unit they act from. Decided from the role alone, before anyone looks the number
 * up, so that the answer cannot tell whether the person is registered (security.md, Foreign =
 * missing). A token limited to one patient acts for that patient only, so never by personnummer.
 */
export function decideActingInCare(actor: Actor, actorRole: string | null): AccessDecision {
  if (actor.kind !== 'staff') return deny('role');
  // A token limited to one patient (`patient/` scopes) reaches no other person, a new one included.
  if (actor.token?.patientId) return deny('out-of-scope');
  return actorRole !== null && careRoles.includes(actorRole) ? allow('own-unit', [], []) : deny('role');
}
