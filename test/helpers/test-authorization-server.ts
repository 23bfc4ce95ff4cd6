/**
 * The test authorization server of the FHIR tests that use bearer tokens: one RS256 key, its
 * JWKS served on a local port, the SMART settings that point the app at it, and `mint` to sign
 * an access token (`typ: at+jwt`, audience the FHIR base) with that key.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { Db } from '../../src/store/db.ts';
import { openTestApp } from './api.ts';
import type { TestEngine } from './engines.ts';

/** The FHIR base the tokens are minted for (SMART_AUDIENCE). */
export const TEST_FHIR_AUDIENCE = 'https://pk.test/fhir';

export interface TestAuthorizationServer {
  issuer: string;
  /** The SMART settings of the app that trust this server. */
  env: Record<string, string>;
  /** A signed access token with `claims`, valid for `lifetimeSeconds` (an hour unless told). */
  mint(claims: Record<string, unknown>, lifetimeSeconds?: number): Promise<string>;
  /** A system client's token: `client_id` and `sub` are `clientId`, with `scope`. */
  mintFor(clientId: string, scope: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestAuthorizationServer(): Promise<TestAuthorizationServer> {
  const key = await generateKeyPair('RS256');
  const jwks = { keys: [{ ...(await exportJWK(key.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  const server: Server = createServer((request, response) => {
    if (request.url === '/jwks')
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}/as`;
  const mint = (claims: Record<string, unknown>, lifetimeSeconds = 3600) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'at+jwt' })
      .setIssuer(issuer)
      .setAudience(TEST_FHIR_AUDIENCE)
      .setIssuedAt(now - 10)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(key.privateKey);
  };
  return {
    issuer,
    env: {
      SMART_AUTHORIZATION_ISSUER: issuer,
      SMART_AUTHORIZATION_ENDPOINT: `${issuer}/authorize`,
      SMART_TOKEN_ENDPOINT: `${issuer}/token`,
      SMART_JWKS_URI: `${base}/jwks`,
      SMART_AUDIENCE: TEST_FHIR_AUDIENCE,
    },
    mint,
    mintFor: (clientId, scope) => mint({ client_id: clientId, sub: clientId, scope }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * `openTestApp` with a test authorization server started before the app (the app trusts it) and
 * closed after it; `use` receives the database, the app and the server.
 */
export function openTestAppWithAuthorizationServer(
  engine: TestEngine,
  use: (opened: { db: Db; app: FastifyInstance; as: TestAuthorizationServer }) => void,
): void {
  let as: TestAuthorizationServer;
  before(async () => {
    as = await startTestAuthorizationServer();
  });
  openTestApp(engine, (opened) => use({ ...opened, as }), { env: () => as.env });
  after(async () => {
    await as.close();
  });
}
