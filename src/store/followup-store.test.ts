import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FollowupReport, Table } from '../domain/followup-report.ts';
import { buildFollowupReport } from '../services/followup-service.ts';
import { renderCsv, renderHtml } from '../services/followup-render.ts';
import {
  makePatient,
  makeProvider,
  makeStaff,
  makeUnit,
  sampleContent,
} from '../../test/helpers/factories.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import type { Db } from './db.ts';
import { createFollowupStore } from './followup-store.ts';
import { defaultContinuitySettings } from '../domain/continuity.ts';

const period = { from: '2025-01-01', to: '2025-03-31' };
const reports = new Map<string, { report: FollowupReport; ids: Record<string, string> }>();

const close = (actual: unknown, expected: number): void =>
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) < 1e-12,
    `${String(actual)} ≠ ${expected}`,
  );
const row = (t: Table | undefined, id: string | null, extra: Record<string, unknown> = {}) => {
  const found = t?.rows.find((r) => r.id === id && Object.entries(extra).every(([k, v]) => r[k] === v));
  assert.ok(found, `no row ${id} in ${t?.id}`);
  return found;
};

for (const engine of testEngines) {
  describe(`follow-up figures on ${engine.name}`, () => {
    let db: Db;
    let report: FollowupReport;
    const ids: Record<string, string> = {};

    before(async () => {
      db = await engine.open();
      const region = await makeProvider(db);
      const kommun = await makeProvider(db, 'kommun');
      const u1 = (ids.u1 = await makeUnit(db, region));
      const u2 = (ids.u2 = await makeUnit(db, region));
      const sabo = await makeUnit(db, kommun, 'sabo');
      const [d1, d2, d3] = [
        await makeStaff(db, u1, 'lakare'),
        await makeStaff(db, u1, 'lakare'),
        await makeStaff(db, u2, 'lakare'),
      ];
      const nurse = await makeStaff(db, u1);
      const p = [
        await makePatient(db, u1),
        await makePatient(db, u1),
        await makePatient(db, u1),
        await makePatient(db, u1),
        await makePatient(db, u2),
      ];
      await db.query(`update patient set listed_since = '2023-01-01' where id = any($1::uuid[])`, [p]);
      const gp = (patient: string, staff: string, unit: string, start: string, end: string | null) =>
        db.query(
          `insert into care_contact (patient_id, role, staff_id, unit_id, status, start_date, end_date, created_by)
           values ($1, 'fast-lakarkontakt', $2, $3, $4, $5, $6, 'test')`,
          [patient, staff, unit, end ? 'ended' : 'active', start, end],
        );
      await gp(p[0]!, d1, u1, '2024-01-01', null);
      await gp(p[1]!, d2, u1, '2024-06-01', '2024-12-31');
      await db.query(
        `insert into register_period (patient_id, kind, unit_id, valid_from) values ($1, 'sabo', $2, '2024-01-01')`,
        [p[3], sabo],
      );
      const visit = (
        patient: string,
        at: string,
        staff: string,
        unit: string,
        extra: Partial<Record<string, unknown>> = {},
      ) =>
        db.query(
          `insert into visit (patient_id, at, staff_id, unit_id, profession, contact_type, is_assessment, sought_on)
           values ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            patient,
            at,
            staff,
            unit,
            extra.profession ?? 'lakare',
            extra.type ?? 'besok',
            extra.sought !== undefined,
            extra.sought ?? null,
          ],
        );
      // p1: d1 d1 d2 d1 → COC 0.5, UPC 0.75, SECON 1/3 (plus a phone call and a nurse visit that do not count).
      await visit(p[0]!, '2024-01-10T09:00:00Z', d1, u1);
      await visit(p[0]!, '2024-05-10T09:00:00Z', d1, u1);
      await visit(p[0]!, '2024-09-10T09:00:00Z', d2, u1);
      await visit(p[0]!, '2025-02-10T09:00:00Z', d1, u1, { sought: '2025-02-06' });
      await visit(p[0]!, '2025-02-11T09:00:00Z', d2, u1, { type: 'telefon' });
      await visit(p[0]!, '2025-02-12T09:00:00Z', nurse, u1, { profession: 'sjukskoterska' });
      // p2: d1 d2 d2 → COC 1/3, UPC 2/3, SECON 1/2.
      await visit(p[1]!, '2024-02-01T09:00:00Z', d1, u1);
      await visit(p[1]!, '2024-03-01T09:00:00Z', d2, u1);
      await visit(p[1]!, '2025-03-03T09:00:00Z', d2, u1, { sought: '2025-03-01' });
      // p3: two visits, below the minimum. Before the window: does not count.
      await visit(p[2]!, '2024-02-01T09:00:00Z', d1, u1);
      await visit(p[2]!, '2024-03-01T09:00:00Z', d1, u1);
      await visit(p[2]!, '2023-01-01T09:00:00Z', d1, u1);
      // p5 at U2: d3 × 3 → 1. The baseline window (ending 2024-12-31) sees only the first two.
      await visit(p[4]!, '2024-06-01T09:00:00Z', d3, u2);
      await visit(p[4]!, '2024-07-01T09:00:00Z', d3, u2);
      await visit(p[4]!, '2025-01-15T09:00:00Z', d3, u2);
      await db.query(`insert into patient_diagnosis (patient_id, icd10) values ($1, 'J44'), ($1, 'E11')`, [
        p[0],
      ]);
      const content = sampleContent(u1, {
        nextContact: {
          at: '2025-05-01T08:00:00.000Z',
          unitId: u1,
          mode: 'besok',
          agreement: 'overenskommen',
        },
        reviewDate: '2025-09-01',
        answers: {
          questionSetId: 'skr-7-fragor-patient',
          questionSetVersion: 1,
          answeredAt: '2025-01-05T10:00:00.000Z',
          items: [
            { questionId: 'p4', answer: 'ja' },
            { questionId: 'p5', answer: 'nej' },
          ],
        },
      });
      const contract = await db.query<{ id: string }>(
        `insert into contract (patient_id, status, version, content, created_by, created_at, updated_by, owner_unit_id)
         values ($1, 'active', 2, $2, 'test', '2025-01-05T10:00:00Z', 'test', $3) returning id`,
        [p[0], JSON.stringify(content), u1],
      );
      for (const version of [1, 2]) {
        await db.query(
          `insert into contract_version (contract_id, version, status, content, changed_at, actor_kind, actor_id, actor_name, changes)
           values ($1, $2, 'active', $3, $4, 'staff', 'test', 'Test', '[]')`,
          [
            contract[0]!.id,
            version,
            JSON.stringify(content),
            version === 1 ? '2025-01-05T10:00:00Z' : '2025-02-01T10:00:00Z',
          ],
        );
      }
      await db.query(
        `insert into care_contact (patient_id, role, staff_id, unit_id, status, start_date, created_by)
         values ($1, 'fast-vardkontakt', $2, $3, 'active', '2024-01-01', 'test')`,
        [p[0], nurse, u1],
      );
      report = await buildFollowupReport(createFollowupStore(db), { period, minCell: 1 });
      reports.set(engine.name, { report, ids });
    });
    after(() => db.close());

    const table = (id: string) => report.tables.find((t) => t.id === id);

    it('computes the continuity of each unit from its patients with at least 3 physician visits', () => {
      const t = table('kontinuitet');
      const u1 = row(t, ids.u1!);
      assert.equal(u1.patienter, 2);
      close(u1.coc, (0.5 + 1 / 3) / 2);
      close(u1.upc, (0.75 + 2 / 3) / 2);
      close(u1.mmci, (2.1 / 3.1 + 1.1 / 2.1) / 2);
      close(u1.secon, (1 / 3 + 1 / 2) / 2);
      assert.equal(row(t, ids.u2!).coc, 1);
      const region = row(t, null);
      close(region.medel_enheter, ((0.5 + 1 / 3) / 2 + 1) / 2);
      close(region.min_enhet, 5 / 12);
      assert.equal(region.max_enhet, 1);
      assert.equal(region.patienter, 3);
      assert.equal(row(t, ids.u2!).baslinje, null, 'the baseline window has too few visits at U2');
    });

    it('counts listed inhabitants with a fast läkarkontakt on the last day, against the 55 % target', () => {
      const t = table('fast-lakarkontakt');
      const u1 = row(t, ids.u1!);
      assert.deepEqual([u1.listade, u1.med_fast_lakarkontakt, u1.andel], [4, 1, 0.25]);
      close(u1.avstand, 0.3);
      assert.equal(u1.lakare, 2);
      const region = row(t, null);
      assert.deepEqual([region.listade, region.med_fast_lakarkontakt, region.andel], [5, 1, 0.2]);
      assert.equal(region.lakare_behov, 1);
      const trend = table('fast-lakarkontakt-trend');
      assert.deepEqual(
        trend?.rows.map((r) => r.manad),
        ['2025-01', '2025-02', '2025-03'],
      );
    });

    it('counts SÄBO residents with a fast läkarkontakt', () => {
      const region = row(table('sabo'), null);
      assert.deepEqual([region.boende, region.med_fast_lakarkontakt, region.andel], [1, 0, 0]);
    });

    it('gives the share of medical assessments within 3 days of the contact', () => {
      const region = row(table('vardgaranti'), null);
      assert.deepEqual([region.bedomningar, region.inom_3_dagar, region.andel], [2, 1, 0.5]);
      assert.deepEqual(
        table('vardgaranti-trend')?.rows.map((r) => r.andel),
        [null, 0, 1],
      );
    });

    it('counts contracts by patient group with fast vårdkontakt, agreed next contact and overdue', () => {
      const t = table('kontrakt');
      const all = row(t, ids.u1!, { grupp: 'Alla' });
      assert.deepEqual(
        [
          all.kontrakt,
          all.nya_under_perioden,
          all.andel_fast_vardkontakt,
          all.andel_overenskommen_tid,
          all.andel_forsenade,
        ],
        [1, 1, 1, 1, 0],
      );
      assert.equal(row(t, ids.u1!, { grupp: 'KOL (J44)' }).kontrakt, 1);
      assert.equal(row(t, ids.u1!, { grupp: 'Diabetes (E10–E14)' }).kontrakt, 1);
      assert.deepEqual(
        table('kontrakt-trend')?.rows.map((r) => r.kontrakt),
        [1, 1, 1],
      );
    });

    it('gives the share yes per question, counting each answering once', () => {
      const t = table('fragor');
      assert.deepEqual(
        t?.rows.map((r) => [r.fraga, r.vem, r.svar, r.andel_ja]),
        [
          ['p4', 'patienten', 1, 1],
          ['p5', 'patienten', 1, 0],
        ],
      );
    });

    it('suppresses figures over fewer than five patients by default', async () => {
      const suppressed = await buildFollowupReport(createFollowupStore(db), {
        period,
        sections: ['fast-lakarkontakt'],
      });
      const u1 = row(suppressed.tables[0], ids.u1!);
      assert.deepEqual([u1.listade, u1.andel], [null, null]);
    });

    it('renders the report as CSV and as a printable page', () => {
      const csv = renderCsv(report);
      assert.match(csv, /^tabell,niva,id,namn,detalj,matt,varde\r\n/);
      assert.match(csv, /\r\nkontinuitet,region,,Regionen,,medel_enheter,0\.708333\r\n/);
      assert.match(
        renderCsv(report, 'vardgaranti'),
        /^niva,id,namn,bedomningar,inom_3_dagar,andel\r\nregion,,Regionen,2,1,0\.5\r\n/,
      );
      const html = renderHtml(report, new Date('2025-04-01T08:00:00Z'));
      assert.match(html, /<html lang="sv">/);
      assert.match(html, /50,0 %/);
    });
  });
}

describe('follow-up on both engines', () => {
  it('gives identical figures on PostgreSQL and PGlite', (t) => {
    if (reports.size < 2) return t.skip('no PostgreSQL (TEST_DATABASE_URL)');
    const [a, b] = [...reports.values()];
    // Unit ids differ between the two databases: name them by role, and sort rows.
    const strip = ({ report, ids }: { report: FollowupReport; ids: Record<string, string> }) => {
      let text = JSON.stringify(report.tables);
      for (const [role, id] of Object.entries(ids)) text = text.replaceAll(id, role);
      const tables = JSON.parse(
        text.replace(/SE2321000000-[A-Z][0-9A-F]{8}/g, 'X'),
      ) as FollowupReport['tables'];
      return tables.map((t) => ({ ...t, rows: t.rows.map((r) => JSON.stringify(r)).sort() }));
    };
    assert.deepEqual(strip(a!), strip(b!));
  });
});

for (const engine of testEngines) {
  describe(`continuity by listing on ${engine.name}`, () => {
    let db: Db;
    after(() => db.close());

    it('counts each patient at the unit listed on each window’s last day, the lowest id when two overlap', async () => {
      db = await engine.open();
      const region = await makeProvider(db);
      const [a, b] = [await makeUnit(db, region), await makeUnit(db, region)].sort();
      const doctor = await makeStaff(db, a!, 'lakare');
      const [p1, p2, p3] = [await makePatient(db), await makePatient(db), await makePatient(db)];
      const listing = (patient: string, unit: string, from: string, to: string | null) =>
        db.query(
          `insert into register_period (patient_id, kind, unit_id, valid_from, valid_to) values ($1, 'listning', $2, $3, $4)`,
          [patient, unit, from, to],
        );
      await listing(p1, b!, '2024-01-01', null);
      await listing(p1, a!, '2025-01-01', null);
      await listing(p2, a!, '2024-01-01', '2024-12-31');
      await listing(p2, b!, '2025-01-01', null);
      // p1 has 4 visits, p2 and p3 have 3: the rows tell them apart.
      for (const patient of [p1, p2, p3])
        for (const at of ['2024-03-01T09:00Z', '2024-06-01T09:00Z', '2024-09-01T09:00Z', '2024-10-01T09:00Z'])
          if (patient === p1 || !at.startsWith('2024-10'))
            await db.query(
              `insert into visit (patient_id, at, staff_id, unit_id, profession, contact_type)
             values ($1, $2, $3, $4, 'lakare', 'besok')`,
              [patient, at, doctor, a],
            );
      const [now, then] = await createFollowupStore(db).continuityWindows(
        [
          { from: '2024-01-01', to: '2025-06-30' },
          { from: '2023-07-01', to: '2024-12-31' },
        ],
        defaultContinuitySettings,
      );
      const visitsPerUnit = (rows: { unitId: string | null; patients: number; visits: number }[]) =>
        Object.fromEntries(rows.map((r) => [String(r.unitId), `${r.patients} × ${r.visits}`]));
      // p1 at A (both A and B cover the last day), p2 at B, p3 nowhere.
      assert.deepEqual(visitsPerUnit(now!), { [a!]: '1 × 4', [b!]: '1 × 3', null: '1 × 3' });
      // Then: p1 at B, p2 at A.
      assert.deepEqual(visitsPerUnit(then!), { [a!]: '1 × 3', [b!]: '1 × 4', null: '1 × 3' });
    });
  });
}
