/**
 * The organisation directory sync, on every engine: from a FHIR Bundle and from CSV it adds,
 * changes and ends; running it again changes nothing; a broken file writes nothing; another
 * provider is untouched; ending more than a tenth needs confirmation; a person whose assignment
 * ended is refused at their next request, and their fast vårdkontakt roles reach the manager.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { directoryFhir } from '../src/domain/directory-formats.ts';
import { HSA_ID_SYSTEM, type AssignmentRole } from '../src/domain/directory-sync.ts';
import {
  createDirectorySyncService,
  type DirectorySyncResult,
} from '../src/services/directory-sync-service.ts';
import type { Db } from '../src/store/db.ts';
import { createDirectorySyncStore } from '../src/store/directory-sync-store.ts';
import { login, openTestApp } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { appointFastVardkontakt, makePatient } from './helpers/factories.ts';

interface Person {
  id: string;
  given: string;
  family: string;
  profession: string;
  unitId: string;
  purpose?: string;
  role?: AssignmentRole;
}
interface Org {
  providerId: string;
  kind: 'region' | 'kommun';
  units: { id: string; kind: string }[];
  staff: Person[];
}

const tag = (): string => randomUUID().slice(0, 8).toUpperCase();

/** A provider with `unitCount` units and `staffCount` people spread over them. */
function makeOrg(kind: Org['kind'], unitCount: number, staffCount: number): Org {
  const t = tag();
  const units = Array.from({ length: unitCount }, (_, i) => ({
    id: `SE2321000000-E${t}${i}`,
    kind: kind === 'kommun' ? 'hemsjukvård' : 'vårdcentral',
  }));
  const staff = Array.from({ length: staffCount }, (_, i) => ({
    id: `SE2321000000-P${t}${i}`,
    given: 'Test',
    family: `Person${i}`,
    profession: i % 5 === 0 ? 'läkare' : 'sjuksköterska',
    unitId: units[i % unitCount]!.id,
  }));
  return { providerId: `SE2321000000-G${t}`, kind, units, staff };
}

function toCsv(org: Org): string {
  const header =
    'vardgivare;vardgivare_namn;vardgivare_typ;huvudman;enhet;enhet_namn;enhet_typ;kommun;hsaid;fornamn;efternamn;titel;yrke;andamal;roll';
  const unit = (id: string, kind: string) =>
    [org.providerId, `Vårdgivare ${org.providerId}`, org.kind, '', id, `Enhet ${id}`, kind, 'Gävle'].join(
      ';',
    );
  const rows = org.units.map((u) => `${unit(u.id, u.kind)};;;;;;;`);
  for (const p of org.staff) {
    const u = org.units.find((x) => x.id === p.unitId)!;
    rows.push(
      `${unit(u.id, u.kind)};${p.id};${p.given};${p.family};;${p.profession};${p.purpose ?? 'Vård och behandling'};${p.role ?? ''}`,
    );
  }
  return [header, ...rows].join('\n') + '\n';
}

function toBundle(org: Org): string {
  const hsa = (value: string) => [{ system: HSA_ID_SYSTEM, value }];
  const entry = (resource: object) => ({ resource });
  return JSON.stringify({
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      entry({
        resourceType: 'Organization',
        identifier: hsa(org.providerId),
        name: `Vårdgivare ${org.providerId}`,
        type: [{ coding: [{ system: directoryFhir.organisationType, code: org.kind }] }],
      }),
      ...org.units.map((u) =>
        entry({
          resourceType: 'Organization',
          identifier: hsa(u.id),
          name: `Enhet ${u.id}`,
          type: [{ text: u.kind }],
          address: [{ district: 'Gävle' }],
          partOf: { identifier: { system: HSA_ID_SYSTEM, value: org.providerId } },
        }),
      ),
      ...org.staff.map((p) =>
        entry({
          resourceType: 'Practitioner',
          identifier: hsa(p.id),
          name: [{ family: p.family, given: [p.given] }],
          qualification: [{ code: { coding: [{ code: p.profession }] } }],
        }),
      ),
      ...org.staff.map((p) =>
        entry({
          resourceType: 'PractitionerRole',
          practitioner: { identifier: { system: HSA_ID_SYSTEM, value: p.id } },
          organization: { identifier: { system: HSA_ID_SYSTEM, value: p.unitId } },
          code: [
            { coding: [{ system: directoryFhir.purpose, code: p.purpose ?? 'vard-och-behandling' }] },
            ...(p.role ? [{ coding: [{ system: directoryFhir.role, code: p.role }] }] : []),
          ],
        }),
      ),
    ],
  });
}

