/**
 * The versions of Patient and CareTeam through FHIR (migration 027): each change is a version,
 * the history pages them newest first, a version read answers what a read answered at that
 * version, a version never kept is a 404, and a reader without access meets the same 404 as for
 * a missing patient, logged. On both engines; every answer checked by the FHIR validator.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { login, openTestApp, type Client } from '../../test/helpers/api.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { appointFastVardkontakt, makePatient, makeStaff, makeWorld } from '../../test/helpers/factories.ts';
import type { Db } from '../store/db.ts';
import { interactionOf } from './bearer.ts';
import { codeSystems, extensions } from './datatypes.ts';
import { assertOutcome, FHIR } from './fhir-test-helpers.ts';

interface Resource {
  resourceType: string;
  id: string;
  meta: { versionId: string; security?: { system: string; code: string }[] };
  [key: string]: unknown;
}
interface HistoryBundle {
  type: string;
  total?: number;
  link: { relation: string; url: string }[];
  entry?: {
    fullUrl: string;
    resource: Resource;
    request: { method: string; url: string };
    response: { status: string; etag: string; lastModified?: string };
  }[];
}

/** What a read answered: the resource and its ETag. */
interface Seen {
  etag: string;
  body: Resource;
}

const pathOf = (url: string): string => new URL(url).pathname + new URL(url).search;

function seen(res: LightMyRequestResponse): Seen {
  assert.equal(res.statusCode, 200, res.body);
  return { etag: String(res.headers.etag), body: res.json<Resource>() };
}

/** Walks a history page by page (`_count` each); every entry, newest first. */
async function walk(client: Client, first: string): Promise<NonNullable<HistoryBundle['entry']>> {
  const entries: NonNullable<HistoryBundle['entry']> = [];
  let url: string | undefined = first;
  for (let pages = 0; url !== undefined; pages++) {
    assert.ok(pages < 50, `${first}: paging ends`);
    const res = await client.get(url);
    assert.equal(res.statusCode, 200, res.body);
    const page = res.json<HistoryBundle>();
    assert.equal(page.type, 'history');
    entries.push(...(page.entry ?? []));
    const next = page.link.find((l) => l.relation === 'next');
    url = next ? pathOf(next.url) : undefined;
  }
  return entries;
}

const CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';

