/**
 * Topic-based subscriptions (FHIR R4 Subscriptions Backport, docs/fhir.md "Subscribing to plan
 * changes"): the one topic, which change events it covers, what a subscription may ask for, and
 * the retry schedule. Pure: the clock is passed in.
 */
import type { ChangeEventKind } from './notification.ts';

/** The topic "a patient's plan changed" (canonical URL under the product's own base). */
export const PLAN_CHANGED_TOPIC = 'https://patientkontrakt.se/fhir/SubscriptionTopic/plan-changed';

/** The change events that are a change of the plan: the contract itself and its fixed contacts. */
export const planChangeKinds: ReadonlySet<ChangeEventKind> = new Set<ChangeEventKind>([
  'contract-created',
  'contract-changed',
  'contract-activated',
  'contract-ended',
  'care-contact-changed',
  'patient-request',
]);

export type SubscriptionStatus = 'requested' | 'active' | 'error' | 'off';

export interface Subscription {
  id: string;
  clientId: string;
  providerId: string;
  topic: string;
  /** The filter's patient; null: every patient the client may see. */
  patientId: string | null;
  endpoint: string;
  reason: string;
  status: SubscriptionStatus;
  endAt: string | null;
  /** Seconds without anything sent after which a heartbeat goes out; null: no heartbeats. */
  heartbeatPeriod: number | null;
  eventsSinceStart: number;
  lastError: string | null;
  lastErrorAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** What a client asks for, once its FHIR form is read (src/fhir/subscription-mapper.ts). */
export interface SubscriptionRequest {
  topic: string;
  patientId: string | null;
  endpoint: string;
  payload: string;
  payloadContent: string | null;
  channelType: string;
  reason: string;
  endAt: string | null;
  /** The channel's backport-heartbeat-period (seconds), or null. */
  heartbeatPeriod: number | null;
  hasHeaders: boolean;
}

/** One problem with a request: where (FHIRPath of the element) and why, in Swedish. */
export interface SubscriptionProblem {
  path: string;
  message: string;
}

/** The heartbeat period a client may ask for: a minute to a day (seconds). */
export const MIN_HEARTBEAT_S = 60;
export const MAX_HEARTBEAT_S = 86_400;

/**
 * Why the pending notifications about a patient were struck and a subscription filtered on that
 * patient was turned off: the client's care provider may no longer read the patient (a consent
 * revoked or ended, a spärr, the care relationship ended). Which of them is not said: the client
 * is no longer to learn anything about the patient, its consents and spärrar included.
 */
export const ACCESS_ENDED =
  'Vårdgivarens åtkomst till patienten har upphört (samtycke återkallat eller utgånget, spärr eller avslutad vårdrelation): väntande aviseringar om patienten är strukna och inga fler skickas.';

/**
 * Why `request` cannot be accepted for a client with `registeredEndpoints`, or null. Only the
 * plan-changed topic, rest-hook, `application/fhir+json`, `id-only` (the plan itself is read with
 * the client's own token, through the access rule), and an https endpoint the client registered.
 */
export function subscriptionProblem(
  request: SubscriptionRequest,
  registeredEndpoints: readonly string[],
  now: Date,
): SubscriptionProblem | null {
  if (request.topic !== PLAN_CHANGED_TOPIC) {
    return {
      path: 'Subscription.criteria',
      message: `Okänt ämne (topic). Det enda ämnet är ${PLAN_CHANGED_TOPIC}.`,
    };
  }
  if (request.channelType !== 'rest-hook') {
    return { path: 'Subscription.channel.type', message: 'Bara kanalen rest-hook stöds.' };
  }
  if (request.payload !== 'application/fhir+json') {
    return {
      path: 'Subscription.channel.payload',
      message: 'Aviseringar skickas som application/fhir+json: ange det som payload.',
    };
  }
  if (request.payloadContent !== 'id-only') {
    return {
      path: 'Subscription.channel.payload',
      message:
        'Bara id-only stöds (tillägget backport-payload-content): aviseringen säger vilken plan som ändrats, planen läses med klientens egen token.',
    };
  }
  if (request.hasHeaders) {
    return {
      path: 'Subscription.channel.header',
      message: 'Egna HTTP-huvuden (channel.header) sparas inte: mottagaren känner igen oss på TLS.',
    };
  }
  let url: URL;
  try {
    url = new URL(request.endpoint);
  } catch {
    return { path: 'Subscription.channel.endpoint', message: 'Mottagaradressen är ingen giltig URL.' };
  }
  if (url.protocol !== 'https:') {
    return { path: 'Subscription.channel.endpoint', message: 'Mottagaradressen måste börja med https://.' };
  }
  if (!registeredEndpoints.includes(request.endpoint)) {
    return {
      path: 'Subscription.channel.endpoint',
      message:
        'Mottagaradressen är inte registrerad för klienten. Regionen registrerar klientens adresser (subscription_endpoints).',
    };
  }
  if (
    request.heartbeatPeriod !== null &&
    !(
      Number.isInteger(request.heartbeatPeriod) &&
      request.heartbeatPeriod >= MIN_HEARTBEAT_S &&
      request.heartbeatPeriod <= MAX_HEARTBEAT_S
    )
  ) {
    return {
      path: 'Subscription.channel.extension',
      message: `Hjärtslagsintervallet (backport-heartbeat-period) är ett heltal sekunder från ${MIN_HEARTBEAT_S} till ${MAX_HEARTBEAT_S}.`,
    };
  }
  if (request.endAt !== null && Date.parse(request.endAt) <= now.getTime()) {
    return { path: 'Subscription.end', message: 'Slutet (end) måste ligga i framtiden.' };
  }
  return null;
}

/** Reads the filter `CarePlan?patient=Patient/<id>` (or `patient=<id>`): the id, or undefined when it is not one. */
export function patientOfFilter(filter: string): string | undefined {
  const match = /^CarePlan\?patient=(?:Patient\/)?([0-9a-fA-F-]{36})$/.exec(filter.trim());
  return match?.[1]?.toLowerCase();
}

export interface RetrySettings {
  /** Attempts in all (the first included) before a delivery fails and the subscription is `error`. */
  maxAttempts: number;
  /** The wait after the first failure; each next one doubles, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetrySettings: RetrySettings = {
  maxAttempts: 8,
  firstDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
};

/**
 * When to try again after `attempts` failed attempts, or null when no attempt is left:
 * 30 s, 1 min, 2 min … (doubling), at most an hour apart by default.
 */
export function nextAttemptAt(attempts: number, now: Date, settings: RetrySettings): Date | null {
  if (attempts >= settings.maxAttempts) return null;
  const delay = Math.min(settings.maxDelayMs, settings.firstDelayMs * 2 ** Math.max(0, attempts - 1));
  return new Date(now.getTime() + delay);
}

/** Is the subscription to be delivered to now (not off, not past its end)? */
export function isLive(subscription: Pick<Subscription, 'status' | 'endAt'>, now: Date): boolean {
  if (subscription.status === 'off') return false;
  return subscription.endAt === null || Date.parse(subscription.endAt) > now.getTime();
}
