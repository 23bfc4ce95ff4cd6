/**
 * `GET /metrics`: the server's metrics in Prometheus's text format, for the region's Prometheus
 * only. It is not public: it answers only a request that carries `Authorization: Bearer
 * <METRICS_TOKEN>`, and without METRICS_TOKEN it answers 404 like any unknown page. The text
 * holds counts and times by route pattern, never patient data (services/metrics.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Metrics } from '../services/metrics.ts';

export interface MetricsRouteDeps {
  metrics: Metrics;
  /** METRICS_TOKEN; undefined: the route answers 404. */
  token: string | undefined;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Compares in constant time (of the digests), so that the answer's time tells nothing of the token. */
export function isToken(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

export function metricsRoutes(deps: MetricsRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/metrics',
      {
        schema: {
          tags: ['system'],
          summary:
            'Metrics in Prometheus text format; needs Authorization: Bearer METRICS_TOKEN (404 when METRICS_TOKEN is unset)',
        },
      },
      async (request, reply) => {
        if (deps.token === undefined)
          return reply.status(404).send({
            error: { code: 'not_found', message: 'Sidan eller uppgiften finns inte.', requestId: request.id },
          });
        if (!isToken(request.headers.authorization, deps.token))
          return reply
            .status(401)
            .header('www-authenticate', 'Bearer realm="metrics"')
            .send({
              error: {
                code: 'unauthenticated',
                message: 'Mätvärdena kräver rätt nyckel (Authorization: Bearer).',
                requestId: request.id,
              },
            });
        const { contentType, text } = await deps.metrics.scrape();
        return reply.header('content-type', contentType).send(text);
      },
    );
  };
}
