import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { runImport, type ImportRequest } from '../services/import-reader.ts';
import { makePatient, makeProvider, makeStaff, makeUnit } from '../../test/helpers/factories.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { kept } from '../../test/helpers/visit-series.ts';
import type { Db } from './db.ts';
import { createImportStore } from './import-store.ts';

const now = new Date('2025-06-01T12:00:00Z');

// Every test on both engines, and again with the thresholds at 0: on PostgreSQL through the bulk
// path that large files take (src/store/visit-load.ts), on PGlite with every file of months
// without visits written as a partition of its own.
const variants = [
  ...testEngines.map((engine) => ({ engine, bulkFrom: 20_000, partitionFrom: 1000, label: engine.name })),
  ...testEngines.map((engine) =>
    engine.name === 'postgres'
      ? { engine, bulkFrom: 0, partitionFrom: 0, label: `${engine.name}, bulk path` }
      : { engine, bulkFrom: 20_000, partitionFrom: 0, label: `${engine.name}, every file a partition` },
  ),
];

for (const { engine, bulkFrom, partitionFrom, label } of variants) {
  describe(`imports on ${label}`, () => {
    let db: Db;
    let vc: string;
    let sabo: string;
    let gp: string;
    let gp2: string;
    let nurse: string;
    const run = (body: string, over: Partial<ImportRequest> = {}) =>
      runImport(createImportStore(db, { bulkFrom, partitionFrom }), Readable.from([body]), {
        kind: 'visits',
        format: 'csv',
        mode: 'all-or-nothing',
        source: 'test.csv',
        actorId: 'cli:test',
        unitId: null,
        now,
        ...over,
      });
    const identifierOf = async (patientId: string): Promise<string> =>
      (
        await db.query<{ identifier: string }>('select identifier from patient where id = $1', [patientId])
      )[0]!.identifier;

    before(async () => {
      db = await engine.open();
      const provider = await makeProvider(db);
      vc = await makeUnit(db, provider);
      sabo = await makeUnit(db, await makeProvider(db, 'kommun'), 'sabo');
      gp = await makeStaff(db, vc, 'lakare');
      gp2 = await makeStaff(db, vc, 'lakare');
      nurse = await makeStaff(db, vc);
    });
    after(() => db.close());

    it('imports visits from CSV, and a re-import of the same file changes nothing', async () => {
      const pnr = await identifierOf(await makePatient(db, vc));
      const csv = [
        'personnummer;tidpunkt;enhet;personal;yrke;kontakttyp;medicinsk_bedomning;sokte_vard',
        `${pnr};2025-03-04 09:30;${vc};${gp};lakare;besok;ja;2025-03-02`,
        `${pnr};2025-04-01 10:00;${vc};${gp};lakare;besok;nej;`,
        `${pnr};2025-04-01 10:00;${vc};${nurse};sjukskoterska;telefon;;`,
      ].join('\r\n');
      const first = await run(csv);
      assert.deepEqual([first.imported, first.skippedDuplicates, first.errorCount], [3, 0, 0]);
      const again = await run(csv);
      assert.deepEqual([again.imported, again.skippedDuplicates, again.errorCount], [0, 3, 0]);
      const rows = await db.query<{ n: number; assessments: number }>(
        `select count(*)::int as n, count(*) filter (where is_assessment and sought_on = '2025-03-02')::int as assessments
           from visit v join patient p on p.id = v.patient_id where p.identifier = $1`,
        [pnr],
      );
      assert.deepEqual(rows[0], { n: 3, assessments: 1 });
    });

    it('writes nothing when one row is wrong, and names each line and field', async () => {
      const pnr = await identifierOf(await makePatient(db, vc));
      const csv = [
        'personnummer,tidpunkt,enhet,personal,yrke,kontakttyp',
        `${pnr},2025-03-04 09:30,${vc},${gp},lakare,besok`,
        `PK0000000001,2025-03-05 09:30,${vc},${gp},lakare,besok`,
        `${pnr},2025-03-06 09:30,SE-OKAND-ENHET,${gp},lakare,brev`,
      ].join('\n');
      const result = await run(csv);
      assert.equal(result.imported, 0);
      assert.equal(result.importId, null);
      assert.deepEqual(
        result.errors.map((e) => [e.line, e.field]),
        [
          [3, 'personnummer'],
          [4, 'kontakttyp'],
        ],
      );
      const written = await db.query(
        'select 1 from visit v join patient p on p.id = v.patient_id where p.identifier = $1',
        [pnr],
      );
      assert.equal(written.length, 0);
    });

    it('writes a visit repeated in a file of a period without visits once', async () => {
      const patientId = await makePatient(db, vc);
      const pnr = await identifierOf(patientId);
      const line = `${pnr},2019-05-06 09:30,${vc},${gp},lakare,besok`;
      const result = await run(
        [
          'personnummer,tidpunkt,enhet,personal,yrke,kontakttyp',
          line,
          line,
          line.replace('09:30', '10:30'),
        ].join('\n'),
      );
      assert.deepEqual([result.imported, result.skippedDuplicates, result.errorCount], [2, 1, 0]);
      const packed = await db.query<{ visits: number }>(
        'select coalesce(sum(length(visits)), 0)::int / 16 as visits from visit_series where patient_id = $1',
        [patientId],
      );
      assert.deepEqual(packed, [{ visits: 2 }]);
    });

    it('writes nothing when the register lacks a person, though the other rows were good', async () => {
      const patientId = await makePatient(db, vc);
      const pnr = await identifierOf(patientId);
      const result = await run(
        [
          'personnummer,tidpunkt,enhet,personal,yrke,kontakttyp',
          `${pnr},2020-02-03 09:30,${vc},${gp},lakare,besok`,
          `PK0000000001,2020-02-04 09:30,${vc},${gp},lakare,besok`,
        ].join('\n'),
      );
      assert.deepEqual([result.imported, result.importId], [0, null]);
      assert.deepEqual(
        result.errors.map((e) => [e.line, e.field]),
        [[3, 'personnummer']],
      );
      const written = await db.query(
        `select 1 from visit where patient_id = $1 union all select 1 from visit_series where patient_id = $1`,
        [patientId],
      );
      assert.equal(written.length, 0);
    });

    // Another transaction writes the second visit and waits: the import finds the period empty,
    // and then waits on that writer (on the row's key, the month's partition or the default
    // partition, by path); when the writer commits, the import skips what it wrote.
    const writerCases = [
      { month: '2021-09', where: 'an empty partition of its month', partition: true },
      { month: '2021-10', where: 'the default partition', partition: false },
    ];
    if (engine.name === 'postgres')
      for (const { month, where, partition } of writerCases)
        it(`a period that another writer fills meanwhile, in ${where}: the import skips what it wrote`, async () => {
          const pnr = await identifierOf(await makePatient(db, vc));
          const rows = [1, 2, 3].map((d) => `${pnr},${month}-0${d} 09:30,${vc},${gp},lakare,besok`);
          if (partition)
            await db.query(`select visit_add_partitions(array[visit_month($1)])`, [`${month}-15T12:00Z`]);
          let release!: () => void;
          const held = new Promise<void>((resolve) => (release = resolve));
          let inserted!: () => void;
          const blocking = new Promise<void>((resolve) => (inserted = resolve));
          const writer = db.transaction(async (tx) => {
            await tx.query(
              `insert into visit (patient_id, at, staff_id, unit_id, profession, contact_type)
               select id, $4::timestamptz, $2, $3, 'lakare', 'besok' from patient where identifier = $1`,
              [pnr, gp, vc, `${month}-02T07:30Z`],
            );
            inserted();
            await held;
          });
          await blocking;
          const importing = run(['personnummer,tidpunkt,enhet,personal,yrke,kontakttyp', ...rows].join('\n'));
          let waited = false;
          for (let i = 0; i < 200 && !waited; i++) {
            const waiting = await db.query<{ n: number }>(
              `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock'`,
            );
            waited = waiting[0]!.n > 0;
            if (!waited) await new Promise((resolve) => setTimeout(resolve, 25));
          }
          release();
          await writer;
          const result = await importing;
          assert.ok(waited, 'the import waited on the writer');
          assert.deepEqual([result.imported, result.skippedDuplicates, result.errorCount], [2, 1, 0]);
          const count = await db.query<{ n: number; packed: number }>(
            `select count(*)::int as n,
                    (select sum(length(visits))::int / 16 from visit_series s where s.patient_id = p.id) as packed
               from visit v join patient p on p.id = v.patient_id where p.identifier = $1 group by p.id`,
            [pnr],
          );
          assert.deepEqual(count, [{ n: 3, packed: 3 }]);
        });

    if (partitionFrom === 0)
      it('writes a new period as a partition of its own, with every patient’s visits packed', async () => {
        const [a, b] = [await makePatient(db, vc), await makePatient(db, vc)];
        const [pa, pb] = [await identifierOf(a), await identifierOf(b)];
        const newcomer = await makeStaff(db, vc, 'lakare');
        const csv = [
          'personnummer,tidpunkt,enhet,personal,yrke,kontakttyp,medicinsk_bedomning,sokte_vard',
          // The last half hour of January in Swedish time, and of February.
          `${pa},2017-01-31 23:30,${vc},${gp},lakare,besok,ja,2017-01-30`,
          `${pb},2017-01-31 23:30,${vc},${newcomer},lakare,video,,`,
          `${pa},2017-02-28 23:30,${vc},${nurse},sjukskoterska,telefon,,`,
          `${pb},2017-02-01 08:00,${vc},${newcomer},lakare,hembesok,,`,
        ].join('\n');
        const first = await run(csv);
        assert.deepEqual([first.imported, first.skippedDuplicates, first.errorCount], [4, 0, 0]);
        const partitions = await db.query<{ name: string; starts: string; ends: string }>(
          `select name, to_char(starts at time zone 'Europe/Stockholm', 'YYYY-MM-DD HH24:MI') as starts,
                  to_char(ends at time zone 'Europe/Stockholm', 'YYYY-MM-DD HH24:MI') as ends
             from visit_partition where starts < '2017-03-01' and ends > '2017-01-01'`,
        );
        assert.deepEqual(partitions, [
          { name: 'visit_2017_01_2017_02', starts: '2017-01-01 00:00', ends: '2017-03-01 00:00' },
        ]);
        const series = await kept(db);
        assert.deepEqual(series.series, series.rebuilt);
        const again = await run(csv);
        assert.deepEqual([again.imported, again.skippedDuplicates], [0, 4]);
        const assessed = await db.query<{ n: number }>(
          `select count(*)::int as n from visit where is_assessment and sought_on = '2017-01-30' and patient_id = $1`,
          [a],
        );
        assert.deepEqual(assessed, [{ n: 1 }]);
        // Removed again, the months keep an empty partition; the next import there writes into it.
        await db.query('delete from visit where import_id = $1', [first.importId]);
        const third = await run(csv);
        assert.equal(third.imported, 4);
        const after = await kept(db);
        assert.deepEqual(after.series, after.rebuilt);
      });

    if (bulkFrom === 0)
      it('reads a mixed file the same way on both paths: errors, lines after a quote, valid rows', async () => {
        const pnr = await identifierOf(await makePatient(db, vc));
        const lines = ['personnummer;tidpunkt;enhet;personal;yrke;kontakttyp;medicinsk_bedomning;sokte_vard'];
        for (let i = 0; i < 300; i++) {
          const day = `2016-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
          const variants = [
            `${pnr};${day} 09:${String(i % 60).padStart(2, '0')};${vc};${gp};lakare;besok;ja;${day}`,
            `${pnr.slice(0, 8)}-${pnr.slice(8)};${day}T10:00:00+01:00;${vc};${nurse};sjukskoterska;telefon;;`,
            `PK0000000001;${day} 11:00;${vc};${gp};lakare;besok;;`,
            `${pnr};${day} 12:00;SE-OKAND;${gp};lakare;video;nej;`,
            `${pnr};${day} 25:00;${vc};${gp};lakare;besok;;`,
            ` ${pnr} ;${day} 13:00; ${vc};${gp2};lakare;hembesok;JA;${day}`,
            `${pnr};${day} 14:00;${vc};${gp};lakare;besok;ja;`,
            '',
            `${pnr};${day} 15:00;${vc};${gp};lakare;besok;;;extra`,
          ];
          lines.push(variants[i % variants.length]!);
          if (i === 200) lines.push(`${pnr};${day} 16:00;${vc};${gp};"lakare";besok;;`);
        }
        const csv = lines.join('\r\n');
        const general = await runImport(
          createImportStore(db, { bulkFrom: 1_000_000, partitionFrom: 1000 }),
          Readable.from([csv]),
          {
            kind: 'visits',
            format: 'csv',
            mode: 'valid-rows',
            source: 'a.csv',
            actorId: 'cli:test',
            unitId: null,
            now,
          },
        );
        const rows = async () =>
          db.query(
            `select v.at, v.staff_id, v.unit_id, v.profession, v.contact_type, v.is_assessment, v.sought_on::text
               from visit v join patient p on p.id = v.patient_id where p.identifier = $1 order by 1, 2`,
            [pnr],
          );
        const written = await rows();
        await db.query('delete from visit where import_id = $1', [general.importId]);
        const bulk = await run(csv, { mode: 'valid-rows' });
        const { importId: _a, ...g } = general;
        const { importId: _b, ...b } = bulk;
        assert.deepEqual(b, g);
        assert.ok(g.imported > 50 && g.errorCount > 100, JSON.stringify([g.imported, g.errorCount]));
        assert.deepEqual(await rows(), written);
        const series = await kept(db);
        assert.deepEqual(series.series, series.rebuilt);
      });

    if (bulkFrom === 0)
      it('lets a slow large import, a small one of another month and readers of visit all finish', async () => {
        const pnr = await identifierOf(await makePatient(db, vc));
        const line = (month: string, day: number): string =>
          `${pnr},2015-${month}-${String(day).padStart(2, '0')} 09:30,${vc},${gp},lakare,besok`;
        const head = 'personnummer,tidpunkt,enhet,personal,yrke,kontakttyp';
        async function* slowly(): AsyncGenerator<string> {
          yield `${head}\n`;
          for (let day = 1; day <= 28; day++) {
            await new Promise((resolve) => setTimeout(resolve, 10));
            yield `${line('02', day)}\n`;
          }
        }
        const large = runImport(
          createImportStore(db, { bulkFrom: 0, partitionFrom: 0 }),
          Readable.from(slowly()),
          {
            kind: 'visits',
            format: 'csv',
            mode: 'all-or-nothing',
            source: 'slow.csv',
            actorId: 'cli:test',
            unitId: null,
            now,
          },
        );
        await new Promise((resolve) => setTimeout(resolve, 60));
        const small = runImport(
          createImportStore(db, { bulkFrom: 20_000, partitionFrom: 1000 }),
          Readable.from([[head, line('05', 1), line('05', 2)].join('\n')]),
          {
            kind: 'visits',
            format: 'csv',
            mode: 'all-or-nothing',
            source: 'small.csv',
            actorId: 'cli:test',
            unitId: null,
            now,
          },
        );
        const reading = db.query<{ n: number }>('select count(*)::int as n from visit');
        const [l, s, r] = await Promise.all([large, small, reading]);
        assert.deepEqual([l.imported, s.imported, typeof r[0]!.n], [28, 2, 'number']);
      });

    it('stores the day care was sought as written, also in the years 0–99', async () => {
      const patientId = await makePatient(db, vc);
      const pnr = await identifierOf(patientId);
      const result = await run(
        [
          'personnummer,tidpunkt,enhet,personal,yrke,kontakttyp,medicinsk_bedomning,sokte_vard',
          `${pnr},2019-08-06 09:30,${vc},${gp},lakare,besok,ja,0025-03-01`,
        ].join('\n'),
      );
      assert.equal(result.imported, 1, JSON.stringify(result.errors));
      const stored = await db.query<{ day: string }>(
        'select sought_on::text as day from visit where patient_id = $1',
        [patientId],
      );
      assert.deepEqual(stored, [{ day: '0025-03-01' }]);
    });

    it('lists the first errors in line order, whichever step found them', async () => {
      const bad = JSON.stringify({
        personnummer: '19380312-9182',
        tidpunkt: 'igår',
        enhet: vc,
        personal: gp,
        yrke: 'lakare',
        kontakttyp: 'brev',
      });
      const lines = [
        ...Array.from({ length: 600 }, () => bad),
        '{inte json',
        ...Array.from({ length: 10 }, () => bad),
      ];
      const result = await run(lines.join('\n'), { format: 'ndjson' });
      assert.equal(result.errorCount, 611 * 2 - 1);
      assert.equal(result.errors.length, 1000);
      assert.deepEqual(
        result.errors.slice(-2).map((e) => [e.line, e.field]),
        [
          [500, 'tidpunkt'],
          [500, 'kontakttyp'],
        ],
      );
    });

    it('imports the valid rows of NDJSON when asked to, and reports the rest', async () => {
      const pnr = await identifierOf(await makePatient(db, vc));
      const ndjson = [
        JSON.stringify({
          personnummer: pnr,
          tidpunkt: '2025-03-04T09:30:00+01:00',
          enhet: vc,
          personal: gp,
          yrke: 'lakare',
          kontakttyp: 'video',
        }),
        '{"inte": json',
        JSON.stringify({
          personnummer: pnr,
          tidpunkt: '2025-03-05T09:30:00Z',
          enhet: 'SE-OKAND',
          personal: gp,
          yrke: 'lakare',
          kontakttyp: 'besok',
        }),
        '',
      ].join('\n');
      const result = await run(ndjson, { format: 'ndjson', mode: 'valid-rows' });
      assert.equal(result.imported, 1);
      assert.equal(result.skippedDuplicates, 0);
      assert.deepEqual(
        result.errors.map((e) => [e.line, e.field]),
        [
          [2, null],
          [3, 'enhet'],
        ],
      );
      assert.ok(result.importId !== null);
    });

    it('counts lines across blank lines and line breaks inside quoted fields', async () => {
      const pnr = await identifierOf(await makePatient(db, vc));
      const csv = [
        'personnummer,tidpunkt,enhet,personal,yrke,kontakttyp',
        `${pnr},2025-03-04 09:30,${vc},${gp},lakare,besok`,
        '',
        `${pnr},2025-03-05 09:30,${vc},${gp},lakare,"brev\r\noch telefon"`,
        `${pnr},2025-03-06 09:30,${vc},${gp},Läkare,besok`,
      ].join('\r\n');
      const result = await run(csv);
      assert.deepEqual(
        result.errors.map((e) => [e.line, e.field]),
        [
          [4, 'kontakttyp'],
          [6, 'yrke'],
        ],
      );
    });

    it('refuses a file whose header lacks a column', async () => {
      const result = await run('personnummer,tidpunkt\n19380312-9182,2025-03-04 09:30\n');
      assert.equal(result.imported, 0);
      assert.deepEqual(
        result.errors.map((e) => [e.line, e.field]),
        [
          [1, 'enhet'],
          [1, 'personal'],
          [1, 'yrke'],
          [1, 'kontakttyp'],
        ],
      );
    });

    it('imports the population register: a new person listed, a named GP, a SÄBO stay; again changes nothing', async () => {
      const csv = [
        'typ,personnummer,enhet,personal,fran,till,fornamn,efternamn',
        `listning,PK1234500001,${vc},,2024-01-01,,Ada,Andersson`,
        `fast-lakarkontakt,PK1234500001,${vc},${gp},2024-02-01,,,`,
        `sabo,PK1234500001,${sabo},,2024-03-01,,,`,
      ].join('\n');
      const first = await run(csv, { kind: 'population' });
      assert.equal(first.errorCount, 0, JSON.stringify(first.errors));
      assert.deepEqual([first.imported, first.updated, first.createdPersons], [3, 0, 1]);
      const state = async () =>
        db.query<Record<string, unknown>>(
          `select p.listed_unit_id as listed, p.listed_since as since,
                  (select count(*)::int from register_period r where r.patient_id = p.id) as periods,
                  (select staff_id from care_contact c where c.patient_id = p.id and c.role = 'fast-lakarkontakt'
                      and c.status = 'active') as gp
             from patient p where p.identifier = 'PK1234500001'`,
        );
      assert.deepEqual(await state(), [{ listed: vc, since: '2024-01-01', periods: 2, gp }]);
      const again = await run(csv, { kind: 'population' });
      assert.deepEqual([again.imported, again.updated, again.skippedDuplicates], [0, 0, 3]);
      assert.deepEqual(await state(), [{ listed: vc, since: '2024-01-01', periods: 2, gp }]);
    });

    it('ends a SÄBO stay and replaces the named GP from a later file', async () => {
      const pnr = await identifierOf(await makePatient(db, vc));
      const head = 'typ,personnummer,enhet,personal,fran,till';
      await run(
        [head, `fast-lakarkontakt,${pnr},${vc},${gp},2024-01-01,`, `sabo,${pnr},${sabo},,2024-03-01,`].join(
          '\n',
        ),
        {
          kind: 'population',
        },
      );
      const later = await run(
        [
          head,
          `fast-lakarkontakt,${pnr},${vc},${gp2},2025-01-01,`,
          `sabo,${pnr},${sabo},,2024-03-01,2025-02-28`,
        ].join('\n'),
        { kind: 'population' },
      );
      assert.deepEqual([later.imported, later.updated], [1, 2]);
      const contacts = await db.query<{ staff_id: string; status: string; end_date: string | null }>(
        `select staff_id, status, end_date from care_contact c join patient p on p.id = c.patient_id
          where p.identifier = $1 order by start_date`,
        [pnr],
      );
      assert.deepEqual(contacts, [
        { staff_id: gp, status: 'ended', end_date: '2024-12-31' },
        { staff_id: gp2, status: 'active', end_date: null },
      ]);
      const stay = await db.query<{ valid_to: string }>(
        `select valid_to from register_period r join patient p on p.id = r.patient_id where p.identifier = $1 and kind = 'sabo'`,
        [pnr],
      );
      assert.deepEqual(stay, [{ valid_to: '2025-02-28' }]);
    });

    it('refuses a GP who is not a physician, a unit of the wrong kind and an unknown person', async () => {
      const pnr = await identifierOf(await makePatient(db, vc));
      const result = await run(
        [
          'typ,personnummer,enhet,personal,fran',
          `fast-lakarkontakt,${pnr},${vc},${nurse},2024-01-01`,
          `sabo,${pnr},${vc},,2024-01-01`,
          `listning,PK9999900001,${vc},,2024-01-01`,
        ].join('\n'),
        { kind: 'population' },
      );
      assert.deepEqual(
        result.errors.map((e) => [e.line, e.field]),
        [
          [2, 'personal'],
          [3, 'enhet'],
          [4, 'personnummer'],
        ],
      );
      assert.match(result.errors[0]!.message, /läkare/);
      assert.equal(result.imported, 0);
    });
  });
}
