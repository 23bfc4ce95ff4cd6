/**
 * Live updates across server processes (WORKERS > 1): two feeds on one PostgreSQL database,
 * each with its own bus, stand for two processes. PostgreSQL only (TEST_DATABASE_URL).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createChangeFeed } from '../src/services/change-feed.ts';
import { openChangeBus, type PgChangeBus } from '../src/store/change-bus.ts';
import { openDb, type Db } from '../src/store/db.ts';
import type { StoredEvent } from '../src/store/event-store.ts';

const url = process.env.TEST_DATABASE_URL;

function event(id: number, summary = 'Ändrade vad som är viktigt'): StoredEvent {
  return {
    id,
    createdAt: new Date(Date.UTC(2026, 10, 23, 8, 0, id)).toISOString(),
    patientId: '11111111-1111-4111-8111-111111111111',
    contractId: null,
    kind: 'contract-changed',
    actor: {
      kind: 'staff',
      staffId: 'SE2321000000-P0001',
      name: 'Åsa Öberg',
      profession: 'sjukskoterska',
      role: 'medarbetare',
      unitId: 'SE2321000000-E0001',
      providerId: 'SE2321000000-G0001',
    },
    summary,
    recipients: ['SE2321000000-P0002'],
  };
}

/** Resolves with the events `feed` delivers until `count` have come (or rejects after 5 s). */
function collect(feed: ReturnType<typeof createChangeFeed>, count: number): Promise<StoredEvent[]> {
  return new Promise((resolve, reject) => {
    const got: StoredEvent[] = [];
    const timer = setTimeout(() => reject(new Error(`got ${got.length} of ${count} events`)), 5000);
    const stop = feed.subscribe((e) => {
      got.push(e);
      if (got.length === count) {
        clearTimeout(timer);
        stop();
        resolve(got);
      }
    });
  });
}

describe('the change feed across processes (PostgreSQL LISTEN/NOTIFY)', { skip: !url }, () => {
  let db: Db;
  let busA: PgChangeBus;
  let busB: PgChangeBus;
  const channel = `pk_test_${randomBytes(4).toString('hex')}`;
  before(async () => {
    db = await openDb({ databaseUrl: url, poolSize: 4 });
    busA = await openChangeBus(db, url!, { channel });
    busB = await openChangeBus(db, url!, { channel });
  });
  after(async () => {
    await busA.close();
    await busB.close();
    await db.close();
  });

  it("delivers each event once in every process, in order, the publisher's own at once", async () => {
    const feedA = createChangeFeed(busA);
    const feedB = createChangeFeed(busB);
    const inA = collect(feedA, 3);
    const inB = collect(feedB, 3);
    feedA.publish(event(1));
    feedB.publish(event(2));
    feedA.publish(event(3));
    const [a, b] = await Promise.all([inA, inB]);
    // Each process hears its own events at once and the other's after the NOTIFY.
    assert.deepEqual(a.map((e) => e.id).sort(), [1, 2, 3]);
    assert.deepEqual(b.map((e) => e.id).sort(), [1, 2, 3]);
    assert.deepEqual(
      b.filter((e) => e.id !== 2).map((e) => e.id),
      [1, 3],
    );
    assert.deepEqual(
      b.find((e) => e.id === 1),
      event(1),
    );
    // Nothing more arrives (no echo of a process's own events).
    const extra: StoredEvent[] = [];
    const stop = feedA.subscribe((e) => extra.push(e));
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop();
    assert.deepEqual(extra, []);
  });

  it('shortens a summary too long for a NOTIFY payload', async () => {
    const feedA = createChangeFeed(busA);
    const feedB = createChangeFeed(busB);
    const inB = collect(feedB, 1);
    feedA.publish(event(4, 'ö'.repeat(6000)));
    const [got] = await inB;
    assert.ok(got!.summary.endsWith('…'));
    assert.ok(Buffer.byteLength(got!.summary) < 7900);
    assert.equal(got!.id, 4);
  });
});
