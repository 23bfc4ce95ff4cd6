/**
 * One OpenID Connect relying party (openid-client v6): authorization code flow with PKCE S256,
 * state and nonce. The redirect URI is always the configured one, never derived from a request;
 * openid-client validates the authorization response (state, iss), the token response and the
 * ID token (issuer, audience, expiry, nonce, and its signature against the provider's JWKS).
 */
import * as oidc from 'openid-client';
import type { OidcIssuerConfig } from '../config.ts';

/** What a login must remember between the redirect to the provider and the callback. */
export interface LoginChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/**
 * A login that did not succeed: `rejected` when the provider or the checks said no (the user
 * cancelled, a code was replayed, a token did not validate), `unavailable` when the provider
 * could not be reached or answered with a server error.
 */
export class OidcLoginError extends Error {
  constructor(
    readonly reason: 'rejected' | 'unavailable',
    message: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'OidcLoginError';
  }
}

/**
 * The authorization URL of the code flow (PKCE S256, state and nonce) and the checks to remember
 * until the callback; `extra`: further parameters of the request (a SMART launch's `aud`, `launch`).
 */
export async function authorizationRequest(
  config: oidc.Configuration,
  settings: { redirectUri: string; scope: string },
  extra: Record<string, string> = {},
): Promise<{ url: URL; checks: LoginChecks }> {
  const checks: LoginChecks = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    codeVerifier: oidc.randomPKCECodeVerifier(),
  };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: settings.redirectUri,
    response_type: 'code',
    scope: settings.scope,
    state: checks.state,
    nonce: checks.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { url, checks };
}

/**
 * Exchanges the code of the callback's raw query with the PKCE verifier, after openid-client has
 * validated the response (state, iss), and verifies the ID token (nonce). The configured redirect
 * URI carries the response parameters: openid-client sends this URI (without them) to the token
 * endpoint, so it is never taken from the request. Errors are openid-client's (see `classify`).
 */
export async function codeGrant(
  config: oidc.Configuration,
  redirectUri: string,
  rawQuery: string,
  checks: LoginChecks,
) {
  const current = new URL(redirectUri);
  current.search = rawQuery;
  const tokens = await oidc.authorizationCodeGrant(config, current, {
    pkceCodeVerifier: checks.codeVerifier,
    expectedState: checks.state,
    expectedNonce: checks.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new OidcLoginError('rejected', 'no ID token');
  return { tokens, claims };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const TIMEOUT_SECONDS = 10;

/** A failed exchange with a provider: rejected (it or the checks said no) or unavailable. */
export function classify(error: unknown): OidcLoginError {
  if (error instanceof OidcLoginError) return error;
  if (error instanceof oidc.AuthorizationResponseError) {
    return new OidcLoginError('rejected', `authorization error: ${error.error}`, { cause: error });
  }
  if (error instanceof oidc.ResponseBodyError) {
    return new OidcLoginError(
      error.status >= 500 ? 'unavailable' : 'rejected',
      `provider answered ${error.status} ${error.error}`,
      { cause: error },
    );
  }
  if (error instanceof oidc.ClientError) {
    const code = typeof error.code === 'string' ? error.code : 'client_error';
    // A failed request (network, timeout, a non-JSON error page) means the provider is unavailable.
    const unavailable = code === 'OAUTH_RESPONSE_IS_NOT_JSON' || error.cause instanceof TypeError;
    return new OidcLoginError(unavailable ? 'unavailable' : 'rejected', `${code}: ${error.message}`, {
      cause: error,
    });
  }
  return new OidcLoginError('unavailable', error instanceof Error ? error.message : 'unknown error', {
    cause: error,
  });
}

export interface OidcClient {
  /** The authorization URL to redirect the browser to, and the checks to remember. */
  begin(): Promise<{ url: URL; checks: LoginChecks }>;
  /**
   * Completes a login from the callback's raw query string: validates the response, exchanges
   * the code with the PKCE verifier and validates the ID token. Returns the user's claims (the
   * ID token's, completed from the UserInfo endpoint when `wantedClaim` is not in the token).
   */
  complete(rawQuery: string, checks: LoginChecks, wantedClaim: string): Promise<Record<string, unknown>>;
}

export function createOidcClient(settings: OidcIssuerConfig): OidcClient {
  let configuration: Promise<oidc.Configuration> | undefined;

  const discover = async (): Promise<oidc.Configuration> => {
    const issuer = new URL(settings.issuer);
    const insecure = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname);
    const auth = settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None();
    const config = await oidc.discovery(
      issuer,
      settings.clientId,
      { redirect_uris: [settings.redirectUri], response_types: ['code'] },
      auth,
      { timeout: TIMEOUT_SECONDS, ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}) },
    );
    oidc.enableNonRepudiationChecks(config);
    return config;
  };

  /** Discovery once per process; a failed discovery is retried at the next login. */
  const configure = async (): Promise<oidc.Configuration> => {
    configuration ??= discover();
    try {
      return await configuration;
    } catch (error) {
      configuration = undefined;
      throw classify(error);
    }
  };

  return {
    async begin() {
      return authorizationRequest(await configure(), settings);
    },

    async complete(rawQuery, checks, wantedClaim) {
      const config = await configure();
      try {
        const { tokens, claims: idClaims } = await codeGrant(config, settings.redirectUri, rawQuery, checks);
        if (idClaims[wantedClaim] !== undefined || !config.serverMetadata().userinfo_endpoint) {
          return { ...idClaims };
        }
        const userInfo = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        return { ...userInfo, ...idClaims };
      } catch (error) {
        throw classify(error);
      }
    },
  };
}
