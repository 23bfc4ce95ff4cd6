/**
 * Patient experience and team function (Region Skåne's assignment 15) and the physician posts per
 * sub-region (assignment 3), over HTTP on both engines: the survey definition and the sub-region
 * list loaded through their service, anonymous answers imported through POST /api/imports/surveys
 * (a good file, a re-import that changes nothing, bad rows named by line and field with nothing
 * written, a personnummer refused), and GET /api/followup/mobila-team checked against figures
 * written out here from the generated answers: forms per level, shares per step, share positive,
 * median, and the small-number rule with its complementary suppression.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { SurveyDefinition } from '../src/domain/survey.ts';
import type { Db } from '../src/store/db.ts';
import { createSurveyStore } from '../src/store/survey-store.ts';
import { createSurveyService } from '../src/services/survey-service.ts';
import { buildTestApp, login, type Client } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makePatient, makeStaff, makeWorld } from './helpers/factories.ts';
import { makeSurveyTeam } from './helpers/surveys.ts';

const clock = () => new Date('2025-06-01T10:00:00Z');
const period = { from: '2025-01-01', to: '2025-05-31' };

/** A patient survey on a 0–10 scale, positive from 7. */
const definition: SurveyDefinition = {
  id: 'test-upplevelse',
  version: 1,
  kind: 'patientupplevelse',
  name: 'Testenkät',
  scale: {
    min: 0,
    max: 10,
    labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
    positiveFrom: 7,
  },
  questions: [
    { id: 'trygg', text: 'Trygg?' },
    { id: 'nadd', text: 'Nådde du teamet?' },
  ],
};

type Answer = { form: string; team: string; question: string; answer: number; day: string };

