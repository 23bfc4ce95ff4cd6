/**
 * Skyddade personuppgifter (docs/security.md): every GET route of the OpenAPI document is
 * classified in the table of docs/security.md ("Where a name or an address can leave the
 * server"); a route missing there fails. Every route is then called about a patient with
 * sekretessmarkering and one with skyddad folkbokföring, by their fast vårdkontakt, a physician of
 * their team and the municipal nurse: no answer holds the address, and only an `own` route holds
 * the name. Lists show "Skyddad identitet"; a search by name finds neither; live events name
 * neither; a närstående is granted only after a second confirmation. Both engines.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Protection } from '../src/domain/person-status.ts';
import { createPersonStatusService } from '../src/services/person-status-service.ts';
import type { Db } from '../src/store/db.ts';
import { login, openTestApp, type Client } from './helpers/api.ts';
import { apiRoutes, fhirResources, makePersonnummer } from './helpers/access-classes.ts';
import { testEngines } from './helpers/engines.ts';
import { appointFastVardkontakt, makeStaff } from './helpers/factories.ts';
import { assessAndEscalate, enrol, makeMobileWorld, type MobileWorld } from './helpers/mobile-care.ts';

type RouteClass = 'own' | 'list' | 'none';

/** The table of docs/security.md: `GET /path` → class. */
const classified: ReadonlyMap<string, RouteClass> = new Map(
  [
    ...readFileSync(new URL('../docs/security.md', import.meta.url), 'utf8').matchAll(
      /^\| `(GET \S+)` \| (own|list|none) \|/gm,
    ),
  ].map((m) => [m[1]!, m[2] as RouteClass]),
);

const ADDRESS = { line: 'Hemligstigen 13', postalCode: '98765', city: 'Gömsta', municipalityCode: '0180' };

interface ProtectedWorld extends MobileWorld {
  protection: Protection;
  givenName: string;
  familyName: string;
  identifier: string;
  homeUnitName: string;
}

/** A patient of a mobile team, enrolled, with an open escalation and a notification, then marked protected. */
async function protectedWorld(app: FastifyInstance, db: Db, protection: Protection): Promise<ProtectedWorld> {
  const w = await makeMobileWorld(app, db);
  const identifier = makePersonnummer().replace('-', '');
  await db.query(`update patient set identifier = $2, identifier_kind = 'personnummer' where id = $1`, [
    w.patientId,
    identifier,
  ]);
  await appointFastVardkontakt(db, w.patientId, w.regionNurse, w.vc);
  await enrol(w);
  await assessAndEscalate(w);
  const status = createPersonStatusService({ db, clock: () => new Date(), regionMunicipalities: [] });
  await db.transaction((tx) =>
    status.applyRegisterFacts(tx, w.patientId, { protection, address: ADDRESS }, new Date(), {
      source: 'personuppgiftstjansten',
      actor: {
        kind: 'staff',
        staffId: 'test',
        name: 'Test',
        profession: 'system',
        unitId: '',
        providerId: '',
        role: 'system',
      },
    }),
  );
  const [p] = await db.query<{ given_name: string; family_name: string; home: string }>(
    `select given_name, family_name, (select name from care_unit where id = $2) as home from patient where id = $1`,
    [w.patientId, w.home],
  );
  return {
    ...w,
    protection,
    givenName: p!.given_name,
    familyName: p!.family_name,
    identifier,
    homeUnitName: p!.home,
  };
}

/** The URL of a GET route about the world's patient (null: a redirect or a stream, called elsewhere). */
function urlFor(path: string, w: ProtectedWorld): string | null {
  if (
    path === '/api/events' ||
    (path.startsWith('/auth/') && path !== '/auth/dev/users' && path !== '/auth/units')
  )
    return null;
  if (path.startsWith('/launch')) return null;
  if (path === '/api/patients') return `/api/patients?q=${w.identifier}`;
  if (path === '/api/followup/{section}') return '/api/followup/report';
  return path
    .replace('{patientId}', w.patientId)
    .replace('{contractId}', w.contractId)
    .replace('{teamId}', w.teamId);
}

