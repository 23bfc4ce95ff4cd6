/**
 * A registered SMART client (`smart_client`, migration 023): a system integration or a browser
 * app, registered by a systemförvaltare for ONE care provider (docs/fhir.md, "Registering a
 * client"). The registration caps what the client's tokens are honoured for, names the origins
 * whose browsers may call /fhir (CORS) and the endpoints a Subscription may later deliver to.
 */
import { DomainError } from './errors.ts';
import { parseScope } from './smart-scope.ts';

export interface SmartClient {
  clientId: string;
  name: string;
  /** HSA-id of the care provider the client acts for. */
  providerId: string;
  /** The most its tokens are honoured for (SMART scopes); a token's own scopes are narrowed to these. */
  scopes: string[];
  /** Exact origins (`https://app.example.se`) whose browsers may call /fhir. */
  corsOrigins: string[];
  /** https endpoints a Subscription may deliver to. */
  subscriptionEndpoints: string[];
  isActive: boolean;
}

export type SmartClientRegistration = Omit<SmartClient, 'isActive'>;

const CLIENT_ID = /^[\x21-\x7e]{1,200}$/;

function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** `https://host[:port]` exactly (http only on a loopback address), as browsers send Origin. */
export function isOriginForm(origin: string): boolean {
  if (!URL.canParse(origin)) return false;
  const url = new URL(origin);
  const isSecure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url));
  return isSecure && url.origin === origin;
}

/**
 * Checks a registration; throws `invalid_input` naming each field that is wrong. Scopes must be
 * resource scopes we honour (`system/…` for a backend service, `user/`/`patient/` for an app).
 */
export function checkRegistration(client: SmartClientRegistration): SmartClientRegistration {
  const problems: { path: string; message: string }[] = [];
  if (!CLIENT_ID.test(client.clientId))
    problems.push({ path: 'clientId', message: 'client_id: 1–200 synliga tecken, utan mellanslag.' });
  if (client.name.trim() === '' || client.name.length > 200)
    problems.push({ path: 'name', message: 'Namnet ska ha 1–200 tecken.' });
  for (const scope of client.scopes)
    if (parseScope(scope) === null)
      problems.push({ path: 'scopes', message: `${scope} är inget resursscope (t.ex. system/CarePlan.rs).` });
  for (const origin of client.corsOrigins)
    if (!isOriginForm(origin))
      problems.push({
        path: 'corsOrigins',
        message: `${origin} är ingen origin (https://värd[:port], utan sökväg).`,
      });
  for (const endpoint of client.subscriptionEndpoints) {
    const url = URL.canParse(endpoint) ? new URL(endpoint) : null;
    if (url === null || url.protocol !== 'https:')
      problems.push({ path: 'subscriptionEndpoints', message: `${endpoint} ska vara en https-adress.` });
  }
  if (problems.length > 0) throw new DomainError('invalid_input', problems[0]!.message, problems);
  return { ...client, name: client.name.trim() };
}
