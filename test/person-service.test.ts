/**
 * The national person service (services/personuppgiftstjansten.ts) against a local test server
 * built from the contract's shape, over mutual TLS with certificates made now: a person, both
 * protection markers (no address), a death, an emigration, an unknown number, a SOAP fault, a
 * service that does not answer, a client certificate the server refuses. Then registration
 * through it, on both engines: the register's facts are stored, an unknown number and an
 * unavailable service write nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../src/domain/errors.ts';
import {
  createPersonuppgiftstjanstenRegister,
  type PersonServiceSettings,
} from '../src/services/personuppgiftstjansten.ts';
import type { Db } from '../src/store/db.ts';
import { buildTestApp, login } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makeWorld } from './helpers/factories.ts';
import {
  makeCertificates,
  removeCertificates,
  startPersonService,
  type Behaviour,
  type PersonServiceServer,
  type TestCertificates,
} from './helpers/person-service-server.ts';

// Skatteverket's test personnummer (data/skatteverket-testpersonnummer.csv).
const PERSON = '199308042382';
const SEKRETESS = '199308052399';
const SKYDDAD = '199308052381';
const DECEASED = '199308062398';
const EMIGRATED = '199308062380';
const UNKNOWN = '199308072389';
const FAULT = '199308072397';
const HANG = '199308082388';

const address = { line: 'Storgatan 1', postalCode: '58185', city: 'Linköping', municipalityCode: '0580' };
const people = new Map<string, Behaviour>([
  [
    PERSON,
    { givenNames: ['Tolva', 'Maria'], surname: 'Testsson', gender: '2', birthTime: '19930804', address },
  ],
  [
    SEKRETESS,
    {
      givenNames: ['Sven'],
      surname: 'Skydd',
      gender: '1',
      birthTime: '19930805',
      protectedPersonIndicator: true,
      address,
    },
  ],
  [
    SKYDDAD,
    {
      givenNames: ['Stina'],
      surname: 'Skydd',
      gender: '2',
      birthTime: '19930805',
      protectedPopulationRecord: true,
      address,
    },
  ],
  [
    DECEASED,
    {
      givenNames: ['Dag'],
      surname: 'Avliden',
      gender: '1',
      birthTime: '19930806',
      address,
      deregistration: { reason: 'AV', date: '20261101' },
    },
  ],
  [
    EMIGRATED,
    {
      givenNames: ['Ulla'],
      surname: 'Utvandrad',
      gender: '2',
      birthTime: '19930806',
      deregistration: { reason: 'UV', date: '20260915' },
    },
  ],
  [FAULT, 'fault'],
  [HANG, 'hang'],
]);

let certs: TestCertificates;
let service: PersonServiceServer;
const settings = (over: Partial<PersonServiceSettings> = {}): PersonServiceSettings => ({
  url: service.url,
  cert: certs.clientCert,
  key: certs.clientKey,
  ca: certs.caCert,
  logicalAddress: '5565594230',
  profile: 'P1',
  timeoutMs: 2000,
  ...over,
});

before(async () => {
  certs = makeCertificates();
  service = await startPersonService(certs, people);
});
after(async () => {
  await service.close();
  removeCertificates(certs);
});

const unavailable = (error: unknown): boolean =>
  error instanceof DomainError && error.code === 'register_unavailable';

describe('the Personuppgiftstjänsten adapter against the local test service', () => {
  it('reads a person: name, sex, birth date, address and municipality, with the logical address and profile sent', async () => {
    const answer = await createPersonuppgiftstjanstenRegister(settings()).lookup(PERSON, 'personnummer');
    assert.deepEqual(answer, {
      found: true,
      person: {
        identifier: PERSON,
        kind: 'personnummer',
        givenName: 'Tolva Maria',
        familyName: 'Testsson',
        birthDate: '1993-08-04',
        sex: 'female',
        address: { line: 'Storgatan 1', postalCode: '58185', city: 'Linköping', municipalityCode: '0580' },
        protection: 'none',
        deceasedOn: null,
        movedOutOn: null,
      },
    });
    const sent = service.requests.at(-1)!;
    assert.deepEqual(sent, { identifier: PERSON, logicalAddress: '5565594230', profile: 'P1' });
  });

  it('reads both protection markers, and a protected person comes without an address', async () => {
    const register = createPersonuppgiftstjanstenRegister(settings());
    for (const [number, protection] of [
      [SEKRETESS, 'sekretessmarkering'],
      [SKYDDAD, 'skyddad-folkbokforing'],
    ] as const) {
      const answer = await register.lookup(number, 'personnummer');
      assert.ok(answer.found);
      assert.equal(answer.person.protection, protection);
      assert.equal(answer.person.address, null, number);
    }
  });

  it('reads a death (deregistration AV) and an emigration (UV) with their days', async () => {
    const register = createPersonuppgiftstjanstenRegister(settings());
    const dead = await register.lookup(DECEASED, 'personnummer');
    assert.ok(dead.found);
    assert.equal(dead.person.deceasedOn, '2026-11-01');
    assert.equal(dead.person.movedOutOn, null);
    const gone = await register.lookup(EMIGRATED, 'personnummer');
    assert.ok(gone.found);
    assert.equal(gone.person.movedOutOn, '2026-09-15');
    assert.equal(gone.person.deceasedOn, null);
  });

  it('answers not found for a number the service does not know', async () => {
    assert.deepEqual(await createPersonuppgiftstjanstenRegister(settings()).lookup(UNKNOWN, 'personnummer'), {
      found: false,
    });
  });

  it('turns a SOAP fault into register_unavailable', async () => {
    await assert.rejects(
      createPersonuppgiftstjanstenRegister(settings()).lookup(FAULT, 'personnummer'),
      unavailable,
    );
  });

  it('gives up on a service that does not answer after the timeout', async () => {
    const started = performance.now();
    await assert.rejects(
      createPersonuppgiftstjanstenRegister(settings({ timeoutMs: 300 })).lookup(HANG, 'personnummer'),
      unavailable,
    );
    const ms = performance.now() - started;
    assert.ok(ms >= 250 && ms < 2000, `took ${Math.round(ms)} ms`);
  });

  it('is refused by the service with a client certificate of another CA, and with none', async () => {
    const before = service.requests.length;
    const refusedBefore = service.refusedHandshakes;
    await assert.rejects(
      createPersonuppgiftstjanstenRegister(
        settings({ cert: certs.strangerCert, key: certs.strangerKey }),
      ).lookup(PERSON, 'personnummer'),
      unavailable,
    );
    assert.equal(service.requests.length, before, 'the service answered a stranger');
    assert.ok(service.refusedHandshakes > refusedBefore, 'the handshake was not refused by the service');
  });

  it('refuses a service whose certificate its CA setting does not vouch for', async () => {
    await assert.rejects(
      createPersonuppgiftstjanstenRegister(settings({ ca: certs.strangerCert })).lookup(
        PERSON,
        'personnummer',
      ),
      unavailable,
    );
  });
});

for (const engine of testEngines) {
  describe(`registration through the person service on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    before(async () => {
      db = await engine.open();
      app = await buildTestApp(db, undefined, {
        PERSON_SERVICE_URL: service.url,
        PERSON_SERVICE_CERT: certs.clientCert,
        PERSON_SERVICE_KEY: certs.clientKey,
        PERSON_SERVICE_CA: certs.caCert,
        PERSON_SERVICE_LOGICAL_ADDRESS: '5565594230',
        PERSON_SERVICE_TIMEOUT_MS: '500',
      });
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    const stored = async (identifier: string) =>
      (
        await db.query<Record<string, unknown>>(
          `select given_name, family_name, birth_date, sex, address_line, postal_code, city, municipality_code,
                  protection, deceased_on, moved_out_on, register_source from patient where identifier = $1`,
          [identifier],
        )
      )[0];

    it("registers a personnummer with the service's name, address and markers, and stores where they came from", async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      const res = await nurse.send('POST', '/api/patients', { identifier: '19930804-2382', phone: '070-1' });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json<Record<string, unknown>>();
      assert.equal(body.givenName, 'Tolva Maria');
      assert.equal(body.familyName, 'Testsson');
      assert.equal(body.birthDate, '1993-08-04');
      assert.equal(body.sex, 'female');
      assert.ok(!('address' in body) && !res.body.includes('Storgatan'), 'the address left the server');
      assert.deepEqual(await stored(PERSON), {
        given_name: 'Tolva Maria',
        family_name: 'Testsson',
        birth_date: '1993-08-04',
        sex: 'female',
        address_line: 'Storgatan 1',
        postal_code: '58185',
        city: 'Linköping',
        municipality_code: '0580',
        protection: 'none',
        deceased_on: null,
        moved_out_on: null,
        register_source: 'personuppgiftstjansten',
      });
    });

    it('registers a protected identity with its marker and no address, and a death with its day', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      for (const number of [SKYDDAD, SEKRETESS, DECEASED])
        assert.equal((await nurse.send('POST', '/api/patients', { identifier: number })).statusCode, 201);
      const skyddad = await stored(SKYDDAD);
      assert.equal(skyddad?.protection, 'skyddad-folkbokforing');
      assert.equal(skyddad?.address_line, null);
      assert.equal(skyddad?.municipality_code, null);
      assert.equal((await stored(SEKRETESS))?.protection, 'sekretessmarkering');
      assert.equal((await stored(DECEASED))?.deceased_on, '2026-11-01');
    });

    it('answers a known number exactly like a new one, and asks the service both times', async () => {
      const w = await makeWorld(db);
      const stranger = await login(app, { hsaId: w.doctorId });
      const asked = service.requests.filter((r) => r.identifier === EMIGRATED).length;
      const first = await stranger.send('POST', '/api/patients', { identifier: EMIGRATED });
      const again = await stranger.send('POST', '/api/patients', { identifier: EMIGRATED });
      assert.equal(first.statusCode, 201);
      assert.equal(again.statusCode, 201);
      assert.deepEqual(Object.keys(again.json()).sort(), Object.keys(first.json()).sort());
      assert.equal(service.requests.filter((r) => r.identifier === EMIGRATED).length, asked + 2);
      const logged = await db.query<{ detail: string }>(
        `select l.detail from access_log l join patient p on p.id = l.patient_id where p.identifier = $1 order by seq`,
        [EMIGRATED],
      );
      assert.deepEqual(
        logged.map((l) => l.detail),
        ['registrering', 'registrering: numret fanns redan'],
      );
    });

    it('refuses a number the service does not know with 422 in Swedish, and writes nothing', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      const res = await nurse.send('POST', '/api/patients', { identifier: UNKNOWN });
      assert.equal(res.statusCode, 422);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'not_in_register');
      assert.match(res.json<{ error: { message: string } }>().error.message, /finns inte i folkbokföringen/);
      assert.equal(await stored(UNKNOWN), undefined);
    });

    it('answers 503 "Folkbokföringen svarar inte just nu" on a fault or a timeout, without a stack, and writes nothing', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      for (const number of [FAULT, HANG]) {
        const res = await nurse.send('POST', '/api/patients', { identifier: number });
        assert.equal(res.statusCode, 503, res.body);
        const { error } = res.json<{ error: { code: string; message: string } }>();
        assert.equal(error.code, 'register_unavailable');
        assert.match(error.message, /^Folkbokföringen svarar inte just nu/);
        assert.ok(!/at |\.ts:|SOAP|fault/i.test(res.body), `the answer tells too much: ${res.body}`);
        assert.equal(await stored(number), undefined, `${number} was written`);
      }
    });

    it('takes the name from the register only: a typed name beside a personnummer is refused', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      const res = await nurse.send('POST', '/api/patients', { identifier: PERSON, givenName: 'Annan' });
      assert.equal(res.statusCode, 400);
      assert.match(res.json<{ error: { message: string } }>().error.message, /hämtas från folkbokföringen/);
    });
  });
}
