/**
 * FHIR R4 Subscription with the Subscriptions Backport IG (topic in `criteria`, filter and
 * payload content in extensions), the SubscriptionStatus as Parameters, and the id-only
 * notification Bundle (type `history`).
 * See: https://hl7.org/fhir/uv/subscriptions-backport/ (STU 1.1), components.html and
 * payloads.html#id-only
 */
import { Type, type Static } from 'typebox';
import type { Subscription, SubscriptionRequest } from '../domain/subscription.ts';
import type { Notification } from '../services/subscription-service.ts';
import { invalid } from './datatypes.ts';

export const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';
export const FILTER_CRITERIA = `${BACKPORT}/backport-filter-criteria`;
export const PAYLOAD_CONTENT = `${BACKPORT}/backport-payload-content`;
export const HEARTBEAT_PERIOD = `${BACKPORT}/backport-heartbeat-period`;
export const TOPIC_CANONICAL = `${BACKPORT}/capabilitystatement-subscriptiontopic-canonical`;
export const PROFILE_SUBSCRIPTION = `${BACKPORT}/backport-subscription`;
export const PROFILE_STATUS = `${BACKPORT}/backport-subscription-status-r4`;
export const PROFILE_NOTIFICATION = `${BACKPORT}/backport-subscription-notification-r4`;

const Ext = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 300 }),
    valueString: Type.Optional(Type.String({ maxLength: 300 })),
    valueCode: Type.Optional(Type.String({ maxLength: 100 })),
    valueUnsignedInt: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
  },
  { additionalProperties: true },
);
const WithExtensions = Type.Object(
  { extension: Type.Optional(Type.Array(Ext, { maxItems: 10 })) },
  { additionalProperties: true },
);