/** The median of a list, written out. */
function medianOf(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
const round3 = (x: number) => Math.round(x * 1000) / 1000;

for (const engine of testEngines) {
  describe(`survey answers and sub-regions over HTTP on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let analyst: Client;
    const teams: Record<'t1' | 't2' | 't3' | 't4', string> = { t1: '', t2: '', t3: '', t4: '' };
    const m = { a: `Kommun A ${randomUUID().slice(0, 6)}`, b: 'Kommun B', c: 'Kommun C' };
    const answers: Answer[] = [];
    let csv = '';

    before(async () => {
      db = await engine.open();
      app = await buildTestApp(db, clock, { FOLLOWUP_PHYSICIAN_RATES: 'mest-sjuka=2,tidvis-sviktande=0.5' });
      const w = await makeWorld(db);
      const analystId = await makeStaff(db, w.unitId, 'administrator');
      await db.query("update staff_unit set role = 'uppfoljning' where staff_id = $1", [analystId]);
      analyst = await login(app, { hsaId: analystId });
      const service = createSurveyService({ db, surveys: createSurveyStore(db) });
      const by = { source: 'test', actorId: 'cli:test', now: clock() };
      await service.loadDefinition({ ...by, text: JSON.stringify(definition) });
      await service.loadSubregions({
        ...by,
        text: JSON.stringify({
          delregioner: [
            { namn: 'Väst', kommuner: [m.a, m.b] },
            { namn: 'Öst', kommuner: [m.c] },
          ],
        }),
      });
      teams.t1 = await makeSurveyTeam(db, m.a);
      teams.t2 = await makeSurveyTeam(db, m.a);
      teams.t3 = await makeSurveyTeam(db, m.b);
      teams.t4 = await makeSurveyTeam(db, m.c);
      // Forms per team: t2 has 3, fewer than 5. Every fifth form leaves 'nadd' unanswered.
      const forms: [keyof typeof teams, number][] = [
        ['t1', 12],
        ['t2', 3],
        ['t3', 7],
        ['t4', 9],
      ];
      let n = 0;
      for (const [team, count] of forms)
        for (let i = 0; i < count; i++) {
          n += 1;
          const day = `2025-0${1 + (n % 5)}-1${n % 10}`;
          answers.push({ form: `f${n}`, team: teams[team], question: 'trygg', answer: (n * 7) % 11, day });
          if (n % 5 !== 0)
            answers.push({
              form: `f${n}`,
              team: teams[team],
              question: 'nadd',
              answer: (n * 3 + 4) % 11,
              day,
            });
        }
      csv = [
        'enkat;version;svar_id;team;svarande;datum;fraga;svar',
        ...answers.map(
          (a) => `test-upplevelse;1;${a.form};${a.team};patient;${a.day};${a.question};${a.answer}`,
        ),
      ].join('\n');
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    const count = async () =>
      (await db.query<{ n: number }>('select count(*)::int as n from survey_answer'))[0]!.n;
    const post = (body: string) =>
      analyst.send('POST', '/api/imports/surveys?source=enkat.csv', body, { 'content-type': 'text/csv' });

    it('refuses bad rows by line and field, in Swedish, and writes nothing', async () => {
      const good = csv.split('\n');
      const bad = [
        ...good.slice(0, 3),
        `test-upplevelse;1;x1;${randomUUID()};patient;2025-03-01;trygg;5`, // line 4: unknown team
        `test-upplevelse;1;x2;${teams.t1};patient;2025-03-01;trygg;11`, // line 5: off the scale
        `test-upplevelse;1;x3;${teams.t1};patient;2025-03-01;okand;5`, // line 6: no such question
        `test-upplevelse;1;x4;${teams.t1};personal-kommun;2025-03-01;trygg;5`, // line 7: staff on a patient survey
        `test-upplevelse;2;x5;${teams.t1};patient;2025-03-01;trygg;5`, // line 8: version not loaded
        `test-upplevelse;1;19380312-9182;${teams.t1};patient;2025-03-01;trygg;5`, // line 9: a personnummer
        `test-upplevelse;1;x6;${teams.t1};patient;2025-07-01;trygg;5`, // line 10: a day in the future
      ].join('\n');
      const res = await post(bad);
      assert.equal(res.statusCode, 422, res.body);
      const body = res.json<{ importId: null; errors: { line: number; field: string; message: string }[] }>();
      assert.equal(body.importId, null);
      assert.deepEqual(
        body.errors.map((e) => [e.line, e.field]),
        [
          [4, 'team'],
          [5, 'svar'],
          [6, 'fraga'],
          [7, 'svarande'],
          [8, 'version'],
          [9, 'svar_id'],
          [10, 'datum'],
        ],
      );
      assert.match(body.errors.find((e) => e.line === 9)!.message, /anonyma/);
      assert.equal(await count(), 0);
    });

    it('refuses a file with a personnummer column before reading a row', async () => {
      const res = await post(`personnummer;${csv}`);
      assert.equal(res.statusCode, 422);
      const [first] = res.json<{ errors: { line: number; field: string; message: string }[] }>().errors;
      assert.deepEqual([first!.line, first!.field], [1, 'personnummer']);
      assert.match(first!.message, /anonyma/);
      assert.equal(await count(), 0);
    });

    it('imports the answers, and a second import of the same file changes nothing', async () => {
      const first = await post(csv);
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(first.json<{ imported: number }>().imported, answers.length);
      const again = await post(csv);
      assert.equal(again.statusCode, 200);
      const repeated = again.json<{ imported: number; updated: number; skippedDuplicates: number }>();
      assert.deepEqual(
        [repeated.imported, repeated.updated, repeated.skippedDuplicates],
        [0, 0, answers.length],
      );
      assert.equal(await count(), answers.length);
    });

    it('refuses a new version of a survey that is not higher than the one loaded', async () => {
      const service = createSurveyService({ db, surveys: createSurveyStore(db) });
      await assert.rejects(
        service.loadDefinition({ text: JSON.stringify(definition), source: 't', actorId: 't', now: clock() }),
        (e: Error & { details?: { path: string }[] }) => e.details?.[0]?.path === '/version',
      );
    });

    it('answers the follow-up figures written out from the answers, small numbers hidden', async () => {
      const res = await analyst.get(`/api/followup/mobila-team?from=${period.from}&to=${period.to}`);
      assert.equal(res.statusCode, 200, res.body);
      const tables = res.json<{ tables: { id: string; rows: Record<string, unknown>[] }[] }>().tables;
      const table = (id: string) => tables.find((x) => x.id === id)!;
      // The levels and the teams each holds.
      const levels: [string, string, string[]][] = [
        ['region', 'Regionen', [teams.t1, teams.t2, teams.t3, teams.t4]],
        ['delregion', 'Väst', [teams.t1, teams.t2, teams.t3]],
        ['delregion', 'Öst', [teams.t4]],
        ['kommun', m.a, [teams.t1, teams.t2]],
        ['kommun', m.b, [teams.t3]],
        ['kommun', m.c, [teams.t4]],
        ...[teams.t1, teams.t2, teams.t3, teams.t4].map((t): [string, string, string[]] => ['team', t, [t]]),
      ];
      const rowOf = (rows: Record<string, unknown>[], level: string, key: string) =>
        rows.find((r) => r.niva === level && (level === 'team' ? r.id === key : r.namn === key));
      // Forms: t2's 3 are hidden, and so t1's (kommun A less t1 would give t2's away).
      const hidden = new Set([teams.t1, teams.t2]);
      for (const [level, key, held] of levels) {
        const forms = new Set(answers.filter((a) => held.includes(a.team)).map((a) => a.form)).size;
        const row = rowOf(table('mobila-team-enkatsvar').rows, level, key);
        assert.ok(row, `${level} ${key}`);
        assert.equal(row.enkater, level === 'team' && hidden.has(key) ? null : forms, `${level} ${key}`);
        // Who answered only beside a count that is shown.
        assert.equal(row.svarande, level === 'team' && hidden.has(key) ? null : 'patienter');
      }
      // Per question: every answer counted, shares per step, positive from 7, the median.
      const perQuestion = table('mobila-team-enkat-test-upplevelse-v1').rows;
      for (const question of definition.questions) {
        const t2Answers = answers.filter((a) => a.team === teams.t2 && a.question === question.id).length;
        for (const [level, key, held] of levels) {
          const values = answers
            .filter((a) => held.includes(a.team) && a.question === question.id)
            .map((a) => a.answer);
          const row = perQuestion.find(
            (r) =>
              r.fraga_id === question.id &&
              r ===
                rowOf(
                  perQuestion.filter((x) => x.fraga_id === question.id),
                  level,
                  key,
                ),
          )!;
          assert.ok(row, `${question.id} ${level} ${key}`);
          const isHidden =
            (values.length > 0 && values.length < 5) ||
            (level === 'team' && key === teams.t1 && t2Answers > 0 && t2Answers < 5);
          if (isHidden) {
            assert.deepEqual(
              [row.svar, row.andel_positiva, row.median, row.andel_7],
              [null, null, null, null],
            );
            continue;
          }
          assert.equal(row.svar, values.length, `${question.id} ${level} ${key}`);
          for (let step = 0; step <= 10; step++)
            assert.equal(
              row[`andel_${step}`],
              round3(values.filter((v) => v === step).length / values.length),
            );
          assert.equal(row.andel_positiva, round3(values.filter((v) => v >= 7).length / values.length));
          assert.equal(row.median, medianOf(values));
        }
      }
    });

    it('downloads one survey’s table as CSV', async () => {
      const res = await analyst.get(
        `/api/followup/mobila-team?from=${period.from}&to=${period.to}&format=csv&table=mobila-team-enkat-test-upplevelse-v1`,
      );
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.headers['content-type'] as string, /text\/csv/);
      assert.match(res.body, /Nådde du teamet\?/);
      assert.match(res.body, /,andel_positiva,median\r\n/);
    });

    it('sums the physician posts of the municipalities into their sub-region', async () => {
      const physician = await makeStaff(db, (await makeWorld(db)).unitId, 'lakare');
      const unit = (
        await db.query<{ unit_id: string }>('select unit_id from staff_unit where staff_id = $1', [physician])
      )[0]!.unit_id;
      const nurse = await makeStaff(db, unit, 'sjukskoterska');
      // Open enrolments: two mest sjuka in t1 (kommun A), one in t3 (kommun B), one tidvis sviktande in t4 (C).
      const plan: [string, 'mest-sjuka' | 'tidvis-sviktande'][] = [
        [teams.t1, 'mest-sjuka'],
        [teams.t1, 'mest-sjuka'],
        [teams.t3, 'mest-sjuka'],
        [teams.t4, 'tidvis-sviktande'],
      ];
      for (const [team, group] of plan)
        await db.query(
          `insert into enrolment (patient_id, team_id, target_group, criteria_set_id, criteria_version, start_date,
             status, proposed_by, proposed_by_unit_id, proposed_at, confirmed_by, confirmed_by_unit_id, confirmed_at)
           values ($1, $2, $3, 'k', 1, '2025-02-01', 'active', $4, $5, '2025-02-01', $6, $5, '2025-02-01')`,
          [await makePatient(db, unit), team, group, physician, unit, nurse],
        );
      const res = await analyst.get(`/api/followup/mobila-team?from=${period.from}&to=${period.to}`);
      const posts = res
        .json<{ tables: { id: string; rows: Record<string, unknown>[] }[] }>()
        .tables.find((x) => x.id === 'mobila-team-lakartjanster')!.rows;
      const pick = (level: string, name: string) =>
        posts
          .filter((r) => r.niva === level && r.namn === name)
          .map((r) => [r.delregion, r.malgrupp, r.inskrivna, r.tjanster]);
      // Rates 2 and 0.5 posts per 100 enrolled.
      assert.deepEqual(pick('delregion', 'Väst'), [
        ['Väst', 'Mest sjuka', 3, 0.06],
        ['Väst', 'Tidvis sviktande', 0, 0],
      ]);
      assert.deepEqual(pick('delregion', 'Öst'), [
        ['Öst', 'Mest sjuka', 0, 0],
        ['Öst', 'Tidvis sviktande', 1, 0.01], // 0.005, to two decimals
      ]);
      assert.deepEqual(pick('kommun', m.a), [
        ['Väst', 'Mest sjuka', 2, 0.04],
        ['Väst', 'Tidvis sviktande', 0, 0],
      ]);
      assert.deepEqual(pick('kommun', m.b)[0], ['Väst', 'Mest sjuka', 1, 0.02]);
      // The printable report shows the rate and the posts with one decimal (decimal comma): a
      // fraction of a post is not 0. The CSV keeps the figures above as they are.
      const page = await analyst.get(
        `/api/followup/mobila-team?from=${period.from}&to=${period.to}&format=html`,
      );
      assert.equal(page.statusCode, 200, page.body);
      const rowOf = (level: string, subregion: string, group: string) =>
        page.body
          .split('\n')
          .find(
            (line) =>
              line.startsWith(`<tr class="${level}">`) && line.includes(subregion) && line.includes(group),
          ) ?? '';
      const cells = (...values: string[]) =>
        new RegExp(`${values.map((v) => `<td class="n">${v}</td>`).join('')}</tr>$`);
      assert.match(rowOf('delregion', 'Väst', 'Mest sjuka'), cells('3', '2,0', '0,1'));
      assert.match(rowOf('delregion', 'Väst', 'Tidvis sviktande'), cells('0', '0,5', '0,0'));
      // 0.005 posts, 0.01 to two decimals: above zero, so not 0,0.
      assert.match(rowOf('delregion', 'Öst', 'Tidvis sviktande'), cells('1', '0,5', '&lt; 0,1'));
      const csv = await analyst.get(
        `/api/followup/mobila-team?from=${period.from}&to=${period.to}&format=csv&table=mobila-team-lakartjanster`,
      );
      assert.match(csv.body, /,Väst,Mest sjuka,3,2,0\.06\r\n/);
    });
  });
}
