/**
 * FHIR Subscription (R4 Subscriptions Backport, topic-based, rest-hook, id-only): create, read
 * (and vread of the current version: earlier ones are not kept), search, delete and `$status`,
 * for registered system clients only, each seeing only its own subscriptions. Delivery is
 * services/subscription-service.ts. See docs/fhir.md, "Subscribing to plan changes".
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { contextOf, requireActor } from '../api/http.ts';
import { DomainError } from '../domain/errors.ts';
import { patientOfFilter, type SubscriptionStatus } from '../domain/subscription.ts';
import type { SubscriptionService } from '../services/subscription-service.ts';
import { baseUrl, searchset } from './bundle.ts';
import { countOf, numericCursor, PagingParams, VersionParams } from './history.ts';
import { sendResource } from './http.ts';
import { FhirError } from './outcome.ts';
import { FormatParam, IdParams, listParam, ReadQuery, referenceParam } from './search.ts';
import {
  FhirSubscriptionSchema,
  statusBundle,
  subscriptionFromFhir,
  subscriptionToFhir,
} from './subscription-mapper.ts';

const Param = Type.Optional(Type.String({ minLength: 1, maxLength: 200 }));
const SubscriptionQuery = Type.Object(
  { status: Param, patient: Param, ...PagingParams, ...FormatParam },
  { additionalProperties: false },
);
const DEFAULT_COUNT = 50;
const statuses: readonly SubscriptionStatus[] = ['requested', 'active', 'error', 'off'];

export function subscriptionFhirRoutes(deps: {
  subscriptions: SubscriptionService;
}): FastifyPluginAsyncTypebox {
  const { subscriptions } = deps;

  /** The client's own subscription, or 404; a deleted one answers 410 Gone. */
  async function readOwn(ctx: ReturnType<typeof contextOf>, id: string) {
    const found = await subscriptions.read(ctx, id);
    if (found.isDeleted) throw new FhirError(410, 'not-found', 'Prenumerationen är borttagen.');
    return found.subscription;
  }

  return async (app) => {
    // Only a system client manages subscriptions: anyone else is told so before their body is read.
    app.addHook('preValidation', async (request) => {
      subscriptions.assertSystemClient(requireActor(request));
    });

    app.post(
      '/Subscription',
      { schema: { hide: true, body: FhirSubscriptionSchema, querystring: ReadQuery } },
      async (request, reply) => {
        const ctx = contextOf(request);
        const created = await subscriptions.create(ctx, subscriptionFromFhir(request.body, patientOfFilter));
        return sendResource(request, reply, subscriptionToFhir(created), created.version, { created: true });
      },
    );

    app.get(
      '/Subscription/:id',
      { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
      async (request, reply) => {
        const s = await readOwn(contextOf(request), request.params.id);
        return sendResource(request, reply, subscriptionToFhir(s), s.version);
      },
    );

    // vread of the current version only: earlier versions of a subscription are not kept
    // (https://hl7.org/fhir/R4/http.html#vread encourages serving the current one).
    app.get(
      '/Subscription/:id/_history/:vid',
      { schema: { hide: true, params: VersionParams, querystring: ReadQuery } },
      async (request, reply) => {
        const s = await readOwn(contextOf(request), request.params.id);
        if (Number(request.params.vid) !== s.version)
          throw new FhirError(
            404,
            'not-found',
            `Prenumerationen har inte den versionen: bara den aktuella (${s.version}) sparas.`,
          );
        return sendResource(request, reply, subscriptionToFhir(s), s.version);
      },
    );

    app.get(
      '/Subscription/:id/$status',
      { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
      async (request) => {
        const s = await readOwn(contextOf(request), request.params.id);
        return statusBundle(baseUrl(request), s);
      },
    );

    app.get('/Subscription', { schema: { hide: true, querystring: SubscriptionQuery } }, async (request) => {
      const q = request.query;
      const ctx = contextOf(request);
      const count = countOf(q._count, DEFAULT_COUNT);
      const offset = numericCursor(q._cursor) ?? 0;
      const wanted = q.status === undefined ? null : listParam(q.status);
      if (wanted && wanted.some((s) => !statuses.includes(s as SubscriptionStatus))) {
        throw new DomainError('invalid_input', `status är en av ${statuses.join(', ')}.`, [
          { path: 'status', message: `status är en av ${statuses.join(', ')}.` },
        ]);
      }
      let patientId: string | null = null;
      if (q.patient !== undefined) {
        patientId = referenceParam(q.patient, 'Patient');
        if (patientId === null || patientOfFilter(`CarePlan?patient=${patientId}`) === undefined) {
          throw new DomainError('invalid_input', 'patient ska vara Patient/<id>.', [
            { path: 'patient', message: 'patient ska vara Patient/<id>.' },
          ]);
        }
      }
      const found = await subscriptions.search(ctx, { status: wanted, patientId }, count + 1, offset);
      const page = found.slice(0, count).map(subscriptionToFhir);
      return searchset(request, page, {
        next: found.length > count ? String(offset + count) : null,
        isFirst: offset === 0,
      });
    });

    app.delete(
      '/Subscription/:id',
      { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
      async (request, reply) => {
        await subscriptions.delete(contextOf(request), request.params.id);
        return reply.status(204).send();
      },
    );
  };
}
