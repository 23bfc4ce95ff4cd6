import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DomainError } from './errors.ts';
import {
  assertVitalSigns,
  consciousnessLevels,
  NEWS2_DEFAULT_CONFIG,
  news2,
  news2Advice,
  parseAssessmentConfig,
  vitalSignLimits,
  vitalSignProblems,
  type AssessmentConfig,
  type Spo2Scale,
  type VitalSigns,
} from './news2.ts';

/** Every parameter in its 0 band (scale 1, air). */
const normal: VitalSigns = {
  respiratoryRate: 16,
  spo2: 97,
  onOxygen: false,
  systolicBp: 120,
  pulse: 70,
  consciousness: 'A',
  temperature: 37.0,
};
const adult = { scale: 1 as Spo2Scale, ageYears: 70 };
const scoreOf = (over: Partial<VitalSigns>, scale: Spo2Scale = 1) => {
  const s = news2({ ...normal, ...over }, { scale, ageYears: 70 });
  assert.ok(s);
  return s;
};

/**
 * The RCP 2017 chart ("Chart 1: The NEWS scoring system", National Early Warning Score (NEWS) 2,
 * Royal College of Physicians 2017), written out as the value on each side of every band edge.
 */
const chartEdges: {
  part: 'respiratoryRate' | 'systolicBp' | 'pulse' | 'temperature';
  edges: [value: number, points: number][];
}[] = [
  {
    part: 'respiratoryRate', // ≤8:3, 9–11:1, 12–20:0, 21–24:2, ≥25:3
    edges: [
      [1, 3],
      [8, 3],
      [9, 1],
      [11, 1],
      [12, 0],
      [20, 0],
      [21, 2],
      [24, 2],
      [25, 3],
      [80, 3],
    ],
  },
  {
    part: 'systolicBp', // ≤90:3, 91–100:2, 101–110:1, 111–219:0, ≥220:3
    edges: [
      [40, 3],
      [90, 3],
      [91, 2],
      [100, 2],
      [101, 1],
      [110, 1],
      [111, 0],
      [219, 0],
      [220, 3],
      [300, 3],
    ],
  },
  {
    part: 'pulse', // ≤40:3, 41–50:1, 51–90:0, 91–110:1, 111–130:2, ≥131:3
    edges: [
      [20, 3],
      [40, 3],
      [41, 1],
      [50, 1],
      [51, 0],
      [90, 0],
      [91, 1],
      [110, 1],
      [111, 2],
      [130, 2],
      [131, 3],
      [250, 3],
    ],
  },
  {
    part: 'temperature', // ≤35.0:3, 35.1–36.0:1, 36.1–38.0:0, 38.1–39.0:1, ≥39.1:2
    edges: [
      [30.0, 3],
      [35.0, 3],
      [35.1, 1],
      [36.0, 1],
      [36.1, 0],
      [38.0, 0],
      [38.1, 1],
      [39.0, 1],
      [39.1, 2],
      [44.0, 2],
    ],
  },
];

// SpO₂ scale 1: ≤91:3, 92–93:2, 94–95:1, ≥96:0 (air or oxygen alike; oxygen itself scores 2).
const spo2Scale1: [number, number][] = [
  [50, 3],
  [91, 3],
  [92, 2],
  [93, 2],
  [94, 1],
  [95, 1],
  [96, 0],
  [100, 0],
];
// SpO₂ scale 2 on air: ≤83:3, 84–85:2, 86–87:1, 88–92:0, ≥93 on air:0.
const spo2Scale2Air: [number, number][] = [
  [50, 3],
  [83, 3],
  [84, 2],
  [85, 2],
  [86, 1],
  [87, 1],
  [88, 0],
  [92, 0],
  [93, 0],
  [97, 0],
  [100, 0],
];
// SpO₂ scale 2 on oxygen: as on air up to 92, then 93–94:1, 95–96:2, ≥97:3.
const spo2Scale2Oxygen: [number, number][] = [
  [50, 3],
  [83, 3],
  [84, 2],
  [85, 2],
  [86, 1],
  [87, 1],
  [88, 0],
  [92, 0],
  [93, 1],
  [94, 1],
  [95, 2],
  [96, 2],
  [97, 3],
  [100, 3],
];

