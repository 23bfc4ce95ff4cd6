/**
 * Survey rules: the definition a region loads, the answers' summary (shares per step, share
 * positive, median) with the small-number rule, the complementary suppression across levels, the
 * anonymous import row, and the sub-region list.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSubregionList, subregionOf } from './subregion.ts';
import { checkSurvey } from './survey-format.ts';
import {
  EXAMPLE_SURVEYS,
  hiddenCounts,
  medianOfCounts,
  parseSurveyDefinition,
  summariseAnswers,
  SURVEY_MIN_RESPONSES,
  type SurveyScale,
} from './survey.ts';

const scale: SurveyScale = { min: 1, max: 5, labels: ['a', 'b', 'c', 'd', 'e'], positiveFrom: 4 };
const now = new Date('2026-06-01T10:00:00Z');

/** The median of a list, written out: sort, take the middle (or the mean of the two middle). */
function medianOf(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
const countsOf = (values: number[]) => [1, 2, 3, 4, 5].map((step) => values.filter((v) => v === step).length);

describe('survey answers summarised', () => {
  it('shows nothing for fewer than five answers, not even their number', () => {
    assert.equal(SURVEY_MIN_RESPONSES, 5);
    const four = summariseAnswers([0, 1, 1, 2, 0], scale);
    assert.deepEqual(four, {
      answers: null,
      shares: [null, null, null, null, null],
      positive: null,
      median: null,
    });
    assert.equal(summariseAnswers([0, 1, 1, 2, 1], scale).answers, 5);
  });

  it('gives the share at each step, the share positive and the median', () => {
    const values = [1, 3, 3, 4, 4, 4, 5, 5, 2, 4, 5];
    const summary = summariseAnswers(countsOf(values), scale);
    assert.equal(summary.answers, values.length);
    assert.deepEqual(
      summary.shares,
      countsOf(values).map((c) => Math.round((c / values.length) * 1000) / 1000),
    );
    assert.equal(
      summary.positive,
      Math.round((values.filter((v) => v >= 4).length / values.length) * 1000) / 1000,
    );
    assert.equal(summary.median, medianOf(values));
  });

  it('takes the mean of the two middle answers for an even number', () => {
    assert.equal(medianOfCounts([0, 0, 3, 3, 0], 1), 3.5);
    assert.equal(medianOfCounts([2, 0, 0, 0, 2], 1), 3);
    assert.equal(medianOfCounts([0, 0, 0, 0, 0], 1), null);
  });

  it('agrees with the written-out median on many generated lists', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 500; round++) {
      const values = Array.from({ length: 1 + Math.floor(next() * 40) }, () => 1 + Math.floor(next() * 5));
      assert.equal(medianOfCounts(countsOf(values), 1), medianOf(values), JSON.stringify(values));
    }
  });
});

describe('small numbers across levels', () => {
  it('hides a sibling too when the level above would give a hidden count away', () => {
    // kommun 12 = team A 9 + team B 3: B is hidden, and A too (12 − 9 would show B's 3).
    const hidden = hiddenCounts([
      { key: 'region', parent: null, n: 12 },
      { key: 'kommun', parent: 'region', n: 12 },
      { key: 'A', parent: 'kommun', n: 9 },
      { key: 'B', parent: 'kommun', n: 3 },
    ]);
    assert.deepEqual([...hidden].sort(), ['A', 'B']);
  });

  it('needs no second cell when the hidden ones add up to five or more', () => {
    const hidden = hiddenCounts([
      { key: 'kommun', parent: null, n: 20 },
      { key: 'A', parent: 'kommun', n: 3 },
      { key: 'B', parent: 'kommun', n: 3 },
      { key: 'C', parent: 'kommun', n: 14 },
    ]);
    assert.deepEqual([...hidden].sort(), ['A', 'B']);
  });

  it('hides the smallest shown sibling, and goes on up the levels', () => {
    // Delregion 30 = kommun X (A 2 + B 6) + kommun Y (C 22): A, then B; then kommun X is 8 and
    // shown, so Y need not be hidden.
    const hidden = hiddenCounts([
      { key: 'delregion', parent: null, n: 30 },
      { key: 'X', parent: 'delregion', n: 8 },
      { key: 'Y', parent: 'delregion', n: 22 },
      { key: 'A', parent: 'X', n: 2 },
      { key: 'B', parent: 'X', n: 6 },
      { key: 'C', parent: 'Y', n: 22 },
    ]);
    assert.deepEqual([...hidden].sort(), ['A', 'B']);
  });

  it('keeps a count of nought', () => {
    assert.deepEqual([...hiddenCounts([{ key: 'A', parent: null, n: 0 }])], []);
  });
});

