/**
 * The region's authorization server for SMART backend services in the tests: `oidc-provider`
 * (the certified Node.js implementation) on 127.0.0.1 with a random port, holding one system
 * client's public key (`private_key_jwt`, RS384) and issuing JWT access tokens for
 * `client_credentials` with the given audience and scopes.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';

/** The part of oidc-provider's API the helper uses (the package ships no type declarations). */
type ProviderClass = new (
  issuer: string,
  configuration: Record<string, unknown>,
) => { callback(): (req: unknown, res: unknown) => void };

export interface BackendAuthorizationServerOptions {
  clientId: string;
  clientPublicJwk: Record<string, unknown>;
  audience: string;
  /** The system scopes the client may be granted, space separated. */
  resourceScopes: string;
}

/** Starts the authorization server; `env` configures our app to trust it. */
export async function startBackendAuthorizationServer(options: BackendAuthorizationServerOptions) {
  const { clientId, clientPublicJwk, audience, resourceScopes } = options;
  const specifier: string = 'oidc-provider';
  const { default: Provider } = (await import(specifier)) as { default: ProviderClass };
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signing = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'RS384',
        jwks: { keys: [clientPublicJwk] },
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: resourceScopes,
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(signing.privateKey)), kid: 'as-1', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    scopes: ['openid', ...resourceScopes.split(' ')],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: resourceScopes,
          audience,
          accessTokenTTL: 300,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    enabledJWA: { clientAuthSigningAlgValues: ['RS384', 'ES384'] },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    env: {
      SMART_AUTHORIZATION_ISSUER: issuer,
      SMART_AUTHORIZATION_ENDPOINT: `${issuer}/auth`,
      SMART_TOKEN_ENDPOINT: `${issuer}/token`,
      SMART_JWKS_URI: `${issuer}/jwks`,
      SMART_AUDIENCE: audience,
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