describe('NEWS2 against the RCP 2017 chart', () => {
  for (const { part, edges } of chartEdges)
    for (const [value, points] of edges)
      it(`scores ${part} ${value} as ${points}`, () => {
        const s = scoreOf({ [part]: value });
        assert.equal(s.parts[part], points);
        assert.equal(s.total, points, 'the other parameters are in their 0 band');
      });

  for (const [spo2, points] of spo2Scale1) {
    it(`scores SpO₂ ${spo2} % on scale 1 breathing air as ${points}`, () => {
      const s = scoreOf({ spo2 });
      assert.deepEqual([s.parts.spo2, s.parts.onOxygen, s.total], [points, 0, points]);
    });
    it(`scores SpO₂ ${spo2} % on scale 1 on oxygen as ${points}, plus 2 for the oxygen`, () => {
      const s = scoreOf({ spo2, onOxygen: true });
      assert.deepEqual([s.parts.spo2, s.parts.onOxygen, s.total], [points, 2, points + 2]);
    });
  }
  for (const [spo2, points] of spo2Scale2Air)
    it(`scores SpO₂ ${spo2} % on scale 2 breathing air as ${points}`, () => {
      const s = scoreOf({ spo2 }, 2);
      assert.deepEqual([s.parts.spo2, s.parts.onOxygen, s.total, s.scale], [points, 0, points, 2]);
    });
  for (const [spo2, points] of spo2Scale2Oxygen)
    it(`scores SpO₂ ${spo2} % on scale 2 on oxygen as ${points}, plus 2 for the oxygen`, () => {
      const s = scoreOf({ spo2, onOxygen: true }, 2);
      assert.deepEqual([s.parts.spo2, s.parts.onOxygen, s.total], [points, 2, points + 2]);
    });

  it('scores Alert as 0 and new confusion, voice, pain and unresponsive as 3', () => {
    assert.deepEqual(
      consciousnessLevels.map((c) => scoreOf({ consciousness: c }).parts.consciousness),
      [0, 3, 3, 3, 3],
    );
  });

  it('sums the parts: the worst of every parameter is 20', () => {
    const s = scoreOf(
      {
        respiratoryRate: 30,
        spo2: 85,
        onOxygen: true,
        systolicBp: 85,
        pulse: 140,
        consciousness: 'U',
        temperature: 34.5,
      },
      1,
    );
    assert.equal(s.total, 20);
    assert.equal(s.risk, 'high');
  });

  it('gives no score under 16 years, and one from the 16th birthday', () => {
    assert.equal(news2(normal, { scale: 1, ageYears: 15 }), null);
    assert.equal(news2(normal, { scale: 1, ageYears: 0 }), null);
    assert.equal(news2(normal, { scale: 1, ageYears: Number.NaN }), null);
    assert.equal(news2(normal, { scale: 1, ageYears: 16 })?.total, 0);
  });

  it('records which checklist scored it', () => {
    assert.deepEqual(scoreOf({}).config, { id: 'news2-rcp-2017', version: 1 });
  });
});

describe('NEWS2 response levels', () => {
  it('calls 0 low, with its own advice', () => {
    const s = scoreOf({});
    assert.equal(s.risk, 'low');
    assert.equal(news2Advice(s).code, 'zero');
  });

  it('calls 1–4 low when no single parameter scores 3', () => {
    for (const over of [
      { pulse: 95 },
      { pulse: 95, temperature: 38.5 },
      { respiratoryRate: 22, pulse: 115 },
    ]) {
      const s = scoreOf(over);
      assert.ok(s.total >= 1 && s.total <= 4, `total ${s.total}`);
      assert.equal(s.singleParameterThree, false);
      assert.equal(s.risk, 'low');
      assert.equal(news2Advice(s).code, 'low');
    }
  });

  it('calls a single parameter scoring 3 low-medium while the total is under 5', () => {
    const s = scoreOf({ consciousness: 'C' });
    assert.deepEqual([s.total, s.singleParameterThree, s.risk], [3, true, 'low-medium']);
    assert.equal(news2Advice(s).code, 'low-medium');
    assert.match(news2Advice(s).text, /läkare/);
  });

  it('calls 5–6 medium, an urgent response, with or without a single 3', () => {
    assert.equal(scoreOf({ respiratoryRate: 22, pulse: 115, temperature: 38.5 }).risk, 'medium'); // 2+2+1
    assert.equal(scoreOf({ systolicBp: 85, respiratoryRate: 22 }).risk, 'medium'); // 3+2
    const six = scoreOf({ systolicBp: 85, pulse: 95, spo2: 95, onOxygen: false, temperature: 38.5 }); // 3+1+1+1
    assert.deepEqual([six.total, six.risk], [6, 'medium']);
    assert.match(news2Advice(six).text, /omedelbart/);
  });

  it('calls 7 or more high, an emergency', () => {
    const s = scoreOf({ systolicBp: 85, respiratoryRate: 22, spo2: 94, pulse: 95 }); // 3+2+1+1
    assert.deepEqual([s.total, s.risk], [7, 'high']);
    assert.equal(news2Advice(s).code, 'high');
    assert.match(news2Advice(s).text, /112/);
  });
});

