import type { SmartScope } from './smart-scope.ts';

/**
 * Who is acting: a member of staff from one unit, a patient, or a registered system client
 * (SMART backend services) acting for one care provider.
 */
export type Actor = StaffActor | PatientActor | SystemActor;

/**
 * What an OAuth access token brings to a request on /fhir (docs/fhir.md, "Bearer tokens"): the
 * client it was issued to and the SMART scopes, which only narrow what the access rule allows.
 */
export interface TokenGrant {
  /** The OAuth client the token was issued to; written in every access-log entry it causes. */
  clientId: string;
  /** The resource scopes of the token (openid, launch … are not kept). */
  scopes: readonly SmartScope[];
  /**
   * Set when only `patient/` scopes cover this request: the one patient (our Patient id, the
   * token's `patient` claim) it may reach. `decideAccess` denies every other patient.
   */
  patientId: string | null;
}

export interface StaffActor {
  kind: 'staff';
  /** HSA-id of the person. */
  staffId: string;
  name: string;
  profession: string;
  /** The unit the user acts from (chosen at login); part of every log entry. */
  unitId: string;
  /** The care provider that unit belongs to. */
  providerId: string;
  /**
   * The role at that unit (`medarbetare`, `verksamhetschef`, `uppfoljning`, `loggansvarig` …),
   * read with the session on every request: what the user may do follows from it.
   */
  role: string;
  /** Set when the request came with a bearer token (a SMART app acting for this user). */
  token?: TokenGrant | undefined;
}

export interface PatientActor {
  kind: 'patient';
  patientId: string;
  name: string;
}

/**
 * A system integration (SMART backend services, client_credentials with private_key_jwt at the
 * region's authorization server), registered in `smart_client` for ONE care provider. It sees
 * at most what that provider's staff with a care relationship and consent could see, and it
 * writes nothing: a change to a plan needs a person who answers for it (`decideAccess`).
 */
export interface SystemActor {
  kind: 'system';
  /** The registered client id (`smart_client.client_id`). */
  clientId: string;
  /** The client's name as registered, for logs and history. */
  name: string;
  /** HSA-id of the care provider the client acts for. */
  providerId: string;
  token: TokenGrant;
}

/** The OAuth client behind a request, or null for the web app's own session. */
export function clientIdOf(actor: Actor): string | null {
  return actor.kind === 'patient' ? null : (actor.token?.clientId ?? null);
}

/** The id written in version history, events and logs for an actor. */
export function actorId(actor: Actor): string {
  return actor.kind === 'staff' ? actor.staffId : actor.kind === 'system' ? actor.clientId : actor.patientId;
}

/** The unit an actor acts from, or null for patients and system clients. */
export function actorUnitId(actor: Actor): string | null {
  return actor.kind === 'staff' ? actor.unitId : null;
}
