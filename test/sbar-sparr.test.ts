/**
 * What an SBAR carries when the patient has a spärr (docs/security.md, "SBAR and spärr"), on both
 * engines: the draft leaves out every item held by a unit under a standing spärr, whoever drafts
 * it, and says only that blocked information exists; the assessment it is about always goes, so
 * the physician on call can act.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../src/store/db.ts';
import { openTestApp } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makeProvider, makeUnit } from './helpers/factories.ts';
import { enrol, makeMobileWorld, mobileCareBodyFor, type MobileWorld } from './helpers/mobile-care.ts';

interface Draft {
  sbarDraft: { situation: string; background: string; assessment: string; recommendation: string };
}

async function assess(w: MobileWorld, who: 'homeNurse' | 'regionNurse') {
  const res = await w.clients[who].send(
    'POST',
    `/api/patients/${w.patientId}/assessments`,
    mobileCareBodyFor('/assessments'),
  );
  assert.equal(res.statusCode, 201, res.body);
  return res.json<Draft & { assessment: { id: string } }>();
}

const block = (db: Db, patientId: string, unitId: string) =>
  db.query(
    `insert into block (patient_id, scope_kind, unit_id, created_by_kind, created_by) values ($1, 'unit', $2, 'staff', 'test')`,
    [patientId, unitId],
  );

for (const engine of testEngines) {
  describe(`the SBAR and spärr on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it("leaves a blocked clinic's diagnosis out of the draft, says that something is blocked, and still sends the assessment", async () => {
      const w = await makeMobileWorld(app, db);
      await enrol(w);
      const clinic = await makeUnit(db, await makeProvider(db), 'specialistmottagning');
      await db.query(
        `insert into patient_diagnosis (patient_id, icd10, since, source_unit_id) values ($1, 'I50.9', '2024-01-01', $2), ($1, 'F32.1', '2024-02-01', $3)`,
        [w.patientId, w.vc, clinic],
      );
      await block(db, w.patientId, clinic);
      const a = await assess(w, 'homeNurse');
      assert.match(a.sbarDraft.background, /I50\.9/);
      assert.doesNotMatch(JSON.stringify(a.sbarDraft), /F32/);
      assert.match(a.sbarDraft.background, /spärrad information/);
      // The assessment itself is always in it: the physician can act on it.
      assert.match(a.sbarDraft.assessment, /Andningsfrekvens 24\/min/);
      const sent = await w.clients.homeNurse.send(
        'POST',
        `/api/patients/${w.patientId}/escalations`,
        mobileCareBodyFor('/escalations', { assessmentId: a.assessment.id }),
      );
      assert.equal(sent.statusCode, 201, sent.body);
      const list = await w.clients.physician.get('/api/escalations?status=open');
      assert.ok(list.body.includes(sent.json<{ id: string }>().id));
      assert.doesNotMatch(list.body, /F32/);
    });

    it('keeps what the drafting nurse may see out of the draft when her own unit is under spärr', async () => {
      const w = await makeMobileWorld(app, db);
      await enrol(w);
      await db.query(
        `insert into patient_diagnosis (patient_id, icd10, since, source_unit_id) values ($1, 'J44', '2024-01-01', $2)`,
        [w.patientId, w.vc],
      );
      await assess(w, 'regionNurse'); // an earlier assessment, held by the vårdcentral
      await block(db, w.patientId, w.vc);
      const a = await assess(w, 'regionNurse');
      const text = JSON.stringify(a.sbarDraft);
      assert.doesNotMatch(text, /J44/);
      assert.doesNotMatch(text, /Att kunna promenera/, 'the plan, held by the blocked vårdcentral');
      assert.match(a.sbarDraft.assessment, /Ingen tidigare NEWS2/);
      assert.match(a.sbarDraft.background, /spärrad information/);
    });
  });
}
