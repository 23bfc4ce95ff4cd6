/**
 * Who a verified SMART access token speaks for (docs/fhir.md, "Bearer tokens"), read from its
 * claims alone: a person (the `fhirUser` claim, a Practitioner with an HSA-id) acting through an
 * app, or a system client (backend services: no user, its `client_id`). Whether that person or
 * client exists and may act is the caller's question (the directory, `smart_client`).
 * See: https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html and RFC 9068.
 */
import { parseScopes, type SmartScope } from './smart-scope.ts';

/** HSA-id's identifier system, as units and staff carry it in FHIR. */
const HSA_SYSTEM = 'urn:oid:1.2.752.29.4.19';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HSA_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;

export type TokenSubject =
  | {
      kind: 'user';
      /** HSA-id of the member of staff. */
      hsaId: string;
      /** The unit the token names (`hsa_unit`, or an Organization in `fhirContext`), else null. */
      unitId: string | null;
      clientId: string;
      scopes: SmartScope[];
      /** The token's `patient` claim (our Patient id), for `patient/` scopes. */
      patientId: string | null;
    }
  | { kind: 'system'; clientId: string; scopes: SmartScope[] };

/** Why a verified token cannot be used here, in Swedish, for the OperationOutcome. */
export type TokenRefusal = { refused: string };

/** The id of a `Practitioner/<id>` reference, relative or absolute; null for anything else. */
function practitionerId(reference: string): string | null {
  const match = /(?:^|\/)Practitioner\/([^/?#]+)$/.exec(reference);
  return match?.[1] ?? null;
}

/** The unit a token names: `hsa_unit`, or an Organization in `fhirContext` (by reference or HSA-id). */
function unitOf(claims: Record<string, unknown>): string | null | TokenRefusal {
  const named: string[] = [];
  if (typeof claims.hsa_unit === 'string') named.push(claims.hsa_unit);
  const context = Array.isArray(claims.fhirContext) ? (claims.fhirContext as unknown[]) : [];
  for (const item of context) {
    if (typeof item !== 'object' || item === null) continue;
    const { reference, type, identifier } = item as {
      reference?: unknown;
      type?: unknown;
      identifier?: { system?: unknown; value?: unknown };
    };
    const byReference =
      typeof reference === 'string' ? /(?:^|\/)Organization\/([^/?#]+)$/.exec(reference) : null;
    if (byReference?.[1]) named.push(byReference[1]);
    else if (
      type === 'Organization' &&
      identifier?.system === HSA_SYSTEM &&
      typeof identifier.value === 'string'
    )
      named.push(identifier.value);
  }
  const units = [...new Set(named)];
  if (units.length > 1) return { refused: 'Token anger flera vårdenheter. Ange en enhet (hsa_unit).' };
  return units[0] ?? null;
}

/**
 * The subject of a token's verified claims. `userClaim` names the claim that holds the user
 * (`fhirUser` by default: a Practitioner reference; another claim, e.g. `sub`, holds the HSA-id
 * itself).
 * A token without it is a system client's, named by `client_id` (RFC 9068), else `azp`.
 */
export function tokenSubjectOf(
  claims: Record<string, unknown>,
  userClaim: string,
): TokenSubject | TokenRefusal {
  const clientId =
    typeof claims.client_id === 'string'
      ? claims.client_id
      : typeof claims.azp === 'string'
        ? claims.azp
        : null;
  if (clientId === null || clientId === '' || clientId.length > 200) {
    return { refused: 'Token saknar client_id.' };
  }
  const scopes = parseScopes(
    typeof claims.scope === 'string'
      ? claims.scope
      : Array.isArray(claims.scp)
        ? claims.scp.filter((s): s is string => typeof s === 'string')
        : undefined,
  );
  const user = claims[userClaim];
  // With `sub` as the user claim, a client's own token has its client id there (RFC 7523): no user.
  if (user === undefined || user === clientId) return { kind: 'system', clientId, scopes };
  if (typeof user !== 'string') return { refused: `Token har ett ogiltigt ${userClaim}.` };
  const hsaId = userClaim === 'fhirUser' ? practitionerId(user) : user;
  if (hsaId === null || !HSA_ID.test(hsaId)) {
    return { refused: `${userClaim} ska vara en Practitioner med HSA-id.` };
  }
  const unit = unitOf(claims);
  if (unit !== null && typeof unit !== 'string') return unit;
  const patient = claims.patient;
  const patientId = typeof patient === 'string' && UUID.test(patient) ? patient.toLowerCase() : null;
  return { kind: 'user', hsaId, unitId: unit, clientId, scopes, patientId };
}
