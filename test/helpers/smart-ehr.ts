/**
 * A small journal system (EHR) for the SMART launch tests, with a real authorization server:
 *
 * - the authorization server is `oidc-provider` (the certified Node.js implementation) on its
 *   own port, configured for SMART App Launch 2.x: PKCE required, the `launch` and `aud`
 *   parameters (an unknown launch or an `aud` other than the FHIR base is refused), the scopes
 *   `openid fhirUser launch patient/Patient.rs`, the `fhirUser` claim in the ID token, and the
 *   launch context (`patient`, `fhirContext`) in the token response;
 * - the EHR on another port: `/fhir/.well-known/smart-configuration`, a FHIR server holding
 *   Practitioner and Patient resources (read with the access token), and a launch page
 *   (`/ehr/launch?patient=…`) with a link to the app's `/launch?iss=…&launch=…`.
 *
 * The interaction at the authorization server is a form that signs in whichever practitioner the
 * test names (in place of the EHR's own login).
 */
import {
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  type JsonWebKey as JsonWebKeyInput,
} from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/store/db.ts';
import { createEhrSystemStore } from '../../src/store/ehr-system-store.ts';
import { buildTestApp } from './api.ts';

/** HSA-id system (as our FHIR API writes it) and Skatteverket's OIDs, as journal systems send them. */
export const HSA_SYSTEM = 'urn:oid:1.2.752.29.4.19';
export const PERSONNUMMER_OID = 'urn:oid:1.2.752.129.2.1.3.1';

interface Grant {
  addOIDCScope(scope: string): void;
  addResourceScope(resource: string, scope: string): void;
  save(): Promise<string>;
}
interface Interaction {
  prompt: { name: string };
  params: Record<string, unknown>;
  session?: { accountId?: string };
  grantId?: string;
}
interface KoaContext {
  path: string;
  body: unknown;
  oidc?: {
    route?: string;
    params?: Record<string, unknown>;
    entities: { AuthorizationCode?: { jti: string } };
  };
}
interface AccessTokenModel {
  accountId: string;
  isExpired: boolean;
  aud?: string | string[];
  extra?: Record<string, unknown>;
}
interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
  ): Promise<void>;
  Grant: { new (init: { accountId: string; clientId: string }): Grant };
  AccessToken: { find(token: string): Promise<AccessTokenModel | undefined> };
}
type ProviderModule = {
  default: new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;
  errors: { InvalidRequest: new (message: string) => Error };
};

export interface LaunchContext {
  /** The EHR's FHIR id of the patient open in the journal. */
  patient: string;
  /** SMART 2 `fhirContext`, e.g. a unit: `[{ type: 'Organization', identifier: { system, value } }]`. */
  fhirContext?: unknown[];
}

export interface TestEhr {
  /** The EHR's FHIR base URL: what its launches send as `iss`. */
  iss: string;
  /** The EHR's own origin (the launch page). */
  origin: string;
  /** The authorization server's issuer. */
  asIssuer: string;
  clientId: string;
  clientSecret: string;
  /** A practitioner (with an HSA-id, or none) who can sign in; returns the FHIR id and account. */
  addPractitioner(hsaId: string | null): string;
  /** A patient with a personnummer (or none); returns the FHIR id. */
  addPatient(personnummer: string | null): string;
  /** A launch the EHR hands out for the patient open in the journal; returns its `launch` value. */
  newLaunch(context: LaunchContext): string;
  /** The EHR's launch page for a patient, which links to the app's /launch (a new launch each time). */
  launchPageUrl(context: LaunchContext): string;
  /** The app's /launch URL for a launch. */
  appLaunchUrl(launch: string): string;
  /** FHIR reads served (path), for tests that check what the app asked. */
  fhirReads: string[];
  close(): Promise<void>;
}

