/**
 * The diagnoses import (docs/imports.md, kind `diagnoses`), on both engines: ICD-10 codes with or
 * without the dot kept in one form; a file with a bad row writes nothing and names every line and
 * field; `valid-rows` writes the rest; the same file again changes nothing and a later one updates
 * the end; follow-up's patient groups count each diagnosis on the days it was current; the plan's
 * background (the overview) shows the current ones with their unit, and a diagnosis made at a unit
 * under spärr is hidden from a reader elsewhere; the API route takes the role uppfoljning.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { runImport } from '../src/services/import-reader.ts';
import type { Db } from '../src/store/db.ts';
import { createFollowupStore } from '../src/store/followup-store.ts';
import { createImportStore, type ImportMode } from '../src/store/import-store.ts';
import { login, openTestApp } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makePatient, makeProvider, makeStaff, makeUnit, sampleContent } from './helpers/factories.ts';

const HEADER = 'personnummer;diagnos;fran;enhet;till';
const now = new Date('2025-06-01T10:00:00Z');

function importCsv(db: Db, lines: string[], mode: ImportMode = 'all-or-nothing') {
  return runImport(createImportStore(db), Readable.from([[HEADER, ...lines].join('\n')]), {
    kind: 'diagnoses',
    format: 'csv',
    mode,
    source: 'diagnoser.csv',
    actorId: 'cli:test',
    unitId: null,
    now,
  });
}

async function diagnosesOf(db: Db, patientId: string) {
  return db.query<{ icd10: string; since: string; source_unit_id: string; ended_on: string | null }>(
    `select icd10, since, source_unit_id, ended_on from patient_diagnosis where patient_id = $1 order by icd10`,
    [patientId],
  );
}

/** An active plan since 2024-01-02 at `unitId`, as the follow-up counts it (its first version). */
async function activePlan(db: Db, patientId: string, unitId: string): Promise<void> {
  const content = JSON.stringify(sampleContent(unitId));
  const [contract] = await db.query<{ id: string }>(
    `insert into contract (patient_id, status, version, content, created_by, created_at, updated_by, owner_unit_id)
     values ($1, 'active', 1, $2, 'test', '2024-01-02T10:00:00Z', 'test', $3) returning id`,
    [patientId, content, unitId],
  );
  await db.query(
    `insert into contract_version (contract_id, version, status, content, changed_at, actor_kind, actor_id, actor_name, changes)
     values ($1, 1, 'active', $2, '2024-01-02T10:00:00Z', 'staff', 'test', 'Test', '[]')`,
    [contract!.id, content],
  );
}