export const FhirSubscriptionSchema = Type.Object(
  {
    resourceType: Type.Literal('Subscription'),
    id: Type.Optional(Type.String({ maxLength: 64 })),
    meta: Type.Optional(Type.Object({}, { additionalProperties: true })),
    status: Type.String({ minLength: 1, maxLength: 40 }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    criteria: Type.String({ minLength: 1, maxLength: 300 }),
    _criteria: Type.Optional(WithExtensions),
    end: Type.Optional(Type.String({ minLength: 10, maxLength: 40 })),
    extension: Type.Optional(Type.Array(Ext, { maxItems: 10 })),
    channel: Type.Object(
      {
        type: Type.String({ minLength: 1, maxLength: 40 }),
        endpoint: Type.String({ minLength: 1, maxLength: 500 }),
        payload: Type.Optional(Type.String({ maxLength: 100 })),
        _payload: Type.Optional(WithExtensions),
        header: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 10 })),
        extension: Type.Optional(Type.Array(Ext, { maxItems: 10 })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type FhirSubscriptionInput = Static<typeof FhirSubscriptionSchema>;

/** The one filter a subscription may carry: its patient (undefined: no filter). */
function filterOf(body: FhirSubscriptionInput): string | undefined {
  const filters = (body._criteria?.extension ?? []).filter((e) => e.url === FILTER_CRITERIA);
  if (filters.length > 1)
    throw invalid('Högst ett filter (backport-filter-criteria).', 'Subscription.criteria');
  const filter = filters[0];
  if (filter === undefined) return undefined;
  if (typeof filter.valueString !== 'string')
    throw invalid('Filtret ska ges som valueString.', 'Subscription.criteria');
  return filter.valueString;
}

/** Reads a client's Subscription into what the domain checks. */
export function subscriptionFromFhir(
  body: FhirSubscriptionInput,
  patientOfFilter: (filter: string) => string | undefined,
): SubscriptionRequest {
  if (body.status !== 'requested' && body.status !== 'active') {
    throw invalid('En ny prenumeration har status requested (eller active).', 'Subscription.status');
  }
  const filter = filterOf(body);
  let patientId: string | null = null;
  if (filter !== undefined) {
    const id = patientOfFilter(filter);
    if (id === undefined) {
      throw invalid(
        'Filtret ska vara CarePlan?patient=Patient/<id>, eller utelämnas för alla patienter klienten får se.',
        'Subscription.criteria',
      );
    }
    patientId = id;
  }
  let endAt: string | null = null;
  if (body.end !== undefined) {
    const parsed = Date.parse(body.end);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(body.end) || Number.isNaN(parsed))
      throw invalid('end ska vara en tidpunkt med tidszon (instant).', 'Subscription.end');
    endAt = new Date(parsed).toISOString();
  }
  const contents = (body.channel._payload?.extension ?? []).filter((e) => e.url === PAYLOAD_CONTENT);
  const heartbeats = (body.channel.extension ?? []).filter((e) => e.url === HEARTBEAT_PERIOD);
  if (heartbeats.length > 1 || (heartbeats.length === 1 && heartbeats[0]!.valueUnsignedInt === undefined)) {
    throw invalid(
      'Högst ett hjärtslagsintervall (backport-heartbeat-period), som valueUnsignedInt i sekunder.',
      'Subscription.channel.extension',
    );
  }
  return {
    topic: body.criteria,
    patientId,
    endpoint: body.channel.endpoint,
    payload: body.channel.payload ?? '',
    payloadContent: contents.length === 1 ? (contents[0]!.valueCode ?? null) : null,
    channelType: body.channel.type,
    reason: body.reason,
    endAt,
    heartbeatPeriod: heartbeats[0]?.valueUnsignedInt ?? null,
    hasHeaders: (body.channel.header ?? []).length > 0,
  };
}

export interface FhirSubscription {
  resourceType: 'Subscription';
  id: string;
  meta: { versionId: string; lastUpdated: string; profile: string[] };
  status: string;
  reason: string;
  criteria: string;
  _criteria?: { extension: { url: string; valueString: string }[] };
  end?: string;
  error?: string;
  channel: {
    extension?: { url: string; valueUnsignedInt: number }[];
    type: 'rest-hook';
    endpoint: string;
    payload: 'application/fhir+json';
    _payload: { extension: { url: string; valueCode: string }[] };
  };
}

/** Does the subscription tell an error: why it is `error`, or why it was turned `off`? */
function hasError(s: Subscription): boolean {
  return s.lastError !== null && (s.status === 'error' || s.status === 'off');
}

/** The FHIR form of a stored subscription. */
export function subscriptionToFhir(s: Subscription): FhirSubscription {
  return {
    resourceType: 'Subscription',
    id: s.id,
    meta: { versionId: String(s.version), lastUpdated: s.updatedAt, profile: [PROFILE_SUBSCRIPTION] },
    status: s.status,
    reason: s.reason,
    criteria: s.topic,
    ...(s.patientId !== null
      ? {
          _criteria: {
            extension: [{ url: FILTER_CRITERIA, valueString: `CarePlan?patient=Patient/${s.patientId}` }],
          },
        }
      : {}),
    ...(s.endAt !== null ? { end: s.endAt } : {}),
    ...(hasError(s) ? { error: s.lastError! } : {}),
    channel: {
      ...(s.heartbeatPeriod !== null
        ? { extension: [{ url: HEARTBEAT_PERIOD, valueUnsignedInt: s.heartbeatPeriod }] }
        : {}),
      type: 'rest-hook',
      endpoint: s.endpoint,
      payload: 'application/fhir+json',
      _payload: { extension: [{ url: PAYLOAD_CONTENT, valueCode: 'id-only' }] },
    },
  };
}

interface Parameter {
  name: string;
  valueReference?: { reference: string };
  valueCanonical?: string;
  valueCode?: string;
  valueString?: string;
  valueInstant?: string;
  valueCodeableConcept?: { text: string };
  part?: Parameter[];
}

export interface SubscriptionStatusParameters {
  resourceType: 'Parameters';
  id: string;
  meta: { profile: string[] };
  parameter: Parameter[];
}

export type StatusType = 'handshake' | 'heartbeat' | 'event-notification' | 'query-status' | 'query-event';

/**
 * The SubscriptionStatus (backport-subscription-status-r4): subscription, topic, status, type,
 * events-since-subscription-start, the notification's events (id-only: number, timestamp and
 * focus), and the last error while the subscription is in `error`.
 */
export function subscriptionStatus(
  base: string,
  s: Subscription,
  type: StatusType,
  events: readonly { eventNumber: number; at: string; focus: string }[],
): SubscriptionStatusParameters {
  return {
    resourceType: 'Parameters',
    id: crypto.randomUUID(),
    meta: { profile: [PROFILE_STATUS] },
    parameter: [
      { name: 'subscription', valueReference: { reference: `${base}/Subscription/${s.id}` } },
      { name: 'topic', valueCanonical: s.topic },
      { name: 'status', valueCode: s.status },
      { name: 'type', valueCode: type },
      { name: 'events-since-subscription-start', valueString: String(s.eventsSinceStart) },
      ...events.map((e) => ({
        name: 'notification-event',
        part: [
          { name: 'event-number', valueString: String(e.eventNumber) },
          { name: 'timestamp', valueInstant: e.at },
          { name: 'focus', valueReference: { reference: `${base}/${e.focus}` } },
        ],
      })),
      ...(hasError(s) ? [{ name: 'error', valueCodeableConcept: { text: s.lastError! } }] : []),
    ],
  };
}

/**
 * A notification: a `history` Bundle whose first entry is the SubscriptionStatus. An event
 * (id-only) adds a second entry naming the focus by its full URL, without the resource
 * (payloads.html#id-only); a handshake or heartbeat is the status alone, with no event.
 */
export function notificationBundle(base: string, n: Notification): object {
  const events =
    n.type === 'event-notification' ? [{ eventNumber: n.eventNumber, at: n.eventAt, focus: n.focus }] : [];
  const status = subscriptionStatus(base, n.subscription, n.type, events);
  const statusEntry = {
    fullUrl: `urn:uuid:${status.id}`,
    resource: status,
    request: { method: 'GET', url: `${base}/Subscription/${n.subscription.id}/$status` },
    response: { status: '200' },
  };
  const bundle = {
    resourceType: 'Bundle',
    id: crypto.randomUUID(),
    meta: { profile: [PROFILE_NOTIFICATION] },
    type: 'history',
    timestamp: n.sentAt,
  };
  if (n.type !== 'event-notification') return { ...bundle, entry: [statusEntry] };
  const isCreate = n.eventKind === 'contract-created';
  return {
    ...bundle,
    entry: [
      statusEntry,
      {
        fullUrl: `${base}/${n.focus}`,
        request: isCreate ? { method: 'POST', url: n.focus.split('/')[0]! } : { method: 'PUT', url: n.focus },
        response: { status: isCreate ? '201' : '200' },
      },
    ],
  };
}

/** The `$status` answer: a searchset Bundle with the SubscriptionStatus (type query-status). */
export function statusBundle(base: string, s: Subscription): object {
  const status = subscriptionStatus(base, s, 'query-status', []);
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: 1,
    link: [{ relation: 'self', url: `${base}/Subscription/${s.id}/$status` }],
    entry: [{ fullUrl: `urn:uuid:${status.id}`, resource: status, search: { mode: 'match' } }],
  };
}
