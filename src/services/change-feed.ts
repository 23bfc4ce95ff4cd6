/**
 * The feed of stored change events. Routes publish after their transaction has committed;
 * subscribers (live updates to the staff app through server-sent events) hear them. In one
 * process it is an in-process emitter. With several server processes (WORKERS > 1, PostgreSQL
 * only) a bus (store/change-bus.ts: LISTEN/NOTIFY) carries each event to the other processes,
 * whose feeds hand it to their own subscribers; see docs/architecture.md.
 */
import { EventEmitter } from 'node:events';
import type { ChangeBus } from '../store/change-bus.ts';
import type { StoredEvent } from '../store/event-store.ts';

export type { ChangeBus };

export function createChangeFeed(bus?: ChangeBus) {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  bus?.onReceive((event) => emitter.emit('event', event));
  return {
    publish(event: StoredEvent): void {
      emitter.emit('event', event);
      bus?.send(event);
    },
    subscribe(listener: (event: StoredEvent) => void): () => void {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
  };
}

export type ChangeFeed = ReturnType<typeof createChangeFeed>;
