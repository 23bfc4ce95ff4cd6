/**
 * Access classes, each over every route the running app has (its OpenAPI document and its FHIR
 * CapabilityStatement), so that a route added later is covered the day it is added:
 * - a patient does staff work on no route: 403 and nothing written, except the patient's own
 *   actions listed in docs/patient-api.md; a närstående writes nothing anywhere;
 * - a denied write leaves every table as it was;
 * - a list or count names only patients the reader may read, and logs each one it names;
 * - a spärr hides every name and id that only hidden items bring;
 * - registering or looking up a personnummer answers the same whether or not it is registered;
 * - a refused request is never logged as allowed.
 */
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { luhnCheckDigit } from '../src/domain/personnummer.ts';
import type { Db } from '../src/store/db.ts';
import { login, openTestApp, withActiveContract, type Client } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makeProvider, makeStaff, makeUnit, sampleContent } from './helpers/factories.ts';

const MISSING = '00000000-0000-4000-8000-000000000000';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The writes a patient makes in their own plan: the headings of docs/patient-api.md, and consent and spärr. */
const patientWrites: ReadonlySet<string> = new Set(
  [
    ...readFileSync(new URL('../docs/patient-api.md', import.meta.url), 'utf8').matchAll(
      /^### `(POST|PUT|PATCH|DELETE) (\S+)`/gm,
    ),
  ].map((m) => `${m[1]} ${m[2]!.replace(/:(\w+)/g, '{$1}')}`),
);

function makePersonnummer(): string {
  const date = `${randomInt(50, 90)}${String(randomInt(1, 13)).padStart(2, '0')}${String(randomInt(1, 29)).padStart(2, '0')}`;
  const nine = `${date}${String(randomInt(0, 1000)).padStart(3, '0')}`;
  return `19${date}-${nine.slice(6)}${luhnCheckDigit(nine)}`;
}

/** Every route of the OpenAPI document, as [method, path]. */
async function apiRoutes(app: FastifyInstance): Promise<(readonly [string, string])[]> {
  const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
    paths: Record<string, Record<string, unknown>>;
  }>();
  return Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => [m.toUpperCase(), path] as const),
  );
}

/** The CapabilityStatement's resource types with their interactions. */
async function fhirResources(app: FastifyInstance): Promise<{ type: string; interactions: string[] }[]> {
  const cap = (await app.inject({ method: 'GET', url: '/fhir/metadata' })).json<{
    rest: { resource: { type: string; interaction: { code: string }[] }[] }[];
  }>();
  return cap.rest[0]!.resource.map((r) => ({ type: r.type, interactions: r.interaction.map((i) => i.code) }));
}

/** Every table's row count and content hash, but the log and the sessions (which a request may write). */
async function snapshot(db: Db): Promise<Record<string, string>> {
  const tables = await db.query<{ name: string }>(
    `select table_name as name from information_schema.tables
     where table_schema = current_schema() and table_type = 'BASE TABLE'
       and table_name not in ('access_log', 'access_log_head', 'session', 'oidc_login')
     order by table_name`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const rows = await db.query<{ n: number; h: string | null }>(
      `select count(*)::int as n, md5(string_agg(t::text, '|' order by t::text)) as h from "${name}" t`,
    );
    out[name] = `${rows[0]!.n}:${rows[0]!.h ?? ''}`;
  }
  return out;
}

