import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { contactTypes, defaultContinuitySettings, type ContinuitySettings } from './domain/continuity.ts';
import { DEFAULT_MIN_CELL } from './domain/followup.ts';
import { DEFAULT_LAUNCH_SCOPE } from './domain/ehr-launch.ts';
import { parsePhysicianRates, type PhysicianRates } from './domain/mobile-team-followup.ts';

/** Settings, all from environment variables. The README lists every one. */
export interface Config {
  port: number;
  host: string;
  /** postgres://… — run on a PostgreSQL server instead of the embedded PGlite. */
  databaseUrl: string | undefined;
  /** Folder of the embedded PGlite database. */
  dataDir: string;
  /**
   * DATABASE_POOL_SIZE: connections to PostgreSQL per server process; default four per core of
   * this machine, at most 20 (8 on two cores). Connections beyond what the cores can run only
   * take turns, at a cost (on two cores, 8 connections instead of 20 took 0.6-0.9 times the CPU
   * per request in `npm run bench` at 16 and 64 clients).
   */
  databasePoolSize: number;
  /**
   * Bounds on waiting for PostgreSQL, in milliseconds, 0 = none: DATABASE_CONNECT_TIMEOUT_MS
   * (5000: a connection, or a free one in the pool), DATABASE_STATEMENT_TIMEOUT_MS (30000: one
   * statement; imports, the follow-up report, migrations and the seeder run without it) and
   * DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS (60000).
   */
  databaseTimeouts: { connectMs: number; statementMs: number; idleInTransactionMs: number };
  /** DATABASE_START_WAIT_SECONDS (60): how long a start retries an unreachable database before it gives up. */
  databaseStartWaitSeconds: number;
  /** HEALTH_TIMEOUT_MS (2000): /api/health answers 503 when the database has not answered by then. */
  healthTimeoutMs: number;
  /**
   * SHUTDOWN_GRACE_SECONDS (10): on SIGTERM/SIGINT, how long requests in flight may take to finish
   * before their connections are closed.
   */
  shutdownGraceSeconds: number;
  isProduction: boolean;
  /** Seed the demo region on first start when the database is empty. */
  seedDemo: boolean;
  demoPatients: number;
  session: { idleSeconds: number; absoluteSeconds: number; secureCookie: boolean };
  logLevel: string;
  /** HMAC key of the access-log chain; kept outside the database (see README). */
  auditKey: string | undefined;
  /**
   * EMERGENCY_TOKEN_KEY: key of the emergency-access confirmation (≥ 32 characters); unset, it is
   * derived from AUDIT_KEY (services/audit-key.ts), never AUDIT_KEY itself.
   */
  emergencyTokenKey: string | undefined;
  /**
   * Checkpoints of the access-log chain outside the database (services/audit-checkpoint.ts):
   * AUDIT_CHECKPOINT_FILE, default `audit-checkpoints.jsonl` beside DATA_DIR on PGlite and none on
   * PostgreSQL (`off`: none); AUDIT_CHECKPOINT_SECONDS between two (60), and one at shutdown.
   */
  auditCheckpoint: { file: string | undefined; intervalSeconds: number };
  /**
   * ACCESS_LOG_RETENTION_YEARS (5): how many years access-log entries stay in the live log before
   * `npm run audit:archive` may move them, month by month, to the archive (where they are kept,
   * verifiable and visible). HSLF-FS 2016:40 asks for at least five: a smaller value is refused.
   */
  accessLogRetentionYears: number;
  /**
   * METRICS_TOKEN: the bearer token `GET /metrics` asks for (at least 32 characters); unset, the
   * route answers 404.
   */
  metricsToken: string | undefined;
  /**
   * METRICS_PORT: with WORKERS > 1, the port where the primary process answers `GET /metrics`
   * with the sum of every worker's metrics (the same bearer token); unset, none.
   */
  metricsPort: number | undefined;
  /** How long an emergency access (nödåtkomst) stays open. */
  emergencyMinutes: number;
  /** OpenID Connect login per audience; null when that issuer is not configured. */
  oidc: { staff: OidcIssuerConfig | null; patient: OidcIssuerConfig | null };
  /** PUBLIC_BASE_URL: the address browsers use; Origin headers must match it (default: own host). */
  publicBaseUrl: string | undefined;
  /** Our FHIR API as a SMART resource server (docs/fhir.md, "Bearer tokens"); null: cookie only. */
  smart: SmartResourceServerConfig | null;
  /**
   * SMART App Launch from the journal systems of the region's registry (docs/fhir.md):
   * SMART_LAUNCH_REDIRECT_URI, the exact callback registered at every journal system's
   * authorization server (default: PUBLIC_BASE_URL + /launch/callback; neither set: launch is off);
   * SMART_LAUNCH_SCOPE (default "openid fhirUser launch patient/Patient.rs"); and every
   * SMART_SECRET_<REF>, the client secret or PKCS#8 private key a registration names by <REF>.
   */
  smartLaunch: { redirectUri: string | undefined; scope: string; secrets: Readonly<Record<string, string>> };
  /**
   * WORKERS: server processes sharing the port (node:cluster), default 1. More than one needs
   * PostgreSQL; live updates then travel between the processes by LISTEN/NOTIFY
   * (store/change-bus.ts), and each process counts 1/WORKERS of every rate limit.
   */
  workers: number;
  /** TRUST_PROXY: behind a reverse proxy, take the client's address from X-Forwarded-For (per-IP limits, logs). */
  trustProxy: boolean;
  /** SESSION_SECRET: key of the CSRF tokens (≥ 32 characters); random at each start when unset. */
  sessionSecret: string | undefined;
  /**
   * Requests per minute (src/api/security-plugin.ts): RATE_LIMIT_USER_PER_MIN (600),
   * RATE_LIMIT_IP_PER_MIN (1200), RATE_LIMIT_LOGIN_PER_MIN (30, logins and OIDC callbacks per
   * IP); 0 turns one off, RATE_LIMIT=off all of them (benchmarks).
   */
  rateLimit: { enabled: boolean; userPerMinute: number; ipPerMinute: number; loginPerMinute: number };
  /**
   * Follow-up: which visits the continuity index counts (FOLLOWUP_WINDOW_MONTHS 18,
   * FOLLOWUP_MIN_VISITS 3, FOLLOWUP_PROFESSIONS lakare, FOLLOWUP_CONTACT_TYPES besok,hembesok,video,
   * FOLLOWUP_UNIT_KINDS vardcentral) and FOLLOWUP_MIN_CELL (5): fewer patients are not shown.
   */
  /**
   * Follow-up; FOLLOWUP_PHYSICIAN_RATES (`mest-sjuka=1,tidvis-sviktande=0.5`): physician posts per
   * 100 patients enrolled in mobile care teams, per target group, which the region sets.
   */
  followup: { continuity: ContinuitySettings; minCell: number; physicianRates: PhysicianRates };
  /**
   * IMPORT_MAX_BYTES: the largest file `POST /api/imports/…` takes (default 256 MiB, about four
   * million visits); larger ones through `npm run import`, which has no limit (docs/imports.md).
   */
  importMaxBytes: number;
  /**
   * The population register a registration reads (services/person-register.ts, docs/operations.md):
   * unset PERSON_SERVICE_URL, the imported register; set, the national person service
   * (Personuppgiftstjänsten, GetPersonsForProfile) at that https URL, over mutual TLS with
   * PERSON_SERVICE_CERT and PERSON_SERVICE_KEY (the function certificate and its key) and
   * PERSON_SERVICE_CA (the CA of the service's certificate; default: Node's list), each a PEM file's
   * path or the PEM itself; PERSON_SERVICE_LOGICAL_ADDRESS (the service platform's logical address,
   * required with the URL), PERSON_SERVICE_PROFILE (P1) and PERSON_SERVICE_TIMEOUT_MS (5000).
   */
  personService:
    | {
        /** The service's endpoint (https). */
        url: string;
        /** PEM: the client (function) certificate, its key, and the CA that signed the service's certificate. */
        cert: string;
        key: string;
        ca: string | undefined;
        /** The service platform's logical address of the person service (the region's agreement says). */
        logicalAddress: string;
        /** The profile asked for: P1 gives name, address and the markers (the default). */
        profile: string;
        /** How long one lookup may take before it counts as unavailable. */
        timeoutMs: number;
      }
    | undefined;
  /**
   * RESERVNUMMER_PREFIX: the two capital letters of the reservnummer the product issues (PK), then
   * ten digits; the region's format (docs/operations.md).
   */
  reservnummerPrefix: string;
  /**
   * Mobile care teams: REGIONAL_ON_CALL_PHONE and REGIONAL_ON_CALL_LABEL (the number an SBAR falls
   * back to when no team physician, fast läkarkontakt or listed vårdcentral answers now),
   * ESCALATION_BACKUP_MINUTES (10: an unanswered escalation then goes to the team's backup and is
   * flagged), ESCALATION_CHECK_MS (15000: how often that is looked for) and ESCALATION_WEBHOOK_URL
   * (unset: none; a POST without patient data that can wake a physician).
   */
  mobileCare: {
    regionalOnCall: { phone: string; label: string };
    backupMinutes: number;
    checkMs: number;
    webhookUrl: string | undefined;
  };
  /**
   * FHIR Subscription deliveries (docs/fhir.md, "Subscribing to plan changes"):
   * SUBSCRIPTION_MAX_ATTEMPTS (8: attempts before a delivery fails and the subscription is
   * `error`), SUBSCRIPTION_RETRY_FIRST_MS (30000: the wait after the first failure, doubling),
   * SUBSCRIPTION_RETRY_MAX_MS (3600000: the longest wait), SUBSCRIPTION_CHECK_MS (15000: how often
   * the queue is looked at), SUBSCRIPTION_TIMEOUT_MS (10000: one POST) and SUBSCRIPTION_CA (a PEM
   * file of certificates trusted beside the system's roots for the receivers; unset: the roots only).
   */
  subscriptions: {
    maxAttempts: number;
    firstDelayMs: number;
    maxDelayMs: number;
    checkMs: number;
    timeoutMs: number;
    ca: string | undefined;
  };
  /**
   * REGION_MUNICIPALITIES: the region's municipalities (kommunkoder, four digits, comma-separated).
   * A patient whose register address lies in another municipality has moved out of the region
   * (services/person-status-service.ts); unset, only the register's move-out day counts.
   */
  regionMunicipalities: string[];
}