/** Valid values drawn within the physiological limits (integers; temperature in tenths). */
const vitalsArb: fc.Arbitrary<VitalSigns> = fc.record({
  respiratoryRate: fc.integer({ min: 1, max: 80 }),
  spo2: fc.integer({ min: 50, max: 100 }),
  onOxygen: fc.boolean(),
  systolicBp: fc.integer({ min: 40, max: 300 }),
  pulse: fc.integer({ min: 20, max: 250 }),
  consciousness: fc.constantFrom(...consciousnessLevels),
  temperature: fc.integer({ min: 300, max: 440 }).map((t) => t / 10),
});

/**
 * Per numeric parameter, a point inside its normal (0) band: values further from it, on the same
 * side, are further from normal.
 */
const normalPoint = { respiratoryRate: 16, systolicBp: 160, pulse: 70, temperature: 37.0 } as const;

describe('NEWS2 properties', () => {
  for (const part of ['respiratoryRate', 'systolicBp', 'pulse', 'temperature'] as const)
    it(`never falls as ${part} moves further from normal`, () => {
      const limit = vitalSignLimits[part];
      const step = limit.decimals === 1 ? 0.1 : 1;
      const value = fc
        .integer({ min: Math.round(limit.min / step), max: Math.round(limit.max / step) })
        .map((n) => Math.round(n * step * 10) / 10);
      fc.assert(
        fc.property(vitalsArb, fc.constantFrom<Spo2Scale>(1, 2), value, value, (v, scale, a, b) => {
          const mid = normalPoint[part];
          const [near, far] = Math.abs(a - mid) <= Math.abs(b - mid) ? [a, b] : [b, a];
          if ((near - mid) * (far - mid) < 0) return; // opposite sides: not "further" in one direction
          const s = (x: number) => news2({ ...v, [part]: x }, { scale, ageYears: 50 })!;
          assert.ok(s(far).parts[part] >= s(near).parts[part]);
          assert.ok(s(far).total >= s(near).total);
        }),
      );
    });

  /** The normal point of SpO₂ in each scale and air/oxygen: 0 band, the direction moves are judged from. */
  const spo2Normal: { scale: Spo2Scale; onOxygen: boolean; mid: number }[] = [
    { scale: 1, onOxygen: false, mid: 100 },
    { scale: 1, onOxygen: true, mid: 100 },
    { scale: 2, onOxygen: false, mid: 100 },
    { scale: 2, onOxygen: true, mid: 90 },
  ];
  for (const { scale, onOxygen, mid } of spo2Normal)
    it(`never falls as SpO₂ moves further from normal on scale ${scale} ${onOxygen ? 'on oxygen' : 'breathing air'}`, () => {
      const spo2 = fc.integer({ min: 50, max: 100 });
      fc.assert(
        fc.property(vitalsArb, spo2, spo2, (v, a, b) => {
          const [near, far] = Math.abs(a - mid) <= Math.abs(b - mid) ? [a, b] : [b, a];
          if ((near - mid) * (far - mid) < 0) return;
          const s = (x: number) => news2({ ...v, onOxygen, spo2: x }, { scale, ageYears: 50 })!;
          assert.ok(s(far).parts.spo2 >= s(near).parts.spo2);
          assert.ok(s(far).total >= s(near).total);
        }),
      );
    });

  it('never falls when consciousness is less than alert', () => {
    fc.assert(
      fc.property(
        vitalsArb,
        fc.constantFrom<Spo2Scale>(1, 2),
        fc.constantFrom('C', 'V', 'P', 'U' as const),
        (v, scale, c) => {
          const alert = news2({ ...v, consciousness: 'A' }, { scale, ageYears: 50 })!;
          const less = news2({ ...v, consciousness: c }, { scale, ageYears: 50 })!;
          assert.equal(less.total, alert.total - alert.parts.consciousness + 3);
        },
      ),
    );
  });

  it('is the sum of its parts, 0–20, and its risk follows the total and the single 3', () => {
    fc.assert(
      fc.property(vitalsArb, fc.constantFrom<Spo2Scale>(1, 2), (v, scale) => {
        const s = news2(v, { scale, ageYears: 80 })!;
        const sum = Object.values(s.parts).reduce((a, b) => a + b, 0);
        assert.equal(s.total, sum);
        assert.ok(s.total >= 0 && s.total <= 20);
        assert.equal(
          s.singleParameterThree,
          Object.values(s.parts).some((p) => p === 3),
        );
        const expected =
          s.total >= 7 ? 'high' : s.total >= 5 ? 'medium' : s.singleParameterThree ? 'low-medium' : 'low';
        assert.equal(s.risk, expected);
      }),
    );
  });

  it('finds nothing wrong with any value within the limits', () => {
    fc.assert(fc.property(vitalsArb, (v) => assert.deepEqual(vitalSignProblems(v), [])));
  });
});

