/**
 * Access classes for writes and for acts by personnummer, over every route the running app has
 * (its OpenAPI document and its FHIR CapabilityStatement), so that a route added later is
 * covered the day it is added:
 * - a patient does staff work on no route: 403 and nothing written, except the patient's own
 *   writes listed in docs/patient-api.md; a närstående writes nothing anywhere;
 * - a refused write leaves every table as it was;
 * - a refused request is never logged as allowed;
 * - registering or looking up a personnummer answers the same whether or not it is registered.
 * Reads, lists and spärr: access-classes-reads.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../src/store/db.ts';
import { login, openTestApp, type Client } from './helpers/api.ts';
import {
  MISSING,
  WRITE_METHODS,
  patientWrites,
  makePersonnummer,
  apiRoutes,
  fhirResources,
  snapshot,
  bodyFor,
  urlOf,
  setUp,
  allowedEntries,
} from './helpers/access-classes.ts';
import { testEngines } from './helpers/engines.ts';
import { addRegisterPerson } from './helpers/person-register.ts';

for (const engine of testEngines) {
  describe(`access classes: writes and personnummer on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it('refuses a patient every staff write on their own plan, API and FHIR, with 403 and nothing written', async () => {
      const s = await setUp(app, db);
      const ids = { contractId: s.contractId, responsibilityId: 'r1', goalId: 'g1' };
      const failures: string[] = [];
      const writes = (await apiRoutes(app)).filter(
        ([m, p]) => WRITE_METHODS.has(m) && p.includes('{patientId}') && !patientWrites.has(`${m} ${p}`),
      );
      assert.ok(writes.length >= 4, 'the staff writes are found');
      for (const [method, path] of writes) {
        const before = await snapshot(db);
        const res = await s.patient.send(
          method as 'POST',
          urlOf(path, s.w.patientId, ids),
          bodyFor(method, path, s.w.unitId, s.w.nurseId),
          { 'if-match': 'W/"1"' },
        );
        if (res.statusCode !== 403) failures.push(`${method} ${path}: ${res.statusCode}`);
        assert.deepEqual(await snapshot(db), before, `${method} ${path} wrote`);
      }
      // FHIR: every create and update the CapabilityStatement offers, with the resource as staff read it.
      const fhirIds: Record<string, string> = {
        Patient: s.w.patientId,
        CarePlan: s.contractId,
        Appointment: `${s.contractId}-next`,
        CareTeam: s.w.patientId,
      };
      // Consent is the patient's own say (docs/patient-api.md: consents and spärrar), not staff
      // work: src/fhir/fhir-consent.test.ts.
      const patientsOwn = new Set(['Consent']);
      for (const { type, interactions } of await fhirResources(app)) {
        if (patientsOwn.has(type)) continue;
        for (const interaction of interactions.filter((i) => i === 'create' || i === 'update')) {
          const id = fhirIds[type] ?? MISSING;
          const read = await s.nurse.get(`/fhir/${type}/${id}`);
          const resource =
            read.statusCode === 200 ? read.json<Record<string, unknown>>() : { resourceType: type };
          const before = await snapshot(db);
          const res =
            interaction === 'update'
              ? await s.patient.send('PUT', `/fhir/${type}/${id}`, resource, {
                  'if-match': read.headers.etag?.toString() ?? 'W/"1"',
                  'content-type': 'application/fhir+json',
                })
              : await s.patient.send(
                  'POST',
                  `/fhir/${type}`,
                  { ...resource, id: undefined },
                  {
                    'content-type': 'application/fhir+json',
                  },
                );
          if (
            res.statusCode !== 403 ||
            res.json<{ resourceType?: string }>().resourceType !== 'OperationOutcome'
          )
            failures.push(`FHIR ${interaction} ${type}: ${res.statusCode}`);
          assert.deepEqual(await snapshot(db), before, `FHIR ${interaction} ${type} wrote`);
        }
      }
      assert.deepEqual(failures, []);
    });

    it('lets a närstående write nothing on any route of the plan they read', async () => {
      const s = await setUp(app, db);
      const proxyNumber = makePersonnummer();
      const granted = await s.patient.send('POST', `/api/patients/${s.w.patientId}/proxies`, {
        personnummer: proxyNumber,
        givenName: 'Nära',
        familyName: 'Stående',
        validTo: '2099-12-31',
      });
      assert.equal(granted.statusCode, 201);
      const proxy = await login(app, { personnummer: proxyNumber });
      const writes = (await apiRoutes(app)).filter(
        ([m, p]) => WRITE_METHODS.has(m) && p.includes('{patientId}'),
      );
      for (const [method, path] of writes) {
        const before = await snapshot(db);
        const res = await proxy.send(
          method as 'POST',
          urlOf(path, s.w.patientId, { contractId: s.contractId, responsibilityId: 'r1', goalId: 'g1' }),
          bodyFor(method, path, s.w.unitId, s.w.nurseId),
          { 'if-match': 'W/"1"' },
        );
        assert.ok(res.statusCode >= 400, `${method} ${path}: ${res.statusCode}`);
        assert.deepEqual(await snapshot(db), before, `${method} ${path} wrote`);
      }
    });

    it('leaves every table unchanged when a write is refused, on every write route', async () => {
      const s = await setUp(app, db);
      const other = await login(app, { personnummer: makePersonnummer() }).catch(() => null);
      const routes = (await apiRoutes(app)).filter(
        ([m, p]) => WRITE_METHODS.has(m) && !p.startsWith('/auth/'),
      );
      const failures: string[] = [];
      for (const [method, path] of routes) {
        // The log reviewer is refused everything but log review; a stranger at another provider
        // everything about this patient. The routes under /api/access/ are how a stranger
        // establishes a basis, so only the reviewer is refused there.
        const callers: [string, Client | null][] = [
          ['log reviewer', path.startsWith('/api/audit/') ? null : s.reviewer],
          [
            'stranger',
            path.startsWith('/api/access/') || path === '/api/patients' || !path.includes('{patientId}')
              ? null
              : s.stranger,
          ],
          ['another patient', other],
        ];
        for (const [who, client] of callers) {
          if (!client) continue;
          const before = await snapshot(db);
          const res = await client.send(
            method as 'POST',
            urlOf(path, s.w.patientId, { contractId: s.contractId, responsibilityId: 'r1', goalId: 'g1' }),
            bodyFor(method, path, s.w.unitId, s.w.nurseId),
            { 'if-match': 'W/"1"' },
          );
          if (res.statusCode < 400) failures.push(`${who} ${method} ${path}: ${res.statusCode}`);
          const after = await snapshot(db);
          const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
          if (changed.length > 0) failures.push(`${who} ${method} ${path} changed ${changed.join(', ')}`);
        }
      }
      // FHIR: every create and update of the CapabilityStatement, with the resource as staff read it.
      const fhirIds: Record<string, string> = {
        Patient: s.w.patientId,
        CarePlan: s.contractId,
        Appointment: `${s.contractId}-next`,
        CareTeam: s.w.patientId,
      };
      for (const { type, interactions } of await fhirResources(app)) {
        for (const interaction of interactions.filter((i) => i === 'create' || i === 'update')) {
          const id = fhirIds[type] ?? MISSING;
          const read = await s.nurse.get(`/fhir/${type}/${id}`);
          const resource =
            read.statusCode === 200 ? read.json<Record<string, unknown>>() : { resourceType: type };
          if (type === 'Patient' && interaction === 'create')
            resource.identifier = [
              {
                system: 'http://electronichealth.se/identifier/personnummer',
                value: makePersonnummer().replace('-', ''),
              },
            ];
          for (const [who, client] of [
            ['log reviewer', s.reviewer],
            ['stranger', s.stranger],
          ] as const) {
            const before = await snapshot(db);
            const headers = {
              'content-type': 'application/fhir+json',
              'if-match': read.headers.etag?.toString() ?? 'W/"1"',
            };
            const res =
              interaction === 'update'
                ? await client.send('PUT', `/fhir/${type}/${id}`, resource, headers)
                : await client.send('POST', `/fhir/${type}`, { ...resource, id: undefined }, headers);
            // A stranger may register a person (a known number answers like a new one); nobody else writes.
            if (type === 'Patient' && interaction === 'create') {
              if (who === 'stranger') continue;
              assert.equal(
                res.statusCode,
                403,
                `the reviewer's registration is refused by role: ${res.body}`,
              );
            }
            if (res.statusCode < 400) failures.push(`${who} FHIR ${interaction} ${type}: ${res.statusCode}`);
            const after = await snapshot(db);
            const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
            if (changed.length > 0)
              failures.push(`${who} FHIR ${interaction} ${type} changed ${changed.join(', ')}`);
          }
        }
      }
      assert.deepEqual(failures, []);
    });

    it('never logs a refused request about a patient as allowed, on every patient route', async () => {
      const s = await setUp(app, db);
      const routes = (await apiRoutes(app)).filter(([, p]) => p.includes('{patientId}'));
      for (const [method, path] of routes) {
        const url = urlOf(path, s.w.patientId, {
          contractId: s.contractId,
          responsibilityId: 'r1',
          goalId: 'g1',
        });
        const res =
          method === 'GET'
            ? await s.stranger.get(url)
            : await s.stranger.send(method as 'POST', url, bodyFor(method, path, s.w.unitId, s.w.nurseId), {
                'if-match': 'W/"1"',
              });
        assert.ok(res.statusCode >= 400, `${method} ${path}: ${res.statusCode}`);
        assert.equal(
          await allowedEntries(db, s.strangerId, s.w.patientId),
          0,
          `${method} ${path} logged as allowed`,
        );
      }
      const own = await s.patient.get('/api/me/access-log');
      assert.equal(own.statusCode, 200);
      const units = own.json<{ entries: { unitName: string | null }[] }>().entries.map((e) => e.unitName);
      assert.ok(!units.includes(`Enhet ${s.strangerUnit}`), "the stranger's unit is in the patient's log");
    });

    it('answers registering a known personnummer exactly like a first registration, and logs it', async () => {
      const s = await setUp(app, db);
      // Both numbers are in the population register; only one is a patient (under another name).
      const newcomer = await addRegisterPerson(db, makePersonnummer(), {
        givenName: 'Ny',
        familyName: 'Person',
      });
      await addRegisterPerson(db, s.personnummer, { givenName: 'Ny', familyName: 'Person' });
      const register = (identifier: string) => s.stranger.send('POST', '/api/patients', { identifier });
      const first = await register(newcomer);
      const known = await register(s.personnummer);
      assert.equal(known.statusCode, first.statusCode);
      assert.equal(first.statusCode, 201);
      assert.deepEqual(Object.keys(known.json()).sort(), Object.keys(first.json()).sort());
      // The register's name, not the stored one.
      assert.equal(known.json<{ givenName: string }>().givenName, 'Ny');
      const logged = await db.query<{ n: number }>(
        `select count(*)::int as n from access_log where actor_id = $1 and patient_id = $2`,
        [s.strangerId, s.w.patientId],
      );
      assert.ok(logged[0]!.n >= 1);
      // FHIR answers the same way.
      const fhir = (identifier: string) =>
        s.stranger.send(
          'POST',
          '/fhir/Patient',
          {
            resourceType: 'Patient',
            identifier: [{ system: 'http://electronichealth.se/identifier/personnummer', value: identifier }],
            name: [{ family: 'Person', given: ['Ny'] }],
          },
          { 'content-type': 'application/fhir+json' },
        );
      const [fhirFirst, fhirKnown] = [
        await fhir(await addRegisterPerson(db, makePersonnummer())),
        await fhir(s.personnummer),
      ];
      assert.equal(fhirKnown.statusCode, fhirFirst.statusCode);
      // A reviewer is refused before the number is looked at, and nothing is created.
      const inRegister = await addRegisterPerson(db, makePersonnummer());
      const before = await snapshot(db);
      const byReviewer = await s.reviewer.send('POST', '/api/patients', { identifier: inRegister });
      assert.equal(byReviewer.statusCode, 403);
      assert.deepEqual(await snapshot(db), before);
    });

    it('answers emergency step 1 the same for a registered and an unregistered number, and logs it', async () => {
      const s = await setUp(app, db);
      const intent = (identifier: string) =>
        s.stranger.send('POST', '/api/access/emergency/intent', { identifier });
      const [registered, unknown] = [await intent(s.personnummer), await intent(makePersonnummer())];
      assert.equal(registered.statusCode, 200);
      assert.equal(unknown.statusCode, 200);
      assert.deepEqual(Object.keys(registered.json()).sort(), Object.keys(unknown.json()).sort());
      const logged = await db.query<{ n: number }>(
        `select count(*)::int as n from access_log where actor_id = $1 and action = 'emergency-intent'`,
        [s.strangerId],
      );
      assert.equal(logged[0]!.n, 2);
    });
  });
}