describe('a survey definition', () => {
  it('accepts the examples', () => {
    for (const d of EXAMPLE_SURVEYS)
      assert.deepEqual(parseSurveyDefinition(JSON.parse(JSON.stringify(d))), { ok: true, definition: d });
  });

  it('names every problem with its path', () => {
    const result = parseSurveyDefinition({
      id: 'X',
      version: 0,
      kind: 'nojdhet',
      name: '',
      scale: { min: 1, max: 3, labels: ['a', 'b'], positiveFrom: 1 },
      questions: [
        { id: 'q1', text: 'A?' },
        { id: 'q1', text: 'B?' },
      ],
      extra: true,
    });
    assert.equal(result.ok, false);
    const paths = result.ok ? [] : result.problems.map((p) => p.path).sort();
    assert.deepEqual(paths, [
      '/extra',
      '/id',
      '/kind',
      '/name',
      '/questions/1/id',
      '/scale/labels',
      '/scale/positiveFrom',
      '/version',
    ]);
  });
});

describe('a survey answer row', () => {
  const row = {
    enkat: 'exempel-teamfunktion',
    version: '1',
    svar_id: 'r-17',
    team: '6f1b8c2e-0a4b-4c1d-9e3f-1a2b3c4d5e6f',
    svarande: 'personal-kommun',
    datum: '2026-05-30',
    fraga: 'roller',
    svar: '4',
  };

  it('is read and normalised', () => {
    const checked = checkSurvey(row, 2, now);
    assert.ok(checked.ok);
    assert.equal(checked.row.version, 1);
    assert.equal(checked.row.answer, 4);
    assert.equal(checked.row.respondent, 'personal-kommun');
  });

  it('is refused when any field carries a personnummer, samordningsnummer or reservnummer', () => {
    for (const [field, value] of [
      ['svar_id', '19380312-9182'],
      ['svar_id', 'svar-193803129182'],
      ['svar_id', '380312-9182'],
      ['svar_id', 'PK0000000017'],
      ['svar_id', '19380372-9189'], // samordningsnummer
    ] as const) {
      const checked = checkSurvey({ ...row, [field]: value }, 3, now);
      assert.equal(checked.ok, false, value);
      if (!checked.ok) {
        assert.equal(checked.errors[0]!.field, field);
        assert.match(checked.errors[0]!.message, /anonyma/);
      }
    }
    const withColumn = checkSurvey({ ...row, personnummer: '' }, 4, now, true);
    assert.equal(withColumn.ok, false);
  });

  it('names each bad field in Swedish', () => {
    const checked = checkSurvey(
      {
        ...row,
        version: 'ett',
        team: 'Team 1',
        svarande: 'anhorig',
        datum: '2026-07-01',
        fraga: 'Fråga 1',
        svar: '4,5',
      },
      5,
      now,
    );
    assert.equal(checked.ok, false);
    if (!checked.ok)
      assert.deepEqual(
        checked.errors.map((e) => e.field),
        ['version', 'team', 'svarande', 'datum', 'fraga', 'svar'],
      );
  });
});

describe('the sub-region list', () => {
  it('puts each municipality in one sub-region', () => {
    const parsed = parseSubregionList({
      delregioner: [
        { namn: 'Nordväst', kommuner: ['Helsingborg', 'Höganäs'] },
        { namn: 'Sydväst', kommuner: ['Malmö'] },
      ],
    });
    assert.ok(parsed.ok);
    const of = subregionOf(parsed.rows);
    assert.equal(of('Höganäs'), 'Nordväst');
    assert.equal(of('Malmö'), 'Sydväst');
    assert.equal(of('Lund'), null);
  });

  it('refuses a municipality in two sub-regions, and an empty list', () => {
    const twice = parseSubregionList({
      delregioner: [
        { namn: 'Nordväst', kommuner: ['Helsingborg'] },
        { namn: 'Sydväst', kommuner: ['Helsingborg'] },
      ],
    });
    assert.equal(twice.ok, false);
    if (!twice.ok) assert.equal(twice.problems[0]!.path, '/delregioner/1/kommuner/0');
    assert.equal(parseSubregionList({ delregioner: [] }).ok, false);
    assert.equal(parseSubregionList([]).ok, false);
  });
});
