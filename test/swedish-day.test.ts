import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../src/store/db.ts';
import { buildTestApp, login } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makeWorld, sampleContent } from './helpers/factories.ts';

// "Today" and the day of an instant come from src/domain/swedish-time.ts only. These are the other
// ways to get a day, each wrong for the first hour or two of a Swedish day or a second copy of the
// summer-time rule.
const forbidden: { pattern: RegExp; why: string }[] = [
  { pattern: /toISOString\(\)\s*\.\s*(slice|substring|substr)\(\s*0\s*,\s*10\s*\)/, why: 'the UTC date' },
  { pattern: /toISOString\(\)\s*\.\s*split\(\s*'T'\s*\)/, why: 'the UTC date' },
  {
    pattern: /\bcurrent_date\b|\bnow\(\)\s*::\s*date\b|\bcurrent_timestamp\s*::\s*date\b|\blocaltimestamp\b/i,
    why: "the day in the database session's time zone",
  },
  { pattern: /timeZone:\s*['"]Europe\/Stockholm['"]/, why: 'a second Swedish-time implementation' },
];

const root = join(import.meta.dirname, '..');
const allowed = new Set(['src/domain/swedish-time.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|tsx|sql)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('one Swedish day', () => {
  it('computes no day from UTC, the database session or a second time-zone rule outside swedish-time.ts', () => {
    const offences: string[] = [];
    for (const file of ['src', 'web/src', 'migrations'].flatMap(sourceFiles)) {
      if (allowed.has(relative(root, join(root, file)))) continue;
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/^\s*(\/\/|\*|\/\*|--)/.test(line)) return; // a comment may name what not to do
          for (const { pattern, why } of forbidden)
            if (pattern.test(line)) offences.push(`${file}:${i + 1}: ${why}: ${line.trim()}`);
        });
    }
    assert.deepEqual(offences, []);
  });
});

// Just after midnight in Sweden in summer (00:30 CEST), when the UTC date is still yesterday.
const JUST_AFTER_MIDNIGHT = new Date('2026-07-14T22:30:00Z');

for (const engine of testEngines) {
  describe(`the routes' today at 00:30 Swedish summer time [${engine.name}]`, () => {
    let db: Db;
    let app: FastifyInstance;
    before(async () => {
      db = await engine.open();
      app = await buildTestApp(db, () => JUST_AFTER_MIDNIGHT);
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    it('dates an appointment, a care relationship and the worklist by the Swedish day', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      const appointed = await nurse.send('POST', `/api/patients/${w.patientId}/care-contacts`, {
        role: 'fast-vardkontakt',
        staffId: w.nurseId,
        unitId: w.unitId,
        reason: 'behov',
      });
      assert.equal(appointed.statusCode, 201, appointed.body);
      assert.equal(appointed.json<{ startDate: string }>().startDate, '2026-07-15');

      const doctor = await login(app, { hsaId: w.doctorId });
      const identifier = await db.query<{ identifier: string }>(
        'select identifier from patient where id = $1',
        [w.patientId],
      );
      const registered = await doctor.send('POST', '/api/access/care-relationship', {
        identifier: identifier[0]!.identifier,
        reason: 'Besök på mottagningen',
      });
      assert.equal(registered.statusCode, 201, registered.body);
      const start = await db.query<{ startDate: string }>(
        'select start_date as "startDate" from care_relationship where id = $1',
        [registered.json<{ id: string }>().id],
      );
      assert.equal(start[0]?.startDate, '2026-07-15');

      const created = await nurse.send('POST', `/api/patients/${w.patientId}/contract`, {
        status: 'active',
        content: sampleContent(w.unitId, { reviewDate: '2026-07-14' }),
      });
      assert.equal(created.statusCode, 201, created.body);
      const worklist = (await nurse.get('/api/worklist')).json<{
        today: string;
        patients: { patientId: string; isReviewOverdue: boolean }[];
      }>();
      assert.equal(worklist.today, '2026-07-15');
      assert.equal(worklist.patients.find((p) => p.patientId === w.patientId)?.isReviewOverdue, true);
    });
  });
}