const listen = async (server: Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

const OIDC_SCOPES = new Set(['openid', 'fhirUser', 'offline_access']);
const RESOURCE_SCOPES = 'launch patient/Patient.rs user/Practitioner.rs';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** How the journal system registers the app, and what it may get wrong on purpose. */
export interface TestEhrOptions {
  /** The app's client authenticates with private_key_jwt and this public key (else client_secret_basic). */
  clientPublicJwk?: JsonWebKeyInput;
  /**
   * `foreign-jwks`: its smart-configuration names a JWKS that did not sign the ID tokens;
   * `wrong-issuer`: it names an issuer that is not the one in the ID tokens.
   */
  tamper?: 'foreign-jwks' | 'wrong-issuer';
}

/**
 * Starts the EHR and its authorization server. `appBase` is the app's origin: its
 * `/launch/callback` is the one registered redirect URI of the EHR's client for the app.
 */
export async function startTestEhr(appBase: string, options: TestEhrOptions = {}): Promise<TestEhr> {
  const specifier: string = 'oidc-provider';
  const { default: Provider, errors } = (await import(specifier)) as ProviderModule;
  const asServer = createServer();
  const ehrServer = createServer();
  const asIssuer = `http://127.0.0.1:${await listen(asServer)}`;
  const origin = `http://127.0.0.1:${await listen(ehrServer)}`;
  const iss = `${origin}/fhir`;
  const clientId = 'patientkontrakt';
  const clientSecret = randomBytes(24).toString('base64url');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreignJwk = {
    ...generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }),
    kid: 'ehr',
    use: 'sig',
    alg: 'RS256',
  };

  const practitioners = new Map<string, Record<string, unknown>>();
  const patients = new Map<string, Record<string, unknown>>();
  const launches = new Map<string, LaunchContext>();
  const launchOfCode = new Map<string, LaunchContext>();
  const fhirReads: string[] = [];

  const provider = new Provider(asIssuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${appBase}/launch/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        ...(options.clientPublicJwk
          ? {
              token_endpoint_auth_method: 'private_key_jwt',
              jwks: { keys: [{ ...options.clientPublicJwk, kid: 'pk-1' }] },
            }
          : { token_endpoint_auth_method: 'client_secret_basic' }),
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'ehr', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], fhirUser: ['fhirUser'] },
    // SMART: fhirUser is in the ID token itself, not only at the UserInfo endpoint.
    conformIdTokenClaims: false,
    extraParams: {
      launch(_ctx: unknown, value: unknown) {
        if (typeof value !== 'string' || !launches.has(value))
          throw new errors.InvalidRequest('unknown launch');
      },
      aud(_ctx: unknown, value: unknown) {
        if (value !== iss) throw new errors.InvalidRequest('aud must be the FHIR server of this EHR');
      },
    },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => iss,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== iss) throw new errors.InvalidRequest('unknown resource');
          return { scope: RESOURCE_SCOPES, audience: iss, accessTokenFormat: 'opaque' };
        },
      },
    },
    ttl: {
      AccessToken: 600,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
      AuthorizationCode: 60,
    },
    renderError: (ctx: { type: string; body: unknown }, out: Record<string, string>) => {
      ctx.type = 'json';
      ctx.body = out;
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, sub: string) =>
      practitioners.has(sub)
        ? { accountId: sub, claims: () => ({ sub, fhirUser: `${iss}/Practitioner/${sub}` }) }
        : undefined,
  });

  // The launch context travels with the authorization code to the token response (SMART:
  // `patient`, `fhirContext` beside the access token).
  provider.use(async (ctx, next) => {
    await next();
    const route = ctx.oidc?.route;
    const code = ctx.oidc?.entities.AuthorizationCode;
    if (!code) return;
    if (route === 'authorization' || route === 'resume') {
      const launch = ctx.oidc?.params?.launch;
      const context = typeof launch === 'string' ? launches.get(launch) : undefined;
      if (context) launchOfCode.set(code.jti, context);
    } else if (route === 'token' && ctx.body && typeof ctx.body === 'object') {
      const context = launchOfCode.get(code.jti);
      if (context) {
        Object.assign(ctx.body as Record<string, unknown>, {
          patient: context.patient,
          ...(context.fhirContext ? { fhirContext: context.fhirContext } : {}),
        });
      }
    }
  });
  const handle = provider.callback();

  // The EHR's login: a form that names the practitioner; it signs in and grants what was asked.
  const interact = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const details = await provider.interactionDetails(req, res);
    if (req.method !== 'POST') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Journalsystemets inloggning</title></head>
