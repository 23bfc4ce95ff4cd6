/**
 * The access log's chain: tampering at the database level (update, delete, insert in the
 * middle) is found by the verification, and `npm run audit:verify` exits non-zero.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import type { AccessLogEntry } from '../src/domain/access-log.ts';
import { DEVELOPMENT_AUDIT_KEY } from '../src/services/audit-key.ts';
import { verifyAccessLog } from '../src/services/audit-verify.ts';
import { createAccessLogStore } from '../src/store/access-log-store.ts';
import { migrate, openDb, type Db } from '../src/store/db.ts';
import { testEngines } from './helpers/engines.ts';

const KEY = DEVELOPMENT_AUDIT_KEY;

function entry(i: number): AccessLogEntry {
  return {
    at: new Date(Date.UTC(2026, 10, 23, 8, 0, i)).toISOString(),
    action: 'read',
    actorKind: 'staff',
    actorId: 'SE2321000000-P0001',
    unitId: 'SE2321000000-E0001',
    providerId: 'SE2321000000-G0001',
    patientId: '11111111-1111-4111-8111-111111111111',
    outcome: 'allowed',
    legalBasis: 'own-unit',
    isEmergency: false,
    requestId: `req-${i}`,
    route: 'GET /api/patients/:patientId/overview',
    detail: null,
  };
}

/** Runs SQL with the append-only triggers switched off, as someone with database rights could. */
async function asIntruder(db: Db, sql: string): Promise<void> {
  await db.exec(
    `alter table access_log disable trigger user; ${sql}; alter table access_log enable trigger user;`,
  );
}

