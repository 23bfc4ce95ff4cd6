/**
 * Patientkontrakt as a SMART app at one journal system's authorization server (openid-client v6):
 * discovery of `{iss}/.well-known/smart-configuration`, the authorization request (PKCE S256,
 * state, nonce, `aud` = iss, `launch`), the code exchange with the ID token verified against the
 * authorization server's JWKS (issuer, audience, expiry, nonce, signature), and reads from the
 * journal system's FHIR server with the access token.
 *
 * See: https://hl7.org/fhir/smart-app-launch/app-launch.html#launch-app-ehr-launch
 */
import { createPrivateKey, webcrypto } from 'node:crypto';
import * as oidc from 'openid-client';
import type { EhrSystem } from '../store/ehr-system-store.ts';
import {
  authorizationRequest,
  classify,
  codeGrant,
  OidcLoginError,
  type LoginChecks,
} from './oidc-client.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Seconds to wait for the journal system's servers. */
const TIMEOUT_SECONDS = 10;
/** How long a discovered configuration is reused. */
const DISCOVERY_TTL_MS = 5 * 60 * 1000;
/** The largest FHIR resource read from a journal system. */
const MAX_RESOURCE_BYTES = 1024 * 1024;

/** Whether plain http is acceptable for this URL: only on a loopback address (tests, local EHRs). */
export const isLoopbackHttp = (url: URL): boolean => url.protocol === 'http:' && LOOPBACK.has(url.hostname);

/** What the code exchange gave: the verified ID token's claims and the launch context. */
export interface LaunchTokens {
  claims: Record<string, unknown>;
  accessToken: string;
  /** The `patient` of the token response (a FHIR id on the journal system's server). */
  patient: unknown;
  fhirContext: unknown;
}

export interface SmartLaunchClientSettings {
  redirectUri: string;
  scope: string;
  /** SMART_SECRET_<ref> values by ref. */
  secrets: Readonly<Record<string, string>>;
}

async function privateKeyOf(pem: string, kid: string | null): Promise<oauth4webapiPrivateKey> {
  const key = createPrivateKey(pem);
  const der = key.export({ format: 'der', type: 'pkcs8' });
  const algorithm =
    key.asymmetricKeyType === 'rsa'
      ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
      : key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
        ? { name: 'ECDSA', namedCurve: 'P-256' }
        : null;
  if (!algorithm) throw new OidcLoginError('rejected', 'private_key_jwt needs an RSA or P-256 key');
  const cryptoKey = await webcrypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']);
  return kid ? { key: cryptoKey, kid } : { key: cryptoKey };
}
type oauth4webapiPrivateKey = Parameters<typeof oidc.PrivateKeyJwt>[0];

export function createSmartLaunchClient(settings: SmartLaunchClientSettings) {
  const cache = new Map<string, { at: number; config: Promise<oidc.Configuration> }>();

  const clientAuthOf = async (system: EhrSystem): Promise<oidc.ClientAuth> => {
    if (system.clientAuth === 'none') return oidc.None();
    const secret = system.secretRef ? settings.secrets[system.secretRef] : undefined;
    if (!secret) {
      throw new OidcLoginError('unavailable', `SMART_SECRET_${system.secretRef ?? ''} is not set`);
    }
    if (system.clientAuth === 'client_secret_basic') return oidc.ClientSecretBasic(secret);
    return oidc.PrivateKeyJwt(await privateKeyOf(secret, system.keyId));
  };

  const discover = async (system: EhrSystem): Promise<oidc.Configuration> => {
    const url = new URL(`${system.iss}/.well-known/smart-configuration`);
    const config = await oidc.discovery(
      url,
      system.clientId,
      { redirect_uris: [settings.redirectUri], response_types: ['code'] },
      await clientAuthOf(system),
      { timeout: TIMEOUT_SECONDS, ...(isLoopbackHttp(url) ? { execute: [oidc.allowInsecureRequests] } : {}) },
    );
    const meta = config.serverMetadata();
    // SMART 2.x: PKCE S256 is required; without a JWKS the ID token's signature cannot be checked.
    if (!meta.code_challenge_methods_supported?.includes('S256')) {
      throw new OidcLoginError(
        'unavailable',
        'smart-configuration: S256 is not among code_challenge_methods_supported',
      );
    }
    if (!meta.jwks_uri) throw new OidcLoginError('unavailable', 'smart-configuration: no jwks_uri');
    oidc.enableNonRepudiationChecks(config);
    return config;
  };

  /** Discovery at most every five minutes per registration; a failure is not kept. */
  const configure = async (system: EhrSystem): Promise<oidc.Configuration> => {
    const key = `${system.id}\n${system.iss}\n${system.clientId}\n${system.clientAuth}\n${system.secretRef ?? ''}`;
    const cached = cache.get(key);
    const entry =
      cached && Date.now() - cached.at < DISCOVERY_TTL_MS
        ? cached
        : { at: Date.now(), config: discover(system) };
    cache.set(key, entry);
    try {
      return await entry.config;
    } catch (error) {
      if (cache.get(key) === entry) cache.delete(key);
      throw classify(error);
    }
  };

  return {
    /** The authorization URL for a launch, and the checks to remember until the callback. */
    async begin(system: EhrSystem, launch: string): Promise<{ url: URL; checks: LoginChecks }> {
      return authorizationRequest(await configure(system), settings, { aud: system.iss, launch });
    },

    /**
     * Completes the authorization from the callback's raw query: validates the response,
     * exchanges the code with the PKCE verifier, verifies the ID token.
     */
    async complete(system: EhrSystem, rawQuery: string, checks: LoginChecks): Promise<LaunchTokens> {
      const config = await configure(system);
      try {
        const { tokens, claims } = await codeGrant(config, settings.redirectUri, rawQuery, checks);
        return {
          claims: { ...claims },
          accessToken: tokens.access_token,
          patient: tokens.patient,
          fhirContext: tokens.fhirContext,
        };
      } catch (error) {
        throw classify(error);
      }
    },

    /**
     * Reads one resource from the journal system's FHIR server (a URL under its `iss`, checked by
     * the caller) with the access token: the resource, or null when the server has none (404, 410)
     * or refuses it (403).
     */
    async read(url: string, accessToken: string): Promise<unknown> {
      let res: Response;
      try {
        res = await fetch(url, {
          headers: { authorization: `Bearer ${accessToken}`, accept: 'application/fhir+json' },
          redirect: 'error',
          signal: AbortSignal.timeout(TIMEOUT_SECONDS * 1000),
        });
      } catch (error) {
        throw new OidcLoginError('unavailable', `FHIR read failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      if (res.status === 404 || res.status === 410 || res.status === 403) {
        await res.body?.cancel();
        return null;
      }
      if (res.status === 401)
        throw new OidcLoginError('rejected', 'the FHIR server refused the access token');
      if (!res.ok) throw new OidcLoginError('unavailable', `the FHIR server answered ${res.status}`);
      if (Number(res.headers.get('content-length') ?? 0) > MAX_RESOURCE_BYTES) {
        await res.body?.cancel();
        throw new OidcLoginError('unavailable', 'FHIR resource too large');
      }
      const text = await res.text();
      if (text.length > MAX_RESOURCE_BYTES)
        throw new OidcLoginError('unavailable', 'FHIR resource too large');
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new OidcLoginError('unavailable', 'the FHIR server answered no JSON', { cause: error });
      }
    },
  };
}

export type SmartLaunchClient = ReturnType<typeof createSmartLaunchClient>;
