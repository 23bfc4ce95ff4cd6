/**
 * Our FHIR API as a SMART resource server, on both engines: tokens of a test authorization
 * server (keys made with jose, its JWKS served on a local port and fetched the way production
 * fetches it), verified and refused (each refusal a 401 or 403 OperationOutcome with its
 * challenge, and logged), mapped to a member of staff or to a registered system client, scopes
 * that narrow and never widen, bearer beside a cookie, CORS for registered origins only, and
 * the discovery document and CapabilityStatement that tell it.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { DEVELOPMENT_AUDIT_KEY } from '../src/services/audit-key.ts';
import { verifyAccessLog } from '../src/services/audit-verify.ts';
import { createAccessLogStore } from '../src/store/access-log-store.ts';
import type { Db } from '../src/store/db.ts';
import { createSmartClientStore } from '../src/store/smart-client-store.ts';
import { buildTestApp, login, openTestApp, withActiveContract } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makePatient, makeWorld, sampleContent } from './helpers/factories.ts';

const AUDIENCE = 'https://pk.test/fhir';
const APP_ORIGIN = 'https://app.journal.test';

interface Outcome {
  resourceType: string;
  issue: { severity: string; code: string; diagnostics: string }[];
}

/** The test authorization server: two signing keys, only the first published in its JWKS. */
async function startAuthorizationServer() {
  const published = await generateKeyPair('RS256');
  const unpublished = await generateKeyPair('RS256');
  const ec = await generateKeyPair('ES256');
  const jwks = {
    keys: [
      { ...(await exportJWK(published.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'e1', alg: 'ES256', use: 'sig' },
    ] satisfies JWK[],
  };
  let fetches = 0;
  const server: Server = createServer((request, response) => {
    if (request.url === '/jwks') {
      fetches += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer: `${base}/as`,
    env: {
      SMART_AUTHORIZATION_ISSUER: `${base}/as`,
      SMART_AUTHORIZATION_ENDPOINT: `${base}/as/authorize`,
      SMART_TOKEN_ENDPOINT: `${base}/as/token`,
      SMART_JWKS_URI: `${base}/jwks`,
      SMART_REVOCATION_ENDPOINT: `${base}/as/revoke`,
      SMART_AUDIENCE: AUDIENCE,
    },
    keys: { published: published.privateKey, unpublished: unpublished.privateKey, ec: ec.privateKey },
    fetches: () => fetches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type AuthorizationServer = Awaited<ReturnType<typeof startAuthorizationServer>>;

/** Signs an access token; by default valid for five minutes from the issuer, for our audience. */
async function mint(
  as: AuthorizationServer,
  claims: Record<string, unknown>,
  options: { key?: CryptoKey; kid?: string; alg?: string; iss?: string; aud?: string; exp?: number } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? 'k1', typ: 'at+jwt' })
    .setIssuer(options.iss ?? as.issuer)
    .setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt(now - 10)
    .setExpirationTime(options.exp ?? now + 300)
    .sign(options.key ?? as.keys.published);
}

/** A token signed with no algorithm at all (`alg: none`), which must never be accepted. */
function unsigned(as: AuthorizationServer, claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'at+jwt' })}.${part({ ...claims, iss: as.issuer, aud: AUDIENCE, exp: now + 300 })}.`;
}

/** Asserts a refusal: status, OperationOutcome in Swedish, the Bearer challenge with its error. */
function assertRefused(res: LightMyRequestResponse, status: 401 | 403, error: string): Outcome {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/fhir\+json/);
  const body = res.json<Outcome>();
  assert.equal(body.resourceType, 'OperationOutcome');
  assert.equal(body.issue[0]?.code, status === 401 ? 'login' : 'forbidden');
  assert.match(body.issue[0]?.diagnostics ?? '', /[åäöÅÄÖ]|Token|token|scope/);
  assert.match(
    String(res.headers['www-authenticate']),
    new RegExp(`^Bearer realm="patientkontrakt", error="${error}"`),
  );
  return body;
}

for (const engine of testEngines) {
  describe(`FHIR with SMART bearer tokens on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let as: AuthorizationServer;

    before(async () => {
      as = await startAuthorizationServer();
    });
    openTestApp(engine, (opened) => ({ db, app } = opened), { env: () => as.env });
    after(async () => {
      await as.close();
    });

    const get = (url: string, token: string, headers: Record<string, string> = {}) =>
      app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, ...headers } });

    /** The access-log entries a request wrote (its X-Request-Id is in each). */
    const entriesOf = (res: LightMyRequestResponse) =>
      db.query<{
        outcome: string;
        clientId: string | null;
        actorKind: string;
        actorId: string;
        detail: string | null;
        patientId: string | null;
      }>(
        `select outcome, client_id as "clientId", actor_kind as "actorKind", actor_id as "actorId", detail,
           patient_id as "patientId" from access_log where request_id = $1 order by seq`,
        [String(res.headers['x-request-id'])],
      );

    const userToken = (hsaId: string, extra: Record<string, unknown> = {}) =>
      mint(as, {
        client_id: 'journal-app',
        fhirUser: `Practitioner/${hsaId}`,
        scope: 'openid fhirUser user/*.rs',
        ...extra,
      });

    it('describes the authorization server at both discovery URLs', async () => {
      for (const url of ['/.well-known/smart-configuration', '/fhir/.well-known/smart-configuration']) {
        const res = await app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 200, url);
        assert.match(String(res.headers['content-type']), /^application\/json/);
        const doc = res.json<Record<string, unknown>>();
        assert.equal(doc.issuer, as.issuer);
        assert.equal(doc.token_endpoint, as.env.SMART_TOKEN_ENDPOINT);
        assert.equal(doc.authorization_endpoint, as.env.SMART_AUTHORIZATION_ENDPOINT);
        assert.equal(doc.jwks_uri, as.env.SMART_JWKS_URI);
        assert.equal(doc.revocation_endpoint, as.env.SMART_REVOCATION_ENDPOINT);
        assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
        assert.deepEqual(doc.token_endpoint_auth_methods_supported, ['private_key_jwt']);
        assert.ok((doc.grant_types_supported as string[]).includes('client_credentials'));
        assert.ok((doc.capabilities as string[]).includes('permission-v2'));
        assert.ok((doc.scopes_supported as string[]).includes('system/*.rs'));
      }
    });

    it('tells SMART-on-FHIR and the OAuth URIs in the CapabilityStatement', async () => {
      const res = await app.inject({ method: 'GET', url: '/fhir/metadata' });
      const security = res.json<{
        rest: {
          security: {
            cors: boolean;
            service: { coding: { code: string }[] }[];
            extension: { url: string; extension: { url: string; valueUri: string }[] }[];
          };
        }[];
      }>().rest[0]!.security;
      assert.equal(security.cors, true);
      assert.equal(security.service[0]?.coding[0]?.code, 'SMART-on-FHIR');
      const uris = security.extension.find((e) => e.url.endsWith('/oauth-uris'))?.extension ?? [];
      assert.deepEqual(Object.fromEntries(uris.map((u) => [u.url, u.valueUri])), {
        authorize: as.env.SMART_AUTHORIZATION_ENDPOINT,
        token: as.env.SMART_TOKEN_ENDPOINT,
        revoke: as.env.SMART_REVOCATION_ENDPOINT,
      });
    });

    it('lets a user token read a CarePlan its user may see, logged with the client id', async () => {
      const { w, contractId } = await withActiveContract(app, db);
      const res = await get(`/fhir/CarePlan/${contractId}`, await userToken(w.nurseId));
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json<{ id: string }>().id, contractId);
      const entries = await entriesOf(res);
      assert.deepEqual(
        entries.map((e) => [e.outcome, e.clientId, e.actorKind, e.actorId, e.patientId]),
        [['allowed', 'journal-app', 'staff', w.nurseId, w.patientId]],
      );
      assert.ok(as.fetches() >= 1, 'the JWKS was fetched from its URI');
    });

    it('answers a CarePlan its user may not see exactly like a missing one', async () => {
      const { contractId } = await withActiveContract(app, db);
      const stranger = await makeWorld(db); // another care provider, no relationship
      const token = await userToken(stranger.nurseId);
      const hidden = await get(`/fhir/CarePlan/${contractId}`, token);
      const missing = await get('/fhir/CarePlan/00000000-0000-4000-8000-000000000000', token);
      assert.equal(hidden.statusCode, 404);
      assert.equal(hidden.body, missing.body);
      assert.equal((await entriesOf(hidden))[0]?.outcome, 'denied');
    });

    it('refuses a token from another issuer, for another audience, expired, unsigned or signed with a key not in the JWKS; each logged', async () => {
      const { w, contractId } = await withActiveContract(app, db);
      const claims = { client_id: 'journal-app', fhirUser: `Practitioner/${w.nurseId}`, scope: 'user/*.rs' };
      const past = Math.floor(Date.now() / 1000) - 600;
      const cases: [string, string, RegExp][] = [
        ['wrong issuer', await mint(as, claims, { iss: 'https://other-as.test' }), /utfärdare/],
        ['wrong audience', await mint(as, claims, { aud: 'https://other-api.test/fhir' }), /aud/],
        ['expired', await mint(as, claims, { exp: past }), /gått ut/],
        ['alg none', unsigned(as, claims), /algoritm|signerad/],
        ['unknown key id', await mint(as, claims, { key: as.keys.unpublished, kid: 'k9' }), /signatur/],
        ['published key id, other key', await mint(as, claims, { key: as.keys.unpublished }), /signatur/],
        ['not a JWT', 'abc', /JWT/],
      ];
      for (const [name, token, reason] of cases) {
        const res = await get(`/fhir/CarePlan/${contractId}`, token);
        const body = assertRefused(res, 401, 'invalid_token');
        assert.match(body.issue[0]!.diagnostics, reason, name);
        const entries = await entriesOf(res);
        assert.equal(entries.length, 1, name);
        assert.equal(entries[0]!.outcome, 'denied', name);
        assert.equal(entries[0]!.clientId, null, `${name}: an unverified client is not logged as the client`);
        assert.match(entries[0]!.detail ?? '', /nekad: token/, name);
      }
    });

    it('accepts ES256 and refuses a shared-secret HS256 token', async () => {
      const { w, contractId } = await withActiveContract(app, db);
      const claims = { client_id: 'journal-app', fhirUser: `Practitioner/${w.nurseId}`, scope: 'user/*.rs' };
      const es = await mint(as, claims, { key: as.keys.ec, kid: 'e1', alg: 'ES256' });
      assert.equal((await get(`/fhir/CarePlan/${contractId}`, es)).statusCode, 200);
      const hs = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
        .setIssuer(as.issuer)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode('a-shared-secret-of-thirty-two-bytes!'));
      assertRefused(await get(`/fhir/CarePlan/${contractId}`, hs), 401, 'invalid_token');
    });

    it('refuses with 403 insufficient_scope a request its scopes do not cover, logged with the client', async () => {
      const { w, contractId } = await withActiveContract(app, db);
      const token = await userToken(w.nurseId, { scope: 'user/Patient.rs' });
      const res = await get(`/fhir/CarePlan/${contractId}`, token);
      assertRefused(res, 403, 'insufficient_scope');
      assert.match(String(res.headers['www-authenticate']), /scope="user\/CarePlan\.r"/);
      const entries = await entriesOf(res);
      assert.deepEqual(
        entries.map((e) => [e.outcome, e.clientId, e.actorId]),
        [['denied', 'journal-app', w.nurseId]],
      );
      // Read scopes do not write: a PUT with user/*.rs is refused before anything is read.
      const put = await app.inject({
        method: 'PUT',
        url: `/fhir/CarePlan/${contractId}`,
        headers: {
          authorization: `Bearer ${await userToken(w.nurseId)}`,
          'content-type': 'application/fhir+json',
          'if-match': 'W/"1"',
        },
        payload: { resourceType: 'CarePlan', id: contractId },
      });
      assertRefused(put, 403, 'insufficient_scope');
    });

    it('limits patient/ scopes to the token’s patient, even among patients its user may see', async () => {
      const { w, contractId } = await withActiveContract(app, db);
      const other = await makePatient(db, w.unitId);
      const nurse = await login(app, { hsaId: w.nurseId });
      const created = await nurse.send('POST', `/api/patients/${other}/contract`, {
        status: 'active',
        content: sampleContent(w.unitId),
      });
      assert.equal(created.statusCode, 201, created.body);
      const otherContract = created.json<{ id: string }>().id;
      const token = await userToken(w.nurseId, { scope: 'patient/*.rs', patient: w.patientId });
      assert.equal((await get(`/fhir/CarePlan/${contractId}`, token)).statusCode, 200);
      const refused = await get(`/fhir/CarePlan/${otherContract}`, token);
      assert.equal(refused.statusCode, 404);
      assert.match((await entriesOf(refused))[0]?.detail ?? '', /out-of-scope/);
      // Searches leave the other patient out.
      const search = await get(`/fhir/Patient?_id=${w.patientId},${other}`, token);
      assert.deepEqual(
        search.json<{ entry?: { resource: { id: string } }[] }>().entry?.map((e) => e.resource.id),
        [w.patientId],
      );
      // Without a patient in the token a patient/ scope reaches nobody.
      const noPatient = await userToken(w.nurseId, { scope: 'patient/*.rs' });
      assertRefused(await get(`/fhir/CarePlan/${contractId}`, noPatient), 403, 'insufficient_scope');
    });

    it('refuses a user the directory does not know, or one of several units when the token names none', async () => {
      const { w, contractId } = await withActiveContract(app, db);
      assertRefused(
        await get(`/fhir/CarePlan/${contractId}`, await userToken('SE2321000000-PNOSUCH')),
        401,
        'invalid_token',
      );
      await db.query(`insert into staff_unit (staff_id, unit_id) values ($1, $2)`, [
        w.nurseId,
        w.otherUnitId,
      ]);
      const ambiguous = await get(`/fhir/CarePlan/${contractId}`, await userToken(w.nurseId));
      assert.match(assertRefused(ambiguous, 401, 'invalid_token').issue[0]!.diagnostics, /flera vårdenheter/);
      const named = await userToken(w.nurseId, { hsa_unit: w.unitId });
      assert.equal((await get(`/fhir/CarePlan/${contractId}`, named)).statusCode, 200);
      const inContext = await userToken(w.nurseId, {
        fhirContext: [{ reference: `Organization/${w.unitId}` }],
      });
      assert.equal((await get(`/fhir/CarePlan/${contractId}`, inContext)).statusCode, 200);
    });

    it('lets a system client of provider X see only what X’s staff could, and write nothing', async () => {
      const { w, contractId } = await withActiveContract(app, db);
      const elsewhere = await withActiveContract(app, db); // another provider's patient and plan
      const clients = createSmartClientStore(db);
      const clientId = `system-${w.providerId}`;
      assert.ok(
        await clients.register(
          {
            clientId,
            name: 'Journal X',
            providerId: w.providerId,
            scopes: ['system/*.cruds'],
            corsOrigins: [],
            subscriptionEndpoints: [],
          },
          { hsaId: 'test' },
        ),
      );
      const token = await mint(as, { client_id: clientId, sub: clientId, scope: 'system/*.cruds' });
      const own = await get(`/fhir/CarePlan/${contractId}`, token);
      assert.equal(own.statusCode, 200, own.body);
      assert.deepEqual(
        (await entriesOf(own)).map((e) => [e.outcome, e.actorKind, e.actorId, e.clientId]),
        [['allowed', 'system', clientId, clientId]],
      );
      const foreign = await get(`/fhir/CarePlan/${elsewhere.contractId}`, token);
      assert.equal(foreign.statusCode, 404);
      const search = await get(`/fhir/CarePlan?patient=${w.patientId},${elsewhere.w.patientId}`, token);
      assert.deepEqual(
        search.json<{ entry?: { resource: { id: string } }[] }>().entry?.map((e) => e.resource.id),
        [contractId],
      );
      // Patient search finds among the provider’s patients only.
      const patients = await get(`/fhir/Patient?_id=${w.patientId},${elsewhere.w.patientId}`, token);
      assert.equal(patients.statusCode, 200, patients.body);
      assert.deepEqual(
        patients.json<{ entry?: { resource: { id: string } }[] }>().entry?.map((e) => e.resource.id),
        [w.patientId],
      );
      const put = await app.inject({
        method: 'PUT',
        url: `/fhir/CarePlan/${contractId}`,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/fhir+json',
          'if-match': 'W/"1"',
        },
        payload: (await get(`/fhir/CarePlan/${contractId}`, token)).json(),
      });
      // Refused like a närstående's write: as if there were no such plan, and nothing written.
      assert.equal(put.statusCode, 404, put.body);
      assert.equal((await get(`/fhir/CarePlan/${contractId}`, token)).headers.etag, 'W/"1"');
      // The patient's own log names the system and its care provider.
      const ownLog = await createAccessLogStore(db, DEVELOPMENT_AUDIT_KEY).listForPatient(w.patientId);
      assert.ok(
        ownLog.some((e) => e.systemName === 'Journal X' && e.providerName !== null),
        JSON.stringify(ownLog),
      );
      // Deactivated: refused at the next request.
      await clients.deactivate(clientId, { hsaId: 'test' });
      assertRefused(await get(`/fhir/CarePlan/${contractId}`, token), 401, 'invalid_token');
    });

    it('narrows a system token to its registered scopes, and refuses an unregistered client', async () => {
      const { w, contractId } = await withActiveContract(app, db);
      const clients = createSmartClientStore(db);
      const clientId = `narrow-${w.providerId}`;
      await clients.register(
        {
          clientId,
          name: 'Journal N',
          providerId: w.providerId,
          scopes: ['system/Patient.rs'],
          corsOrigins: [],
          subscriptionEndpoints: [],
        },
        { hsaId: 'test' },
      );
      const token = await mint(as, { client_id: clientId, scope: 'system/*.rs' });
      assertRefused(await get(`/fhir/CarePlan/${contractId}`, token), 403, 'insufficient_scope');
      assert.equal((await get(`/fhir/Patient/${w.patientId}`, token)).statusCode, 200);
      const unknown = await mint(as, { client_id: 'never-registered', scope: 'system/*.rs' });
      assertRefused(await get(`/fhir/CarePlan/${contractId}`, unknown), 401, 'invalid_token');
    });

    it('takes the bearer alone when a cookie comes with it: its user, and no CSRF token needed', async () => {
      const { w, nurse, contractId } = await withActiveContract(app, db);
      const stranger = await makeWorld(db);
      const res = await get(`/fhir/CarePlan/${contractId}`, await userToken(stranger.nurseId), {
        cookie: nurse.cookie,
      });
      assert.equal(res.statusCode, 404, 'the stranger’s token, not the nurse’s cookie');
      const write = await app.inject({
        method: 'POST',
        url: '/fhir/CareTeam',
        headers: {
          authorization: `Bearer ${await userToken(w.nurseId, { scope: 'user/*.cruds' })}`,
          cookie: nurse.cookie,
          'content-type': 'application/fhir+json',
        },
        payload: {
          resourceType: 'CareTeam',
          subject: { reference: `Patient/${w.patientId}` },
          participant: [
            {
              role: [
                {
                  coding: [
                    {
                      system: 'https://patientkontrakt.se/fhir/CodeSystem/care-contact-role',
                      code: 'behandlande-roll',
                    },
                  ],
                  text: 'Distriktssköterska',
                },
              ],
              member: { reference: `Practitioner/${w.nurseId}` },
              onBehalfOf: { reference: `Organization/${w.unitId}` },
            },
          ],
        },
      });
      assert.notEqual(write.statusCode, 403, write.body);
      assert.ok(write.statusCode < 300, write.body);
    });

    it('answers CORS for registered origins only, and never with *', async () => {
      const w = await makeWorld(db);
      await createSmartClientStore(db).register(
        {
          clientId: `app-${w.providerId}`,
          name: 'App',
          providerId: w.providerId,
          scopes: [],
          corsOrigins: [APP_ORIGIN],
          subscriptionEndpoints: [],
        },
        { hsaId: 'test' },
      );
      const preflight = (origin: string) =>
        app.inject({
          method: 'OPTIONS',
          url: '/fhir/CarePlan',
          headers: {
            origin,
            'access-control-request-method': 'GET',
            'access-control-request-headers': 'authorization',
          },
        });
      const allowed = await preflight(APP_ORIGIN);
      assert.equal(allowed.statusCode, 204);
      assert.equal(allowed.headers['access-control-allow-origin'], APP_ORIGIN);
      assert.match(String(allowed.headers['access-control-allow-headers']), /Authorization/);
      assert.equal(allowed.headers['access-control-allow-credentials'], undefined);
      const refused = await preflight('https://evil.test');
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.headers['access-control-allow-origin'], undefined);
      const read = await app.inject({
        method: 'GET',
        url: '/fhir/metadata',
        headers: { origin: APP_ORIGIN },
      });
      assert.equal(read.headers['access-control-allow-origin'], APP_ORIGIN);
      assert.match(String(read.headers['access-control-expose-headers']), /ETag/);
      const other = await app.inject({
        method: 'GET',
        url: '/fhir/metadata',
        headers: { origin: 'https://evil.test' },
      });
      assert.equal(other.headers['access-control-allow-origin'], undefined);
    });

    it('challenges a request without credentials for the cookie and for a bearer token', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/fhir/CarePlan?patient=00000000-0000-4000-8000-000000000000',
      });
      assert.equal(res.statusCode, 401);
      assert.match(
        String(res.headers['www-authenticate']),
        /^Cookie realm="patientkontrakt".*, Bearer realm="patientkontrakt"$/,
      );
    });

    it('keeps the access-log chain verifiable with the entries of tokens', async () => {
      const result = await verifyAccessLog(
        createAccessLogStore(db, DEVELOPMENT_AUDIT_KEY),
        DEVELOPMENT_AUDIT_KEY,
      );
      assert.deepEqual(result.problems, []);
      const tokens = await db.query<{ n: number }>(
        'select count(*)::int as n from access_log where client_id is not null',
      );
      assert.ok(tokens[0]!.n > 0);
    });
  });
}

