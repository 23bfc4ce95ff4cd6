/**
 * Our FHIR API as a SMART resource server (docs/fhir.md, "Bearer tokens"): verifies a bearer
 * access token from the region's authorization server, finds who it speaks for (a member of
 * staff at one unit, or a registered system client of one care provider), and checks that its
 * scopes cover the request. Every refusal is written to the access log before it is answered;
 * every access the token then makes is logged by the access service with the client's id.
 *
 * Verification (jose): the signature with a key of the configured JWKS, only RS256 or ES256
 * (never `none` or a shared-secret HS*), `iss`, `aud`, `exp` (required) and `nbf`, against the
 * injected clock with 30 seconds of leeway for clock skew.
 */
import {
  createRemoteJWKSet,
  decodeJwt,
  errors as jose,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { AccessAction } from '../domain/access.ts';
import type { AccessLogEntry, LoggedAction } from '../domain/access-log.ts';
import { clientIdOf, type StaffActor, type SystemActor, type TokenGrant } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import type { SmartClient } from '../domain/smart-client.ts';
import {
  parseScopes,
  scopeGrant,
  scopeNeeded,
  type FhirInteraction,
  type ScopeContext,
} from '../domain/smart-scope.ts';
import { tokenSubjectOf } from '../domain/smart-token.ts';
import type { AccessLogStore } from '../store/access-log-store.ts';
import type { SmartClientStore } from '../store/smart-client-store.ts';
import type { SmartResourceServerConfig } from '../config.ts';

/** The only signature algorithms a token may use: asymmetric, so that no verifier can forge one. */
export const TOKEN_ALGORITHMS = ['RS256', 'ES256'];
const CLOCK_TOLERANCE_SECONDS = 30;

/** What the request asks of a token: the resource type and interaction, when it is one. */
export interface BearerRequest {
  requestId: string;
  /** `GET /fhir/CarePlan/:id`, as every log entry names the route. */
  route: string;
  /** Null for a path that is no FHIR interaction here (it answers 404 after authentication). */
  interaction: { resourceType: string; interaction: FhirInteraction } | null;
}

/** A refusal with the challenge RFC 6750 asks for (`WWW-Authenticate: Bearer error=…`). */
export class BearerRefusal extends DomainError {
  constructor(
    code: 'invalid_token' | 'insufficient_scope',
    message: string,
    /** The scope that would have covered the request (insufficient_scope only). */
    readonly scope?: string,
  ) {
    super(code, message);
  }

  /** The WWW-Authenticate header of this refusal (the description without quotes or non-ASCII). */
  challenge(realm: string): string {
    const error = this.code === 'insufficient_scope' ? 'insufficient_scope' : 'invalid_token';
    const description = this.message.normalize('NFD').replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '');
    return `Bearer realm="${realm}", error="${error}", error_description="${description}"${
      this.scope ? `, scope="${this.scope}"` : ''
    }`;
  }
}

export interface SmartAuthDeps {
  config: SmartResourceServerConfig;
  clients: SmartClientStore;
  log: Pick<AccessLogStore, 'write'>;
  clock: () => Date;
  /** The authorization server's keys; default its JWKS URI, fetched with a timeout and cached. */
  keys?: JWTVerifyGetKey;
}

const interactionAction: Record<FhirInteraction, AccessAction> = {
  c: 'write',
  r: 'read',
  u: 'write',
  d: 'write',
  s: 'search',
};

/** The Swedish reason a token failed verification; null when the authorization server could not be reached. */
function verificationFailure(error: unknown): string | null {
  if (error instanceof jose.JWKSTimeout) return null;
  if (error instanceof jose.JWTExpired) return 'Token har gått ut.';
  if (error instanceof jose.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return 'Token kommer från fel utfärdare (iss).';
      case 'aud':
        return 'Token är inte utfärdad för detta API (aud).';
      case 'nbf':
        return 'Token gäller inte ännu (nbf).';
      case 'exp':
        return 'Token saknar giltighetstid (exp).';
      default:
        return `Token har ett ogiltigt anspråk (${error.claim}).`;
    }
  }
  if (error instanceof jose.JOSEAlgNotAllowed || error instanceof jose.JOSENotSupported)
    return `Token är signerad med en algoritm som inte godtas (bara ${TOKEN_ALGORITHMS.join(' eller ')}).`;
  if (error instanceof jose.JWKSNoMatchingKey || error instanceof jose.JWSSignatureVerificationFailed)
    return 'Token har en signatur som inte kan verifieras med utfärdarens nycklar.';
  if (error instanceof jose.JOSEError) return 'Token är inte en giltig signerad JWT.';
  // A failed fetch of the key set (network, TLS, not JSON): the authorization server's trouble.
  if (error instanceof TypeError || (error instanceof Error && error.name === 'AbortError')) return null;
  if (error instanceof jose.JWKSInvalid) return null;
  return 'Token är ogiltig.';
}