function readFollowup(env: NodeJS.ProcessEnv): Config['followup'] {
  const d = defaultContinuitySettings;
  const list = (value: string | undefined, fallback: readonly string[]): string[] =>
    value
      ? value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
      : [...fallback];
  const types = list(env.FOLLOWUP_CONTACT_TYPES, d.contactTypes);
  const unknown = types.filter((t) => !(contactTypes as readonly string[]).includes(t));
  if (unknown.length > 0)
    throw new Error(`FOLLOWUP_CONTACT_TYPES: unknown ${unknown.join(', ')} (${contactTypes.join(', ')})`);
  // Professions and unit kinds are codes (lakare, vardcentral …): a plain word each.
  const words = (name: string, fallback: readonly string[]): string[] => {
    const values = list(env[name], fallback);
    const odd = values.filter((v) => !/^[\p{L}\p{N}_-]+$/u.test(v));
    if (odd.length > 0) throw new Error(`${name}: not a code: ${odd.join(', ')} (letters, digits, - and _)`);
    return values;
  };
  return {
    continuity: {
      windowMonths: Math.max(1, int(env.FOLLOWUP_WINDOW_MONTHS, d.windowMonths)),
      minVisits: Math.max(2, int(env.FOLLOWUP_MIN_VISITS, d.minVisits)),
      professions: words('FOLLOWUP_PROFESSIONS', d.professions),
      contactTypes: types as ContinuitySettings['contactTypes'][number][],
      unitKinds: words('FOLLOWUP_UNIT_KINDS', d.unitKinds),
    },
    minCell: Math.max(1, int(env.FOLLOWUP_MIN_CELL, DEFAULT_MIN_CELL)),
    physicianRates: physicianRatesOf(env.FOLLOWUP_PHYSICIAN_RATES),
  };
}

