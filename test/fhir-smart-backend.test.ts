/**
 * SMART backend services end to end, as docs/fhir.md tells an integrator: a real authorization
 * server (`oidc-provider`, the certified Node.js implementation) issues a JWT access token to a
 * system client for `client_credentials` with `private_key_jwt` (RFC 7523, the client's own key
 * pair), and our FHIR API, configured with that server's issuer and JWKS, lets the registered
 * client read its care provider's plan and nothing of another provider's.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { Db } from '../src/store/db.ts';
import { createSmartClientStore } from '../src/store/smart-client-store.ts';
import { openTestApp, withActiveContract } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { startBackendAuthorizationServer } from './helpers/smart-backend-as.ts';

const AUDIENCE = 'https://pk.test/fhir';
const CLIENT_ID = 'journal-backend';

for (const engine of testEngines) {
  describe(`SMART backend services against a real authorization server on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let as: Awaited<ReturnType<typeof startBackendAuthorizationServer>>;
    let clientKey: CryptoKey;

    before(async () => {
      const pair = await generateKeyPair('RS384', { extractable: true });
      clientKey = pair.privateKey;
      as = await startBackendAuthorizationServer({
        clientId: CLIENT_ID,
        clientPublicJwk: { ...(await exportJWK(pair.publicKey)), kid: 'client-1', alg: 'RS384', use: 'sig' },
        audience: AUDIENCE,
        resourceScopes: 'system/*.rs system/CarePlan.rs system/Patient.rs',
      });
    });
    openTestApp(engine, (opened) => ({ db, app } = opened), { env: () => as.env });
    after(async () => {
      await as.close();
    });

    /** The token request of docs/fhir.md: client_credentials with a signed client assertion. */
    async function requestToken(scope: string): Promise<Response> {
      const tokenEndpoint = `${as.issuer}/token`;
      const assertion = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS384', kid: 'client-1', typ: 'JWT' })
        .setIssuer(CLIENT_ID)
        .setSubject(CLIENT_ID)
        .setAudience(tokenEndpoint)
        .setJti(randomUUID())
        .setExpirationTime('5m')
        .sign(clientKey);
      return fetch(tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        }).toString(),
      });
    }

    it('gets a token from the discovered token endpoint and reads only its provider’s plans', async () => {
      const discovery = (
        await app.inject({ method: 'GET', url: '/fhir/.well-known/smart-configuration' })
      ).json<{
        token_endpoint: string;
      }>();
      assert.equal(discovery.token_endpoint, `${as.issuer}/token`);
      const { w, contractId } = await withActiveContract(app, db);
      const foreign = await withActiveContract(app, db);
      await createSmartClientStore(db).register(
        {
          clientId: CLIENT_ID,
          name: 'Journalsystem X',
          providerId: w.providerId,
          scopes: ['system/*.rs'],
          corsOrigins: [],
          subscriptionEndpoints: [],
        },
        { hsaId: 'test' },
      );
      const tokenResponse = await requestToken('system/CarePlan.rs system/Patient.rs');
      assert.equal(tokenResponse.status, 200, await tokenResponse.clone().text());
      const { access_token: accessToken, token_type: tokenType } = (await tokenResponse.json()) as {
        access_token: string;
        token_type: string;
      };
      assert.equal(tokenType, 'Bearer');
      const get = (url: string) =>
        app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${accessToken}` } });
      const own = await get(`/fhir/CarePlan/${contractId}`);
      assert.equal(own.statusCode, 200, own.body);
      assert.equal((await get(`/fhir/CarePlan/${foreign.contractId}`)).statusCode, 404);
      // Its token carries no Goal scope: refused, whatever the registration allows.
      const goal = await get(`/fhir/Goal?patient=${w.patientId}`);
      assert.equal(goal.statusCode, 403, goal.body);
      const logged = await db.query<{ clientId: string; outcome: string }>(
        `select client_id as "clientId", outcome from access_log where request_id = $1`,
        [String(own.headers['x-request-id'])],
      );
      assert.deepEqual(logged, [{ clientId: CLIENT_ID, outcome: 'allowed' }]);
    });
  });
}
