/**
 * The region's own version of the assessment checklist, on both engines: the built-in NEWS2 until
 * a version is loaded; a loaded version scores the next assessment (and the assessment keeps its
 * id and version) and is what the web's live score reads; a broken file, a reused built-in id or a
 * version not newer than the last is refused with a Swedish message and nothing written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../src/domain/errors.ts';
import { NEWS2_DEFAULT_CONFIG, type AssessmentConfig } from '../src/domain/news2.ts';
import { createAssessmentConfigService } from '../src/services/assessment-config-service.ts';
import { createAssessmentConfigStore } from '../src/store/assessment-config-store.ts';
import type { Db } from '../src/store/db.ts';
import { buildTestApp } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { enrol, makeMobileWorld, mobileCareBodyFor, type MobileWorld } from './helpers/mobile-care.ts';

/** A regional variant: fever counts more (38.4 °C gives 3 points instead of 1). */
function regionalConfig(version = 1): AssessmentConfig {
  return {
    ...structuredClone(NEWS2_DEFAULT_CONFIG),
    id: 'visam-exempelregion',
    version,
    name: 'ViSam-bedömning Exempelregionen',
    bands: {
      ...structuredClone(NEWS2_DEFAULT_CONFIG.bands),
      temperature: [
        { upTo: 35.0, points: 3 },
        { upTo: 36.0, points: 1 },
        { upTo: 38.0, points: 0 },
        { points: 3 },
      ],
    },
  };
}

async function configRows(db: Db): Promise<number> {
  const rows = await db.query<{ n: number }>('select count(*)::int as n from assessment_config');
  return rows[0]!.n;
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => assert.fail('the file was accepted'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DomainError, String(error));
  assert.equal(error.code, 'assessment_config_invalid');
  return error;
}

for (const engine of testEngines) {
  describe(`the region's assessment checklist on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let w: MobileWorld;
    const service = () => createAssessmentConfigService({ db, configs: createAssessmentConfigStore(db) });
    const load = (text: string) =>
      service().load({ text, source: 'region.json', actorId: 'cli:test', now: new Date() });
    const assess = async () => {
      const res = await w.clients.homeNurse.send(
        'POST',
        `/api/patients/${w.patientId}/assessments`,
        mobileCareBodyFor('/assessments'),
      );
      assert.equal(res.statusCode, 201, res.body);
      const { assessment, score } = res.json<{
        assessment: { id: string; score: number; config: { id: string; version: number } };
        score: { total: number; parts: { temperature: number } };
      }>();
      return { assessment, score };
    };

    before(async () => {
      db = await engine.open();
      app = await buildTestApp(db);
      w = await makeMobileWorld(app, db);
      await enrol(w);
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    it('scores with NEWS2 by RCP 2017 until the region loads its own version', async () => {
      const live = await w.clients.homeNurse.get('/api/assessment-config');
      assert.equal(live.statusCode, 200, live.body);
      assert.deepEqual(live.json<{ config: AssessmentConfig }>().config, NEWS2_DEFAULT_CONFIG);
      const anonymous = await app.inject({ method: 'GET', url: '/api/assessment-config' });
      assert.equal(anonymous.statusCode, 401);
      const { assessment, score } = await assess();
      assert.equal(score.parts.temperature, 1);
      assert.equal(assessment.score, score.total);
      assert.deepEqual(assessment.config, { id: NEWS2_DEFAULT_CONFIG.id, version: 1 });
    });

    it('refuses a broken file with a Swedish message and writes nothing', async () => {
      const notJson = await refusal(load('{ "id": "visam-exempelregion", '));
      assert.match(notJson.details[0]!.message, /inte giltig JSON/);
      assert.match(notJson.message, /Inget har ändrats/);
      const broken = regionalConfig();
      broken.bands.pulse = [{ upTo: 90, points: 0 }, { upTo: 50, points: 1 }, { points: 3 }];
      (broken.bands.consciousness as Record<string, unknown>).U = 4;
      const bands = await refusal(load(JSON.stringify(broken)));
      assert.deepEqual(bands.details.map((d) => d.path).sort(), [
        '/bands/consciousness/U',
        '/bands/pulse/1/upTo',
      ]);
      assert.match(bands.details.find((d) => d.path === '/bands/pulse/1/upTo')!.message, /stigande ordning/);
      const builtIn = await refusal(
        load(JSON.stringify({ ...regionalConfig(), id: NEWS2_DEFAULT_CONFIG.id })),
      );
      assert.match(builtIn.details[0]!.message, /inbyggda NEWS2/);
      const badId = await refusal(load(JSON.stringify({ ...regionalConfig(), id: 'ViSam Skåne' })));
      assert.equal(badId.details[0]!.path, '/id');
      assert.equal(await configRows(db), 0);
      assert.deepEqual(await service().active(), NEWS2_DEFAULT_CONFIG);
    });

    it('scores the next assessment with the loaded version and stores its id and version', async () => {
      const loaded = await load(JSON.stringify(regionalConfig()));
      assert.equal(loaded.name, 'ViSam-bedömning Exempelregionen');
      const live = await w.clients.homeNurse.get('/api/assessment-config');
      assert.equal(live.json<{ config: AssessmentConfig }>().config.id, 'visam-exempelregion');
      const { assessment, score } = await assess();
      assert.equal(score.parts.temperature, 3);
      const stored = await db.query<{ score: number; config_id: string; config_version: number }>(
        'select score, config_id, config_version from assessment where id = $1',
        [assessment.id],
      );
      assert.deepEqual(stored[0], {
        score: score.total,
        config_id: 'visam-exempelregion',
        config_version: 1,
      });
      // The same vitals scored 2 points fewer with the built-in NEWS2 (temperature 1 instead of 3).
      const first = await db.query<{ score: number }>(
        `select score from assessment where patient_id = $1 and config_id = $2`,
        [w.patientId, NEWS2_DEFAULT_CONFIG.id],
      );
      assert.equal(stored[0]?.score, first[0]!.score + 2);
    });

    it('keeps a loaded version unchanged: the same or a lower version number is refused', async () => {
      const again = await refusal(load(JSON.stringify({ ...regionalConfig(1), name: 'Ändrad' })));
      assert.match(again.details[0]!.message, /högre nummer/);
      assert.equal(await configRows(db), 1);
      await load(JSON.stringify({ ...regionalConfig(2), name: 'ViSam-bedömning Exempelregionen 2' }));
      assert.equal((await service().active()).version, 2);
      const { assessment } = await assess();
      assert.deepEqual(assessment.config, { id: 'visam-exempelregion', version: 2 });
    });
  });
}