describe('a region-loaded assessment config', () => {
  const regional = (): AssessmentConfig => {
    const c = structuredClone<AssessmentConfig>(NEWS2_DEFAULT_CONFIG);
    c.id = 'visam-region-exempelland';
    c.version = 3;
    c.name = 'Regionens beslutsstöd, version 3';
    // A stricter blood pressure: up to 100 mmHg scores 3.
    c.bands.systolicBp = [
      { upTo: 100, points: 3 },
      { upTo: 110, points: 1 },
      { upTo: 219, points: 0 },
      { points: 3 },
    ];
    c.thresholds = { singleParameter: 3, medium: 4, high: 6 };
    return c;
  };

  it('accepts the built-in default, which is the RCP chart, also after a JSON round trip', () => {
    const loaded = parseAssessmentConfig(JSON.parse(JSON.stringify(NEWS2_DEFAULT_CONFIG)));
    assert.deepEqual(loaded, NEWS2_DEFAULT_CONFIG);
    fc.assert(
      fc.property(vitalsArb, fc.constantFrom<Spo2Scale>(1, 2), (v, scale) =>
        assert.deepEqual(
          news2(v, { scale, ageYears: 40, config: loaded }),
          news2(v, { scale, ageYears: 40 }),
        ),
      ),
    );
  });

  it('changes the score as configured once loaded', () => {
    const config = parseAssessmentConfig(JSON.parse(JSON.stringify(regional())));
    const v = { ...normal, systolicBp: 95 };
    assert.equal(news2(v, { ...adult })?.parts.systolicBp, 2);
    const s = news2(v, { ...adult, config })!;
    assert.deepEqual([s.parts.systolicBp, s.total, s.risk], [3, 3, 'low-medium']);
    assert.deepEqual(s.config, { id: 'visam-region-exempelland', version: 3 });
    const four = news2({ ...v, pulse: 95 }, { ...adult, config })!;
    assert.deepEqual([four.total, four.risk], [4, 'medium'], 'the region set medium from 4');
  });

  const broken: [string, (c: Record<string, unknown> & AssessmentConfig) => void, string][] = [
    [
      'bands out of order',
      (c) => void (c.bands.pulse = [{ upTo: 50, points: 1 }, { upTo: 40, points: 3 }, { points: 0 }]),
      '/bands/pulse/1/upTo',
    ],
    [
      'a last band with an upper limit',
      (c) =>
        void (c.bands.temperature = [
          { upTo: 35, points: 3 },
          { upTo: 45, points: 0 },
        ]),
      '/bands/temperature/1/upTo',
    ],
    [
      'points above 3',
      (c) => void (c.bands.respiratoryRate[0]!.points = 4),
      '/bands/respiratoryRate/0/points',
    ],
    ['an empty band list', (c) => void (c.bands.spo2Scale1 = []), '/bands/spo2Scale1'],
    [
      'an ACVPU level without points',
      (c) => void delete (c.bands.consciousness as Partial<Record<string, number>>).V,
      '/bands/consciousness/V',
    ],
    ['high not above medium', (c) => void (c.thresholds.high = 4), '/thresholds/high'],
    ['no version', (c) => void delete (c as Partial<AssessmentConfig>).version, '/version'],
    [
      'no oxygen points',
      (c) => void delete (c.bands as Partial<AssessmentConfig['bands']>).oxygen,
      '/bands/oxygen/oxygen',
    ],
  ];
  for (const [what, breakIt, path] of broken)
    it(`refuses a config with ${what}`, () => {
      const c = regional() as Record<string, unknown> & AssessmentConfig;
      breakIt(c);
      assert.throws(
        () => parseAssessmentConfig(c),
        (e: unknown) =>
          e instanceof DomainError &&
          e.code === 'assessment_config_invalid' &&
          e.details.some((d) => d.path === path && d.message.length > 0),
      );
    });

  it('refuses something that is not a config at all', () => {
    for (const input of [null, 'news2', [], 42])
      assert.throws(() => parseAssessmentConfig(input), { code: 'assessment_config_invalid' });
  });
});