for (const engine of testEngines) {
  describe(`FHIR Patient and CareTeam history on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    /** How often `actorId` was logged reading `patientId` on a history route, allowed or not. */
    async function loggedHistoryReads(actorId: string, patientId: string, outcome: string): Promise<number> {
      const rows = await db.query<{ n: number }>(
        `select count(*)::int as n from access_log
          where actor_id = $1 and patient_id = $2 and outcome = $3 and route like '%/_history%'`,
        [actorId, patientId, outcome],
      );
      return rows[0]!.n;
    }

    describe('Patient', () => {
      /** A patient in four versions, each read right after it was written. */
      async function fourVersions() {
        const w = await makeWorld(db);
        const nurse = await login(app, { hsaId: w.nurseId });
        const url = `/fhir/Patient/${w.patientId}`;
        const reads: Seen[] = [seen(await nurse.get(url))];
        for (const change of [
          (r: Resource) => ({ ...r, name: [{ use: 'official', family: 'Andersson', given: ['Anna'] }] }),
          (r: Resource) => ({ ...r, telecom: [{ system: 'phone', value: '070-123 45 67' }] }),
        ]) {
          const last = reads[reads.length - 1]!;
          const res = await nurse.send('PUT', url, change(last.body), { ...FHIR, 'if-match': last.etag });
          assert.equal(res.statusCode, 200, res.body);
          reads.push(seen(await nurse.get(url)));
        }
        // The register's death, written as the register import writes it (no version of its own):
        // the database makes it the next version.
        await db.query(`update patient set deceased_on = '2026-11-30' where id = $1`, [w.patientId]);
        reads.push(seen(await nurse.get(url)));
        return { w, nurse, url, reads };
      }

      it('keeps every change as a version and pages them newest first, each entry as it was read', async () => {
        const { nurse, url, reads } = await fourVersions();
        assert.deepEqual(
          reads.map((r) => r.etag),
          ['W/"1"', 'W/"2"', 'W/"3"', 'W/"4"'],
        );
        const first = (await nurse.get(`${url}/_history?_count=3`)).json<HistoryBundle>();
        assert.equal(first.total, undefined, 'no total on a page that is not the whole history');
        const entries = await walk(nurse, `${url}/_history?_count=3`);
        assert.deepEqual(
          entries.map((e) => e.resource.meta.versionId),
          ['4', '3', '2', '1'],
        );
        assert.deepEqual(
          entries.map((e) => [e.request.method, e.response.status]),
          [
            ['PUT', '200 OK'],
            ['PUT', '200 OK'],
            ['PUT', '200 OK'],
            ['POST', '201 Created'],
          ],
        );
        for (const entry of entries) {
          const then = reads[Number(entry.resource.meta.versionId) - 1]!;
          assert.deepEqual(entry.resource, then.body);
          assert.equal(entry.response.etag, then.etag);
          assert.ok(Date.parse(entry.response.lastModified ?? '') > 0);
          assert.equal(entry.fullUrl.endsWith(url), true);
        }
        const whole = (await nurse.get(`${url}/_history`)).json<HistoryBundle>();
        assert.equal(whole.total, 4);
      });

      it('reads each version as the read answered it then, and refuses a version never kept with 404', async () => {
        const { nurse, url, reads } = await fourVersions();
        for (const [i, then] of reads.entries()) {
          const res = await nurse.get(`${url}/_history/${i + 1}`);
          assert.deepEqual(seen(res), then);
        }
        assertOutcome(await nurse.get(`${url}/_history/5`), 404, 'not-found');
        assertOutcome(await nurse.get(`${url}/_history/0`), 404, 'not-found');
        // A patient from before the history was kept: it starts at the version they had.
        await db.query('delete from patient_version where patient_id = $1 and version < 3', [
          reads[0]!.body.id,
        ]);
        assertOutcome(await nurse.get(`${url}/_history/2`), 404, 'not-found');
        const kept = await walk(nurse, `${url}/_history`);
        assert.deepEqual(
          kept.map((e) => e.resource.meta.versionId),
          ['4', '3'],
        );
      });

      it('makes the changes of one transaction one version, and writes none when nothing it shows changed', async () => {
        const w = await makeWorld(db);
        const nurse = await login(app, { hsaId: w.nurseId });
        const url = `/fhir/Patient/${w.patientId}`;
        // A refresh from the register: the name (which raises the version), then the protection.
        await db.transaction(async (tx) => {
          await tx.query(`update patient set given_name = 'Britt', version = version + 1 where id = $1`, [
            w.patientId,
          ]);
          await tx.query(`update patient set protection = 'sekretessmarkering' where id = $1`, [w.patientId]);
        });
        await db.query(`update patient set register_checked_at = now(), moved_out_on = null where id = $1`, [
          w.patientId,
        ]);
        const read = seen(await nurse.get(url));
        assert.equal(read.etag, 'W/"2"');
        const entries = await walk(nurse, `${url}/_history`);
        assert.deepEqual(
          entries.map((e) => e.resource.meta.versionId),
          ['2', '1'],
        );
        assert.deepEqual(entries[0]!.resource, read.body);
        // A PUT of what is there writes no version.
        const same = await nurse.send('PUT', url, read.body, { ...FHIR, 'if-match': read.etag });
        assert.equal(same.statusCode, 200, same.body);
        assert.equal(same.headers.etag, 'W/"2"');
        assert.equal((await walk(nurse, `${url}/_history`)).length, 2);
      });

      it('labels every version of a person protected now, and never holds an address', async () => {
        const { w, nurse, url } = await fourVersions();
        await db.query(
          `update patient set protection = 'skyddad-folkbokforing', address_line = null, postal_code = null,
             city = null, municipality_code = null where id = $1`,
          [w.patientId],
        );
        const entries = await walk(nurse, `${url}/_history`);
        assert.equal(entries.length, 5);
        for (const entry of entries) {
          assert.deepEqual(
            entry.resource.meta.security?.map((s) => [s.system, s.code]),
            [[CONFIDENTIALITY, 'V']],
            `version ${entry.resource.meta.versionId}`,
          );
          assert.equal(entry.resource.address, undefined);
        }
        const v1 = seen(await nurse.get(`${url}/_history/1`)).body;
        assert.deepEqual(v1.meta.security?.[0]?.code, 'V');
        const columns = await db.query<{ column_name: string }>(
          `select column_name from information_schema.columns
            where table_name = 'patient_version' and table_schema = current_schema()`,
        );
        assert.ok(columns.length > 0);
        assert.deepEqual(
          columns.filter((c) => /address|postal|city|municipality/.test(c.column_name)),
          [],
        );
      });

      it('answers a reader without access exactly like a missing patient, and logs both reads', async () => {
        const { w, url } = await fourVersions();
        const other = await makeWorld(db);
        const stranger = await login(app, { hsaId: other.nurseId });
        const missing = `/fhir/Patient/${randomUUID()}`;
        for (const suffix of ['/_history', '/_history/1']) {
          const denied = assertOutcome(await stranger.get(`${url}${suffix}`), 404, 'not-found');
          const absent = assertOutcome(await stranger.get(`${missing}${suffix}`), 404, 'not-found');
          assert.deepEqual(denied, absent);
        }
        assert.equal(await loggedHistoryReads(other.nurseId, w.patientId, 'denied'), 2);
        assert.ok((await loggedHistoryReads(w.nurseId, w.patientId, 'allowed')) === 0);
        const nurse = await login(app, { hsaId: w.nurseId });
        await nurse.get(`${url}/_history`);
        await nurse.get(`${url}/_history/2`);
        assert.equal(await loggedHistoryReads(w.nurseId, w.patientId, 'allowed'), 2);
      });

      it('lets the patient read their own history where their own read is allowed, the same versions', async () => {
        const { w, nurse, url } = await fourVersions();
        const identifier = await db.query<{ identifier: string }>(
          'select identifier from patient where id = $1',
          [w.patientId],
        );
        const patient = await login(app, { personnummer: identifier[0]!.identifier });
        for (const path of [
          url,
          `${url}/_history`,
          `${url}/_history/2`,
          `/fhir/CareTeam/${w.patientId}/_history`,
        ])
          assert.equal((await patient.get(path)).statusCode, (await nurse.get(path)).statusCode, path);
        assert.deepEqual(await walk(patient, `${url}/_history`), await walk(nurse, `${url}/_history`));
      });

      it('refuses a _count above the maximum and a cursor that is not ours', async () => {
        const { nurse, url } = await fourVersions();
        assertOutcome(await nurse.get(`${url}/_history?_count=101`), 400, 'value');
        assertOutcome(await nurse.get(`${url}/_history?_cursor=abc`), 400, 'value');
        assertOutcome(await nurse.get(`${url}/_history?name=x`), 400);
      });
    });

    describe('CareTeam', () => {
      const participant = (role: string, staffId: string, unitId: string) => ({
        role: [{ coding: [{ system: codeSystems.careContactRole, code: role }] }],
        member: { reference: `Practitioner/${staffId}` },
        onBehalfOf: { reference: `Organization/${unitId}` },
        ...(role === 'fast-vardkontakt'
          ? { extension: [{ url: extensions.careContactReason, valueCode: 'behov' }] }
          : {}),
      });

      /**
       * A care team in three versions, each read right after it was written: a fast vårdkontakt
       * appointed, a treating role added, and the fast vårdkontakt changed (two contacts, one PUT).
       */
      async function threeVersions() {
        const w = await makeWorld(db);
        const nurse = await login(app, { hsaId: w.nurseId });
        const secondNurse = await makeStaff(db, w.unitId);
        const url = `/fhir/CareTeam/${w.patientId}`;
        const created = await nurse.send(
          'POST',
          '/fhir/CareTeam',
          {
            resourceType: 'CareTeam',
            subject: { reference: `Patient/${w.patientId}` },
            participant: [participant('fast-vardkontakt', w.nurseId, w.unitId)],
          },
          FHIR,
        );
        assert.equal(created.statusCode, 201, created.body);
        assert.equal(pathOf(String(created.headers.location)), `${url}/_history/1`);
        const reads: Seen[] = [seen(await nurse.get(url))];
        const put = async (change: (r: Resource) => Resource) => {
          const last = reads[reads.length - 1]!;
          const res = await nurse.send('PUT', url, change(last.body), { ...FHIR, 'if-match': last.etag });
          assert.equal(res.statusCode, 200, res.body);
          reads.push(seen(await nurse.get(url)));
        };
        type Participants = { period?: object }[];
        await put((r) => ({
          ...r,
          participant: [
            ...(r.participant as Participants),
            participant('behandlande-roll', w.doctorId, w.otherUnitId),
          ],
        }));
        await put((r) => {
          const [fast, ...rest] = r.participant as Participants;
          return {
            ...r,
            participant: [
              { ...fast, period: { ...fast!.period, end: '2026-12-01' } },
              ...rest,
              participant('fast-vardkontakt', secondNurse, w.unitId),
            ],
          };
        });
        return { w, nurse, url, reads };
      }

      it('keeps every change as a version, pages them newest first, and reads each as it was read', async () => {
        const { nurse, url, reads } = await threeVersions();
        assert.deepEqual(
          reads.map((r) => r.etag),
          ['W/"1"', 'W/"2"', 'W/"3"'],
          'a change of holder (two contacts in one PUT) is one version',
        );
        const entries = await walk(nurse, `${url}/_history?_count=2`);
        assert.deepEqual(
          entries.map((e) => [e.resource.meta.versionId, e.request.method]),
          [
            ['3', 'PUT'],
            ['2', 'PUT'],
            ['1', 'POST'],
          ],
        );
        for (const entry of entries) {
          const then = reads[Number(entry.resource.meta.versionId) - 1]!;
          assert.deepEqual(entry.resource, then.body);
          assert.equal(entry.response.etag, then.etag);
        }
        for (const [i, then] of reads.entries())
          assert.deepEqual(seen(await nurse.get(`${url}/_history/${i + 1}`)), then);
        assertOutcome(await nurse.get(`${url}/_history/4`), 404, 'not-found');
        assertOutcome(await nurse.get(`${url}/_history/0`), 404, 'not-found');
        assert.equal((await nurse.get(`${url}/_history`)).json<HistoryBundle>().total, 3);
      });

      it('makes no version for what the CareTeam does not show, and keeps If-Match working', async () => {
        const { w, nurse, url, reads } = await threeVersions();
        const contacts = await db.query<{ id: string; version: number }>(
          `select id, version from care_contact where patient_id = $1 and status = 'active' and role = 'fast-vardkontakt'`,
          [w.patientId],
        );
        const contact = contacts[0]!;
        const patched = await nurse.send(
          'PATCH',
          `/api/patients/${w.patientId}/care-contacts/${contact.id}`,
          { phone: '010-765 43 21', note: 'Nås bäst på förmiddagen' },
          { 'if-match': `W/"${contact.version}"` },
        );
        assert.equal(patched.statusCode, 200, patched.body);
        const now = seen(await nurse.get(url));
        assert.deepEqual(now, reads[2]);
        assertOutcome(
          await nurse.send('PUT', url, reads[1]!.body, { ...FHIR, 'if-match': reads[1]!.etag }),
          412,
          'conflict',
        );
        const same = await nurse.send('PUT', url, now.body, { ...FHIR, 'if-match': now.etag });
        assert.equal(same.statusCode, 200, same.body);
        assert.equal(same.headers.etag, now.etag);
      });

      it('answers a reader without access exactly like a missing patient, logs it, and keeps no history for a mobile team', async () => {
        const { w, url } = await threeVersions();
        const other = await makeWorld(db);
        const stranger = await login(app, { hsaId: other.nurseId });
        const missing = `/fhir/CareTeam/${randomUUID()}`;
        for (const suffix of ['/_history', '/_history/1']) {
          const denied = assertOutcome(await stranger.get(`${url}${suffix}`), 404, 'not-found');
          const absent = assertOutcome(await stranger.get(`${missing}${suffix}`), 404, 'not-found');
          assert.deepEqual(denied, absent);
        }
        assert.equal(await loggedHistoryReads(other.nurseId, w.patientId, 'denied'), 2);
        const nurse = await login(app, { hsaId: w.nurseId });
        assert.equal((await nurse.get(`${url}/_history`)).statusCode, 200);
        assert.equal(await loggedHistoryReads(w.nurseId, w.patientId, 'allowed'), 1);
        assertOutcome(await nurse.get(`/fhir/CareTeam/team-${randomUUID()}/_history`), 404, 'not-found');
      });

      it('keeps a version for changes made beside the API: a merge moving contacts in, the register ending one', async () => {
        const { w, nurse, url, reads } = await threeVersions();
        // A reservnummer record with a contact of its own, merged as store/patient-merge-store.ts moves rows.
        const reserv = await makePatient(db, w.unitId);
        await appointFastVardkontakt(db, reserv, w.doctorId, w.otherUnitId);
        await db.query(
          `update care_contact set status = 'ended', end_date = current_date where patient_id = $1`,
          [reserv],
        );
        await db.query('update care_contact set patient_id = $2 where patient_id = $1', [
          reserv,
          w.patientId,
        ]);
        const merged = seen(await nurse.get(url));
        assert.equal(merged.etag, 'W/"4"');
        assert.equal(
          (merged.body.participant as unknown[]).length,
          (reads[2]!.body.participant as unknown[]).length + 1,
        );
        // The register import ends a contact in one bulk statement.
        await db.query(
          `update care_contact set status = 'ended', end_date = current_date, version = version + 1
            where patient_id = $1 and role = 'behandlande-roll'`,
          [w.patientId],
        );
        const ended = seen(await nurse.get(url));
        assert.equal(ended.etag, 'W/"5"');
        const entries = await walk(nurse, `${url}/_history`);
        assert.deepEqual(
          entries.map((e) => e.resource.meta.versionId),
          ['5', '4', '3', '2', '1'],
        );
        assert.deepEqual(entries[0]!.resource, ended.body);
        assert.deepEqual(entries[1]!.resource, merged.body);
        assert.deepEqual(entries[2]!.resource, reads[2]!.body);
      });

      it('leaves out a participant under spärr in every version, and says so', async () => {
        const { w, nurse, url } = await threeVersions();
        await db.query(
          `insert into block (patient_id, scope_kind, unit_id, created_by_kind, created_by)
           values ($1, 'unit', $2, 'staff', $3)`,
          [w.patientId, w.otherUnitId, w.nurseId],
        );
        const entries = await walk(nurse, `${url}/_history`);
        for (const entry of entries) {
          const members = ((entry.resource.participant as { member: { reference: string } }[]) ?? []).map(
            (p) => p.member.reference,
          );
          assert.ok(
            !members.includes(`Practitioner/${w.doctorId}`),
            `version ${entry.resource.meta.versionId}`,
          );
        }
        const redacted = entries.map((e) => (e.resource.meta.security ?? []).map((s) => s.code).join());
        assert.deepEqual(redacted, ['REDACTED', 'REDACTED', '']);
      });
    });

    it('asks a SMART token for read on both histories and version reads, as on a read', () => {
      for (const type of ['Patient', 'CareTeam'])
        for (const route of [`/fhir/${type}/:id/_history`, `/fhir/${type}/:id/_history/:vid`])
          assert.deepEqual(interactionOf('GET', route), { resourceType: type, interaction: 'r' });
    });
  });
}