describe('FHIR when the authorization server’s keys cannot be fetched', () => {
  let db: Db;
  let app: FastifyInstance;
  before(async () => {
    db = await testEngines[0]!.open();
    const dead = 'http://127.0.0.1:1';
    app = await buildTestApp(db, undefined, {
      SMART_AUTHORIZATION_ISSUER: `${dead}/as`,
      SMART_AUTHORIZATION_ENDPOINT: `${dead}/as/authorize`,
      SMART_TOKEN_ENDPOINT: `${dead}/as/token`,
      SMART_JWKS_URI: `${dead}/jwks`,
      SMART_AUDIENCE: AUDIENCE,
      SMART_JWKS_TIMEOUT_MS: '500',
    });
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  it('answers 503 (try again), not 401: the token may be good', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ client_id: 'app', fhirUser: 'Practitioner/SE2321000000-P1' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer('http://127.0.0.1:1/as')
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(privateKey);
    const res = await app.inject({
      method: 'GET',
      url: '/fhir/Patient/00000000-0000-4000-8000-000000000000',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.statusCode, 503, res.body);
    assert.equal(res.json<Outcome>().issue[0]?.code, 'transient');
  });
});

describe('FHIR without SMART configured', () => {
  let db: Db;
  let app: FastifyInstance;
  before(async () => {
    db = await testEngines[0]!.open();
    const { app: built } = await buildApp({
      db,
      config: readConfig({ NODE_ENV: 'test', RATE_LIMIT: 'off' }),
      auditKey: DEVELOPMENT_AUDIT_KEY,
    });
    app = built;
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  it('answers the discovery URLs 404 as JSON, not the web app', async () => {
    for (const url of ['/.well-known/smart-configuration', '/fhir/.well-known/smart-configuration']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.match(res.json<{ error: { message: string } }>().error.message, /SMART/);
    }
  });

  it('refuses a bearer token with invalid_token, and says so in the CapabilityStatement', async () => {
    const w = await makeWorld(db);
    const nurse = await login(app, { hsaId: w.nurseId });
    const res = await app.inject({
      method: 'GET',
      url: `/fhir/Patient/${w.patientId}`,
      headers: { authorization: 'Bearer abc.def.ghi', cookie: nurse.cookie },
    });
    assert.equal(res.statusCode, 401);
    assert.match(
      String(res.headers['www-authenticate']),
      /^Bearer realm="patientkontrakt", error="invalid_token"/,
    );
    const metadata = (await app.inject({ method: 'GET', url: '/fhir/metadata' })).json<{
      rest: { security: { cors: boolean; service?: unknown } }[];
    }>();
    assert.equal(metadata.rest[0]!.security.cors, false);
    assert.equal(metadata.rest[0]!.security.service, undefined);
  });
});
