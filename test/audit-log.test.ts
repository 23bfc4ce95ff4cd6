/**
 * The access log's chain: tampering at the database level (update, delete, insert in the
 * middle) is found by the verification, and `npm run audit:verify` exits non-zero.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { checkpointLine, readCheckpoints, type AccessLogEntry } from '../src/domain/access-log.ts';
import { DEVELOPMENT_AUDIT_KEY, deriveKey } from '../src/services/audit-key.ts';
import { startCheckpoints } from '../src/services/audit-checkpoint.ts';
import { verifyAccessLog } from '../src/services/audit-verify.ts';
import { createAccessLogStore } from '../src/store/access-log-store.ts';
import { migrate, openDb, type Db } from '../src/store/db.ts';
import { login } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makeWorld } from './helpers/factories.ts';

const KEY = DEVELOPMENT_AUDIT_KEY;
const CHECKPOINT_KEY = deriveKey(KEY, 'access-log-checkpoint');

const intact = (entries: number) => ({
  entries,
  problems: [],
  problemCount: 0,
  checkpoints: null,
  verdict: { kind: 'intact' },
});

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
      assert.deepEqual(await verifyAccessLog(log, KEY), intact(20));
    });

    it('keeps one chain when two writers (two server processes) take turns', async () => {
      await asIntruder(db, 'delete from access_log');
      await db.query("update access_log_head set seq = 0, hash = 'genesis'");
      const a = createAccessLogStore(db, KEY);
      const b = createAccessLogStore(db, KEY);
      // Each writer remembers the head after its own batch; the other's batches move it.
      for (let i = 0; i < 6; i++) await (i % 2 === 0 ? a : b).write(entry(i));
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).write(entry(10 + i))));
      assert.deepEqual(await verifyAccessLog(a, KEY), intact(16));
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
      assert.deepEqual(await verifyAccessLog(log, KEY), intact(4));
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
      assert.deepEqual((await verifyAccessLog(log, KEY)).problems, [{ kind: 'altered', seq: 7 }]);
    });

    it('finds a removed entry', async () => {
      const log = await freshLog();
      await asIntruder(db, 'delete from access_log where seq = 5');
      assert.deepEqual((await verifyAccessLog(log, KEY)).problems, [{ kind: 'gap', seq: 6, expected: 5 }]);
    });

    it('finds entries removed from the end', async () => {
      const log = await freshLog();
      await asIntruder(db, 'delete from access_log where seq > 18');
      assert.deepEqual((await verifyAccessLog(log, KEY)).problems, [
        { kind: 'head-mismatch', headSeq: 20, lastSeq: 18 },
      ]);
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
      // The forged entry does not match its hash, the next no longer links to its predecessor,
      // and every entry after it was renumbered (its seq is part of its hash).
      const { problems } = await verifyAccessLog(log, KEY);
      assert.deepEqual(problems.slice(0, 2), [
        { kind: 'altered', seq: 10 },
        { kind: 'broken-link', seq: 11 },
      ]);
      assert.deepEqual(
        problems.slice(2),
        Array.from({ length: 11 }, (_, i) => ({ kind: 'altered', seq: 11 + i })),
      );
    });

    it('reports every altered entry, not only the first', async () => {
      const log = await freshLog();
      await asIntruder(
        db,
        "update access_log set detail = 'ändrad' where seq = 4; update access_log set unit_id = 'SE-X' where seq = 15",
      );
      assert.deepEqual((await verifyAccessLog(log, KEY)).problems, [
        { kind: 'altered', seq: 4 },
        { kind: 'altered', seq: 15 },
      ]);
    });

    it('reports each removal and alteration along the chain, each once', async () => {
      const log = await freshLog();
      await asIntruder(
        db,
        "delete from access_log where seq in (3, 4); update access_log set detail = 'x' where seq = 12",
      );
      assert.deepEqual((await verifyAccessLog(log, KEY)).problems, [
        { kind: 'gap', seq: 5, expected: 3 },
        { kind: 'altered', seq: 12 },
      ]);
    });

    it('finds the last entries cut off with the head moved back, through a checkpoint outside the database', async () => {
      const log = await freshLog();
      const checkpoint = checkpointLine(CHECKPOINT_KEY, {
        ...log.lastWritten()!,
        at: '2026-11-23T09:00:00.000Z',
      });
      const checkpoints = { text: `${checkpoint}\n`, key: CHECKPOINT_KEY };
      assert.deepEqual((await verifyAccessLog(log, KEY, { checkpoints })).problems, []);
      // Someone with the database cuts off the last 3 entries and moves the head back to match.
      await asIntruder(db, 'delete from access_log where seq > 17');
      await db.query(
        'update access_log_head set seq = 17, hash = (select hash from access_log where seq = 17)',
      );
      assert.deepEqual((await verifyAccessLog(log, KEY)).problems, [], 'the chain alone cannot tell');
      assert.deepEqual((await verifyAccessLog(log, KEY, { checkpoints })).problems, [
        { kind: 'truncated', checkpointSeq: 20, lastSeq: 17 },
      ]);
    });

    it('finds a rewritten end at a checkpointed position, and an altered checkpoint', async () => {
      const log = await freshLog();
      const at = '2026-11-23T09:00:00.000Z';
      const good = checkpointLine(CHECKPOINT_KEY, {
        seq: 10,
        hash: (await log.list({ limit: 11 }))[10]!.hash,
        at,
      });
      const forged = JSON.stringify({ ...(JSON.parse(good) as object), seq: 9 });
      const result = await verifyAccessLog(log, KEY, {
        checkpoints: { text: `${good}\n${forged}\n`, key: CHECKPOINT_KEY },
      });
      assert.deepEqual(result.problems, [{ kind: 'checkpoint-altered', line: 2 }]);
      const wrongHash = checkpointLine(CHECKPOINT_KEY, { seq: 10, hash: 'f'.repeat(64), at });
      assert.deepEqual(
        (await verifyAccessLog(log, KEY, { checkpoints: { text: wrongHash, key: CHECKPOINT_KEY } })).problems,
        [{ kind: 'checkpoint-mismatch', seq: 10 }],
      );
      // A line made with another key (the database's owner cannot compute one) counts as altered.
      const other = checkpointLine('another key', { seq: 30, hash: 'x', at });
      assert.deepEqual(
        (await verifyAccessLog(log, KEY, { checkpoints: { text: other, key: CHECKPOINT_KEY } })).problems,
        [{ kind: 'checkpoint-altered', line: 1 }],
      );
    });

    it('writes an entry with a NUL, a lone surrogate or an upper-case patient id so that it verifies', async () => {
      const log = await freshLog();
      await log.write({
        ...entry(30),
        patientId: '526AA5BB-1111-4111-8111-111111111111',
        detail: 'sök: Lindqvist\u0000',
        route: 'GET /x\ud800',
      });
      const [stored] = await log.list({ limit: 1 });
      assert.equal(stored!.patientId, '526aa5bb-1111-4111-8111-111111111111');
      assert.equal(stored!.detail, 'sök: Lindqvist\ufffd');
      assert.deepEqual(await verifyAccessLog(log, KEY), intact(21));
    });

    it('fails only the request whose entry the database refuses, not the others in its batch', async () => {
      const log = await freshLog();
      const slots = Array.from({ length: 12 }, () => log.reserve());
      const results = await Promise.allSettled(
        slots.map((slot, i) =>
          slot.write(i === 5 ? { ...entry(40 + i), at: 'not an instant' } : entry(40 + i)),
        ),
      );
      assert.deepEqual(
        results.map((r) => r.status),
        results.map((_, i) => (i === 5 ? 'rejected' : 'fulfilled')),
      );
      assert.deepEqual(await verifyAccessLog(log, KEY), intact(31));
    });

    it('finds a chain rebuilt without the key', async () => {
      const log = await freshLog();
      const result = await verifyAccessLog(log, 'another key');
      assert.equal(result.problemCount, 20);
      assert.ok(result.problems.every((p) => p.kind === 'altered'));
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

describe('checkpoints written by the server', () => {
  it('appends a checkpoint of the last entry it wrote when it shuts down', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pk-checkpoint-'));
    const file = join(dir, 'audit-checkpoints.jsonl');
    const db = await openDb({});
    try {
      await migrate(db);
      const { app } = await buildApp({
        db,
        config: readConfig({ NODE_ENV: 'test', RATE_LIMIT: 'off' }),
        auditKey: KEY,
        auditCheckpoint: { file, intervalSeconds: 3600 },
      });
      const log = createAccessLogStore(db, KEY);
      const world = await makeWorld(db);
      const nurse = await login(app, { hsaId: world.nurseId });
      assert.equal((await nurse.get(`/api/patients/${world.patientId}/overview`)).statusCode, 200);
      await app.close();
      const head = await log.head();
      assert.ok(head.seq > 0);
      const text = await readFile(file, 'utf8');
      const { checkpoints, problems } = readCheckpoints(CHECKPOINT_KEY, text);
      assert.deepEqual(problems, []);
      assert.deepEqual(
        checkpoints.map((c) => ({ seq: c.seq, hash: c.hash })),
        [head],
      );
      const result = await verifyAccessLog(log, KEY, { checkpoints: { text, key: CHECKPOINT_KEY } });
      assert.deepEqual(result.problems, []);
      assert.equal(result.checkpoints, 1);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
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

  it('exits non-zero when the end was cut off and the head moved back, by the checkpoint file the server wrote', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pk-audit-'));
    const dataDir = join(dir, 'pglite');
    const file = join(dir, 'checkpoints', 'audit-checkpoints.jsonl');
    try {
      const db = await openDb({ dataDir });
      await migrate(db);
      const log = createAccessLogStore(db, KEY);
      const checkpoints = startCheckpoints({
        file,
        key: CHECKPOINT_KEY,
        intervalSeconds: 3600,
        lastWritten: () => log.lastWritten(),
        clock: () => new Date(),
        onError: (error) => assert.fail(String(error)),
      });
      for (let i = 0; i < 3; i++) await log.write(entry(i));
      await checkpoints.write();
      for (let i = 3; i < 6; i++) await log.write(entry(i));
      await checkpoints.stop();
      assert.equal((await readFile(file, 'utf8')).trim().split('\n').length, 2, 'one line per checkpoint');
      await db.close();
      const run = () =>
        spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/audit-verify.ts'], {
          env: {
            ...process.env,
            DATA_DIR: dataDir,
            AUDIT_KEY: KEY,
            DATABASE_URL: '',
            AUDIT_CHECKPOINT_FILE: file,
          },
          encoding: 'utf8',
        });
      const intact = run();
      assert.equal(intact.status, 0, intact.stderr);
      assert.match(intact.stdout, /intakt: 6 poster, kedjan obruten, 2 kontrollpunkter stämmer/);
      const tamper = await openDb({ dataDir });
      await asIntruder(tamper, 'delete from access_log where seq > 4');
      await tamper.query(
        'update access_log_head set seq = 4, hash = (select hash from access_log where seq = 4)',
      );
      await tamper.close();
      // The chain is whole and ends early: a restore looks like this, or a cut-off end (exit 2).
      const cut = run();
      assert.equal(cut.status, 2, cut.stdout);
      assert.match(cut.stderr, /anger post 6, men loggen slutar på post 4: slutet av loggen saknas/);
      assert.match(cut.stderr, /SLUTAR TIDIGARE .* slutar på post 4 medan kontrollpunkterna når post 6/);
      assert.match(
        cut.stderr,
        /en kopia tagen efter kontrollpunkten vid post 3 .* och före kontrollpunkten vid post 6/,
      );
      // An entry changed as well: no restore gives that (exit 1).
      const worse = await openDb({ dataDir });
      await asIntruder(worse, "update access_log set detail = 'ändrad' where seq = 2");
      await worse.close();
      const tampered = run();
      assert.equal(tampered.status, 1, tampered.stdout);
      assert.match(tampered.stderr, /MANIPULERAD/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
