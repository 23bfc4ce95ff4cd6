/**
 * Who may see and change a patient's plan: one pure decision, called first by every route that
 * touches a patient (security.md 1–7; PDL 4 kap 1 §). The facts are gathered by
 * src/services/access-service.ts; this function only judges them.
 */
import type { Actor } from './actor.ts';

export type AccessAction = 'read' | 'write' | 'search' | 'print' | 'export';

/** Why access was granted; written to the access log. */
export type LegalBasis = 'own-unit' | 'consent' | 'emergency' | 'own-data';

export type DenyReason = 'no-patient' | 'not-own-data' | 'no-relationship';

export type AccessDecision = { allowed: true; basis: LegalBasis } | { allowed: false; reason: DenyReason };

export interface AccessFacts {
  patientExists: boolean;
  patientId: string;
  /** Units with a care relationship to the patient: listing, planned activity, contact, fixed-contact role. */
  relationshipUnitIds: readonly string[];
}

/** Decides whether `actor` may perform `action` on the patient the facts describe. Deny by default. */
export function decideAccess(actor: Actor, _action: AccessAction, facts: AccessFacts): AccessDecision {
  if (!facts.patientExists) return { allowed: false, reason: 'no-patient' };
  if (actor.kind === 'patient') {
    return actor.patientId === facts.patientId
      ? { allowed: true, basis: 'own-data' }
      : { allowed: false, reason: 'not-own-data' };
  }
  if (facts.relationshipUnitIds.includes(actor.unitId)) return { allowed: true, basis: 'own-unit' };
  return { allowed: false, reason: 'no-relationship' };
}
