/**
 * Access classes over every route Fastify has registered (not only what the OpenAPI document or
 * the CapabilityStatement tells), probed from outside the patient's care:
 * - every registered route is classified below, or in the OpenAPI document that
 *   access-classes*.test.ts walk; a new route fails here until it is classified (and so probed);
 * - every FHIR route that reads one resource answers a foreign id exactly as a missing one
 *   (status and body, ids aside) for: staff of another care provider, a system client of another
 *   care provider, a patient token (`patient/` scopes) of another patient, another patient logged
 *   in; every search about the patient finds nothing for them and answers as a search about
 *   nobody; every write is refused and changes no table; none of it is logged as allowed;
 * - a token with a narrower scope reaches nothing beyond it (403 insufficient_scope, the same for
 *   a foreign and a missing id);
 * - a cursor of the nurse's search, replayed by a stranger, pages nothing of the patient.
 * Both engines.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Db } from '../src/store/db.ts';
import { login, withActiveContract, type Client } from './helpers/api.ts';
import {
  allowedEntries,
  apiRoutes,
  hiddenUnitPlan,
  makePersonnummer,
  MISSING,
  setUp,
  snapshot,
} from './helpers/access-classes.ts';
import { testEngines } from './helpers/engines.ts';
import { makePatient, makeProvider, makeStaff, makeUnit } from './helpers/factories.ts';
import { assessAndEscalate, enrol, makeMobileWorld } from './helpers/mobile-care.ts';
import {
  openTestAppWithAuthorizationServer,
  type TestAuthorizationServer,
} from './helpers/test-authorization-server.ts';

/**
 * How each registered route outside the OpenAPI document is probed:
 * - `read`: one resource (or its history, versions or operation) by id: foreign = missing;
 * - `search`: a search about the patient: finds nothing, as a search about nobody;
 * - `write`: refused, nothing changed, foreign = missing;
 * - `own`: the caller's own records (a client's subscriptions): another's answer as missing;
 * - `directory`: no patient data (units, staff, teams);
 * - `public`: no patient data, no login (metadata, discovery, the web app, unknown paths);
 * - `login`: the login and EHR launch flows (test/ehr-launch.test.ts, src/api/oidc-routes.test.ts).
 */
type RouteClass = 'read' | 'search' | 'write' | 'own' | 'directory' | 'public' | 'login';

