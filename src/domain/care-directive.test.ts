import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertMayEnd,
  assertMayRecordDirective,
  careDirectiveKindLabels,
  careDirectiveKinds,
  careDirectiveProblems,
  isInForce,
  spo2ScaleFor,
} from './care-directive.ts';

const now = new Date('2026-12-07T09:00:00Z');

describe('care directives', () => {
  it("lets anyone in the team write down the patient's own wish, and only a physician the rest", () => {
    assert.doesNotThrow(() => assertMayRecordDirective('care-level-wish', 'sjukskoterska'));
    assert.doesNotThrow(() => assertMayRecordDirective('care-level-wish', 'lakare'));
    for (const kind of ['treatment-limitation', 'spo2-scale-2'] as const) {
      assert.doesNotThrow(() => assertMayRecordDirective(kind, 'lakare'));
      assert.throws(() => assertMayRecordDirective(kind, 'sjukskoterska'), {
        code: 'care_directive_physician_only',
      });
      assert.throws(() => assertMayRecordDirective(kind, 'distriktsskoterska'), {
        code: 'care_directive_physician_only',
      });
    }
  });

  it('scores SpO₂ on scale 2 only while a physician’s scale-2 directive is in force', () => {
    const scale2 = { kind: 'spo2-scale-2' as const, recordedAt: '2026-11-01T10:00:00Z' };
    assert.equal(spo2ScaleFor([], now), 1);
    assert.equal(spo2ScaleFor([scale2], now), 2);
    assert.equal(spo2ScaleFor([{ ...scale2, endedAt: '2026-12-01T10:00:00Z' }], now), 1);
    assert.equal(spo2ScaleFor([{ ...scale2, endedAt: '2026-12-08T10:00:00Z' }], now), 2);
    assert.equal(spo2ScaleFor([{ ...scale2, recordedAt: '2026-12-08T10:00:00Z' }], now), 1);
    assert.equal(spo2ScaleFor([{ ...scale2, kind: 'treatment-limitation' }], now), 1);
  });

  it('is in force from when it was recorded until it ended', () => {
    assert.equal(isInForce({ recordedAt: '2026-12-07T09:00:00Z', endedAt: null }, now), true);
    assert.equal(
      isInForce({ recordedAt: '2026-12-07T09:00:00Z', endedAt: '2026-12-07T09:00:00Z' }, now),
      false,
    );
  });

  it('cannot be ended twice', () => {
    assert.doesNotThrow(() => assertMayEnd({ endedAt: null }));
    assert.throws(() => assertMayEnd({ endedAt: '2026-12-01T10:00:00Z' }), { code: 'care_directive_ended' });
  });

  it('names what is wrong with a new directive in Swedish', () => {
    assert.deepEqual(careDirectiveProblems({ kind: 'care-level-wish', text: 'Vill inte till sjukhus.' }), []);
    assert.deepEqual(
      careDirectiveProblems({ kind: 'dnr', text: ' ' }).map((p) => p.path),
      ['/kind', '/text'],
    );
    assert.deepEqual(careDirectiveProblems({ kind: 'care-level-wish', text: 'x'.repeat(2001) }), [
      { path: '/text', message: 'Texten får vara högst 2000 tecken.' },
    ]);
  });

  it('has a Swedish label for every kind', () => {
    for (const kind of careDirectiveKinds) assert.ok(careDirectiveKindLabels[kind].trim());
  });
});
