/**
 * Saving a team's on-call roster through the API, on both engines: a member saves shifts of
 * members (and they are who is on call then); a shift for someone outside the team is refused at
 * its field with nothing changed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../src/store/db.ts';
import { openTestApp } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makeMobileWorld } from './helpers/mobile-care.ts';

interface Shift {
  staffId: string;
  starts: string;
  ends: string;
  backup: boolean;
}

for (const engine of testEngines) {
  describe(`the on-call roster on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it('saves shifts of members and refuses one for a stranger, changing nothing', async () => {
      const w = await makeMobileWorld(app, db);
      const url = `/api/teams/${w.teamId}`;
      const current = (await w.clients.physician.get(url)).json<{ team: { roster: Shift[] } }>().team.roster;
      const added = {
        staffId: w.homeNurse,
        starts: '2030-01-01T16:00:00.000Z',
        ends: '2030-01-02T07:00:00.000Z',
        backup: true,
      };
      const saved = await w.clients.physician.send('PUT', `${url}/roster`, { roster: [...current, added] });
      assert.equal(saved.statusCode, 200, saved.body);
      const roster = (await w.clients.physician.get(url)).json<{ team: { roster: Shift[] } }>().team.roster;
      assert.equal(roster.length, current.length + 1);
      assert.ok(roster.some((r) => r.staffId === w.homeNurse && r.backup));

      const stranger = { ...added, staffId: 'SE0000000000-NOBODY' };
      const refused = await w.clients.physician.send('PUT', `${url}/roster`, {
        roster: [...roster, stranger],
      });
      assert.equal(refused.statusCode, 422, refused.body);
      const body = refused.json<{ error: { details: { path: string; message: string }[] } }>();
      assert.deepEqual(body.error.details, [
        { path: `/roster/${roster.length}/staffId`, message: 'Inte medlem i teamet.' },
      ]);
      const after = (await w.clients.physician.get(url)).json<{ team: { roster: Shift[] } }>().team.roster;
      assert.deepEqual(after, roster);
    });
  });
}
