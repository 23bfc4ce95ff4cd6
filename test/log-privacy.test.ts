/**
 * The logs carry no patient data. The app logs at `trace` (everything Fastify and the app write)
 * into a collector while the demo region's staff and patients use every route of the OpenAPI
 * document and the FHIR searches, with the demo people's personnummer and names in the paths,
 * the query strings and the bodies. Then every demo patient's personnummer (12 and 10 digits,
 * with and without the dash) and given and family name is sought in every line: none may be
 * there. The lines must be JSON, and the requests must be in them (by route pattern).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { redactUrl, scrubPersonalNumbers, serializeError } from '../src/api/logging.ts';
import { DEVELOPMENT_AUDIT_KEY } from '../src/services/audit-key.ts';
import { demoUsers } from '../src/seed/demo.ts';
import { seedDemo } from '../src/seed/generate.ts';
import type { Db } from '../src/store/db.ts';
import { apiRoutes, bodyFor, fhirResources, WRITE_METHODS } from './helpers/access-classes.ts';
import { login, type Client } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';

interface Person {
  id: string;
  identifier: string;
  givenName: string;
  familyName: string;
}

/** Every way a personnummer is written: 12 or 10 digits, with or without the dash. */
function formsOf(pnr: string): string[] {
  const twelve = pnr.length === 12 ? pnr : `19${pnr}`;
  const ten = twelve.slice(2);
  return [twelve, `${twelve.slice(0, 8)}-${twelve.slice(8)}`, ten, `${ten.slice(0, 6)}-${ten.slice(6)}`];
}

describe('the log helpers', () => {
  it('leave the values of a query string out, and scrub personal numbers from paths and texts', () => {
    assert.equal(redactUrl('/api/patients?q=Lindqvist&limit=5'), '/api/patients?q=…&limit=…');
    assert.equal(redactUrl('/fhir/Patient?identifier=19380312-9182'), '/fhir/Patient?identifier=…');
    assert.equal(redactUrl('/api/patients/193803129182/overview'), '/api/patients/[personnummer]/overview');
    const route = '/api/patients/:patientId/contract';
    assert.equal(
      redactUrl('/api/patients/Lindqvist/contract', route, { patientId: 'Lindqvist' }),
      '/api/patients/…/contract',
    );
    const id = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
    assert.equal(
      redactUrl(`/api/patients/${id}/contract?x=1`, route, { patientId: id }),
      `/api/patients/${id}/contract?x=…`,
    );
    assert.equal(redactUrl('/api/no/such/Lindqvist/page', undefined, {}), '/api/no/…/…/…');
    for (const form of formsOf('193803129182'))
      assert.equal(scrubPersonalNumbers(`nummer ${form}.`), 'nummer [personnummer].');
    // A samordningsnummer (day + 60) too; a uuid and a timestamp are left alone.
    assert.equal(scrubPersonalNumbers('198009712380'), '[personnummer]');
    assert.equal(
      scrubPersonalNumbers('3f2504e0-4f89-41d3-9a0c-0305e82c3301'),
      '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
    );
    assert.equal(scrubPersonalNumbers('1733567890123'), '1733567890123');
  });

  it('log a database error without the values it quotes', () => {
    const error = Object.assign(new Error('invalid input syntax for type uuid: "Lindqvist"'), {
      code: '22P02',
      detail: 'Key (identifier)=(193803129182) already exists.',
    });
    const logged = JSON.stringify(serializeError(error));
    assert.ok(!logged.includes('Lindqvist') && !logged.includes('193803129182'), logged);
    assert.match(logged, /invalid input syntax for type uuid/);
  });
});

