/**
 * Live updates for the staff app: `GET /api/events` is a stream of server-sent events for the
 * logged-in member of staff. It carries a change to a patient's plan when the change is
 * addressed to them (a notification: they are the fast vårdkontakt) or the patient is on their
 * worklist — and only when they may see that patient: each event passes the access decision
 * and is logged like a search hit. An event names the patient (id and name) and the one-line
 * summary, nothing more; the app fetches the rest through the ordinary routes.
 *
 * Comments every 20 s keep proxies from closing the stream. The stream ends after
 * `maxSeconds`; EventSource then reconnects through the session check, so an ended session
 * stops the updates at the next reconnect.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AccessService } from '../services/access-service.ts';
import type { ChangeFeed } from '../services/change-feed.ts';
import type { StoredEvent } from '../store/event-store.ts';
import type { WorklistStore } from '../store/worklist-store.ts';
import { contextOf, requireStaff } from './http.ts';

export interface EventRouteDeps {
  feed: ChangeFeed;
  access: AccessService;
  worklist: WorklistStore;
  heartbeatSeconds?: number;
  maxSeconds?: number;
}

/** What one event tells the browser. */
export interface LiveEvent {
  eventId: number;
  patientId: string;
  patientName: string;
  kind: string;
  summary: string;
  actorName: string;
  at: string;
  /** Addressed to me: a notification was stored for me. */
  isNotification: boolean;
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
          if (event.actor.kind === 'staff' && event.actor.staffId === actor.staffId) return;
          const isNotification = event.recipients.includes(actor.staffId);
          // An escalation reaches the physician it is addressed to (and the nurse who sent it)
          // even without consent to their unit: a disclosure, logged with its basis.
          if (isNotification && event.kind.startsWith('escalation.')) {
            await deps.access.logDisclosure(ctx, event.patientId, 'read', `live ${event.kind}`);
          } else {
            if (!isNotification && !(await deps.worklist.isOnWorklist(actor.staffId, event.patientId))) return;
            const grant = (await deps.access.grantsFor(ctx, [event.patientId], 'search')).get(event.patientId);
            // A change made from a unit hidden by a spärr is not told, nor who made it (security.md 5).
            const isFromHiddenUnit =
              grant !== undefined && event.actor.kind === 'staff' && grant.isHidden(event.actor.unitId);
            if (!grant || isFromHiddenUnit) return;
          }
          if (res.writableEnded) return;
          const live: LiveEvent = {
            eventId: event.id,
            patientId: event.patientId,
            patientName: (await deps.worklist.patientName(event.patientId)) ?? '',
            kind: event.kind,
            summary: event.summary,
            actorName: event.actor.name,
            at: event.createdAt,
            isNotification,
          };
          res.write(`id: ${event.id}\nevent: patient-changed\ndata: ${JSON.stringify(live)}\n\n`);
        };
        const unsubscribe = deps.feed.subscribe((event) => {
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
