/**
 * An in-process feed of stored change events. Routes publish after their transaction has
 * committed; subscribers (live updates to the staff app through server-sent events) hear them.
 * With several server processes each hears only its own; see docs/architecture.md.
 */
import { EventEmitter } from 'node:events';
import type { StoredEvent } from '../store/event-store.ts';

export function createChangeFeed() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(event: StoredEvent): void {
      emitter.emit('event', event);
    },
    subscribe(listener: (event: StoredEvent) => void): () => void {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
  };
}

export type ChangeFeed = ReturnType<typeof createChangeFeed>;
