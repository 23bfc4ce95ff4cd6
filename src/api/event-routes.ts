/**
 * Live updates for the staff app: `GET /api/events` is a stream of server-sent events for the
 * logged-in member of staff. Which changes reach them, and what each tells, the live-event
 * service decides (services/live-event-service.ts).
 *
 * Comments every 20 s keep proxies from closing the stream. The stream ends after
 * `maxSeconds`; EventSource then reconnects through the session check, so an ended session
 * stops the updates at the next reconnect.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { LiveEventService, StoredEvent } from '../services/live-event-service.ts';
import { contextOf, requireStaff } from './http.ts';

export interface EventRouteDeps {
  liveEvents: LiveEventService;
  heartbeatSeconds?: number;
  maxSeconds?: number;
}

export function eventRoutes(deps: EventRouteDeps): FastifyPluginAsyncTypebox {
  const heartbeatMs = (deps.heartbeatSeconds ?? 20) * 1000;
  const maxMs = (deps.maxSeconds ?? 15 * 60) * 1000;

  return async (app) => {
    // Open streams end when the server closes, so that closing does not wait for them.
    const open = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const close of open) close();
    });

    app.get(
      '/api/events',
      {
        schema: {
          tags: ['worklist'],
          summary:
            'Server-sent events: changes to my patients and notifications addressed to me (text/event-stream)',
        },
      },
      async (request, reply) => {
        const actor = requireStaff(request);
        const ctx = contextOf(request);
        const res = reply.raw;
        reply.hijack();
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          'x-accel-buffering': 'no',
          'x-content-type-options': 'nosniff',
          connection: 'keep-alive',
        });
        res.write('retry: 5000\n: connected\n\n');

        // Events are handled one at a time, in the order they were published.
        let queue: Promise<void> = Promise.resolve();
        const handle = async (event: StoredEvent): Promise<void> => {
          const live = await deps.liveEvents.liveEventFor(ctx, actor, event);
          if (live === null || res.writableEnded) return;
          res.write(`id: ${event.id}\nevent: patient-changed\ndata: ${JSON.stringify(live)}\n\n`);
        };
        const unsubscribe = deps.liveEvents.subscribe((event) => {
          queue = queue
            .then(() => handle(event))
            .catch((error: unknown) => request.log.warn({ err: error }, 'live event not sent'));
        });
        const heartbeat = setInterval(() => res.write(': ping\n\n'), heartbeatMs);
        const end = setTimeout(() => res.end(), maxMs);
        const close = (): void => void res.end();
        open.add(close);
        const cleanUp = (): void => {
          unsubscribe();
          clearInterval(heartbeat);
          clearTimeout(end);
          open.delete(close);
        };
        res.once('close', cleanUp);
        request.raw.once('close', cleanUp);
      },
    );
  };
}