for (const engine of testEngines) {
  describe(`the access-log chain on ${engine.name}`, () => {
    let db: Db;
    before(async () => {
      db = await engine.open();
    });
    after(async () => {
      await db.close();
    });

    async function freshLog() {
      await asIntruder(db, 'delete from access_log');
      await db.query("update access_log_head set seq = 0, hash = 'genesis'");
      const log = createAccessLogStore(db, KEY);
      // Concurrent writers end up in one linear chain.
      await Promise.all(Array.from({ length: 20 }, (_, i) => log.write(entry(i))));
      return log;
    }

    it('verifies an intact chain written by concurrent requests', async () => {
      const log = await freshLog();
      assert.deepEqual(await verifyAccessLog(log, KEY), { entries: 20, problem: null });
    });

    it('keeps one chain when two writers (two server processes) take turns', async () => {
      await asIntruder(db, 'delete from access_log');
      await db.query("update access_log_head set seq = 0, hash = 'genesis'");
      const a = createAccessLogStore(db, KEY);
      const b = createAccessLogStore(db, KEY);
      // Each writer remembers the head after its own batch; the other's batches move it.
      for (let i = 0; i < 6; i++) await (i % 2 === 0 ? a : b).write(entry(i));
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).write(entry(10 + i))));
      assert.deepEqual(await verifyAccessLog(a, KEY), { entries: 16, problem: null });
    });

    it('writes the entries of decisions under way together in one batch', async () => {
      await asIntruder(db, 'delete from access_log');
      await db.query("update access_log_head set seq = 0, hash = 'genesis'");
      const log = createAccessLogStore(db, KEY, { maxWaitMs: 1000 });
      const slots = Array.from({ length: 5 }, () => log.reserve());
      // The first entry waits for the four decisions still reading their facts.
      const written = [slots[0]!.write(entry(0))];
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal((await log.head()).seq, 0);
      slots[1]!.cancel();
      for (let i = 2; i < 5; i++) written.push(slots[i]!.write(entry(i)));
      await Promise.all(written);
      const rows = await db.query<{ seq: number; xid: string }>(
        'select seq, xmin::text as xid from access_log order by seq',
      );
      assert.deepEqual(
        rows.map((r) => r.seq),
        [1, 2, 3, 4],
      );
      assert.equal(new Set(rows.map((r) => r.xid)).size, 1, 'one transaction');
      assert.deepEqual(await verifyAccessLog(log, KEY), { entries: 4, problem: null });
    });

    it('does not hold a lone entry back, and caps the wait for a decision that never comes', async () => {
      const log = createAccessLogStore(db, KEY, { maxWaitMs: 50 });
      let start = Date.now();
      await log.reserve().write(entry(0));
      assert.ok(Date.now() - start < 50, 'written without waiting');
      const forgotten = log.reserve();
      start = Date.now();
      await log.write(entry(1));
      assert.ok(Date.now() - start >= 45, 'waited for the reserved decision');
      forgotten.cancel();
    });

    it('finds an altered entry', async () => {
      const log = await freshLog();
      await asIntruder(db, "update access_log set actor_id = 'SE2321000000-P9999' where seq = 7");
      assert.deepEqual((await verifyAccessLog(log, KEY)).problem, { kind: 'altered', seq: 7 });
    });

    it('finds a removed entry', async () => {
      const log = await freshLog();
      await asIntruder(db, 'delete from access_log where seq = 5');
      assert.deepEqual((await verifyAccessLog(log, KEY)).problem, { kind: 'gap', seq: 6, expected: 5 });
    });

    it('finds entries removed from the end', async () => {
      const log = await freshLog();
      await asIntruder(db, 'delete from access_log where seq > 18');
      assert.equal((await verifyAccessLog(log, KEY)).problem?.kind, 'head-mismatch');
    });

    it('finds an entry inserted in the middle', async () => {
      const log = await freshLog();
      // Make room at seq 10 and insert a forged entry that links to seq 9 (without the key).
      await asIntruder(
        db,
        `update access_log set seq = seq + 1000 where seq >= 10;
         update access_log set seq = seq - 999 where seq >= 1000;
         insert into access_log (seq, at, action, actor_kind, actor_id, outcome, request_id, route, prev_hash, hash)
           select 10, now(), 'read', 'staff', 'SE-FORGED', 'allowed', 'forged', 'x', hash, md5('forged') from access_log where seq = 9;
         update access_log_head set seq = seq + 1`,
      );
      assert.deepEqual((await verifyAccessLog(log, KEY)).problem, { kind: 'altered', seq: 10 });
    });

    it('finds a chain rebuilt without the key', async () => {
      const log = await freshLog();
      assert.equal((await verifyAccessLog(log, 'another key')).problem?.kind, 'altered');
    });
  });
}

describe('the benchmark-only unaudited build', () => {
  it('is refused in production', async () => {
    const db = await openDb({});
    try {
      await assert.rejects(
        buildApp({
          db,
          config: readConfig({ NODE_ENV: 'production', AUDIT_KEY: KEY }),
          auditKey: KEY,
          benchOnlyUnaudited: true,
        }),
        /benchmark only/,
      );
    } finally {
      await db.close();
    }
  });
});

describe('npm run audit:verify', () => {
  it('exits 0 on an intact log and non-zero on a tampered one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pk-audit-'));
    const dataDir = join(dir, 'pglite');
    try {
      const db = await openDb({ dataDir });
      await migrate(db);
      const log = createAccessLogStore(db, KEY);
      for (let i = 0; i < 5; i++) await log.write(entry(i));
      await db.close();
      const run = () =>
        spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/audit-verify.ts'], {
          env: { ...process.env, DATA_DIR: dataDir, AUDIT_KEY: KEY, DATABASE_URL: '' },
          encoding: 'utf8',
        });
      const intact = run();
      assert.equal(intact.status, 0, intact.stderr);
      assert.match(intact.stdout, /intakt: 5 poster/);
      const tamper = await openDb({ dataDir });
      await asIntruder(tamper, "update access_log set detail = 'ändrad' where seq = 3");
      await tamper.close();
      const broken = run();
      assert.equal(broken.status, 1);
      assert.match(broken.stderr, /Post 3 stämmer inte/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
