/**
 * The change feed across server processes on PostgreSQL (WORKERS > 1): each published event is
 * sent with `pg_notify` on one channel, and every process LISTENs on a connection of its own
 * and passes on the events other processes sent (its own it has already delivered). NOTIFY is
 * delivered after commit, in order, to every listening session of the database; a process
 * that is not listening at that moment (its connection dropped and is being re-opened) misses
 * it, like a browser that reconnects: live updates are a convenience, the stored data is
 * authoritative. PGlite is one process's database and needs no bus.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Db } from './db.ts';
import type { StoredEvent } from './event-store.ts';

/** Carries events between server processes (the change feed in services/change-feed.ts uses one). */
export interface ChangeBus {
  /** Sends an event published here to the other processes (fire and forget). */
  send(event: StoredEvent): void;
  /** Calls `listener` with each event another process published. */
  onReceive(listener: (event: StoredEvent) => void): void;
}

/** NOTIFY payloads must stay under 8,000 bytes. */
const MAX_PAYLOAD = 7900;

export interface ChangeBusOptions {
  /** The channel; tests give each bus pair its own. */
  channel?: string;
  /** Called when sending fails or the listening connection drops (it is re-opened). */
  onError?: (error: unknown) => void;
  /** Wait before re-opening a dropped listening connection, in ms. */
  reconnectMs?: number;
}

export type PgChangeBus = ChangeBus & { close(): Promise<void> };

/** Connects a bus over `db` (sending) and a listening connection of its own to `url`. */
export async function openChangeBus(
  db: Db,
  url: string,
  options: ChangeBusOptions = {},
): Promise<PgChangeBus> {
  if (db.engine !== 'postgres') throw new Error('The change bus needs PostgreSQL.');
  const channel = options.channel ?? 'pk_change';
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name "${channel}"`);
  const onError = options.onError ?? (() => undefined);
  const origin = randomUUID();
  const listeners: ((event: StoredEvent) => void)[] = [];
  let client: pg.Client | null = null;
  let closed = false;

  const receive = (message: pg.Notification): void => {
    if (message.channel !== channel || !message.payload) return;
    try {
      const { o, e } = JSON.parse(message.payload) as { o: string; e: StoredEvent };
      if (o === origin) return;
      for (const listener of listeners) listener(e);
    } catch (error) {
      onError(error);
    }
  };

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', receive);
    next.on('error', (error) => {
      onError(error);
      if (client === next) client = null;
      void next.end().catch(() => undefined);
      if (!closed) setTimeout(() => void reconnect(), options.reconnectMs ?? 1000).unref();
    });
    await next.connect();
    await next.query(`listen ${channel}`);
    client = next;
  };
  const reconnect = async (): Promise<void> => {
    if (closed || client) return;
    try {
      await connect();
    } catch (error) {
      onError(error);
      if (!closed) setTimeout(() => void reconnect(), options.reconnectMs ?? 1000).unref();
    }
  };
  await connect();

  // One statement at a time, each with everything published meanwhile, so that the other
  // processes hear this one's events in the order they were published.
  const pending: string[] = [];
  let isSending = false;
  const sendPending = async (): Promise<void> => {
    isSending = true;
    while (pending.length > 0) {
      const payloads = pending.splice(0, 100);
      await db
        .query('select pg_notify($1, p) from unnest($2::text[]) with ordinality as t(p, n) order by n', [
          channel,
          payloads,
        ])
        .catch(onError);
    }
    isSending = false;
  };

  return {
    send(event) {
      let payload = JSON.stringify({ o: origin, e: event });
      // Only the one-line summary can be long; the rest is ids and names.
      let summary = event.summary;
      while (Buffer.byteLength(payload) > MAX_PAYLOAD && summary.length > 0) {
        summary = summary.slice(0, Math.floor(summary.length * 0.8));
        payload = JSON.stringify({ o: origin, e: { ...event, summary: `${summary}…` } });
      }
      pending.push(payload);
      if (!isSending) void sendPending();
    },
    onReceive(listener) {
      listeners.push(listener);
    },
    async close() {
      closed = true;
      const last = client;
      client = null;
      await last?.end().catch(() => undefined);
    },
  };
}
