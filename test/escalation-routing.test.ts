/**
 * Routing when the enrolled team has nobody on call as its primary now, on both engines: the
 * nurse's screen shows the team's backup to call, the SBAR is addressed to the backup, who sees
 * it among their escalations; and with neither primary nor backup on call, the vårdcentral or the
 * region's on-call number answers (domain/escalation.ts#routeEscalation, each branch from data).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../src/store/db.ts';
import { createTeamStore } from '../src/store/team-store.ts';
import { openTestApp } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { enrol, makeMobileWorld, mobileCareBodyFor, type MobileWorld } from './helpers/mobile-care.ts';

async function setRoster(db: Db, w: MobileWorld, roster: { staffId: string; backup: boolean }[]) {
  await db.transaction((tx) =>
    createTeamStore(tx).replaceRoster(
      tx,
      w.teamId,
      new Date().toISOString(),
      roster.map((r) => ({
        ...r,
        starts: new Date(Date.now() - 60_000).toISOString(),
        ends: new Date(Date.now() + 3600_000).toISOString(),
      })),
    ),
  );
}

async function assess(w: MobileWorld) {
  const res = await w.clients.homeNurse.send(
    'POST',
    `/api/patients/${w.patientId}/assessments`,
    mobileCareBodyFor('/assessments'),
  );
  assert.equal(res.statusCode, 201, res.body);
  return res.json<{ assessment: { id: string }; route: { via: string; staffId?: string; phone: string } }>();
}

for (const engine of testEngines) {
  describe(`routing without a physician on call on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it("sends the SBAR to the team's backup when the roster has no primary now", async () => {
      const w = await makeMobileWorld(app, db);
      await enrol(w);
      await setRoster(db, w, [{ staffId: w.backup, backup: true }]);
      const a = await assess(w);
      assert.deepEqual([a.route.via, a.route.staffId], ['team-backup', w.backup]);
      const sent = await w.clients.homeNurse.send(
        'POST',
        `/api/patients/${w.patientId}/escalations`,
        mobileCareBodyFor('/escalations', { assessmentId: a.assessment.id }),
      );
      assert.equal(sent.statusCode, 201, sent.body);
      assert.equal(sent.json<{ addresseeStaffId: string }>().addresseeStaffId, w.backup);
      const list = await w.clients.backup.get('/api/escalations?status=open');
      assert.ok(list.body.includes(sent.json<{ id: string }>().id), list.body);
      // The physician who is not on call does not get it.
      const other = await w.clients.physician.get('/api/escalations?status=open');
      assert.ok(!other.body.includes(sent.json<{ id: string }>().id));
    });

    it('passes to the vårdcentral or the regional number when the team has neither on call', async () => {
      const w = await makeMobileWorld(app, db);
      await enrol(w);
      await setRoster(db, w, []);
      const a = await assess(w);
      assert.ok(['listed-vardcentral', 'regional-on-call'].includes(a.route.via), a.route.via);
    });
  });
}
