/**
 * The imported population register (`person` rows of the population import), registration from
 * it, reservnummer issued by the product, a refresh from the register, and merging a
 * reservnummer into the real personnummer with its history and log. On both engines.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { makeReservnummer } from '../src/domain/personnummer.ts';
import type { Db } from '../src/store/db.ts';
import { buildTestApp, login, openTestApp, withActiveContract, type Client } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { makeStaff, makeWorld, sampleContent } from './helpers/factories.ts';
import { addRegisterPerson } from './helpers/person-register.ts';

// Skatteverket's test personnummer (data/skatteverket-testpersonnummer.csv).
const ANNA = '198612082399';
const SKYDD = '198612092398';
const SEKR = '198612092380';
const LISTED = '198612102387';
const DYING = '198612102395';
const SURVIVOR = '198612112394';
const OTHER = '198612112386';
const REFRESHED = '198612122393';
const TWICE = '198612122385';

const PERSON_HEADER =
  'typ,personnummer,enhet,fran,fornamn,efternamn,adress,postnummer,ort,kommun,skydd,avliden,utflyttad';

for (const engine of testEngines) {
  describe(`the population register on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    async function analystAt(unitId: string): Promise<Client> {
      const id = await makeStaff(db, unitId, 'administrator');
      await db.query("update staff_unit set role = 'uppfoljning' where staff_id = $1", [id]);
      return login(app, { hsaId: id });
    }
    const importCsv = (client: Client, csv: string, mode = 'all-or-nothing') =>
      client.send('POST', `/api/imports/population?mode=${mode}&source=folkbokforing.csv`, csv, {
        'content-type': 'text/csv',
      });
    const person = async (identifier: string) =>
      (
        await db.query<Record<string, unknown>>('select * from population_person where identifier = $1', [
          identifier,
        ])
      )[0];

    it('imports persons: the address kept, none for skyddad folkbokföring, and a period of a register person makes a patient', async () => {
      const w = await makeWorld(db);
      const analyst = await analystAt(w.unitId);
      const csv = [
        PERSON_HEADER,
        `person,${ANNA},,,Anna,Andersson,Storgatan 1,581 85,Linköping,0580,,,`,
        `person,${SKYDD},,,Sara,Skydd,Hemlig väg 2,58185,Linköping,0580,skyddad-folkbokforing,,`,
        `person,${SEKR},,,Sixten,Sekret,Gatan 3,58185,Linköping,0580,sekretessmarkering,,`,
        `person,${LISTED},,,Lisa,Listad,Vägen 4,58185,Linköping,0580,,,`,
        `listning,${LISTED},${w.unitId},2024-01-01,,,,,,,,,`,
      ].join('\n');
      const res = await importCsv(analyst, csv);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(
        (({ imported, errorCount, createdPersons }) => ({ imported, errorCount, createdPersons }))(
          res.json<{ imported: number; errorCount: number; createdPersons: number }>(),
        ),
        { imported: 5, errorCount: 0, createdPersons: 1 },
      );
      const anna = await person(ANNA);
      assert.equal(anna?.address_line, 'Storgatan 1');
      assert.equal(anna?.postal_code, '58185');
      assert.equal(anna?.municipality_code, '0580');
      const skydd = await person(SKYDD);
      assert.equal(skydd?.protection, 'skyddad-folkbokforing');
      assert.deepEqual(
        [skydd?.address_line, skydd?.postal_code, skydd?.city, skydd?.municipality_code],
        [null, null, null, null],
      );
      assert.equal((await person(SEKR))?.protection, 'sekretessmarkering');
      // Not patients: the register holds people who are not yet patients.
      const patients = await db.query<{
        identifier: string;
        given_name: string;
        register_source: string | null;
      }>('select identifier, given_name, register_source from patient where identifier = any($1)', [
        [ANNA, SKYDD, SEKR, LISTED],
      ]);
      assert.deepEqual(patients, [{ identifier: LISTED, given_name: 'Lisa', register_source: 'import' }]);
      // The same file again changes nothing.
      const again = await importCsv(analyst, csv);
      assert.equal(again.statusCode, 200);
      assert.deepEqual(
        (({ imported, updated, skippedDuplicates }) => ({ imported, updated, skippedDuplicates }))(
          again.json<{ imported: number; updated: number; skippedDuplicates: number }>(),
        ),
        { imported: 0, updated: 0, skippedDuplicates: 5 },
      );
    });

    it('refuses bad person rows by line and field, and writes nothing', async () => {
      const w = await makeWorld(db);
      const analyst = await analystAt(w.unitId);
      const csv = [
        PERSON_HEADER,
        `person,${OTHER},,,Olle,Annan,Gatan 1,58185,Linköping,580,,,`,
        `person,${OTHER},,,Olle,Annan,Gatan 1,58185,Linköping,0580,hemlig,,`,
        `person,${makeReservnummer(42)},,,Res,Erv,,,,,,,`,
        `person,${OTHER},${w.unitId},2024-01-01,Olle,Annan,,,,,,,`,
        `person,${OTHER},,,Olle,,,,,,,2999-01-01,`,
        `listning,${ANNA},${w.unitId},2024-01-01,,,Gatan 1,,,,,,`,
        `person,${TWICE},,,Tova,Två,,,,,,,`,
        `person,${TWICE},,,Tova,Tre,,,,,,,`,
        `person,${TWICE},,,Tova,Två,,,,,,,`,
      ].join('\n');
      const res = await importCsv(analyst, csv);
      assert.equal(res.statusCode, 422, res.body);
      const errors = res.json<{ errors: { line: number; field: string }[]; importId: null }>().errors;
      assert.deepEqual(
        errors.map((e) => `${e.line} ${e.field}`),
        [
          '2 kommun',
          '3 skydd',
          '4 personnummer',
          '5 enhet',
          '5 fran',
          '6 efternamn',
          '6 avliden',
          '7 adress',
          // The same person again with other facts (the same facts again are no error).
          '9 personnummer',
        ],
      );
      assert.equal(await person(OTHER), undefined);
      assert.equal(await person(TWICE), undefined);
    });

    it('registers a personnummer from the imported register, and refuses one it does not hold with 422', async () => {
      const w = await makeWorld(db);
      await addRegisterPerson(db, ANNA, { givenName: 'Anna', familyName: 'Andersson' });
      const nurse = await login(app, { hsaId: w.nurseId });
      const res = await nurse.send('POST', '/api/patients', { identifier: '861208-2399' });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json<{ givenName: string }>().givenName, 'Anna');
      const row = await db.query<{ register_source: string; address_line: string }>(
        'select register_source, address_line from patient where identifier = $1',
        [ANNA],
      );
      assert.deepEqual(row, [{ register_source: 'import', address_line: 'Storgatan 1' }]);
      const count = async () =>
        (await db.query<{ n: number }>('select count(*)::int as n from patient'))[0]!.n;
      const before = await count();
      const unknown = await nurse.send('POST', '/api/patients', { identifier: OTHER });
      assert.equal(unknown.statusCode, 422);
      assert.equal(await count(), before);
    });

    it('applies an imported death to a patient: the name follows and the plan ends', async () => {
      const w = await makeWorld(db);
      const analyst = await analystAt(w.unitId);
      await addRegisterPerson(db, DYING, { givenName: 'Dora', familyName: 'Död' });
      const nurse = await login(app, { hsaId: w.nurseId });
      const registered = await nurse.send('POST', '/api/patients', { identifier: DYING });
      const patientId = registered.json<{ id: string }>().id;
      const plan = await nurse.send('POST', `/api/patients/${patientId}/contract`, {
        status: 'active',
        content: sampleContent(w.unitId),
      });
      assert.equal(plan.statusCode, 201, plan.body);
      const res = await importCsv(
        analyst,
        [PERSON_HEADER, `person,${DYING},,,Dora,Dödsson,Storgatan 1,58185,Linköping,0580,,2026-11-20,`].join(
          '\n',
        ),
      );
      assert.equal(res.statusCode, 200, res.body);
      const after = await db.query<{ family_name: string; deceased_on: string; status: string }>(
        `select p.family_name, p.deceased_on, c.status from patient p join contract c on c.patient_id = p.id where p.id = $1`,
        [patientId],
      );
      assert.deepEqual(after, [{ family_name: 'Dödsson', deceased_on: '2026-11-20', status: 'ended' }]);
    });

    it('re-reads the register for a patient: a new name and a death, told back', async () => {
      const { w, nurse } = await withActiveContract(app, db);
      await addRegisterPerson(db, REFRESHED, { givenName: 'Rut', familyName: 'Före' });
      const registered = await nurse.send('POST', '/api/patients', {
        identifier: REFRESHED,
        listedUnitId: w.unitId,
      });
      const patientId = registered.json<{ id: string }>().id;
      await addRegisterPerson(db, REFRESHED, {
        givenName: 'Rut',
        familyName: 'Efter',
        deceasedOn: '2026-11-30',
      });
      const res = await nurse.send('POST', `/api/patients/${patientId}/register-refresh`, {});
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json<{ patient: { familyName: string; deceasedOn: string }; changed: string[] }>();
      assert.equal(body.patient.familyName, 'Efter');
      assert.equal(body.patient.deceasedOn, '2026-11-30');
      assert.deepEqual(body.changed, ['name', 'died']);
      // Again: nothing new.
      const again = await nurse.send('POST', `/api/patients/${patientId}/register-refresh`, {});
      assert.deepEqual(again.json<{ changed: string[] }>().changed, []);
      // A reservnummer has no entry.
      const reserv = await nurse.send('POST', `/api/patients/${w.patientId}/register-refresh`, {});
      assert.equal(reserv.statusCode, 422);
    });

    it('issues a reservnummer for a person without a number, skipping numbers already held', async () => {
      const w = await makeWorld(db);
      const nurse = await login(app, { hsaId: w.nurseId });
      const n = (await db.query<{ n: number }>("select nextval('reservnummer_seq')::int as n"))[0]!.n;
      for (const taken of [n + 1, n + 2])
        await db.query(
          "insert into patient (identifier, identifier_kind, given_name, family_name) values ($1, 'reservnummer', 'Tagen', 'Redan')",
          [makeReservnummer(taken)],
        );
      const res = await nurse.send('POST', '/api/patients', {
        givenName: 'Okänd',
        familyName: 'Kvinna',
        birthDate: '1950-01-01',
        sex: 'female',
      });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json<{
        identifier: string;
        identifierKind: string;
        givenName: string;
        birthDate: string;
      }>();
      assert.equal(body.identifier, makeReservnummer(n + 3));
      assert.equal(body.identifierKind, 'reservnummer');
      assert.equal(body.birthDate, '1950-01-01');
    });

    it("issues reservnummer in the region's format (RESERVNUMMER_PREFIX)", async () => {
      const regional = await buildTestApp(db, undefined, { RESERVNUMMER_PREFIX: 'RV' });
      try {
        const w = await makeWorld(db);
        const nurse = await login(regional, { hsaId: w.nurseId });
        const res = await nurse.send('POST', '/api/patients', { givenName: 'Okänd', familyName: 'Man' });
        assert.equal(res.statusCode, 201, res.body);
        assert.match(res.json<{ identifier: string }>().identifier, /^RV\d{10}$/);
      } finally {
        await regional.close();
      }
    });

    it('merges a reservnummer into the personnummer: plan, history and log follow, the reservnummer resolves to the person', async () => {
      const { w, nurse, contractId } = await withActiveContract(app, db);
      const reserv = (
        await db.query<{ identifier: string }>('select identifier from patient where id = $1', [w.patientId])
      )[0]!.identifier;
      await nurse.get(`/api/patients/${w.patientId}/overview`);
      await addRegisterPerson(db, SURVIVOR, { givenName: 'Sam', familyName: 'Riktig' });
      const chefId = await makeStaff(db, w.unitId, 'lakare');
      await db.query("update staff_unit set role = 'verksamhetschef' where staff_id = $1", [chefId]);
      const chef = await login(app, { hsaId: chefId });
      // A member of staff may not.
      const refused = await nurse.send('POST', `/api/patients/${w.patientId}/merge`, {
        identifier: SURVIVOR,
      });
      assert.equal(refused.statusCode, 403);
      const res = await chef.send('POST', `/api/patients/${w.patientId}/merge`, {
        identifier: '19861211-2394',
      });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json<{
        patient: { id: string; identifier: string };
        merged: { id: string };
        summary: string;
      }>();
      const survivorId = body.patient.id;
      assert.equal(body.patient.identifier, SURVIVOR);
      assert.equal(body.summary, `Reservnummer ${reserv} sammanfört med 19861211-2394`);
      // The plan and its history are the person's now.
      const plan = await db.query<{ patient_id: string }>('select patient_id from contract where id = $1', [
        contractId,
      ]);
      assert.equal(plan[0]!.patient_id, survivorId);
      const overview = await nurse.get(`/api/patients/${survivorId}/overview`);
      assert.equal(overview.statusCode, 200);
      assert.equal(overview.json<{ contract: { id: string } }>().contract.id, contractId);
      const events = await db.query<{ kind: string; summary: string }>(
        "select kind, summary from change_event where patient_id = $1 and kind = 'patient-merged'",
        [survivorId],
      );
      assert.deepEqual(events, [{ kind: 'patient-merged', summary: body.summary }]);
      // The reservnummer's row stays and points at the person; its id and number find them.
      const row = await db.query<{ merged_into: string; merged_by: string }>(
        'select merged_into, merged_by from patient where id = $1',
        [w.patientId],
      );
      assert.deepEqual(row, [{ merged_into: survivorId, merged_by: chefId }]);
      assert.equal((await nurse.get(`/api/patients/${w.patientId}`)).json<{ id: string }>().id, survivorId);
      const found = await nurse.get(`/api/patients?q=${reserv}`);
      assert.deepEqual(
        found.json<{ patients: { id: string }[] }>().patients.map((p) => p.id),
        [survivorId],
      );
      // The access log keeps the reservnummer's entries and names the merge; the person sees both.
      const logged = await db.query<{ action: string; detail: string | null }>(
        "select action, detail from access_log where patient_id = $1 and action = 'merge-patient'",
        [survivorId],
      );
      assert.deepEqual(logged, [{ action: 'merge-patient', detail: body.summary }]);
      const underReserv = await db.query<{ n: number }>(
        "select count(*)::int as n from access_log where patient_id = $1 and outcome = 'allowed'",
        [w.patientId],
      );
      assert.ok(underReserv[0]!.n > 0);
      const me = await login(app, { personnummer: SURVIVOR });
      const own = await me.get('/api/me/access-log');
      assert.equal(own.statusCode, 200, own.body);
      const entries = own.json<{ entries: { action: string }[] }>().entries;
      assert.ok(
        entries.length >= underReserv[0]!.n,
        `${entries.length} entries, ${underReserv[0]!.n} under the reservnummer`,
      );
      // Merging again is refused, and changes nothing.
      const twice = await chef.send('POST', `/api/patients/${w.patientId}/merge`, { identifier: SURVIVOR });
      assert.ok(twice.statusCode >= 400 && twice.statusCode < 500, twice.body);
    });

    it('refuses to merge when both have a current plan, and changes nothing', async () => {
      const first = await withActiveContract(app, db);
      await addRegisterPerson(db, OTHER, { givenName: 'Ove', familyName: 'Annan' });
      const registered = await first.nurse.send('POST', '/api/patients', {
        identifier: OTHER,
        listedUnitId: first.w.unitId,
      });
      const otherId = registered.json<{ id: string }>().id;
      const plan = await first.nurse.send('POST', `/api/patients/${otherId}/contract`, {
        status: 'active',
        content: sampleContent(first.w.unitId),
      });
      assert.equal(plan.statusCode, 201, plan.body);
      const chefId = await makeStaff(db, first.w.unitId);
      await db.query("update staff_unit set role = 'verksamhetschef' where staff_id = $1", [chefId]);
      const chef = await login(app, { hsaId: chefId });
      const contracts = async () =>
        db.query<{ id: string; patient_id: string }>(
          'select id, patient_id from contract where patient_id = any($1) order by id',
          [[first.w.patientId, otherId]],
        );
      const before = await contracts();
      const res = await chef.send('POST', `/api/patients/${first.w.patientId}/merge`, { identifier: OTHER });
      assert.equal(res.statusCode, 409, res.body);
      assert.match(res.json<{ error: { message: string } }>().error.message, /aktuellt patientkontrakt/);
      assert.deepEqual(await contracts(), before);
      const merged = await db.query<{ merged_into: string | null }>(
        'select merged_into from patient where id = $1',
        [first.w.patientId],
      );
      assert.equal(merged[0]!.merged_into, null);
    });
  });
}