const classified: Readonly<Record<string, RouteClass>> = {
  'GET /fhir': 'public',
  'GET /fhir/': 'public',
  'GET /fhir/*': 'public',
  'POST /fhir/*': 'public',
  'PUT /fhir/*': 'public',
  'DELETE /fhir/*': 'public',
  'PATCH /fhir/*': 'public',
  'GET /fhir/metadata': 'public',
  // The served subscription topic (an R4 Basic): describes the server, no patient.
  'GET /fhir/Basic': 'public',
  'GET /fhir/Basic/:id': 'public',
  'GET /fhir/.well-known/smart-configuration': 'public',
  'GET /.well-known/smart-configuration': 'public',
  'GET /*': 'public',
  'GET *': 'public',
  'GET /metrics': 'public',
  'GET /fhir/Patient': 'search',
  'POST /fhir/Patient': 'write',
  'GET /fhir/Patient/:id': 'read',
  'PUT /fhir/Patient/:id': 'write',
  'GET /fhir/Patient/:id/$everything': 'read',
  'GET /fhir/Patient/:id/_history': 'read',
  'GET /fhir/Patient/:id/_history/:vid': 'read',
  'GET /fhir/CareTeam/:id/_history': 'read',
  'GET /fhir/CareTeam/:id/_history/:vid': 'read',
  'GET /fhir/Goal/:id/_history': 'read',
  'GET /fhir/Goal/:id/_history/:vid': 'read',
  'GET /fhir/Appointment/:id/_history': 'read',
  'GET /fhir/Consent/:id/_history': 'read',
  'GET /fhir/Consent/:id/_history/:vid': 'read',
  'GET /fhir/AuditEvent/:id': 'read',
  'GET /fhir/Condition': 'search',
  'POST /fhir/Condition': 'write',
  'GET /fhir/Condition/:id': 'read',
  'PUT /fhir/Condition/:id': 'write',
  'GET /fhir/Encounter': 'search',
  'POST /fhir/Encounter': 'write',
  'GET /fhir/Encounter/:id': 'read',
  'PUT /fhir/Encounter/:id': 'write',
  'GET /fhir/Practitioner/:id': 'directory',
  'GET /fhir/Organization/:id': 'directory',
  'GET /fhir/CareTeam/team-:teamId': 'directory',
  'GET /fhir/Provenance': 'search',
  'GET /fhir/Provenance/:id': 'read',
  'GET /fhir/CarePlan': 'search',
  'POST /fhir/CarePlan': 'write',
  'GET /fhir/CarePlan/:id': 'read',
  'PUT /fhir/CarePlan/:id': 'write',
  'GET /fhir/CarePlan/:id/_history': 'read',
  'GET /fhir/CarePlan/:id/_history/:vid': 'read',
  'GET /fhir/CareTeam': 'search',
  'POST /fhir/CareTeam': 'write',
  'GET /fhir/CareTeam/:id': 'read',
  'PUT /fhir/CareTeam/:id': 'write',
  'GET /fhir/Communication': 'search',
  'GET /fhir/Communication/:id': 'read',
  'GET /fhir/Consent': 'search',
  'POST /fhir/Consent': 'write',
  'GET /fhir/Consent/:id': 'read',
  'PUT /fhir/Consent/:id': 'write',
  'GET /fhir/Goal': 'search',
  'POST /fhir/Goal': 'write',
  'GET /fhir/Goal/:id': 'read',
  'PUT /fhir/Goal/:id': 'write',
  'GET /fhir/Appointment': 'search',
  'POST /fhir/Appointment': 'write',
  'GET /fhir/Appointment/:id': 'read',
  'PUT /fhir/Appointment/:id': 'write',
  'GET /fhir/Appointment/:id/_history/:vid': 'read',
  'GET /fhir/AuditEvent': 'search',
  'GET /fhir/Observation': 'search',
  'GET /fhir/Observation/:id': 'read',
  'GET /fhir/EpisodeOfCare': 'search',
  'GET /fhir/EpisodeOfCare/:id': 'read',
  'GET /fhir/Task': 'search',
  'GET /fhir/Task/:id': 'read',
  'POST /fhir/Subscription': 'own',
  'GET /fhir/Subscription': 'own',
  'GET /fhir/Subscription/:id': 'own',
  'DELETE /fhir/Subscription/:id': 'own',
  'GET /fhir/Subscription/:id/$status': 'own',
  'GET /fhir/Subscription/:id/_history/:vid': 'own',
  'GET /launch': 'login',
  'GET /launch/callback': 'login',
  'GET /launch/resume': 'login',
  'GET /launch/sida.css': 'public',
  'GET /auth/dev/users': 'login',
  'POST /auth/dev/login': 'login',
  'POST /auth/logout': 'login',
  'GET /auth/config': 'login',
  'GET /auth/csrf': 'login',
  'GET /auth/staff/login': 'login',
  'GET /auth/staff/callback': 'login',
  'GET /auth/patient/login': 'login',
  'GET /auth/patient/callback': 'login',
  'POST /auth/unit': 'login',
  'GET /auth/units': 'login',
};

/**
 * Every route the running app has registered, as `METHOD /url` (HEAD, which Fastify adds beside
 * each GET, and the CORS preflight OPTIONS left out), read from Fastify's own route tree.
 */
export function registeredRoutes(app: FastifyInstance): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const url = (stack[depth - 1] ?? '') + match[2]!;
    stack[depth] = url;
    stack.length = depth + 1;
    for (const method of (match[3] ?? '').split(', ').filter(Boolean))
      if (method !== 'HEAD' && method !== 'OPTIONS') routes.push(`${method} ${url}`);
  }
  return routes;
}