describe('the logs of every route with the demo region', () => {
  const engine = testEngines[0]!;
  const lines: string[] = [];
  let db: Db;
  let app: FastifyInstance;
  let people: Person[];
  let requests = 0;
  before(async () => {
    db = await engine.open();
    await seedDemo(db, { patients: 40, today: new Date() });
    const config = readConfig({ NODE_ENV: 'test', RATE_LIMIT: 'off' });
    ({ app } = await buildApp({
      db,
      config,
      auditKey: DEVELOPMENT_AUDIT_KEY,
      logger: { level: 'trace', stream: { write: (line: string) => void lines.push(line) } },
    }));
    people = await db.query<Person>(
      'select id, identifier, given_name as "givenName", family_name as "familyName" from patient order by identifier',
    );
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  it('holds no demo patient’s personnummer or name', async () => {
    const elsa = people.find((p) => p.identifier === demoUsers.patients[0]!.personnummer)!;
    const gunnar = people.find((p) => p.identifier === demoUsers.patients[1]!.personnummer)!;
    assert.ok(elsa && gunnar, 'the demo patients are seeded');
    const nurseUser = demoUsers.staff[0]!;
    const nurse = await login(app, { hsaId: nurseUser.hsaId, unitId: nurseUser.unitId });
    const reviewerUser = demoUsers.staff.find((s) => s.title === 'Loggansvarig')!;
    const reviewer = await login(app, { hsaId: reviewerUser.hsaId, unitId: reviewerUser.unitId });
    const patient = await login(app, { personnummer: gunnar.identifier });
    const clients: Client[] = [nurse, reviewer, patient];
    const query = `?q=${encodeURIComponent(elsa.familyName)}&identifier=${elsa.identifier}&name=${encodeURIComponent(elsa.givenName)}&limit=5`;
    const ids = (path: string, patientId: string): string =>
      path.replace('{patientId}', patientId).replace(/\{(\w+)\}/g, '00000000-0000-4000-8000-000000000000');
    const bodyWithPeople = (method: string, path: string): unknown => {
      // The population register gives the name (the demo's register holds Elsa).
      if (path === '/api/patients') return { identifier: elsa.identifier };
      const body = bodyFor(method, path, nurseUser.unitId, nurseUser.hsaId);
      if (body && typeof body === 'object' && !Array.isArray(body)) {
        const b = body as Record<string, unknown>;
        for (const key of ['identifier', 'personnummer']) if (key in b) b[key] = elsa.identifier;
        if ('givenName' in b) b.givenName = elsa.givenName;
        if ('familyName' in b) b.familyName = elsa.familyName;
        if (Object.keys(b).length === 0) b.note = `${elsa.givenName} ${elsa.familyName} ${elsa.identifier}`;
      }
      return body;
    };
    const routes = (await apiRoutes(app)).filter(([, p]) => p !== '/api/events');
    for (const client of clients)
      for (const [method, path] of routes)
        for (const subject of [elsa, gunnar]) {
          const url = ids(path, subject.id);
          if (method === 'GET') await client.get(`${url}${query}`);
          else if (WRITE_METHODS.has(method))
            await client.send(method as 'POST', url, bodyWithPeople(method, path), { 'if-match': 'W/"1"' });
          requests += 1;
        }
    // FHIR: searches by name and number, reads and the patient's own resources.
    for (const r of await fhirResources(app)) {
      for (const client of [nurse, patient]) {
        await client.get(`/fhir/${r.type}?patient=${elsa.id}&identifier=${elsa.identifier}`);
        await client.get(`/fhir/${r.type}/${elsa.id}`);
        requests += 2;
      }
    }
    await nurse.get(`/fhir/Patient?name=${encodeURIComponent(elsa.familyName)}`);
    await nurse.get(
      `/fhir/Patient?identifier=http://electronichealth.se/identifier/personnummer|${elsa.identifier}`,
    );
    // A personnummer or a name where an id belongs, and refused input.
    await nurse.get(`/api/patients/${elsa.identifier}/overview`);
    await nurse.get(`/api/patients/${encodeURIComponent(elsa.familyName)}/contract`);
    await nurse.get(`/api/patients?q=${encodeURIComponent(`${elsa.familyName}\u0000`)}`);
    await app.inject({ method: 'POST', url: '/auth/dev/login', payload: { personnummer: elsa.identifier } });
    requests += 6;

    // The logs are JSON, one object per line, and every request is in them.
    assert.ok(lines.length >= requests * 2, `${lines.length} lines for ${requests} requests`);
    const parsed = lines.map((line) => JSON.parse(line) as { req?: { url?: string; route?: string } });
    assert.ok(parsed.some((l) => l.req?.route === '/api/patients/:patientId/overview'));
    assert.ok(parsed.some((l) => l.req?.url?.includes('q=…')));

    const text = lines.join('\n');
    const hits: string[] = [];
    for (const p of people) {
      for (const form of formsOf(p.identifier))
        if (text.includes(form)) hits.push(`${p.identifier} as ${form}`);
      for (const name of [p.givenName, p.familyName]) {
        const word = new RegExp(`(?<!\\p{L})${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\p{L})`, 'u');
        if (word.test(text)) hits.push(`${p.identifier}'s name ${name}`);
      }
    }
    assert.deepEqual(hits, [], `found in the logs:\n${hits.slice(0, 20).join('\n')}`);
  });
});