/** A plausible body for each write route, so that the access decision, not the schema, answers. */
function bodyFor(method: string, path: string, unitId: string, staffId: string): unknown {
  if (path === '/api/patients')
    return { identifier: makePersonnummer(), givenName: 'Ny', familyName: 'Person' };
  if (path.endsWith('/contract'))
    return { status: method === 'PUT' ? 'ended' : 'active', content: sampleContent(unitId) };
  if (path.endsWith('/care-contacts')) return { role: 'behandlande-roll', staffId, unitId };
  if (path.includes('/care-contacts/')) return { phone: '010-1' };
  if (path.endsWith('/consents')) return { scope: 'unit', unitId, method: 'i-person' };
  if (path.endsWith('/blocks')) return { scope: 'unit', unitId };
  if (path.endsWith('/lift')) return { patientConsent: { method: 'i-person' } };
  if (path.includes('/responsibilities/')) return { done: true };
  if (path.endsWith('/next-contact/response'))
    return { response: 'wants-other', at: '2026-12-01T09:00:00.000Z', message: 'Annan tid' };
  if (path.endsWith('/proposals')) return { whatMatters: 'Trädgården' };
  if (path.endsWith('/self-assessments'))
    return {
      questionSetId: 'skr-7-fragor-patient',
      questionSetVersion: 1,
      items: [{ questionId: 'p1', answer: 'ja' }],
    };
  if (path.endsWith('/proxies'))
    return { personnummer: makePersonnummer(), givenName: 'Ida', familyName: 'Ombud', validTo: '2099-12-31' };
  if (path === '/api/access/care-relationship')
    return { identifier: makePersonnummer(), reason: 'Hembesök idag' };
  if (path === '/api/access/consent')
    return { identifier: makePersonnummer(), consent: { scope: 'unit', unitId, method: 'i-person' } };
  if (path.startsWith('/api/access/emergency'))
    return { identifier: makePersonnummer(), confirmationToken: '1.x', reason: 'Medvetslös i akuten' };
  if (path.startsWith('/api/audit/')) return { conclusion: 'ok', entrySeqs: [1] };
  return {};
}

const urlOf = (path: string, patientId: string, ids: Record<string, string> = {}): string =>
  path.replace('{patientId}', patientId).replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? MISSING);