describe('vital sign problems', () => {
  it('finds nothing wrong with ordinary values, the limits themselves included', () => {
    assert.deepEqual(vitalSignProblems(normal), []);
    const lows = Object.fromEntries(Object.entries(vitalSignLimits).map(([k, l]) => [k, l.min]));
    const highs = Object.fromEntries(Object.entries(vitalSignLimits).map(([k, l]) => [k, l.max]));
    assert.deepEqual(vitalSignProblems({ ...normal, ...lows }), []);
    assert.deepEqual(vitalSignProblems({ ...normal, ...highs }), []);
  });

  it('refuses each physiologically impossible value with a Swedish message naming the field', () => {
    const impossible: [keyof typeof vitalSignLimits, number, RegExp][] = [
      ['respiratoryRate', 0, /Andningsfrekvens 0 andetag\/min är inte möjligt/],
      ['respiratoryRate', 81, /mellan 1 och 80/],
      ['spo2', 49, /Syremättnad/],
      ['spo2', 101, /mellan 50 och 100 %/],
      ['systolicBp', 39, /Systoliskt blodtryck/],
      ['systolicBp', 301, /mellan 40 och 300 mmHg/],
      ['pulse', 19, /Puls 19/],
      ['pulse', 251, /mellan 20 och 250/],
      ['temperature', 29.9, /Temperatur 29,9 °C är inte möjligt. Ange ett värde mellan 30,0 och 44,0 °C/],
      ['temperature', 44.1, /Temperatur/],
    ];
    for (const [field, value, message] of impossible) {
      const problems = vitalSignProblems({ ...normal, [field]: value });
      assert.equal(problems.length, 1, `${field} ${value}`);
      assert.equal(problems[0]!.field, field);
      assert.match(problems[0]!.message, message);
    }
  });

  it('refuses more decimals than are measured', () => {
    assert.deepEqual(vitalSignProblems({ ...normal, respiratoryRate: 18.5 }), [
      { field: 'respiratoryRate', message: 'Andningsfrekvens anges i hela tal.' },
    ]);
    assert.deepEqual(vitalSignProblems({ ...normal, temperature: 37.25 }), [
      { field: 'temperature', message: 'Temperatur anges med högst 1 decimal.' },
    ]);
    assert.deepEqual(vitalSignProblems({ ...normal, temperature: 37.2 }), []);
  });

  it('names every missing field', () => {
    const problems = vitalSignProblems({});
    assert.deepEqual(
      problems.map((p) => p.field),
      ['respiratoryRate', 'spo2', 'systolicBp', 'pulse', 'temperature', 'onOxygen', 'consciousness'],
    );
    assert.ok(problems.every((p) => /saknas|Ange/.test(p.message)));
  });

  it('refuses wrong types', () => {
    const problems = vitalSignProblems({
      ...normal,
      respiratoryRate: '18',
      pulse: Number.NaN,
      spo2: Number.POSITIVE_INFINITY,
      onOxygen: 'ja',
      consciousness: 'X',
    });
    assert.deepEqual(problems, [
      { field: 'respiratoryRate', message: 'Andningsfrekvens ska vara ett tal.' },
      { field: 'spo2', message: 'Syremättnad (SpO₂) ska vara ett tal.' },
      { field: 'pulse', message: 'Puls ska vara ett tal.' },
      { field: 'onOxygen', message: 'Syrgas ska anges som ja eller nej.' },
      { field: 'consciousness', message: 'Medvetandegrad ska vara A, C, V, P eller U (ACVPU).' },
    ]);
    assert.deepEqual(vitalSignProblems(null), [{ field: 'vitals', message: 'Mätvärdena saknas.' }]);
    assert.deepEqual(vitalSignProblems([normal]), [{ field: 'vitals', message: 'Mätvärdena saknas.' }]);
  });

  it('throws vital_signs_invalid with a path per field, or returns the values', () => {
    assert.deepEqual(assertVitalSigns(normal), normal);
    assert.throws(
      () => assertVitalSigns({ ...normal, pulse: 400, temperature: 20 }),
      (e: unknown) =>
        e instanceof DomainError &&
        e.code === 'vital_signs_invalid' &&
        e.details.map((d) => d.path).join() === '/vitals/pulse,/vitals/temperature',
    );
  });
});