function physicianRatesOf(value: string | undefined): PhysicianRates {
  try {
    return parsePhysicianRates(value);
  } catch (error) {
    throw new Error(`FOLLOWUP_PHYSICIAN_RATES: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * OpenID Connect login (security.md 13): authorization code + PKCE S256. Each issuer is
 * configured on its own; with an issuer configured (or NODE_ENV=production) the development
 * login is refused.
 *
 * Staff (SITHS through an OIDC provider such as Inera IdP):
 *   OIDC_STAFF_ISSUER         issuer URL (discovery: <issuer>/.well-known/openid-configuration)
 *   OIDC_STAFF_CLIENT_ID      client id at the provider (required with the issuer)
 *   OIDC_STAFF_CLIENT_SECRET  client secret, sent as client_secret_basic; unset = public client
 *   OIDC_STAFF_REDIRECT_URI   the exact callback URL registered at the provider (required),
 *                             e.g. https://pk.example.se/auth/staff/callback
 *   OIDC_STAFF_SCOPE          scopes to request; default "openid"
 *   OIDC_STAFF_HSA_CLAIM      claim holding the HSA-id; default "employeeHsaId" (Inera IdP)
 * Patients (BankID/Freja through an OIDC provider):
 *   OIDC_PATIENT_ISSUER, OIDC_PATIENT_CLIENT_ID, OIDC_PATIENT_CLIENT_SECRET and
 *   OIDC_PATIENT_REDIRECT_URI (e.g. https://pk.example.se/auth/patient/callback) as above
 *   OIDC_PATIENT_SCOPE        default "openid https://id.oidc.se/scope/naturalPersonNumber"
 *   OIDC_PATIENT_PNR_CLAIM    claim holding the personnummer; default
 *                             "https://id.oidc.se/claim/personalIdentityNumber" (Swedish OIDC profile)
 * A plain-http issuer is accepted only on a loopback address (local providers and tests).
 */
export interface OidcIssuerConfig {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  redirectUri: string;
  scope: string;
  /** The claim that names the user: the HSA-id for staff, the personnummer for patients. */
  claim: string;
}

function readOidcIssuer(
  env: NodeJS.ProcessEnv,
  prefix: 'OIDC_STAFF' | 'OIDC_PATIENT',
  claimVariable: string,
  defaults: { scope: string; claim: string },
): OidcIssuerConfig | null {
  const issuer = env[`${prefix}_ISSUER`];
  if (!issuer) return null;
  const clientId = env[`${prefix}_CLIENT_ID`];
  const redirectUri = env[`${prefix}_REDIRECT_URI`] ?? '';
  if (!clientId || !redirectUri) {
    throw new Error(
      `${prefix}_ISSUER is set: ${prefix}_CLIENT_ID and ${prefix}_REDIRECT_URI are required too.`,
    );
  }
  if (!URL.canParse(issuer)) throw new Error(`${prefix}_ISSUER is not an absolute URL.`);
  if (!URL.canParse(redirectUri) || /[?#]/.test(redirectUri)) {
    throw new Error(`${prefix}_REDIRECT_URI must be an absolute URL without query or fragment.`);
  }
  return {
    issuer,
    clientId,
    clientSecret: env[`${prefix}_CLIENT_SECRET`] || undefined,
    redirectUri,
    scope: env[`${prefix}_SCOPE`] || defaults.scope,
    claim: env[claimVariable] || defaults.claim,
  };
}

/** The least the law allows: HSLF-FS 2016:40 (journal and access-log records, five years). */
export const MIN_ACCESS_LOG_RETENTION_YEARS = 5;

function retentionYearsOf(value: string | undefined): number {
  if (value === undefined || value === '') return MIN_ACCESS_LOG_RETENTION_YEARS;
  const years = Number(value);
  if (!Number.isInteger(years) || years < MIN_ACCESS_LOG_RETENTION_YEARS)
    throw new Error(
      `ACCESS_LOG_RETENTION_YEARS must be a whole number of at least ${MIN_ACCESS_LOG_RETENTION_YEARS} (HSLF-FS 2016:40 keeps the access log five years); got "${value}".`,
    );
  return years;
}

function metricsTokenOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < 32) throw new Error('METRICS_TOKEN must be at least 32 characters.');
  return value;
}

function readSmartLaunch(env: NodeJS.ProcessEnv): Config['smartLaunch'] {
  const base = env.PUBLIC_BASE_URL?.replace(/\/+$/, '');
  const redirectUri = env.SMART_LAUNCH_REDIRECT_URI || (base ? `${base}/launch/callback` : undefined);
  if (redirectUri !== undefined && (!URL.canParse(redirectUri) || /[?#]/.test(redirectUri))) {
    throw new Error('SMART_LAUNCH_REDIRECT_URI must be an absolute URL without query or fragment.');
  }
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('SMART_SECRET_') && value) secrets[name.slice('SMART_SECRET_'.length)] = value;
  }
  return {
    redirectUri,
    scope: env.SMART_LAUNCH_SCOPE || DEFAULT_LAUNCH_SCOPE,
    secrets,
  };
}

/**
 * Our FHIR API as a resource server of the region's authorization server (SMART App Launch 2.x,
 * backend services). Bearer tokens are accepted on /fhir only when SMART_AUTHORIZATION_ISSUER is
 * set; then all of these describe that server (served at /.well-known/smart-configuration):
 *   SMART_AUTHORIZATION_ISSUER     the `iss` of its access tokens (required)
 *   SMART_AUTHORIZATION_ENDPOINT   its authorize URL (required)
 *   SMART_TOKEN_ENDPOINT           its token URL (required)
 *   SMART_JWKS_URI                 the keys its tokens are signed with (required)
 *   SMART_AUDIENCE                 the `aud` our tokens must carry; default <PUBLIC_BASE_URL>/fhir
 *                                  (required when PUBLIC_BASE_URL is unset)
 *   SMART_REVOCATION_ENDPOINT, SMART_INTROSPECTION_ENDPOINT, SMART_MANAGEMENT_ENDPOINT  optional
 *   SMART_USER_CLAIM               the claim naming the user (default fhirUser: Practitioner/<HSA-id>)
 *   SMART_JWKS_TIMEOUT_MS          how long a JWKS fetch may take (5000)
 * URLs must be https, except on a loopback address (local servers and tests).
 */
export interface SmartResourceServerConfig {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  audience: string;
  revocationEndpoint: string | undefined;
  introspectionEndpoint: string | undefined;
  managementEndpoint: string | undefined;
  userClaim: string;
  jwksTimeoutMs: number;
}

function smartUrl(env: NodeJS.ProcessEnv, name: string, required: boolean): string | undefined {
  const value = env[name] || undefined;
  if (value === undefined) {
    if (required) throw new Error(`SMART_AUTHORIZATION_ISSUER is set: ${name} is required too.`);
    return undefined;
  }
  const url = URL.canParse(value) ? new URL(value) : null;
  const isLoopback = url !== null && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url === null || (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback))) {
    throw new Error(`${name} must be an absolute https URL (http only on a loopback address).`);
  }
  return value;
}

function readSmart(env: NodeJS.ProcessEnv): SmartResourceServerConfig | null {
  if (!env.SMART_AUTHORIZATION_ISSUER) return null;
  const base = env.PUBLIC_BASE_URL ? env.PUBLIC_BASE_URL.replace(/\/+$/, '') : undefined;
  const audience = env.SMART_AUDIENCE || (base ? `${base}/fhir` : undefined);
  if (!audience)
    throw new Error('SMART_AUTHORIZATION_ISSUER is set: SMART_AUDIENCE (or PUBLIC_BASE_URL) is required.');
  return {
    issuer: smartUrl(env, 'SMART_AUTHORIZATION_ISSUER', true)!,
    authorizationEndpoint: smartUrl(env, 'SMART_AUTHORIZATION_ENDPOINT', true)!,
    tokenEndpoint: smartUrl(env, 'SMART_TOKEN_ENDPOINT', true)!,
    jwksUri: smartUrl(env, 'SMART_JWKS_URI', true)!,
    audience,
    revocationEndpoint: smartUrl(env, 'SMART_REVOCATION_ENDPOINT', false),
    introspectionEndpoint: smartUrl(env, 'SMART_INTROSPECTION_ENDPOINT', false),
    managementEndpoint: smartUrl(env, 'SMART_MANAGEMENT_ENDPOINT', false),
    userClaim: env.SMART_USER_CLAIM || 'fhirUser',
    jwksTimeoutMs: Math.max(100, int(env.SMART_JWKS_TIMEOUT_MS, 5000)),
  };
}

const int = (value: string | undefined, fallback: number): number => {
  const n = value === undefined || value === '' ? NaN : Number(value);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
};

/** Reads the configuration from `env` (process.env by default). */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const isProduction = env.NODE_ENV === 'production';
  return {
    port: int(env.PORT, 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.DATA_DIR || './data/pglite',
    databasePoolSize: Math.max(1, int(env.DATABASE_POOL_SIZE, Math.min(20, 4 * availableParallelism()))),
    databaseTimeouts: {
      connectMs: int(env.DATABASE_CONNECT_TIMEOUT_MS, 5000),
      statementMs: int(env.DATABASE_STATEMENT_TIMEOUT_MS, 30_000),
      idleInTransactionMs: int(env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS, 60_000),
    },
    databaseStartWaitSeconds: int(env.DATABASE_START_WAIT_SECONDS, 60),
    healthTimeoutMs: Math.max(1, int(env.HEALTH_TIMEOUT_MS, 2000)),
    shutdownGraceSeconds: int(env.SHUTDOWN_GRACE_SECONDS, 10),
    isProduction,
    seedDemo: env.SEED_DEMO ? env.SEED_DEMO !== 'false' : !isProduction,
    demoPatients: int(env.DEMO_PATIENTS, 2000),
    session: {
      idleSeconds: int(env.SESSION_IDLE_MINUTES, 30) * 60,
      absoluteSeconds: int(env.SESSION_MAX_HOURS, 12) * 3600,
      secureCookie: env.COOKIE_SECURE ? env.COOKIE_SECURE !== 'false' : isProduction,
    },
    logLevel: env.LOG_LEVEL ?? (isProduction ? 'info' : 'warn'),
    auditKey: env.AUDIT_KEY || undefined,
    emergencyTokenKey: env.EMERGENCY_TOKEN_KEY || undefined,
    auditCheckpoint: {
      file:
        env.AUDIT_CHECKPOINT_FILE === 'off'
          ? undefined
          : env.AUDIT_CHECKPOINT_FILE ||
            (env.DATABASE_URL
              ? undefined
              : join(dirname(env.DATA_DIR || './data/pglite'), 'audit-checkpoints.jsonl')),
      intervalSeconds: Math.max(1, int(env.AUDIT_CHECKPOINT_SECONDS, 60)),
    },
    accessLogRetentionYears: retentionYearsOf(env.ACCESS_LOG_RETENTION_YEARS),
    metricsToken: metricsTokenOf(env.METRICS_TOKEN),
    metricsPort: env.METRICS_PORT ? int(env.METRICS_PORT, 0) || undefined : undefined,
    emergencyMinutes: int(env.EMERGENCY_ACCESS_MINUTES, 240),
    oidc: {
      staff: readOidcIssuer(env, 'OIDC_STAFF', 'OIDC_STAFF_HSA_CLAIM', {
        scope: 'openid',
        claim: 'employeeHsaId',
      }),
      patient: readOidcIssuer(env, 'OIDC_PATIENT', 'OIDC_PATIENT_PNR_CLAIM', {
        scope: 'openid https://id.oidc.se/scope/naturalPersonNumber',
        claim: 'https://id.oidc.se/claim/personalIdentityNumber',
      }),
    },
    publicBaseUrl: env.PUBLIC_BASE_URL || undefined,
    smart: readSmart(env),
    smartLaunch: readSmartLaunch(env),
    trustProxy: env.TRUST_PROXY === 'true',
    workers: Math.max(1, int(env.WORKERS, 1)),
    sessionSecret: env.SESSION_SECRET || undefined,
    rateLimit: {
      enabled: !['off', 'false', '0'].includes((env.RATE_LIMIT ?? '').toLowerCase()),
      userPerMinute: int(env.RATE_LIMIT_USER_PER_MIN, 600),
      ipPerMinute: int(env.RATE_LIMIT_IP_PER_MIN, 1200),
      loginPerMinute: int(env.RATE_LIMIT_LOGIN_PER_MIN, 30),
    },
    followup: readFollowup(env),
    importMaxBytes: Math.max(1, int(env.IMPORT_MAX_BYTES, 256 * 1024 ** 2)),
    personService: personServiceOf(env),
    reservnummerPrefix: reservnummerPrefixOf(env.RESERVNUMMER_PREFIX),
    mobileCare: {
      regionalOnCall: {
        phone: env.REGIONAL_ON_CALL_PHONE || '010-000 11 77',
        label: env.REGIONAL_ON_CALL_LABEL || 'Regionens jourläkare',
      },
      backupMinutes: Math.max(1, int(env.ESCALATION_BACKUP_MINUTES, 10)),
      checkMs: Math.max(20, int(env.ESCALATION_CHECK_MS, 15_000)),
      webhookUrl: env.ESCALATION_WEBHOOK_URL || undefined,
    },
    subscriptions: {
      maxAttempts: Math.max(1, int(env.SUBSCRIPTION_MAX_ATTEMPTS, 8)),
      firstDelayMs: Math.max(10, int(env.SUBSCRIPTION_RETRY_FIRST_MS, 30_000)),
      maxDelayMs: Math.max(10, int(env.SUBSCRIPTION_RETRY_MAX_MS, 3_600_000)),
      checkMs: Math.max(20, int(env.SUBSCRIPTION_CHECK_MS, 15_000)),
      timeoutMs: Math.max(100, int(env.SUBSCRIPTION_TIMEOUT_MS, 10_000)),
      ca: env.SUBSCRIPTION_CA ? readFileSync(env.SUBSCRIPTION_CA, 'utf8') : undefined,
    },
    regionMunicipalities: municipalitiesOf(env.REGION_MUNICIPALITIES),
  };
}

/** The person service's settings; the PEM values stay paths (or PEM) until the app reads them. */
function personServiceOf(env: NodeJS.ProcessEnv): Config['personService'] {
  const url = env.PERSON_SERVICE_URL;
  if (!url) return undefined;
  if (!url.startsWith('https://')) throw new Error('PERSON_SERVICE_URL: must be an https URL');
  const need = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name}: required with PERSON_SERVICE_URL`);
    return value;
  };
  return {
    url,
    cert: need('PERSON_SERVICE_CERT'),
    key: need('PERSON_SERVICE_KEY'),
    ca: env.PERSON_SERVICE_CA || undefined,
    logicalAddress: need('PERSON_SERVICE_LOGICAL_ADDRESS'),
    profile: env.PERSON_SERVICE_PROFILE || 'P1',
    timeoutMs: Math.max(100, int(env.PERSON_SERVICE_TIMEOUT_MS, 5000)),
  };
}

function reservnummerPrefixOf(value: string | undefined): string {
  const prefix = value || 'PK';
  if (!/^[A-Z]{2}$/.test(prefix)) throw new Error('RESERVNUMMER_PREFIX: two capital letters A–Z, e.g. PK');
  return prefix;
}

function municipalitiesOf(value: string | undefined): string[] {
  const codes = (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  const odd = codes.filter((c) => !/^\d{4}$/.test(c));
  if (odd.length > 0)
    throw new Error(`REGION_MUNICIPALITIES: not a kommunkod: ${odd.join(', ')} (four digits)`);
  return codes;
}
