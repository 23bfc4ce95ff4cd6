/**
 * A real OpenID Connect provider for the login tests: `oidc-provider` (the certified Node.js
 * implementation) on 127.0.0.1 with a random port, PKCE required, and a minimal interaction
 * handler that signs in whichever account the test names (in place of SITHS or BankID).
 *
 * `browser()` is a tiny user agent: plain `fetch` with `redirect: 'manual'` and a cookie jar,
 * so that every redirect of the flow is visible to the test.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The part of oidc-provider's API the helper uses (the package ships no type declarations). */
interface Grant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  save(): Promise<string>;
}
interface Interaction {
  prompt: { name: string; details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[] } };
  params: Record<string, unknown>;
  session?: { accountId?: string };
  grantId?: string;
}
interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    options?: { mergeWithLastSubmission: boolean },
  ): Promise<void>;
  Grant: { new (init: { accountId: string; clientId: string }): Grant; find(id: string): Promise<Grant> };
}
type ProviderClass = new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;

export interface TestClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface TestIdp {
  issuer: string;
  /** One confidential client per redirect URI given to `startTestIdp`, in that order. */
  clients: TestClient[];
  /** Adds (or replaces) an account; `claims` are released with the `openid` scope. */
  setAccount(accountId: string, claims: Record<string, string>): void;
  close(): Promise<void>;
}

/** Claims the provider can release; the tests configure the app with these names. */
export const STAFF_CLAIM = 'employeeHsaId';
export const PATIENT_CLAIM = 'https://id.oidc.se/claim/personalIdentityNumber';

const listen = async (server: Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

/**
 * Starts a provider with one confidential client (client_secret_basic) per redirect URI, each
 * registered with exactly that one URI.
 */
export async function startTestIdp(redirectUris: readonly string[]): Promise<TestIdp> {
  // oidc-provider has no type declarations; a string specifier keeps the import typed by hand.
  const specifier: string = 'oidc-provider';
  const { default: Provider } = (await import(specifier)) as { default: ProviderClass };
  const server = createServer();
  const port = await listen(server);
  const issuer = `http://127.0.0.1:${port}`;
  const accounts = new Map<string, Record<string, string>>();
  const clients: TestClient[] = redirectUris.map((redirectUri, i) => ({
    clientId: `client-${i + 1}`,
    clientSecret: randomBytes(24).toString('base64url'),
    redirectUri,
  }));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: [c.redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    claims: { openid: ['sub', STAFF_CLAIM, PATIENT_CLAIM] },
    features: { devInteractions: { enabled: false } },
    ttl: { AccessToken: 600, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    renderError: (ctx: { type: string; body: unknown }, out: Record<string, string>) => {
      ctx.type = 'json';
      ctx.body = out;
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, sub: string) => {
      const claims = accounts.get(sub);
      return claims ? { accountId: sub, claims: () => ({ sub, ...claims }) } : undefined;
    },
  });
  const handle = provider.callback();

  // The interaction: POST /interaction/:uid with `account=<id>` signs that account in and grants
  // what the client asked for. The provider does everything else (and checks everything else).
  const interact = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const details = await provider.interactionDetails(req, res);
    if (req.method !== 'POST') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(details.prompt));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const account = new URLSearchParams(Buffer.concat(chunks).toString()).get('account') ?? '';
    if (account === '') {
      // The user cancels at the provider.
      const error = { error: 'access_denied', error_description: 'End-User aborted interaction' };
      await provider.interactionFinished(req, res, error, { mergeWithLastSubmission: false });
      return;
    }
    if (details.prompt.name === 'login') {
      await provider.interactionFinished(req, res, { login: { accountId: account } });
      return;
    }
    const accountId = details.session?.accountId ?? account;
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    const { missingOIDCScope, missingOIDCClaims } = details.prompt.details;
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } });
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      interact(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      });
      return;
    }
    handle(req, res);
  });

  return {
    issuer,
    clients,
    setAccount(accountId, claims) {
      accounts.set(accountId, claims);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A user agent with a cookie jar that follows nothing by itself. */
export interface Browser {
  /** One request; cookies from the jar are sent and Set-Cookie headers stored. */
  request(
    url: string | URL,
    init?: { method?: string; body?: string; headers?: Record<string, string> },
  ): Promise<Response>;
  cookie(name: string): string | undefined;
  setCookie(name: string, value: string): void;
}

export function browser(): Browser {
  const jar = new Map<string, string>();
  return {
    async request(url, init = {}) {
      const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const res = await fetch(url, {
        method: init.method ?? 'GET',
        redirect: 'manual',
        headers: { ...(cookie ? { cookie } : {}), ...init.headers },
        ...(init.body === undefined ? {} : { body: init.body }),
      });
      for (const line of res.headers.getSetCookie()) {
        const [pair = '', ...attributes] = line.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        const expired = attributes.some(
          (a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a),
        );
        if (expired || value === '') jar.delete(name);
        else jar.set(name, value);
      }
      return res;
    },
    cookie: (name) => jar.get(name),
    setCookie: (name, value) => void jar.set(name, value),
  };
}

/**
 * Drives a browser from the authorization URL through the provider's interactions, signing in
 * `accountId` (or cancelling, with null), until the provider redirects away from itself, back to
 * the client. Returns that callback URL.
 */
export async function authorizeAt(
  b: Browser,
  authorizationUrl: string,
  accountId: string | null,
): Promise<URL> {
  let url = new URL(authorizationUrl);
  for (let hops = 0; hops < 12; hops++) {
    const isInteraction = url.pathname.startsWith('/interaction/');
    const res = await b.request(
      url,
      isInteraction
        ? {
            method: 'POST',
            body: new URLSearchParams({ account: accountId ?? '' }).toString(),
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }
        : {},
    );
    const location = res.headers.get('location');
    if (!location)
      throw new Error(`the provider stopped at ${url.pathname}: ${res.status} ${await res.text()}`);
    const next = new URL(location, url);
    if (next.origin !== url.origin || !next.pathname.match(/^\/(interaction|auth)\//)) return next;
    url = next;
  }
  throw new Error('too many redirects at the provider');
}