/** A caller: a cookie session or a bearer token, and who it is in the access log. */
interface Prober {
  who: string;
  actorId: string;
  /** Only the log entries of this client count (a token of someone who also reads with a session). */
  clientId?: string;
  send: (
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<LightMyRequestResponse>;
}

const FHIR_HEADERS = { accept: 'application/fhir+json', 'content-type': 'application/fhir+json' };

function cookieProber(who: string, actorId: string, client: Client): Prober {
  return {
    who,
    actorId,
    send: (method, url, body, headers = {}) =>
      method === 'GET'
        ? client.get(url)
        : client.send(method as 'POST', url, body ?? {}, { ...FHIR_HEADERS, ...headers }),
  };
}

function bearerProber(app: FastifyInstance, who: string, actorId: string, token: string): Prober {
  return {
    who,
    actorId,
    send: (method, url, body, headers = {}) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${token}`, ...FHIR_HEADERS, ...headers },
        ...(method === 'GET' ? {} : { payload: JSON.stringify(body ?? {}) }),
      }),
  };
}

for (const engine of testEngines) {
  describe(`access classes: every registered route, probed from outside the patient's care, on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let as: TestAuthorizationServer;
    openTestAppWithAuthorizationServer(engine, (opened) => ({ db, app, as } = opened));

    it('classifies every registered route: in the OpenAPI document the access class tests walk, or here', async () => {
      const inOpenApi = new Set(
        (await apiRoutes(app)).map(([m, p]) => `${m} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
      );
      // The live events and the OpenAPI document itself: test/access-classes-reads.test.ts.
      const elsewhere = new Set(['GET /api/events', 'GET /api/openapi.json']);
      // The built web app's files (src/api/web-routes.ts), when web/dist exists: no patient data.
      const isWebFile = (r: string) =>
        /^GET \/(?!api\/|fhir\/|auth\/|launch\/)(?:[\w.-]+\/)*[\w-]+\.[\w.]+$/.test(r);
      const unclassified = registeredRoutes(app).filter(
        (r) => !inOpenApi.has(r) && !elsewhere.has(r) && classified[r] === undefined && !isWebFile(r),
      );
      assert.deepEqual(unclassified, [], 'classify each new route in test/access-classes-fhir.test.ts');
      assert.ok(registeredRoutes(app).length > 100, 'the route tree is read');
    });

    it('answers staff, a system client and a patient token of another care, and another patient, on every FHIR route as if the patient did not exist', async () => {
      // The patient's care: a plan with a consent to a third provider's unit, and a mobile team's records.
      const { w, nurse, contractId } = await withActiveContract(app, db);
      const thirdUnit = await makeUnit(db, await makeProvider(db));
      const consent = await nurse.send('POST', `/api/patients/${w.patientId}/consents`, {
        scope: 'unit',
        unitId: thirdUnit,
        method: 'i-person',
      });
      assert.equal(consent.statusCode, 201, consent.body);
      const mobile = await makeMobileWorld(app, db);
      await enrol(mobile);
      await assessAndEscalate(mobile);
      const patients = [
        { patientId: w.patientId, reader: nurse },
        { patientId: mobile.patientId, reader: mobile.clients.regionNurse },
      ];
      const names = await db.query<{ n: string }>(
        'select family_name as n from patient where id = any($1::uuid[])',
        [patients.map((p) => p.patientId)],
      );

      // The callers: care provider B's staff and system client, a token of the nurse for another
      // patient (patient/ scopes), another patient.
      const providerB = await makeProvider(db, 'kommun');
      const unitB = await makeUnit(db, providerB);
      const staffB = await makeStaff(db, unitB);
      await db.query(
        `insert into smart_client (client_id, name, provider_id, scopes, subscription_endpoints, created_by)
         values ($1, 'Journal B', $2, '{system/*.rs,system/Subscription.cruds}', $3, 'test')`,
        [`journal-b-${providerB}`, providerB, `{https://b.example/hook/${providerB}}`],
      );
      const otherPatient = await makePatient(db, w.unitId);
      const otherNumber = makePersonnummer().replace('-', '');
      await db.query(`update patient set identifier = $1, identifier_kind = 'personnummer' where id = $2`, [
        otherNumber,
        otherPatient,
      ]);
      const probers: Prober[] = [
        cookieProber('staff of provider B', staffB, await login(app, { hsaId: staffB })),
        bearerProber(
          app,
          'system client of provider B',
          `journal-b-${providerB}`,
          await as.mint({
            client_id: `journal-b-${providerB}`,
            scope: 'system/*.rs system/Subscription.cruds',
          }),
        ),
        {
          clientId: 'journal-app',
          ...bearerProber(
            app,
            "the nurse's token for another patient",
            w.nurseId,
            await as.mint({
              client_id: 'journal-app',
              fhirUser: `Practitioner/${w.nurseId}`,
              scope: 'openid fhirUser patient/*.cruds',
              patient: otherPatient,
            }),
          ),
        },
        cookieProber('another patient', otherPatient, await login(app, { personnummer: otherNumber })),
      ];

      // The patients' resources, as their own readers find them through the searches.
      const routes = registeredRoutes(app).filter((r) => r.includes(' /fhir/'));
      const ids = new Map<string, Set<string>>();
      const resources = new Map<string, Record<string, unknown>>();
      const note = (type: string, id: string) => ids.set(type, (ids.get(type) ?? new Set()).add(id));
      for (const { patientId, reader } of patients) {
        note('Patient', patientId);
        for (const route of routes.filter((r) => classified[r] === 'search')) {
          const type = route.split('/')[2]!;
          const query =
            type === 'Provenance' ? `target=CarePlan/${contractId}` : `patient=Patient/${patientId}`;
          const res = await reader.get(`/fhir/${type}?${query}`);
          if (res.statusCode !== 200) continue;
          for (const e of res.json<{ entry?: { resource: Record<string, unknown> & { id: string } }[] }>()
            .entry ?? []) {
            note(e.resource.resourceType as string, e.resource.id);
            resources.set(`${e.resource.resourceType as string}/${e.resource.id}`, e.resource);
          }
        }
      }
      for (const type of [
        'Patient',
        'CarePlan',
        'Goal',
        'CareTeam',
        'Appointment',
        'Consent',
        'Provenance',
        'EpisodeOfCare',
        'Observation',
        'Communication',
        'Task',
      ])
        assert.ok(ids.has(type), `the world has a ${type} to probe`);
      assert.ok(ids.get('CarePlan')!.has(contractId));
      const secrets = [
        ...patients.map((p) => p.patientId),
        ...names.map((n) => n.n),
        ...[...ids.values()].flatMap((s) => [...s]),
      ];
      const hide = (text: string) => {
        let out = text;
        for (const secret of [...secrets, MISSING].sort((a, b) => b.length - a.length))
          out = out.split(secret).join('X');
        return out;
      };
      /** A body without what differs between any two answers (request ids, times). */
      const comparable = (res: LightMyRequestResponse) => {
        if (!res.body) return '';
        try {
          const body = res.json<Record<string, unknown>>();
          const { id: _i, meta: _m, timestamp: _t, ...rest } = body;
          return hide(JSON.stringify(rest));
        } catch {
          return hide(res.body);
        }
      };

      const failures: string[] = [];
      let probes = 0;
      for (const route of routes) {
        const kind = classified[route];
        if (kind !== 'read' && kind !== 'search' && kind !== 'write') continue;
        const [method, pattern] = route.split(' ') as [string, string];
        const type = pattern.split('/')[2]!;
        for (const p of probers) {
          if (kind === 'search') {
            for (const { patientId } of patients) {
              const about = (id: string) =>
                type === 'Provenance'
                  ? `/fhir/Provenance?target=CarePlan/${id === MISSING ? MISSING : contractId}`
                  : type === 'Patient'
                    ? `/fhir/Patient?_id=${id}`
                    : `/fhir/${type}?patient=Patient/${id}`;
              const [foreign, missing] = [
                await p.send('GET', about(patientId)),
                await p.send('GET', about(MISSING)),
              ];
              probes += 1;
              if (foreign.statusCode !== missing.statusCode || comparable(foreign) !== comparable(missing))
                failures.push(
                  `${p.who}: ${route} about the patient ${foreign.statusCode} ≠ about nobody ${missing.statusCode}: ${foreign.body.slice(0, 300)}`,
                );
              if (
                foreign.statusCode === 200 &&
                (foreign.json<{ entry?: unknown[] }>().entry?.length ?? 0) > 0
              )
                failures.push(`${p.who}: ${route} finds the patient's data`);
            }
            continue;
          }
          for (const id of [...(ids.get(type) ?? [])]) {
            const url = (rid: string) =>
              pattern.replace(':id', rid).replace(':vid', '1').replace(/\/\*$/, '');
            if (kind === 'write' && !pattern.includes(':id') && id !== [...ids.get(type)!][0]) continue;
            const resource = resources.get(`${type}/${id}`) ?? {
              resourceType: type,
              id: patients[0]!.patientId,
            };
            // The missing one names no patient either: the resource's own id and every patient's are replaced.
            const body = (rid: string) => {
              let text = JSON.stringify(resource).split(id).join(rid);
              if (rid === MISSING)
                for (const { patientId } of patients) text = text.split(patientId).join(MISSING);
              const copy = JSON.parse(text) as Record<string, unknown>;
              if (method === 'POST') delete copy.id;
              return copy;
            };
            const before = kind === 'write' ? await snapshot(db) : null;
            const foreign = await p.send(method, url(id), body(id), { 'if-match': 'W/"1"' });
            const after = before ? await snapshot(db) : null;
            const missing = await p.send(method, url(MISSING), body(MISSING), { 'if-match': 'W/"1"' });
            probes += 1;
            if (foreign.statusCode < 400)
              failures.push(`${p.who}: ${method} ${url(id)} answered ${foreign.statusCode}`);
            if (foreign.statusCode !== missing.statusCode || comparable(foreign) !== comparable(missing))
              failures.push(
                `${p.who}: ${route} foreign ${foreign.statusCode} ≠ missing ${missing.statusCode}: ${comparable(foreign).slice(0, 300)} | ${comparable(missing).slice(0, 300)}`,
              );
            if (before && after) {
              const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
              if (changed.length > 0) failures.push(`${p.who}: ${route} changed ${changed.join(', ')}`);
            }
          }
        }
      }
      for (const p of probers)
        for (const { patientId } of patients)
          if ((await allowedEntries(db, p.actorId, patientId, p.clientId)) > 0)
            failures.push(`${p.who}: logged as allowed`);
      assert.deepEqual(failures, []);
      assert.ok(probes > 150, `${probes} probes`);
    });

    it('lets a token with a narrower scope reach nothing beyond it, a foreign id answered as a missing one', async () => {
      const { w, nurse, contractId } = await withActiveContract(app, db);
      const token = await as.mint({
        client_id: 'journal-app',
        fhirUser: `Practitioner/${w.nurseId}`,
        scope: 'openid fhirUser user/CarePlan.r',
      });
      const p = bearerProber(app, 'CarePlan.r', w.nurseId, token);
      assert.equal((await p.send('GET', `/fhir/CarePlan/${contractId}`)).statusCode, 200);
      const failures: string[] = [];
      for (const route of registeredRoutes(app).filter((r) => r.includes(' /fhir/'))) {
        const kind = classified[route];
        if (kind !== 'read' && kind !== 'search' && kind !== 'write' && kind !== 'own') continue;
        const [method, pattern] = route.split(' ') as [string, string];
        if (route === 'GET /fhir/CarePlan/:id' || route.startsWith('GET /fhir/CarePlan/:id/_history'))
          continue;
        const url = (id: string) =>
          pattern.replace(':id', id).replace(':vid', '1') +
          (kind === 'search' ? `?patient=Patient/${w.patientId}` : '');
        const read = await nurse.get(`/fhir/CarePlan/${contractId}`);
        const before = await snapshot(db);
        const [foreign, missing] = [
          await p.send(
            method,
            url(pattern.startsWith('/fhir/CarePlan') ? contractId : w.patientId),
            read.json(),
            {
              'if-match': String(read.headers.etag),
            },
          ),
          await p.send(method, url(MISSING), read.json(), { 'if-match': String(read.headers.etag) }),
        ];
        if (
          foreign.statusCode !== 403 ||
          !String(foreign.headers['www-authenticate']).includes('insufficient_scope')
        )
          failures.push(`${route}: ${foreign.statusCode} ${foreign.body.slice(0, 200)}`);
        if (missing.statusCode !== foreign.statusCode)
          failures.push(`${route}: missing ${missing.statusCode}`);
        const after = await snapshot(db);
        if (Object.keys(after).some((t) => after[t] !== before[t])) failures.push(`${route} wrote`);
      }
      assert.deepEqual(failures, []);
    });

    it('shows a reader with a spärr nothing of the hidden unit on any FHIR route: reads, histories, versions, $everything, Provenance, searches', async () => {
      const s = await setUp(app, db);
      const { blockedUnit, blockedNurse, blockedName, content } = await hiddenUnitPlan(db, s);
      const put = async (client: Client, version: number, body: typeof content) => {
        const res = await client.send(
          'PUT',
          `/api/patients/${s.w.patientId}/contract`,
          { status: 'active', content: body },
          { 'if-match': `W/"${version}"` },
        );
        assert.equal(res.statusCode, 200, res.body);
      };
      await put(s.nurse, 1, content);
      // The blocked unit's nurse changes her own activity last: the latest version is hers.
      await put(await login(app, { hsaId: blockedNurse }), 2, {
        ...content,
        activities: [content.activities[0]!, { ...content.activities[1]!, what: 'Samtal om sömn' }],
      });
      const blocked = await s.patient.send('POST', `/api/patients/${s.w.patientId}/blocks`, {
        scope: 'unit',
        unitId: blockedUnit,
      });
      assert.equal(blocked.statusCode, 201, blocked.body);
      await db.query(
        `insert into smart_client (client_id, name, provider_id, scopes, created_by)
         values ($1, 'Journal A', $2, '{system/*.rs}', 'test')`,
        [`journal-a-${s.w.providerId}`, s.w.providerId],
      );
      const readers: Prober[] = [
        cookieProber('the nurse', s.w.nurseId, s.nurse),
        bearerProber(
          app,
          "the provider's system client",
          `journal-a-${s.w.providerId}`,
          await as.mint({ client_id: `journal-a-${s.w.providerId}`, scope: 'system/*.rs' }),
        ),
      ];
      // Every id the nurse can find, then every read and search route with each (versions 1–3).
      const ids = new Map<string, Set<string>>([['Patient', new Set([s.w.patientId])]]);
      const routes = registeredRoutes(app).filter((r) => r.startsWith('GET /fhir/'));
      for (const route of routes.filter((r) => classified[r] === 'search')) {
        const type = route.split('/')[2]!;
        const query =
          type === 'Provenance' ? `target=CarePlan/${s.contractId}` : `patient=Patient/${s.w.patientId}`;
        const res = await s.nurse.get(`/fhir/${type}?${query}`);
        if (res.statusCode !== 200) continue;
        for (const e of res.json<{ entry?: { resource: { resourceType: string; id: string } }[] }>().entry ??
          [])
          ids.set(
            e.resource.resourceType,
            (ids.get(e.resource.resourceType) ?? new Set()).add(e.resource.id),
          );
      }
      const secrets = [blockedUnit, blockedNurse, blockedName, 'a-hidden', 'sömn'];
      const failures: string[] = [];
      let probes = 0;
      for (const route of routes) {
        const kind = classified[route];
        if (kind !== 'read' && kind !== 'search') continue;
        const pattern = route.slice('GET '.length);
        const type = pattern.split('/')[2]!;
        const urls =
          kind === 'search'
            ? [
                type === 'Provenance'
                  ? `/fhir/Provenance?target=CarePlan/${s.contractId}`
                  : `/fhir/${type}?patient=Patient/${s.w.patientId}`,
              ]
            : [...(ids.get(type) ?? [])].flatMap((id) =>
                ['1', '2', '3'].map((vid) => pattern.replace(':id', id).replace(':vid', vid)),
              );
        for (const url of new Set(urls))
          for (const reader of readers) {
            const res = await reader.send('GET', url);
            probes += 1;
            for (const secret of secrets)
              if (res.body.includes(secret))
                failures.push(`${reader.who}: ${url} (${res.statusCode}) tells ${secret}`);
          }
      }
      assert.deepEqual(failures, []);
      assert.ok(probes > 40, `${probes} probes`);
    });

    it('refuses a system client and staff of another provider at the next request after the consent is revoked', async () => {
      const { w, contractId } = await withActiveContract(app, db);
      const providerY = await makeProvider(db, 'kommun');
      const unitY = await makeUnit(db, providerY);
      await db.query(
        `insert into care_relationship (patient_id, unit_id, start_date, reason, created_by)
         values ($1, $2, '2020-01-01', 'test', 'test')`,
        [w.patientId, unitY],
      );
      const [consent] = await db.query<{ id: string }>(
        `insert into consent (patient_id, scope_kind, unit_id, valid_from, method, recorded_by_kind, recorded_by)
         values ($1, 'unit', $2, now() - interval '1 day', 'i-person', 'staff', $3) returning id`,
        [w.patientId, unitY, w.nurseId],
      );
      await db.query(
        `insert into smart_client (client_id, name, provider_id, scopes, created_by)
         values ($1, 'Journal Y', $2, '{system/*.rs}', 'test')`,
        [`journal-y-${providerY}`, providerY],
      );
      const readers: Prober[] = [
        cookieProber('staff of Y', 'y', await login(app, { hsaId: await makeStaff(db, unitY) })),
        bearerProber(
          app,
          'system client of Y',
          `journal-y-${providerY}`,
          await as.mint({ client_id: `journal-y-${providerY}`, scope: 'system/*.rs' }),
        ),
      ];
      const urls = [
        `/fhir/CarePlan/${contractId}`,
        `/fhir/Patient/${w.patientId}/$everything`,
        `/fhir/CarePlan/${contractId}/_history`,
        `/fhir/CarePlan?patient=Patient/${w.patientId}`,
      ];
      for (const reader of readers)
        for (const url of urls) {
          const res = await reader.send('GET', url);
          assert.equal(res.statusCode, 200, `${reader.who} ${url} under consent: ${res.body.slice(0, 300)}`);
        }
      await db.query(`update consent set revoked_at = now(), revoked_by = $2 where id = $1`, [
        consent!.id,
        w.nurseId,
      ]);
      for (const reader of readers)
        for (const url of urls) {
          const res = await reader.send('GET', url);
          const missing = await reader.send(
            'GET',
            url.split(w.patientId).join(MISSING).split(contractId).join(MISSING),
          );
          assert.equal(res.statusCode, missing.statusCode, `${reader.who} ${url} after revocation`);
          assert.ok(
            !res.body.includes('"CarePlan"'),
            `${reader.who} ${url} after revocation: ${res.body.slice(0, 300)}`,
          );
        }
    });

    it('pages nothing of the patient for a stranger who replays the cursor of the nurse’s search', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      for (let i = 0; i < 3; i++) await makePatient(db, w.unitId);
      const family = (
        await db.query<{ n: string }>('select family_name as n from patient where id = $1', [w.patientId])
      )[0]!.n;
      const providerB = await makeProvider(db);
      const stranger = await login(app, { hsaId: await makeStaff(db, await makeUnit(db, providerB)) });
      for (const first of [
        `/fhir/Patient?name=Testa&_count=1`,
        `/fhir/Provenance?target=CarePlan/${MISSING}&_count=1`,
      ]) {
        const page = await nurse.get(first);
        assert.equal(page.statusCode, 200, page.body);
        const next = page
          .json<{ link: { relation: string; url: string }[] }>()
          .link.find((l) => l.relation === 'next');
        if (!next) continue;
        const cursor = new URL(next.url).searchParams.get('_cursor')!;
        for (const url of [
          `${new URL(next.url).pathname}${new URL(next.url).search}`,
          `/fhir/Patient?_id=${w.patientId}&_cursor=${encodeURIComponent(cursor)}`,
          `/fhir/CarePlan?patient=Patient/${w.patientId}&_cursor=${encodeURIComponent(cursor)}`,
        ]) {
          const res = await stranger.get(url);
          assert.ok(res.statusCode === 200 || res.statusCode === 400, `${url}: ${res.statusCode}`);
          assert.ok(
            !res.body.includes(family) && !res.body.includes(`Patient/${w.patientId}"`),
            `${url}: ${res.body.slice(0, 300)}`,
          );
        }
      }
    });
  });
}
