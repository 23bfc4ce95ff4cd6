import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isLive,
  nextAttemptAt,
  patientOfFilter,
  PLAN_CHANGED_TOPIC,
  subscriptionProblem,
  type SubscriptionRequest,
} from './subscription.ts';

const NOW = new Date('2026-12-07T10:00:00.000Z');
const ENDPOINT = 'https://journal.example.se/hook';
const request = (overrides: Partial<SubscriptionRequest> = {}): SubscriptionRequest => ({
  topic: PLAN_CHANGED_TOPIC,
  patientId: null,
  endpoint: ENDPOINT,
  payload: 'application/fhir+json',
  payloadContent: 'id-only',
  channelType: 'rest-hook',
  reason: 'test',
  endAt: null,
  heartbeatPeriod: null,
  hasHeaders: false,
  ...overrides,
});

describe('subscription rules', () => {
  it('accepts the plan-changed topic, rest-hook, id-only to a registered https endpoint', () => {
    assert.equal(subscriptionProblem(request(), [ENDPOINT], NOW), null);
  });

  it('refuses each thing a client may not ask for, naming the element', () => {
    const cases: [Partial<SubscriptionRequest>, string, RegExp][] = [
      [{ topic: 'https://example.org/topic' }, 'Subscription.criteria', /Okänt ämne/],
      [{ channelType: 'websocket' }, 'Subscription.channel.type', /rest-hook/],
      [{ payload: 'application/fhir+xml' }, 'Subscription.channel.payload', /application\/fhir\+json/],
      [{ payloadContent: 'full-resource' }, 'Subscription.channel.payload', /id-only/],
      [{ payloadContent: 'empty' }, 'Subscription.channel.payload', /id-only/],
      [{ payloadContent: null }, 'Subscription.channel.payload', /id-only/],
      [{ hasHeaders: true }, 'Subscription.channel.header', /huvuden/],
      [{ endpoint: 'not a url' }, 'Subscription.channel.endpoint', /giltig URL/],
      [{ endpoint: 'http://journal.example.se/hook' }, 'Subscription.channel.endpoint', /https/],
      [{ endpoint: 'https://journal.example.se/other' }, 'Subscription.channel.endpoint', /inte registrerad/],
      [{ endAt: '2026-12-07T09:59:59.000Z' }, 'Subscription.end', /framtiden/],
      [{ heartbeatPeriod: 59 }, 'Subscription.channel.extension', /från 60 till 86400/],
      [{ heartbeatPeriod: 86_401 }, 'Subscription.channel.extension', /backport-heartbeat-period/],
      [{ heartbeatPeriod: 90.5 }, 'Subscription.channel.extension', /heltal/],
    ];
    for (const [overrides, path, message] of cases) {
      const problem = subscriptionProblem(
        request(overrides),
        [ENDPOINT, 'http://journal.example.se/hook'],
        NOW,
      );
      assert.equal(problem?.path, path, JSON.stringify(overrides));
      assert.match(problem.message, message);
    }
  });

  it('accepts a heartbeat period from a minute to a day', () => {
    for (const heartbeatPeriod of [60, 3600, 86_400]) {
      assert.equal(subscriptionProblem(request({ heartbeatPeriod }), [ENDPOINT], NOW), null);
    }
  });

  it('reads the patient filter, and nothing else', () => {
    const id = '0B6F3C4E-1A2B-4C3D-8E9F-A0B1C2D3E4F5';
    assert.equal(patientOfFilter(`CarePlan?patient=Patient/${id}`), id.toLowerCase());
    assert.equal(patientOfFilter(`CarePlan?patient=${id}`), id.toLowerCase());
    for (const bad of [
      `Patient?_id=${id}`,
      `CarePlan?patient=Patient/${id}&status=active`,
      'CarePlan?patient=Patient/123',
      `CarePlan?subject=Patient/${id}`,
    ]) {
      assert.equal(patientOfFilter(bad), undefined, bad);
    }
  });

  it('backs off doubling up to the longest wait, and stops after the last attempt', () => {
    const settings = { maxAttempts: 5, firstDelayMs: 30_000, maxDelayMs: 100_000 };
    const waits = [1, 2, 3, 4].map((n) => nextAttemptAt(n, NOW, settings)!.getTime() - NOW.getTime());
    assert.deepEqual(waits, [30_000, 60_000, 100_000, 100_000]);
    assert.equal(nextAttemptAt(5, NOW, settings), null);
  });

  it('is live until it is off or past its end', () => {
    assert.equal(isLive({ status: 'active', endAt: null }, NOW), true);
    assert.equal(isLive({ status: 'error', endAt: '2026-12-07T10:00:01.000Z' }, NOW), true);
    assert.equal(isLive({ status: 'active', endAt: NOW.toISOString() }, NOW), false);
    assert.equal(isLive({ status: 'off', endAt: null }, NOW), false);
  });
});