const formats = {
  fhir: toBundle,
  csv: toCsv,
} as const;

async function activeAssignments(db: Db, providerId: string): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `select count(*)::int as n from staff_assignment a join care_unit u on u.id = a.unit_id
      where u.provider_id = $1 and a.ended_at is null`,
    [providerId],
  );
  return rows[0]!.n;
}

/** Everything a sync writes, as one snapshot, to compare before and after. */
async function snapshot(db: Db, providerId: string): Promise<string> {
  const rows = await db.query(
    `select (select json_agg(a order by a.id) from staff_assignment a join care_unit u on u.id = a.unit_id
              where u.provider_id = $1) as assignments,
            (select json_agg(su order by su.staff_id, su.unit_id) from staff_unit su join care_unit u on u.id = su.unit_id
              where u.provider_id = $1) as places,
            (select json_agg(u order by u.id) from care_unit u where u.provider_id = $1) as units,
            (select json_agg(s order by s.id) from staff s where exists (select 1 from staff_unit su
              join care_unit u on u.id = su.unit_id where su.staff_id = s.id and u.provider_id = $1)) as staff`,
    [providerId],
  );
  return JSON.stringify(rows[0]);
}

function assertStatus<S extends DirectorySyncResult['status']>(
  result: DirectorySyncResult,
  status: S,
): asserts result is Extract<DirectorySyncResult, { status: S }> {
  assert.equal(result.status, status, JSON.stringify(result).slice(0, 600));
}