/** The client id a token says it has, unverified: for the log of a refused token only. */
function claimedClientId(token: string): string | null {
  try {
    const claims = decodeJwt(token);
    const id = claims.client_id ?? claims.azp ?? claims.sub;
    return typeof id === 'string' ? id.slice(0, 100) : null;
  } catch {
    return null;
  }
}

export function createSmartAuthService(deps: SmartAuthDeps) {
  const { config } = deps;
  const keys =
    deps.keys ??
    createRemoteJWKSet(new URL(config.jwksUri), {
      timeoutDuration: config.jwksTimeoutMs,
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
    });

  function entry(
    request: BearerRequest,
    who: {
      actorKind: AccessLogEntry['actorKind'];
      actorId: string;
      unitId: string | null;
      providerId: string | null;
    },
    clientId: string | null,
    detail: string,
  ): AccessLogEntry {
    const action: LoggedAction = request.interaction
      ? interactionAction[request.interaction.interaction]
      : 'token';
    return {
      at: deps.clock().toISOString(),
      action,
      ...who,
      patientId: null,
      outcome: 'denied',
      legalBasis: null,
      isEmergency: false,
      requestId: request.requestId,
      route: request.route,
      detail,
      clientId,
    };
  }

  /** Logs a token refused before anyone could be known from it, and throws the refusal. */
  async function refuseUnknown(request: BearerRequest, token: string, reason: string): Promise<never> {
    const claimed = claimedClientId(token);
    await deps.log.write(
      entry(
        request,
        { actorKind: 'system', actorId: 'okänd token', unitId: null, providerId: null },
        null,
        `nekad: token; ${reason}${claimed ? `; client_id enligt token (ej verifierat): ${claimed}` : ''}`,
      ),
    );
    throw new BearerRefusal('invalid_token', reason);
  }

  /** Logs a refusal of a token whose client (and user) were verified, and throws it. */
  async function refuseKnown(
    request: BearerRequest,
    actor: StaffActor | SystemActor | { clientId: string; actorId: string },
    refusal: BearerRefusal,
  ): Promise<never> {
    const who =
      'kind' in actor
        ? {
            actorKind: actor.kind,
            actorId: actor.kind === 'staff' ? actor.staffId : actor.clientId,
            unitId: actor.kind === 'staff' ? actor.unitId : null,
            providerId: actor.providerId,
          }
        : { actorKind: 'system' as const, actorId: actor.actorId, unitId: null, providerId: null };
    const clientId = 'kind' in actor ? clientIdOf(actor) : actor.clientId;
    await deps.log.write(
      entry(
        request,
        who,
        clientId,
        `nekad: ${refusal.code === 'insufficient_scope' ? 'scope' : 'token'}; ${refusal.message}`,
      ),
    );
    throw refusal;
  }

  async function verify(token: string, request: BearerRequest): Promise<JWTPayload> {
    if (!/^[\w-]+\.[\w-]+\.[\w-]*$/.test(token))
      return refuseUnknown(request, token, 'Token är inte en signerad JWT.');
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: TOKEN_ALGORITHMS,
        requiredClaims: ['exp'],
        currentDate: deps.clock(),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      return payload;
    } catch (error) {
      const reason = verificationFailure(error);
      if (reason === null) throw new DomainError('authorization_server_unavailable');
      return refuseUnknown(request, token, reason);
    }
  }

  /**
   * The scopes that count: the token's, narrowed to the client's registered ones when it is
   * registered, for the contexts its kind may use. Throws insufficient_scope (logged) when they
   * do not cover the request; the patient a `patient/` scope limits it to otherwise.
   */
  async function checkScopes(
    request: BearerRequest,
    actor: StaffActor | SystemActor,
    registered: SmartClient | null,
    contexts: readonly ScopeContext[],
    tokenPatientId: string | null,
  ): Promise<string | null> {
    const wanted = request.interaction;
    if (wanted === null) return null;
    const { resourceType, interaction } = wanted;
    const token = scopeGrant(actor.token!.scopes, contexts, resourceType, interaction);
    const allowedByRegistration =
      registered === null ||
      scopeGrant(parseScopes(registered.scopes), contexts, resourceType, interaction).allowed;
    const needed = scopeNeeded(contexts[0]!, resourceType, interaction);
    if (!token.allowed || !allowedByRegistration) {
      return refuseKnown(
        request,
        actor,
        new BearerRefusal(
          'insufficient_scope',
          `Token ger inte ${resourceType} ${interactionNames[interaction]} (scope ${needed}).`,
          needed,
        ),
      );
    }
    if (!token.patientOnly) return null;
    if (tokenPatientId === null) {
      return refuseKnown(
        request,
        actor,
        new BearerRefusal(
          'insufficient_scope',
          'Ett patient/-scope kräver en patient i token (patient).',
          needed,
        ),
      );
    }
    return tokenPatientId;
  }

  return {
    /** Is SMART on? (The routes answer the configuration only then.) */
    config,

    /**
     * The actor a bearer token speaks for on this request, after its scopes were checked; throws
     * `BearerRefusal` (401 invalid_token or 403 insufficient_scope), logged, otherwise.
     */
    async authenticate(token: string, request: BearerRequest): Promise<StaffActor | SystemActor> {
      const claims = await verify(token, request);
      const subject = tokenSubjectOf(claims, config.userClaim);
      if ('refused' in subject) return refuseUnknown(request, token, subject.refused);
      // One round trip: the client's registration and, for a user, their places.
      const { client: registered, places } = await deps.clients.tokenFacts(
        subject.clientId,
        subject.kind === 'user' ? subject.hsaId : null,
      );
      if (registered !== null && !registered.isActive) {
        return refuseKnown(
          request,
          { clientId: subject.clientId, actorId: subject.clientId },
          new BearerRefusal('invalid_token', 'Klienten är avregistrerad här.'),
        );
      }
      const grant = (patientId: string | null): TokenGrant => ({
        clientId: subject.clientId,
        scopes: subject.scopes,
        patientId,
      });

      if (subject.kind === 'system') {
        if (registered === null) {
          return refuseKnown(
            request,
            { clientId: subject.clientId, actorId: subject.clientId },
            new BearerRefusal('invalid_token', 'Klienten är inte registrerad för systemåtkomst här.'),
          );
        }
        const actor: SystemActor = {
          kind: 'system',
          clientId: registered.clientId,
          name: registered.name,
          providerId: registered.providerId,
          token: grant(null),
        };
        await checkScopes(request, actor, registered, ['system'], null);
        return actor;
      }

      const place =
        subject.unitId !== null
          ? places.find((p) => p.unitId === subject.unitId)
          : places.length === 1
            ? places[0]
            : undefined;
      if (place === undefined) {
        const reason =
          places.length === 0
            ? 'Användaren finns inte i katalogen eller har inget aktivt uppdrag.'
            : subject.unitId !== null
              ? 'Användaren har inget aktivt uppdrag på den vårdenhet som token anger.'
              : 'Användaren arbetar på flera vårdenheter: token ska ange vilken (hsa_unit eller fhirContext).';
        return refuseKnown(
          request,
          { clientId: subject.clientId, actorId: subject.hsaId },
          new BearerRefusal('invalid_token', reason),
        );
      }
      const actor: StaffActor = {
        kind: 'staff',
        staffId: place.staffId,
        name: place.name,
        profession: place.profession,
        unitId: place.unitId,
        providerId: place.providerId,
        role: place.role,
        token: grant(null),
      };
      const onlyPatient = await checkScopes(
        request,
        actor,
        registered,
        ['user', 'patient'],
        subject.patientId,
      );
      return onlyPatient === null ? actor : { ...actor, token: grant(onlyPatient) };
    },

    /** May a browser at `origin` call /fhir (an active client registered it)? */
    isAllowedOrigin: (origin: string): Promise<boolean> => deps.clients.isRegisteredOrigin(origin),
  };
}

const interactionNames: Record<FhirInteraction, string> = {
  c: 'skapa (c)',
  r: 'läsa (r)',
  u: 'ändra (u)',
  d: 'ta bort (d)',
  s: 'söka (s)',
};

export type SmartAuthService = ReturnType<typeof createSmartAuthService>;