for (const engine of testEngines) {
  describe(`protected identities on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it('classifies every GET route of the OpenAPI document in docs/security.md', async () => {
      const gets = (await apiRoutes(app))
        .filter(([m, p]) => m === 'GET' && p !== '/api/openapi.json')
        .map(([m, p]) => `${m} ${p}`);
      const missing = gets.filter((r) => !classified.has(r));
      assert.deepEqual(missing, [], 'add these routes to the table in docs/security.md');
    });

    for (const protection of ['sekretessmarkering', 'skyddad-folkbokforing'] as const) {
      it(`shows a person with ${protection} by name only on their own page, and the address nowhere`, async () => {
        const w = await protectedWorld(app, db, protection);
        // A change by someone else: a notification to the fast vårdkontakt.
        const changed = await w.clients.physician.send(
          'POST',
          `/api/patients/${w.patientId}/care-directives`,
          {
            kind: 'care-level-wish',
            text: 'Vill vårdas hemma',
          },
        );
        assert.equal(changed.statusCode, 201, changed.body);
        // A log reviewer of the region (log review, emergencies) and a follow-up analyst (the figures).
        const reviewerId = await makeStaff(db, w.vc);
        await db.query("update staff_unit set role = 'loggansvarig' where staff_id = $1", [reviewerId]);
        const analystId = await makeStaff(db, w.vc);
        await db.query("update staff_unit set role = 'uppfoljning' where staff_id = $1", [analystId]);
        const readers: [string, Client][] = [
          ['the fast vårdkontakt', w.clients.regionNurse],
          ['the physician', w.clients.physician],
          ['the municipal nurse', w.clients.homeNurse],
          ['the log reviewer', await login(app, { hsaId: reviewerId })],
          ['the follow-up analyst', await login(app, { hsaId: analystId })],
        ];
        const name = w.familyName;
        let ownSeen = 0;
        for (const [m, path] of await apiRoutes(app)) {
          if (m !== 'GET' || path === '/api/openapi.json') continue;
          const kind = classified.get(`${m} ${path}`);
          const url = urlFor(path, w);
          if (url === null) continue;
          for (const [who, client] of readers) {
            const res = await client.get(url);
            assert.ok(res.statusCode < 500, `${url} as ${who}: ${res.statusCode} ${res.body}`);
            for (const secret of [ADDRESS.line, ADDRESS.postalCode, ADDRESS.city])
              assert.ok(!res.body.includes(secret), `${url} as ${who} shows the address (${secret})`);
            if (kind !== 'own')
              assert.ok(!res.body.includes(name), `${url} (${kind}) as ${who} shows the name`);
            else if (res.statusCode === 200 && res.body.includes(name)) ownSeen += 1;
          }
        }
        assert.ok(ownSeen > 0, 'the own page shows the name to those with access');

        // The lists name the patient "Skyddad identitet".
        const worklist = await w.clients.regionNurse.get('/api/worklist');
        const row = worklist
          .json<{ patients: { patientId: string; name: string; isProtected: boolean }[] }>()
          .patients.find((p) => p.patientId === w.patientId);
        assert.deepEqual([row?.name, row?.isProtected], ['Skyddad identitet', true]);
        const alerts = await w.clients.physician.get('/api/escalations');
        assert.match(alerts.body, /Skyddad identitet/);
        assert.ok(!alerts.body.includes(w.homeUnitName), 'the escalation card names the home care unit');
        const notes = await w.clients.regionNurse.get('/api/notifications');
        assert.match(notes.body, /Skyddad identitet/);
        assert.ok(!notes.body.includes(w.homeUnitName));
        const hit = await w.clients.regionNurse.get(`/api/patients?q=${w.identifier}`);
        assert.equal(
          hit.json<{ patients: { givenName: string }[] }>().patients[0]?.givenName,
          'Skyddad identitet',
        );
        const byName = await w.clients.regionNurse.get(`/api/patients?q=${encodeURIComponent(name)}`);
        assert.equal(byName.json<{ patients: unknown[] }>().patients.length, 0, 'found by name');

        // The own page: the name, the marker; no address.
        const overview = await w.clients.regionNurse.get(`/api/patients/${w.patientId}/overview`);
        assert.equal(overview.json<{ patient: { protection: string } }>().patient.protection, protection);
        assert.ok(overview.body.includes(name));
      });
    }

    it('gives FHIR Patient a confidentiality label and no address, and never finds it by name', async () => {
      const w = await protectedWorld(app, db, 'sekretessmarkering');
      const nurse = w.clients.regionNurse;
      const read = await nurse.get(`/fhir/Patient/${w.patientId}`);
      assert.equal(read.statusCode, 200, read.body);
      const patient = read.json<{ meta: { security?: { code: string }[] }; address?: unknown }>();
      assert.deepEqual(
        patient.meta.security?.map((s) => s.code),
        ['R'],
      );
      assert.equal(patient.address, undefined);
      const byName = await nurse.get(`/fhir/Patient?name=${encodeURIComponent(w.familyName)}`);
      assert.equal(byName.json<{ total?: number; entry?: unknown[] }>().entry?.length ?? 0, 0);
      for (const r of (await fhirResources(app)).filter((x) => x.interactions.includes('search-type'))) {
        const res = await nurse.get(`/fhir/${r.type}?patient=${w.patientId}`);
        assert.ok(res.statusCode < 500, `${r.type}: ${res.statusCode}`);
        for (const secret of [ADDRESS.line, ADDRESS.postalCode, ADDRESS.city])
          assert.ok(!res.body.includes(secret), `${r.type} shows the address`);
        if (r.type !== 'Patient') assert.ok(!res.body.includes(w.familyName), `${r.type} shows the name`);
      }
    });

    it('names neither the person nor where they live in a live event', async () => {
      const w = await protectedWorld(app, db, 'skyddad-folkbokforing');
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      const abort = new AbortController();
      const res = await fetch(`http://127.0.0.1:${port}/api/events`, {
        headers: { cookie: w.clients.regionNurse.cookie },
        signal: abort.signal,
      });
      const reader = res.body!.getReader();
      let text = '';
      const received = (async () => {
        while (!/"patientId"/.test(text)) {
          const { value, done } = (await reader.read()) as { value?: Uint8Array; done: boolean };
          if (done) break;
          text += new TextDecoder().decode(value);
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const changed = await w.clients.homeNurse.send('POST', `/api/patients/${w.patientId}/care-directives`, {
        kind: 'care-level-wish',
        text: 'Vill vårdas hemma',
      });
      assert.equal(changed.statusCode, 201, changed.body);
      await received;
      abort.abort();
      assert.match(text, /Skyddad identitet/);
      for (const secret of [
        w.familyName,
        w.givenName === 'Testa' ? w.familyName : w.givenName,
        w.homeUnitName,
      ])
        assert.ok(!text.includes(secret), `the stream tells ${secret}`);
    });

    it('asks for a second confirmation before a närstående may read a protected person’s plan', async () => {
      const w = await protectedWorld(app, db, 'sekretessmarkering');
      const body = {
        personnummer: makePersonnummer(),
        givenName: 'Nära',
        familyName: 'Anhörig',
        validTo: '2099-12-31',
      };
      const first = await w.clients.regionNurse.send('POST', `/api/patients/${w.patientId}/proxies`, body);
      assert.equal(first.statusCode, 409, first.body);
      assert.equal(first.json<{ error: { code: string } }>().error.code, 'proxy_confirmation_required');
      assert.match(first.body, /skyddade personuppgifter/);
      const [none] = await db.query<{ n: number }>(
        'select count(*)::int as n from proxy_grant where patient_id = $1',
        [w.patientId],
      );
      assert.equal(none!.n, 0);
      const confirmed = await w.clients.regionNurse.send('POST', `/api/patients/${w.patientId}/proxies`, {
        ...body,
        confirmProtectedIdentity: true,
      });
      assert.equal(confirmed.statusCode, 201, confirmed.body);
    });
  });
}