for (const engine of testEngines) {
  describe(`directory sync on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));
    const service = () => createDirectorySyncService({ store: createDirectorySyncStore(db) });
    const run = (text: string, format: 'fhir' | 'csv', options: { dry?: boolean; confirm?: boolean } = {}) =>
      service().sync({
        text,
        format,
        source: `test.${format}`,
        actorId: 'cli:test',
        isDryRun: options.dry ?? false,
        confirmEnds: options.confirm ?? false,
      });

    for (const format of ['fhir', 'csv'] as const) {
      it(`adds, changes and ends from ${format}, and a second run changes nothing`, async () => {
        const org = makeOrg('region', 2, 20);
        const first = await run(formats[format](org), format);
        assertStatus(first, 'synced');
        assert.deepEqual(first.counts.providers, { added: 1, changed: 0, ended: 0 });
        assert.deepEqual(first.counts.units, { added: 2, changed: 0, ended: 0 });
        assert.deepEqual(first.counts.staff, { added: 20, changed: 0, ended: 0 });
        assert.deepEqual(first.counts.assignments, { added: 20, changed: 0, ended: 0 });
        const staffRow = await db.query<{ profession: string }>(
          'select profession from staff where id = $1',
          [org.staff[0]!.id],
        );
        assert.equal(staffRow[0]!.profession, 'lakare');

        const before = await snapshot(db, org.providerId);
        const again = await run(formats[format](org), format);
        assertStatus(again, 'synced');
        for (const c of Object.values(again.counts)) assert.deepEqual(c, { added: 0, changed: 0, ended: 0 });
        assert.equal(await snapshot(db, org.providerId), before, 'a second run changes nothing');

        // One renamed, one made verksamhetschef, one gone (1 of 20: under the threshold).
        org.staff[1]!.family = 'Nytt-Namn';
        org.staff[2]!.role = 'verksamhetschef';
        const gone = org.staff.pop()!;
        const dry = await run(formats[format](org), format, { dry: true });
        assertStatus(dry, 'dry-run');
        assert.equal(await snapshot(db, org.providerId), before, 'a dry run writes nothing');
        assert.deepEqual(dry.counts.staff, { added: 0, changed: 1, ended: 0 });
        assert.deepEqual(dry.counts.assignments, { added: 0, changed: 1, ended: 1 });
        assert.deepEqual(
          dry.diff.assignments.ended.map((a) => a.staffId),
          [gone.id],
        );

        const third = await run(formats[format](org), format);
        assertStatus(third, 'synced');
        assert.deepEqual(third.counts, dry.counts);
        const place = await db.query<{ ended: boolean; role: string }>(
          'select ended_at is not null as ended, role from staff_unit where staff_id = $1',
          [gone.id],
        );
        assert.deepEqual(place, [{ ended: true, role: 'medarbetare' }], 'ended, never deleted');
        const history = await db.query<{ role: string; ended: boolean }>(
          'select role, ended_at is not null as ended from staff_assignment where staff_id = $1 order by id',
          [org.staff[2]!.id],
        );
        assert.deepEqual(history, [
          { role: 'medarbetare', ended: true },
          { role: 'verksamhetschef', ended: false },
        ]);
        const chief = await db.query<{ role: string }>('select role from staff_unit where staff_id = $1', [
          org.staff[2]!.id,
        ]);
        assert.equal(chief[0]!.role, 'verksamhetschef');
      });
    }

    it('writes nothing from a broken file and names the line, field and reason', async () => {
      const org = makeOrg('region', 1, 3);
      const lines = toCsv(org).split('\n');
      lines[3] = lines[3]!.replace('Vård och behandling', 'Vård o behandling');
      const broken = await run(lines.join('\n'), 'csv');
      assertStatus(broken, 'invalid');
      assert.deepEqual(
        broken.errors.map((e) => [e.line, e.field]),
        [[4, 'andamal']],
      );
      assert.match(broken.errors[0]!.message, /är inte en av/);
      assert.equal((await db.query('select 1 from care_provider where id = $1', [org.providerId])).length, 0);

      const bundle = JSON.parse(toBundle(org)) as { entry: { resource: { identifier?: unknown } }[] };
      bundle.entry[2]!.resource.identifier = [{ system: HSA_ID_SYSTEM, value: 'inte ett id' }];
      const fhir = await run(JSON.stringify(bundle), 'fhir');
      assertStatus(fhir, 'invalid');
      assert.deepEqual(
        fhir.errors.map((e) => [e.line, e.field]),
        [[3, 'Practitioner.identifier']],
      );
      assert.equal((await db.query('select 1 from care_provider where id = $1', [org.providerId])).length, 0);
    });

    it("never touches another provider's units, staff or assignments", async () => {
      const region = makeOrg('region', 1, 5);
      const kommun = makeOrg('kommun', 1, 5);
      // One person works at both.
      kommun.staff.push({ ...region.staff[0]!, unitId: kommun.units[0]!.id });
      assertStatus(await run(toCsv(region), 'csv'), 'synced');
      assertStatus(await run(toCsv(kommun), 'csv'), 'synced');
      const before = await snapshot(db, region.providerId);
      // The municipality's next file holds nobody: its own ends (confirmed), the region's stay.
      kommun.staff = [];
      const synced = await run(toCsv(kommun), 'csv', { confirm: true });
      assertStatus(synced, 'synced');
      assert.equal(synced.counts.assignments.ended, 6);
      assert.equal(await activeAssignments(db, kommun.providerId), 0);
      assert.equal(await activeAssignments(db, region.providerId), 5);
      assert.equal(await snapshot(db, region.providerId), before);
    });

    it('refuses to end more than a tenth of a provider’s assignments without confirm-ends', async () => {
      const org = makeOrg('region', 2, 20);
      assertStatus(await run(toBundle(org), 'fhir'), 'synced');
      const before = await snapshot(db, org.providerId);
      org.staff.splice(0, 3); // 3 of 20 = 15 %
      const refused = await run(toBundle(org), 'fhir');
      assertStatus(refused, 'needs-confirmation');
      assert.deepEqual(refused.endsOverThreshold, [{ providerId: org.providerId, ending: 3, active: 20 }]);
      assert.equal(await snapshot(db, org.providerId), before, 'nothing written');
      assertStatus(await run(toBundle(org), 'fhir', { confirm: true }), 'synced');
      assert.equal(await activeAssignments(db, org.providerId), 17);
    });

    it('gives access to patients only through an assignment for vård och behandling', async () => {
      const org = makeOrg('region', 1, 2);
      org.staff[1]!.purpose = 'Administration';
      assertStatus(await run(toCsv(org), 'csv'), 'synced');
      const roles = await db.query<{ staffId: string; role: string }>(
        'select staff_id as "staffId", role from staff_unit where unit_id = $1 order by staff_id',
        [org.units[0]!.id],
      );
      assert.deepEqual(
        roles.map((r) => r.role),
        ['medarbetare', 'administrativ'],
      );
    });

    it('refuses at the next request a person whose assignment ended, and tells the manager', async () => {
      const org = makeOrg('region', 1, 10);
      org.staff[0]!.role = 'systemforvaltare';
      org.staff[0]!.purpose = 'Administration';
      org.staff[1]!.role = 'verksamhetschef';
      const unitId = org.units[0]!.id;
      const admin = await (async () => {
        assertStatus(await run(toCsv(org), 'csv'), 'synced');
        return login(app, { hsaId: org.staff[0]!.id, unitId });
      })();
      const nurse = org.staff[9]!;
      const patientId = await makePatient(db, unitId);
      await appointFastVardkontakt(db, patientId, nurse.id, unitId);
      const session = await login(app, { hsaId: nurse.id, unitId });
      assert.equal((await session.get(`/api/patients/${patientId}/overview`)).statusCode, 200);
      // The systemförvaltare reads no patients.
      assert.equal((await admin.get(`/api/patients/${patientId}/overview`)).statusCode, 404);

      // A nurse may not sync; the systemförvaltare may, and sees the diff first.
      org.staff.pop();
      const csv = toCsv(org);
      const headers = { 'content-type': 'text/csv' };
      assert.equal((await session.send('POST', '/api/directory/sync', csv, headers)).statusCode, 403);
      const dry = await admin.send('POST', '/api/directory/sync?dryRun=1', csv, headers);
      assert.equal(dry.statusCode, 200, dry.body);
      assert.equal(dry.json<{ status: string }>().status, 'dry-run');
      assert.equal((await session.get(`/api/patients/${patientId}/overview`)).statusCode, 200);

      const synced = await admin.send('POST', '/api/directory/sync?source=katalog.csv', csv, headers);
      assert.equal(synced.statusCode, 200, synced.body);
      const answer = synced.json<{ status: string; changes: { endedAssignments: { staffId: string }[] } }>();
      assert.equal(answer.status, 'synced');
      assert.deepEqual(
        answer.changes.endedAssignments.map((a) => a.staffId),
        [nurse.id],
      );

      // The next request of the person who left is refused.
      assert.equal((await session.get(`/api/patients/${patientId}/overview`)).statusCode, 401);
      assert.equal((await session.get('/api/units')).statusCode, 401);
      const relogin = await app.inject({
        method: 'POST',
        url: '/auth/dev/login',
        payload: { hsaId: nurse.id, unitId },
      });
      assert.notEqual(relogin.statusCode, 200);

      // The plan still names them, and the unit's manager is told it needs a new one.
      const chief = await login(app, { hsaId: org.staff[1]!.id, unitId });
      const list = await chief.get('/api/directory/needs-new-fast-vardkontakt');
      assert.equal(list.statusCode, 200, list.body);
      const items = list.json<{ items: { kind: string; patientId: string; staffId: string }[] }>().items;
      assert.deepEqual(
        items.map((i) => [i.kind, i.patientId, i.staffId]),
        [['needs-new-fast-vardkontakt', patientId, nurse.id]],
      );
      assert.equal((await admin.get('/api/directory/needs-new-fast-vardkontakt')).statusCode, 403);
      const overview = await chief.get(`/api/patients/${patientId}/overview`);
      assert.equal(overview.statusCode, 200, overview.body);
      const contacts = overview.json<{ careContacts: { staffId: string; holderHasLeft: boolean }[] }>()
        .careContacts;
      assert.deepEqual(
        contacts.map((c) => [c.staffId, c.holderHasLeft]),
        [[nurse.id, true]],
        'the plan says its fast vårdkontakt has left',
      );
      const runs = await admin.get('/api/directory/syncs?limit=5');
      assert.equal(runs.statusCode, 200);
      assert.equal(runs.json<{ runs: { source: string }[] }>().runs[0]!.source, 'katalog.csv');
    });
  });
}
