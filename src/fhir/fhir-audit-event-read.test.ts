/**
 * FHIR AuditEvent read (`AuditEvent/<id>`, the id a search's fullUrl names): the same rule as the
 * search — the patient reads their own log, the loggansvarig their care provider's — and one 404
 * for every other id, whether it exists or not; the read is logged; archived entries read alike;
 * every event holds the elements IHE BALP requires (test/helpers/balp.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { login, openTestApp, withActiveContract, type Client } from '../../test/helpers/api.ts';
import { makePersonnummer } from '../../test/helpers/access-classes.ts';
import { assertBalp } from '../../test/helpers/balp.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makeStaff, makeWorld } from '../../test/helpers/factories.ts';
import type { Db } from '../store/db.ts';
import type { FhirAuditEvent } from './audit-event-mapper.ts';
import { assertOutcome } from './fhir-test-helpers.ts';

interface Bundle {
  entry?: { fullUrl: string; resource: FhirAuditEvent }[];
}

/** The path of an absolute fullUrl, for `inject`. */
const pathOf = (url: string): string => new URL(url).pathname;

for (const engine of testEngines) {
  describe(`FHIR AuditEvent read on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    async function reviewerAt(unitId: string): Promise<{ id: string; client: Client }> {
      const id = await makeStaff(db, unitId, 'administrator');
      await db.query("update staff_unit set role = 'loggansvarig' where staff_id = $1", [id]);
      return { id, client: await login(app, { hsaId: id }) };
    }

    async function patientClient(patientId: string): Promise<Client> {
      const rows = await db.query<{ identifier: string }>('select identifier from patient where id = $1', [
        patientId,
      ]);
      return login(app, { personnummer: rows[0]!.identifier });
    }

    /** The 404 of an id nobody may read: the body, without the request's own id. */
    async function notFound(client: Client, id: string): Promise<string> {
      const res = await client.get(`/fhir/AuditEvent/${id}`);
      assertOutcome(res, 404, 'not-found');
      return res.body;
    }

    /** The place in the log of the last entry a query finds. */
    async function lastSeq(sql: string, param: unknown): Promise<number> {
      const rows = await db.query<{ seq: number }>(sql, [param]);
      return rows[0]!.seq;
    }

    /** Moves one entry to the archive as the monthly archive moves a month (migration 022). */
    async function archive(seq: number): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.query('insert into access_log_archive select * from only access_log where seq = $1', [seq]);
        await tx.query('delete from only access_log where seq = $1', [seq]);
      });
    }

    it('gives a loggansvarig each event of the search at its fullUrl, as BALP, logged as log review', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      await nurse.get(`/api/patients/${w.patientId}/contract`);
      const reviewer = await reviewerAt(w.unitId);
      const search = await reviewer.client.get(
        `/fhir/AuditEvent?patient=Patient/${w.patientId}&agent=Practitioner/${w.nurseId}`,
      );
      assert.equal(search.statusCode, 200, search.body);
      const entries = search.json<Bundle>().entry ?? [];
      assert.ok(entries.length >= 2);
      for (const { fullUrl, resource } of entries) {
        const res = await reviewer.client.get(pathOf(fullUrl));
        assert.equal(res.statusCode, 200, res.body);
        assert.match(String(res.headers['content-type']), /application\/fhir\+json/);
        const read = res.json<FhirAuditEvent>();
        assert.deepEqual(read, resource, 'the read answers what the search showed');
        assertBalp(read, w.patientId);
        assert.equal(read.agent.find((a) => a.requestor)?.who.reference, `Practitioner/${w.nurseId}`);
      }
      const contractRead = entries.map((e) => e.resource).find((e) => e.subtype[0]!.code === 'read');
      assert.ok(contractRead, 'the read of the plan is there');
      assert.equal(contractRead.action, 'R');
      assert.equal(contractRead.outcome, '0');

      const res = await reviewer.client.get(`/fhir/AuditEvent/${contractRead.id}`);
      const logged = await db.query<{ actor_id: string; action: string; patient_id: string; detail: string }>(
        'select actor_id, action, patient_id, detail from access_log where request_id = $1',
        [res.headers['x-request-id']],
      );
      assert.deepEqual(logged, [
        {
          actor_id: reviewer.id,
          action: 'log-review',
          patient_id: w.patientId,
          detail: `post ${contractRead.id}`,
        },
      ]);
    });

    it('answers one 404 for another care provider’s event, a missing id and a malformed one, and logs each look', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      await nurse.get(`/api/patients/${w.patientId}/contract`);
      const seq = await lastSeq(
        "select max(seq)::int as seq from access_log where patient_id = $1 and action = 'read'",
        w.patientId,
      );
      const other = await makeWorld(db);
      const stranger = await reviewerAt(other.unitId);
      const hidden = await notFound(stranger.client, String(seq));
      assert.equal(await notFound(stranger.client, '999999999999'), hidden);
      assert.equal(await notFound(stranger.client, 'abc'), hidden);
      assert.equal(await notFound(stranger.client, '0'), hidden);
      assert.ok(!hidden.includes(w.patientId));
      const looks = await db.query<{ patient_id: string | null; detail: string }>(
        "select patient_id, detail from access_log where actor_id = $1 and action = 'log-review' order by seq",
        [stranger.id],
      );
      assert.deepEqual(looks, [
        { patient_id: null, detail: `post ${seq}` },
        { patient_id: null, detail: 'post 999999999999' },
        { patient_id: null, detail: 'post 0' },
        { patient_id: null, detail: 'post 0' },
      ]);
    });

    it('refuses the log to staff without the role loggansvarig, as the search does', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      const seq = await lastSeq(
        'select max(seq)::int as seq from access_log where patient_id = $1',
        w.patientId,
      );
      assertOutcome(await nurse.get(`/fhir/AuditEvent/${seq}`), 403, 'forbidden');
    });

    it('gives the patient the events of their own log and nothing else under the same 404', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      await nurse.get(`/api/patients/${w.patientId}/contract`);
      const patient = await patientClient(w.patientId);
      const search = await patient.get(`/fhir/AuditEvent?patient=Patient/${w.patientId}`);
      const entries = search.json<Bundle>().entry ?? [];
      assert.ok(entries.length >= 2);
      for (const { fullUrl, resource } of entries) {
        const res = await patient.get(pathOf(fullUrl));
        assert.equal(res.statusCode, 200, res.body);
        const read = res.json<FhirAuditEvent>();
        assert.deepEqual(read, resource);
        assertBalp(read, w.patientId);
        assert.ok(!res.body.includes(w.nurseId), 'the member of staff is not named');
      }
      // The read is in the log, as a look at the own log.
      const res = await patient.get(pathOf(entries[0]!.fullUrl));
      const logged = await db.query<{ action: string; patient_id: string; detail: string }>(
        'select action, patient_id, detail from access_log where request_id = $1',
        [res.headers['x-request-id']],
      );
      assert.deepEqual(logged, [
        { action: 'read', patient_id: w.patientId, detail: `egen logg, post ${entries[0]!.resource.id}` },
      ]);
      const own = await lastSeq(
        'select seq::int from access_log where request_id = $1',
        res.headers['x-request-id'],
      );

      // Another patient's event, the patient's own reading of their log, a missing id: one 404.
      const other = await withActiveContract(app, db);
      await other.nurse.get(`/api/patients/${other.w.patientId}/contract`);
      const othersSeq = await lastSeq(
        "select max(seq)::int as seq from access_log where patient_id = $1 and action = 'read'",
        other.w.patientId,
      );
      const missing = await notFound(patient, '999999999999');
      assert.equal(await notFound(patient, String(othersSeq)), missing);
      assert.equal(await notFound(patient, String(own)), missing);
      assert.equal(await notFound(patient, 'AuditEvent-1'), missing);
    });

    it('gives a närstående only their own log, not the log of the patient who let them read the plan', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      await nurse.get(`/api/patients/${w.patientId}/contract`);
      const patient = await patientClient(w.patientId);
      const personnummer = makePersonnummer();
      const granted = await patient.send('POST', `/api/patients/${w.patientId}/proxies`, {
        personnummer,
        givenName: 'Bertil',
        familyName: 'Närstående',
        validTo: '2099-12-31',
      });
      assert.equal(granted.statusCode, 201, granted.body);
      const proxy = await login(app, { personnummer });
      assert.equal((await proxy.get(`/api/patients/${w.patientId}/overview`)).statusCode, 200);
      const entries = (await patient.get(`/fhir/AuditEvent?patient=Patient/${w.patientId}`)).json<Bundle>()
        .entry!;
      const missing = await notFound(proxy, '999999999999');
      for (const { resource } of entries) assert.equal(await notFound(proxy, resource.id), missing);
      // The patient sees the närstående's read, by name, as BALP.
      const byProxy = entries.find((e) => e.resource.agent[0]!.who.display?.includes('Bertil Närstående'));
      assert.ok(byProxy);
      assertBalp(byProxy.resource, w.patientId);
    });

    it('reads an event after the monthly archive moved it, for the loggansvarig and the patient', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      const read = await nurse.get(`/api/patients/${w.patientId}/contract`);
      const seq = await lastSeq(
        'select seq::int from access_log where request_id = $1',
        read.headers['x-request-id'],
      );
      const before = (
        await (await reviewerAt(w.unitId)).client.get(`/fhir/AuditEvent/${seq}`)
      ).json<FhirAuditEvent>();
      await archive(seq);
      const [where] = await db.query<{ n: number }>(
        'select count(*)::int as n from access_log_archive where seq = $1',
        [seq],
      );
      assert.equal(where!.n, 1);
      const reviewer = await reviewerAt(w.unitId);
      const res = await reviewer.client.get(`/fhir/AuditEvent/${seq}`);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json<FhirAuditEvent>(), before);
      assertBalp(res.json<FhirAuditEvent>(), w.patientId);
      const patient = await patientClient(w.patientId);
      const own = await patient.get(`/fhir/AuditEvent/${seq}`);
      assert.equal(own.statusCode, 200, own.body);
      assertBalp(own.json<FhirAuditEvent>(), w.patientId);
      assert.equal(own.json<FhirAuditEvent>().action, 'R');
    });
  });
}