for (const engine of testEngines) {
  describe(`access classes on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    /** A plan drawn up by the nurse for a patient who logs in with a personnummer. */
    async function setUp() {
      const { w, nurse, contractId } = await withActiveContract(app, db);
      const personnummer = makePersonnummer().replace('-', '');
      await db.query("update patient set identifier = $1, identifier_kind = 'personnummer' where id = $2", [
        personnummer,
        w.patientId,
      ]);
      const patient = await login(app, { personnummer });
      const otherProvider = await makeProvider(db, 'kommun');
      const strangerUnit = await makeUnit(db, otherProvider);
      const stranger = await login(app, { hsaId: await makeStaff(db, strangerUnit) });
      const strangerId = (await stranger.get('/api/me')).json<{ staffId: string }>().staffId;
      const reviewerId = await makeStaff(db, w.unitId, 'administrator');
      await db.query("update staff_unit set role = 'loggansvarig' where staff_id = $1", [reviewerId]);
      const reviewer = await login(app, { hsaId: reviewerId });
      return { w, nurse, contractId, patient, personnummer, stranger, strangerId, strangerUnit, reviewer };
    }

    async function allowedEntries(actorId: string, patientId: string): Promise<number> {
      const rows = await db.query<{ n: number }>(
        `select count(*)::int as n from access_log where actor_id = $1 and patient_id = $2 and outcome = 'allowed'`,
        [actorId, patientId],
      );
      return rows[0]!.n;
    }

    it('refuses a patient every staff write on their own plan, API and FHIR, with 403 and nothing written', async () => {
      const s = await setUp();
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
      for (const { type, interactions } of await fhirResources(app)) {
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
      const s = await setUp();
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
      const s = await setUp();
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
      const s = await setUp();
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
          await allowedEntries(s.strangerId, s.w.patientId),
          0,
          `${method} ${path} logged as allowed`,
        );
      }
      const own = await s.patient.get('/api/me/access-log');
      assert.equal(own.statusCode, 200);
      const units = own.json<{ entries: { unitName: string | null }[] }>().entries.map((e) => e.unitName);
      assert.ok(!units.includes(`Enhet ${s.strangerUnit}`), "the stranger's unit is in the patient's log");
    });

    it('names in no list or count a patient the reader may not read, and logs each patient it names', async () => {
      const s = await setUp();
      const marker = `Hemlig-${randomUUID().slice(0, 8)}`;
      // Something addressed to the stranger about the patient, e.g. from when they had access.
      await db.query(
        `insert into notification (recipient_staff_id, patient_id, event_id, kind, summary) select $1, $2, id, 'patient-proposal', $3 from change_event where patient_id = $2 limit 1`,
        [s.strangerId, s.w.patientId, marker],
      );
      const name = (
        await db.query<{ family_name: string }>('select family_name from patient where id = $1', [
          s.w.patientId,
        ])
      )[0]!.family_name;
      const lists = (await apiRoutes(app)).filter(
        ([m, p]) => m === 'GET' && !p.includes('{') && p !== '/api/events' && p !== '/api/openapi.json',
      );
      const fhirSearches = (await fhirResources(app))
        .filter((r) => r.interactions.includes('search-type'))
        .map((r) => `/fhir/${r.type}`);
      for (const url of [
        ...lists.map(([, p]) => p),
        ...fhirSearches,
        `/api/patients?q=${name}`,
        `/fhir/Patient?name=${name}`,
      ]) {
        const res = await s.stranger.get(
          url.startsWith('/api/patients') || url.includes('?') ? url : `${url}`,
        );
        // The name is sought by name, and echoed in a searchset's self link: its id must not show.
        for (const secret of url.includes(name) ? [s.w.patientId, marker] : [s.w.patientId, marker, name])
          assert.ok(!res.body.includes(secret), `${url} tells ${secret}`);
      }
      assert.equal(await allowedEntries(s.strangerId, s.w.patientId), 0);
      // With access, the notification shows, and it is logged.
      await db.query(
        `insert into notification (recipient_staff_id, patient_id, event_id, kind, summary) select $1, $2, id, 'patient-proposal', $3 from change_event where patient_id = $2 limit 1`,
        [s.w.nurseId, s.w.patientId, marker],
      );
      const before = await allowedEntries(s.w.nurseId, s.w.patientId);
      const mine = await s.nurse.get('/api/notifications');
      assert.ok(mine.body.includes(marker));
      assert.ok((await allowedEntries(s.w.nurseId, s.w.patientId)) > before);
    });

    it('shows a reader with a spärr no name or id that only hidden items bring, on every read of the patient', async () => {
      const s = await setUp();
      const blockedUnit = await makeUnit(db, s.w.providerId);
      const blockedNurse = await makeStaff(db, blockedUnit);
      const [blockedName] = (
        await db.query<{ n: string }>('select family_name as n from staff where id = $1', [blockedNurse])
      ).map((r) => r.n);
      const content = sampleContent(s.w.unitId, {
        activities: [
          { id: 'a1', what: 'Årskontroll', unitId: s.w.unitId, when: '2026-12-01', status: 'planerad' },
          {
            id: 'a-hidden',
            what: 'Samtal',
            unitId: blockedUnit,
            when: '2026-12-02',
            status: 'planerad',
            responsibleStaffId: blockedNurse,
          },
        ],
      });
      const saved = await s.nurse.send(
        'PUT',
        `/api/patients/${s.w.patientId}/contract`,
        { status: 'active', content },
        { 'if-match': 'W/"1"' },
      );
      assert.equal(saved.statusCode, 200, saved.body);
      // The reader is the fast vårdkontakt, so that the blocked nurse's change is notified to her.
      const fvk = await s.nurse.send('POST', `/api/patients/${s.w.patientId}/care-contacts`, {
        role: 'fast-vardkontakt',
        staffId: s.w.nurseId,
        unitId: s.w.unitId,
        reason: 'behov',
      });
      assert.equal(fvk.statusCode, 201, fvk.body);
      // The blocked unit's nurse changes her own activity last, so that the plan's latest version is hers.
      const blockedClient = await login(app, { hsaId: blockedNurse });
      const hers = await blockedClient.send(
        'PUT',
        `/api/patients/${s.w.patientId}/contract`,
        {
          status: 'active',
          content: {
            ...content,
            activities: [content.activities[0]!, { ...content.activities[1]!, what: 'Samtal om sömn' }],
          },
        },
        { 'if-match': 'W/"2"' },
      );
      assert.equal(hers.statusCode, 200, hers.body);
      const blocked = await s.patient.send('POST', `/api/patients/${s.w.patientId}/blocks`, {
        scope: 'unit',
        unitId: blockedUnit,
      });
      assert.equal(blocked.statusCode, 201, blocked.body);
      const reads = (await apiRoutes(app))
        .filter(([m, p]) => m === 'GET' && p.includes('{patientId}'))
        .map(([, p]) => urlOf(p, s.w.patientId, { contractId: s.contractId }));
      const fhirReads = ['Patient', 'CarePlan', 'CareTeam', 'Appointment', 'Goal'].map(
        (t) => `/fhir/${t}?patient=${s.w.patientId}`,
      );
      for (const url of [
        ...reads,
        ...fhirReads,
        `/fhir/CarePlan/${s.contractId}`,
        `/fhir/CareTeam/${s.w.patientId}`,
        '/api/notifications',
        '/api/worklist',
      ]) {
        const res = await s.nurse.get(url);
        for (const secret of [blockedUnit, blockedNurse, blockedName!, 'a-hidden', 'sömn'])
          assert.ok(
            !res.body.includes(secret),
            `${url} (${res.statusCode}) tells ${secret}: ${res.body.slice(0, 600)}`,
          );
      }
    });

    it('streams the fast vårdkontakt no change made from a unit hidden by a spärr', async () => {
      const s = await setUp();
      const blockedUnit = await makeUnit(db, s.w.providerId);
      const blockedNurse = await makeStaff(db, blockedUnit);
      const hidden = {
        id: 'a-hidden',
        what: 'Samtal',
        unitId: blockedUnit,
        when: '2026-12-02',
        status: 'planerad' as const,
      };
      const content = sampleContent(s.w.unitId, { activities: [hidden] });
      const put = (client: Client, version: number, body: typeof content) =>
        client.send(
          'PUT',
          `/api/patients/${s.w.patientId}/contract`,
          { status: 'active', content: body },
          {
            'if-match': `W/"${version}"`,
          },
        );
      assert.equal((await put(s.nurse, 1, content)).statusCode, 200);
      const fvk = await s.nurse.send('POST', `/api/patients/${s.w.patientId}/care-contacts`, {
        role: 'fast-vardkontakt',
        staffId: s.w.nurseId,
        unitId: s.w.unitId,
        reason: 'behov',
      });
      assert.equal(fvk.statusCode, 201, fvk.body);
      const blocked = await s.patient.send('POST', `/api/patients/${s.w.patientId}/blocks`, {
        scope: 'unit',
        unitId: blockedUnit,
      });
      assert.equal(blocked.statusCode, 201, blocked.body);

      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      const abort = new AbortController();
      const res = await fetch(`http://127.0.0.1:${port}/api/events`, {
        headers: { cookie: s.nurse.cookie },
        signal: abort.signal,
      });
      const reader = res.body!.getReader();
      let text = '';
      const received = (async () => {
        while (!text.includes('event: patient-changed')) {
          const { value, done } = (await reader.read()) as { value?: Uint8Array; done: boolean };
          if (done) break;
          text += new TextDecoder().decode(value);
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 50));
      // First a change from the hidden unit, then one by the patient: only the second is told.
      const hers = await put(await login(app, { hsaId: blockedNurse }), 2, {
        ...content,
        activities: [{ ...hidden, what: 'Samtal om sömn' }],
      });
      assert.equal(hers.statusCode, 200, hers.body);
      const ticked = await s.patient.send(
        'POST',
        `/api/patients/${s.w.patientId}/contract/responsibilities/r1`,
        { done: true },
      );
      assert.equal(ticked.statusCode, 200, ticked.body);
      await received;
      abort.abort();
      const events = text.split('event: patient-changed').slice(1);
      assert.equal(events.length, 1, text);
      const [name] = (
        await db.query<{ n: string }>('select family_name as n from staff where id = $1', [blockedNurse])
      ).map((r) => r.n);
      for (const secret of [blockedNurse, name!, blockedUnit])
        assert.ok(!text.includes(secret), `the stream tells ${secret}`);
      assert.ok(!events[0]!.includes('aktiviteter'), events[0]);
    });

    it('answers registering a known personnummer exactly like a first registration, and logs it', async () => {
      const s = await setUp();
      const register = (identifier: string) =>
        s.stranger.send('POST', '/api/patients', { identifier, givenName: 'Ny', familyName: 'Person' });
      const first = await register(makePersonnummer());
      const known = await register(s.personnummer);
      assert.equal(known.statusCode, first.statusCode);
      assert.equal(first.statusCode, 201);
      assert.deepEqual(Object.keys(known.json()).sort(), Object.keys(first.json()).sort());
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
        await fhir(makePersonnummer().replace('-', '')),
        await fhir(s.personnummer),
      ];
      assert.equal(fhirKnown.statusCode, fhirFirst.statusCode);
      // A reviewer is refused before the number is looked at, and nothing is created.
      const before = await snapshot(db);
      const byReviewer = await s.reviewer.send('POST', '/api/patients', {
        identifier: makePersonnummer(),
        givenName: 'A',
        familyName: 'B',
      });
      assert.equal(byReviewer.statusCode, 403);
      assert.deepEqual(await snapshot(db), before);
    });

    it('answers emergency step 1 the same for a registered and an unregistered number, and logs it', async () => {
      const s = await setUp();
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
