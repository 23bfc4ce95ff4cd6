/**
 * SMART on FHIR resource scopes, v2 (`patient/*.rs`, `user/CarePlan.cruds`, `system/Patient.rs`)
 * and v1 (`patient/*.read`, `user/CarePlan.write`, `.*`). A scope only narrows what the access
 * rule (access.ts) allows: it names resource types and interactions a token may use, never a
 * patient the rule would refuse.
 * See: https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */

/** Whose data a scope is about: the patient in context, what the user may see, a system's. */
export type ScopeContext = 'patient' | 'user' | 'system';

/** FHIR interactions as SMART v2 letters: create, read (and vread, history), update, delete, search. */
export type FhirInteraction = 'c' | 'r' | 'u' | 'd' | 's';

export const fhirInteractions: readonly FhirInteraction[] = ['c', 'r', 'u', 'd', 's'];

export interface SmartScope {
  context: ScopeContext;
  /** A FHIR resource type, or `*` for every type. */
  resourceType: string;
  interactions: ReadonlySet<FhirInteraction>;
}

const v1Interactions: Record<string, readonly FhirInteraction[]> = {
  read: ['r', 's'],
  write: ['c', 'u', 'd'],
  '*': ['c', 'r', 'u', 'd', 's'],
};

const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]{1,63})\.(read|write|\*|c?r?u?d?s?)$/;

/**
 * One scope, or null when it is not a resource scope we can honour: `openid`, `fhirUser`,
 * `launch`, `offline_access`, an empty `.` and a v2 scope with a query (`?category=…`), whose
 * narrowing this server does not implement, so it grants nothing rather than too much.
 */
export function parseScope(text: string): SmartScope | null {
  const match = RESOURCE_SCOPE.exec(text);
  if (!match) return null;
  const [, context, resourceType, rights] = match as unknown as [string, ScopeContext, string, string];
  const letters = v1Interactions[rights] ?? ([...rights] as FhirInteraction[]);
  if (letters.length === 0) return null;
  return { context, resourceType, interactions: new Set(letters) };
}

/** The resource scopes of a token's `scope` claim (space-separated, or an array as `scp`). */
export function parseScopes(claim: string | readonly string[] | undefined): SmartScope[] {
  const texts = typeof claim === 'string' ? claim.split(/\s+/) : (claim ?? []);
  return texts.flatMap((text) => {
    const scope = parseScope(text);
    return scope ? [scope] : [];
  });
}

/**
 * What the scopes allow for one interaction on one resource type, among the scopes of the
 * contexts the token may use (`user` and `patient` for a person's token, `system` for a backend
 * service). `patientOnly`: every scope that allows it is a `patient/` scope, so the request may
 * reach only the token's patient.
 */
export function scopeGrant(
  scopes: readonly SmartScope[],
  contexts: readonly ScopeContext[],
  resourceType: string,
  interaction: FhirInteraction,
): { allowed: boolean; patientOnly: boolean } {
  const covering = scopes.filter(
    (s) =>
      contexts.includes(s.context) &&
      (s.resourceType === '*' || s.resourceType === resourceType) &&
      s.interactions.has(interaction),
  );
  return {
    allowed: covering.length > 0,
    patientOnly: covering.length > 0 && covering.every((s) => s.context === 'patient'),
  };
}

/** The v2 scope that would cover a request, for the `scope` of an insufficient_scope answer. */
export function scopeNeeded(
  context: ScopeContext,
  resourceType: string,
  interaction: FhirInteraction,
): string {
  return `${context}/${resourceType}.${interaction}`;
}