<body><main><h1>Journalsystemets inloggning</h1>
<form method="post"><label for="account">Användare</label> <input id="account" name="account">
<button type="submit">Logga in</button></form></main></body></html>`);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const account = new URLSearchParams(Buffer.concat(chunks).toString()).get('account') ?? '';
    if (!practitioners.has(account)) {
      await provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: 'unknown user',
      });
      return;
    }
    const accountId = details.session?.accountId ?? account;
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    const scope = details.params.scope;
    const requested = typeof scope === 'string' ? scope.split(' ') : [];
    grant.addOIDCScope(requested.filter((s) => OIDC_SCOPES.has(s)).join(' '));
    grant.addResourceScope(iss, requested.filter((s) => !OIDC_SCOPES.has(s)).join(' '));
    await provider.interactionFinished(req, res, {
      login: { accountId },
      consent: { grantId: await grant.save() },
    });
  };

  asServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      interact(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      });
      return;
    }
    handle(req, res);
  });

  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/fhir+json' }).end(JSON.stringify(body));

  const newLaunch = (context: LaunchContext): string => {
    const launch = randomUUID();
    launches.set(launch, context);
    return launch;
  };
  const appLaunchUrl = (launch: string): string =>
    `${appBase}/launch?${new URLSearchParams({ iss, launch }).toString()}`;

  const serveEhr = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/fhir/.well-known/smart-configuration') {
      json(res, 200, {
        issuer: options.tamper === 'wrong-issuer' ? `${origin}/as` : asIssuer,
        jwks_uri: options.tamper === 'foreign-jwks' ? `${origin}/foreign-jwks` : `${asIssuer}/jwks`,
        authorization_endpoint: `${asIssuer}/auth`,
        token_endpoint: `${asIssuer}/token`,
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'],
        grant_types_supported: ['authorization_code'],
        scopes_supported: ['openid', 'fhirUser', 'launch', 'patient/Patient.rs'],
        response_types_supported: ['code'],
        capabilities: [
          'launch-ehr',
          'client-confidential-symmetric',
          'sso-openid-connect',
          'context-ehr-patient',
          'permission-v2',
        ],
        code_challenge_methods_supported: ['S256'],
      });
      return;
    }
    if (url.pathname === '/foreign-jwks') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [foreignJwk] }));
      return;
    }
    if (url.pathname === '/ehr/launch') {
      const context: LaunchContext = { patient: url.searchParams.get('patient') ?? '' };
      const unit = url.searchParams.get('unit');
      if (unit)
        context.fhirContext = [{ type: 'Organization', identifier: { system: HSA_SYSTEM, value: unit } }];
      const href = appLaunchUrl(newLaunch(context));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Journalen</title></head>
<body><main><h1>Journalen</h1><p>Patient ${escapeHtml(context.patient)}</p>
<p><a id="open-pk" href="${escapeHtml(href)}">Öppna Patientkontrakt</a></p></main></body></html>`);
      return;
    }
    const read = /^\/fhir\/(Patient|Practitioner)\/([A-Za-z0-9.-]+)$/.exec(url.pathname);
    if (read) {
      fhirReads.push(url.pathname);
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const token = bearer ? await provider.AccessToken.find(bearer) : undefined;
      if (!token || token.isExpired) {
        json(res, 401, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
        return;
      }
      const resource = (read[1] === 'Patient' ? patients : practitioners).get(read[2]!);
      if (!resource) {
        json(res, 404, {
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: 'not-found' }],
        });
        return;
      }
      json(res, 200, resource);
      return;
    }
    res.writeHead(404).end();
  };
  ehrServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    serveEhr(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });

  const close = (server: Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });

  return {
    iss,
    origin,
    asIssuer,
    clientId,
    clientSecret,
    fhirReads,
    addPractitioner(hsaId) {
      const id = `pr-${randomBytes(6).toString('hex')}`;
      practitioners.set(id, {
        resourceType: 'Practitioner',
        id,
        identifier: hsaId ? [{ system: HSA_SYSTEM, value: hsaId }] : [],
        name: [{ family: 'Läkare', given: ['Test'] }],
      });
      return id;
    },
    addPatient(personnummer) {
      const id = `pat-${randomBytes(6).toString('hex')}`;
      patients.set(id, {
        resourceType: 'Patient',
        id,
        identifier: personnummer ? [{ system: PERSONNUMMER_OID, value: personnummer }] : [],
      });
      return id;
    },
    newLaunch,
    launchPageUrl(context) {
      const query = new URLSearchParams({ patient: context.patient });
      const unit = (context.fhirContext?.[0] as { identifier?: { value?: string } } | undefined)?.identifier
        ?.value;
      if (unit) query.set('unit', unit);
      return `${origin}/ehr/launch?${query.toString()}`;
    },
    appLaunchUrl,
    async close() {
      await close(asServer);
      await close(ehrServer);
    },
  };
}

/** A journal system as our registry holds it: its id, name and the secret's `SMART_SECRET_<secretRef>`. */
export interface TestEhrSystem {
  id: string;
  name: string;
  secretRef: string;
}

/** Registers a test EHR as one of our journal systems (client_secret_basic). */
export async function registerTestEhr(db: Db, ehr: TestEhr, system: TestEhrSystem): Promise<void> {
  await createEhrSystemStore(db).upsert(
    {
      id: system.id,
      name: system.name,
      iss: ehr.iss,
      clientId: ehr.clientId,
      clientAuth: 'client_secret_basic',
      secretRef: system.secretRef,
      keyId: null,
    },
    { hsaId: 'test' },
  );
}

/** Our app on a local port with one test EHR registered as a journal system that may launch it. */
export interface LaunchApp {
  app: FastifyInstance;
  server: Server;
  appBase: string;
  ehr: TestEhr;
  close(): Promise<void>;
}

export async function startLaunchApp(db: Db, system: TestEhrSystem): Promise<LaunchApp> {
  const server = createServer();
  const appBase = `http://127.0.0.1:${await listen(server)}`;
  const ehr = await startTestEhr(appBase);
  const app = await buildTestApp(db, undefined, {
    SMART_LAUNCH_REDIRECT_URI: `${appBase}/launch/callback`,
    [`SMART_SECRET_${system.secretRef}`]: ehr.clientSecret,
  });
  server.on('request', (req, res) => app.routing(req, res));
  await registerTestEhr(db, ehr, system);
  return {
    app,
    server,
    appBase,
    ehr,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await app.close();
      await ehr.close();
    },
  };
}
