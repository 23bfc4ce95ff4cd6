import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assessmentOutcomes } from './escalation.ts';
import { news2, type VitalSigns } from './news2.ts';
import { draftSbar, sbarDraftSources, trendText, type SbarInput } from './sbar.ts';

const vitals: VitalSigns = {
  respiratoryRate: 24,
  spo2: 93,
  onOxygen: false,
  systolicBp: 105,
  pulse: 112,
  consciousness: 'A',
  temperature: 38.4,
};
const input = (over: Partial<SbarInput> = {}): SbarInput => ({
  patientName: 'Elsa Lindqvist',
  age: 88,
  reason: 'Andfådd sedan i morse',
  diagnoses: ['Hjärtsvikt', 'KOL'],
  planSummary: 'Hemsjukvård med vätskebalans och vikt dagligen',
  whatMatters: 'Att få bo kvar hemma med katten',
  wishes: ['Vill i första hand vårdas hemma'],
  limitations: ['Ingen intensivvård (dr Ek 2026-11-02)'],
  vitals,
  score: news2(vitals, { scale: 1, ageYears: 88 }),
  previous: [
    { at: '2026-12-03T13:10:00Z', total: 2 },
    { at: '2026-12-06T08:30:00Z', total: 4 },
  ],
  judgement: 'Påverkad, tydligt sämre än i går',
  outcome: 'contact-physician',
  ...over,
});

describe('the SBAR draft', () => {
  it('says who and why in the situation', () => {
    assert.equal(draftSbar(input()).situation, 'Elsa Lindqvist, 88 år. Andfådd sedan i morse.');
  });

  it('gives the background from the plan: diagnoses, plan, what matters, wishes and limitations', () => {
    const { background } = draftSbar(input());
    assert.match(background, /Diagnoser: Hjärtsvikt, KOL\./);
    assert.match(background, /Planen: Hemsjukvård med vätskebalans och vikt dagligen\./);
    assert.match(background, /viktigt för patienten: Att få bo kvar hemma med katten\./);
    assert.match(background, /önskemål om vårdnivå: Vill i första hand vårdas hemma\./);
    assert.match(background, /Behandlingsbegränsning: Ingen intensivvård \(dr Ek 2026-11-02\)\./);
  });

  it('leaves out what the plan does not say rather than inventing it', () => {
    const { background } = draftSbar(
      input({ planSummary: '', whatMatters: ' ', wishes: [], limitations: [], diagnoses: [] }),
    );
    assert.equal(background, 'Inga diagnoser angivna i planen.');
  });

  it('reads out the values, NEWS2 and its trend, and the nurse’s judgement', () => {
    const { assessment } = draftSbar(input());
    // 24/min: 2, 93 %: 2, 105 mmHg: 1, 112/min: 2, 38,4 °C: 1 → 8.
    assert.match(
      assessment,
      /Andningsfrekvens 24\/min, saturation 93 % utan syrgas, blodtryck 105 systoliskt/,
    );
    assert.match(assessment, /temperatur 38,4 °C/);
    assert.match(assessment, /NEWS2 8 \(hög risk\)/);
    assert.match(assessment, /Tidigare NEWS2: 4 \(2026-12-06 09:30\), 2 \(2026-12-03 14:10\)\./);
    assert.match(assessment, /4 poäng högre än förra gången/);
    assert.match(assessment, /Min bedömning: Påverkad, tydligt sämre än i går\./);
  });

  it('says when the trend falls or stands still, and when there is nothing to compare', () => {
    assert.match(trendText(1, [{ at: '2026-12-06T08:30:00Z', total: 4 }]), /3 poäng lägre/);
    assert.match(trendText(4, [{ at: '2026-12-06T08:30:00Z', total: 4 }]), /oförändrat/);
    assert.equal(trendText(4, []), 'Ingen tidigare NEWS2 att jämföra med.');
  });

  it('reads summer times as Swedish summer time', () => {
    assert.match(trendText(2, [{ at: '2026-07-14T22:30:00Z', total: 1 }]), /1 \(2026-07-15 00:30\)/);
  });

  it('states scale 2 when it was used, and no score for a patient under 16', () => {
    const scale2 = news2({ ...vitals, spo2: 89 }, { scale: 2, ageYears: 70 });
    assert.match(draftSbar(input({ score: scale2 })).assessment, /SpO₂ skala 2/);
    assert.match(
      draftSbar(input({ score: null, age: 15 })).assessment,
      /NEWS2 används inte för patienter under 16 år/,
    );
  });

  it('recommends in words that follow the outcome the nurse chose', () => {
    const recommendations = assessmentOutcomes.map((outcome) => draftSbar(input({ outcome })).recommendation);
    assert.equal(new Set(recommendations).size, assessmentOutcomes.length);
    assert.match(draftSbar(input({ outcome: 'ambulance' })).recommendation, /112/);
  });
});

describe('the SBAR draft and spärr', () => {
  const items = {
    diagnoses: [
      { icd10: 'I50.9', sourceUnitId: 'vc' },
      { icd10: 'F32.1', sourceUnitId: 'psyk' },
      { icd10: 'J44', sourceUnitId: null },
    ],
    directives: [
      { kind: 'care-level-wish', text: 'Vill vårdas hemma', unitId: 'hemsjukvard' },
      { kind: 'treatment-limitation', text: 'Ej HLR', unitId: 'psyk' },
    ],
    previous: [
      { at: '2026-12-05T08:00:00Z', total: 3, unitId: 'hemsjukvard' },
      { at: '2026-12-06T08:00:00Z', total: 5, unitId: 'psyk' },
    ],
    plan: { holderUnitId: 'vc', summary: 'Vikt dagligen', whatMatters: 'Katten' },
  };

  it('writes nothing held by a unit under a standing spärr, and says only that something was left out', () => {
    const sources = sbarDraftSources(items, new Set(['psyk']));
    assert.deepEqual(sources.diagnoses, ['I50.9', 'J44']);
    assert.deepEqual(sources.limitations, []);
    assert.deepEqual(sources.wishes, ['Vill vårdas hemma']);
    assert.deepEqual(sources.previous, [{ at: '2026-12-05T08:00:00Z', total: 3 }]);
    assert.equal(sources.hasBlockedInformation, true);
    const sbar = draftSbar(input({ ...sources }));
    const text = Object.values(sbar).join(' ');
    for (const hidden of ['F32.1', 'Ej HLR', '5 (']) assert.ok(!text.includes(hidden), hidden);
    assert.match(sbar.background, /Det finns spärrad information om patienten som inte tas med här\./);
    assert.doesNotMatch(text, /psyk/);
  });

  it('leaves out the plan when the unit that holds it is under spärr', () => {
    const sources = sbarDraftSources(items, new Set(['vc']));
    assert.deepEqual([sources.planSummary, sources.whatMatters], ['', '']);
    assert.deepEqual(sources.diagnoses, ['F32.1', 'J44']);
  });

  it('leaves everything in, and says nothing of spärr, when there is none', () => {
    const sources = sbarDraftSources(items, new Set());
    assert.equal(sources.hasBlockedInformation, false);
    assert.equal(sources.diagnoses.length, 3);
    assert.doesNotMatch(draftSbar(input({ ...sources })).background, /spärrad/);
  });
});