for (const engine of testEngines) {
  describe(`the diagnoses import on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it('keeps one form of each code, refuses a bad file whole, re-imports idempotently, and feeds the patient groups', async () => {
      const region = await makeProvider(db);
      const vc = await makeUnit(db, region);
      const clinic = await makeUnit(db, region, 'sjukhus');
      const patients = [await makePatient(db, vc), await makePatient(db, vc), await makePatient(db, vc)];
      const pnr: string[] = [];
      for (const id of patients) {
        pnr.push(
          (await db.query<{ identifier: string }>('select identifier from patient where id = $1', [id]))[0]!
            .identifier,
        );
        await activePlan(db, id, vc);
      }
      const good = [
        `${pnr[0]};I509;2024-03-01;${clinic};`,
        `${pnr[1]};j44;2024-05-01;${vc};`,
        `${pnr[2]};E11.9;2024-01-10;${vc};2024-12-31`,
      ];

      // Any bad row: nothing written, each named by line and field.
      const bad = await importCsv(db, [
        ...good,
        `${pnr[0]};I5;2024-03-01;${clinic};`,
        `${pnr[1]};J45;2026-01-01;${vc};`,
        `${pnr[2]};C50.9;2024-02-01;SE-OKAND;`,
        `${pnr[2]};J45;2024-02-01;${vc};2024-01-01`,
        `PK0000000000;J45;2024-02-01;${vc};`,
      ]);
      assert.equal(bad.importId, null);
      assert.deepEqual(
        bad.errors.map((e) => [e.line, e.field]),
        [
          [5, 'diagnos'],
          [6, 'fran'],
          [7, 'enhet'],
          [8, 'till'],
          [9, 'personnummer'],
        ],
      );
      for (const id of patients) assert.deepEqual(await diagnosesOf(db, id), []);

      // valid-rows writes the good ones and reports the rest.
      const partly = await importCsv(db, [...good, `${pnr[0]};I5;2024-03-01;${clinic};`], 'valid-rows');
      assert.deepEqual([partly.imported, partly.updated, partly.errorCount], [3, 0, 1]);
      assert.deepEqual(await diagnosesOf(db, patients[0]!), [
        { icd10: 'I50.9', since: '2024-03-01', source_unit_id: clinic, ended_on: null },
      ]);
      assert.equal((await diagnosesOf(db, patients[1]!))[0]!.icd10, 'J44');

      // The same file again changes nothing.
      const again = await importCsv(db, good);
      assert.deepEqual([again.imported, again.updated, again.skippedDuplicates], [0, 0, 3]);

      // The patient groups count each diagnosis on the days it was current.
      const groups = async (day: string) =>
        Object.fromEntries(
          (await createFollowupStore(db).contracts([day]))
            .filter((r) => r.unitId === vc && r.groupId !== 'alla')
            .map((r) => [r.groupId, r.contracts]),
        );
      assert.deepEqual(await groups('2024-02-01'), { diabetes: 1 });
      assert.deepEqual(await groups('2024-06-01'), { diabetes: 1, hjartsvikt: 1, kol: 1 });
      assert.deepEqual(await groups('2025-01-15'), { hjartsvikt: 1, kol: 1 });

      // A later file ends the KOL diagnosis: updated, and no longer counted after that day.
      const ended = await importCsv(db, [`${pnr[1]};J44;2024-05-01;${vc};2025-01-10`]);
      assert.deepEqual([ended.imported, ended.updated], [0, 1]);
      assert.deepEqual(await groups('2025-01-15'), { hjartsvikt: 1 });
      assert.deepEqual(await groups('2025-01-10'), { hjartsvikt: 1, kol: 1 });

      // A diagnosis twice in one file with different content is refused.
      const twice = await importCsv(db, [
        `${pnr[0]};I50.9;2024-03-01;${clinic};`,
        `${pnr[0]};I509;2024-04-01;${clinic};`,
      ]);
      assert.deepEqual(
        twice.errors.map((e) => [e.line, e.field]),
        [[3, 'diagnos']],
      );
    });

    it("shows the current diagnoses with their unit in the plan's background, hides one made under spärr, and imports through the API", async () => {
      const region = await makeProvider(db);
      const vc = await makeUnit(db, region);
      const psychiatry = await makeProvider(db);
      const clinic = await makeUnit(db, psychiatry, 'specialistmottagning');
      const nurse = await makeStaff(db, vc);
      const patientId = await makePatient(db, vc);
      const [{ identifier }] = (await db.query<{ identifier: string }>(
        'select identifier from patient where id = $1',
        [patientId],
      )) as [{ identifier: string }];
      const analyst = await makeStaff(db, vc);
      await db.query("update staff_unit set role = 'uppfoljning' where staff_id = $1", [analyst]);
      const csv = [
        HEADER,
        `${identifier};I50.9;2024-03-01;${vc};`,
        `${identifier};F32.1;2024-02-01;${clinic};`,
        `${identifier};J45;2020-01-01;${vc};2023-06-30`,
      ].join('\n');
      const byNurse = await (
        await login(app, { hsaId: nurse })
      ).send('POST', '/api/imports/diagnoses', undefined);
      assert.ok(byNurse.statusCode >= 400 && byNurse.statusCode < 500, byNurse.body);
      const client = await login(app, { hsaId: analyst });
      const res = await app.inject({
        method: 'POST',
        url: '/api/imports/diagnoses?source=diagnoser.csv',
        payload: csv,
        headers: { 'content-type': 'text/csv', cookie: client.cookie, 'x-csrf-token': client.csrfToken },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json<{ imported: number }>().imported, 3);

      const reader = await login(app, { hsaId: nurse });
      const patient = async () =>
        (await reader.get(`/api/patients/${patientId}`)).json<{
          diagnoses: { icd10: string; sourceUnitId: string; sourceUnitName: string }[];
        }>().diagnoses;
      // Current only (J45 ended), each with its unit.
      assert.deepEqual(
        (await patient()).map((d) => [d.icd10, d.sourceUnitId, d.sourceUnitName]),
        [
          ['F32.1', clinic, `Enhet ${clinic}`],
          ['I50.9', vc, `Enhet ${vc}`],
        ],
      );
      // The patient blocks the psychiatric clinic's information: the vårdcentral no longer sees that diagnosis.
      await db.query(
        `insert into block (patient_id, scope_kind, unit_id, created_by_kind, created_by) values ($1, 'unit', $2, 'patient', $3)`,
        [patientId, clinic, identifier],
      );
      assert.deepEqual(
        (await patient()).map((d) => d.icd10),
        ['I50.9'],
      );
      // A search hit carries no diagnoses: a list does not decide spärr patient by patient.
      const hits = await reader.get(`/api/patients?q=${identifier}`);
      assert.equal(hits.statusCode, 200, hits.body);
      assert.deepEqual(
        hits.json<{ patients: { diagnoses: unknown[] }[] }>().patients.map((p) => p.diagnoses),
        [[]],
      );
      const overview = await reader.get(`/api/patients/${patientId}/overview`);
      assert.equal(overview.statusCode, 200, overview.body);
      const body = overview.json<{
        patient: { diagnoses: { icd10: string }[] };
        hasBlockedInformation: boolean;
      }>();
      assert.deepEqual(
        body.patient.diagnoses.map((d) => d.icd10),
        ['I50.9'],
      );
      assert.equal(body.hasBlockedInformation, true);
      assert.ok(!overview.body.includes('F32'), 'the blocked diagnosis is nowhere in the answer');
    });
  });
}
