import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DomainError } from '../domain/errors.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import type { FastifyInstance } from 'fastify';
import { login, openTestApp } from '../../test/helpers/api.ts';
import { makeProvider, makeUnit, makeWorld, sampleContent } from '../../test/helpers/factories.ts';
import type { Actor } from '../domain/actor.ts';
import type { Contract, ContractContent } from '../domain/contract.ts';
import { contextAs, relateUnit, servicesOn } from '../../test/helpers/services.ts';
import { createCareContactStore } from '../store/care-contact-store.ts';
import { createContractStore, type CurrentForUpdate } from '../store/contract-store.ts';
import type { Db } from '../store/db.ts';
import { createNotificationStore } from '../store/notification-store.ts';
import type { StoredEvent } from '../store/event-store.ts';
import type { ContractInput, NewContractInput } from './contract-service.ts';

/**
 * The contract store's reads beside the contract service's writes as a test calls them (the
 * actor last, as the routes pass what they were sent), with the event each write published.
 */
function contractsOn(db: Db) {
  const { contracts: service, feed } = servicesOn(db);
  let published: StoredEvent | null = null;
  feed.subscribe((event) => {
    published = event;
  });
  const withEvent = async (
    write: Promise<{ contract: Contract }>,
  ): Promise<{ contract: Contract; event: StoredEvent | null }> => {
    published = null;
    const { contract } = await write;
    return { contract, event: published };
  };
  return {
    ...createContractStore(db),
    create: (patientId: string, input: NewContractInput, actor: Actor) =>
      withEvent(service.create(contextAs(actor), patientId, () => input)),
    update: (
      patientId: string,
      expectedVersion: number,
      input: ContractInput,
      actor: Actor,
      options: { current?: CurrentForUpdate } = {},
    ) =>
      withEvent(
        service.update(contextAs(actor), patientId, {
          expectedVersion: () => expectedVersion,
          input,
          isAsSeen: true,
          current: options.current,
        }),
      ),
  };
}

/** `makeWorld`, with the doctor's unit in a care relationship with the patient, so both may write. */
async function makeCareWorld(db: Db) {
  const w = await makeWorld(db);
  await relateUnit(db, w.patientId, w.otherUnitId);
  return w;
}

for (const engine of testEngines) {
  describe(`the contract service on ${engine.name}`, () => {
    let db: Db;
    before(async () => {
      db = await engine.open();
    });
    after(async () => {
      await db.close();
    });

    /** A world whose patient has an active contract, drawn up by the nurse. */
    const withActiveContract = async () => {
      const w = await makeCareWorld(db);
      const store = contractsOn(db);
      const { contract } = await store.create(
        w.patientId,
        { status: 'active', content: sampleContent(w.unitId) },
        w.nurse,
      );
      return { w, store, contract };
    };

    it('keeps one current contract per patient', async () => {
      const w = await makeCareWorld(db);
      const store = contractsOn(db);
      await store.create(w.patientId, { status: 'draft', content: sampleContent(w.unitId) }, w.nurse);
      await assert.rejects(
        store.create(w.patientId, { status: 'active', content: sampleContent(w.unitId) }, w.nurse),
        (e: DomainError) => e.code === 'contract_exists',
      );
    });

    it('refuses a stale version, changes nothing, and records every accepted change', async () => {
      const { w, store, contract } = await withActiveContract();
      const changed = { ...contract.content, whatMatters: 'Att orka vara med barnbarnen' };
      const v2 = await store.update(w.patientId, 1, { status: 'active', content: changed }, w.doctor);
      assert.equal(v2.contract.version, 2);
      await assert.rejects(
        store.update(
          w.patientId,
          1,
          { status: 'active', content: { ...changed, whatMatters: 'Annat' } },
          w.nurse,
        ),
        (e: DomainError) => e.code === 'version_conflict',
      );
      const current = await store.findCurrent(w.patientId);
      assert.equal(current?.version, 2);
      assert.equal(current?.content.whatMatters, 'Att orka vara med barnbarnen');
      const versions = await store.listVersions(contract.id);
      assert.deepEqual(
        versions.map((v) => [v.version, v.actor.id]),
        [
          [2, w.doctorId],
          [1, w.nurseId],
        ],
      );
      assert.deepEqual(versions[0]?.changes, [{ part: 'whatMatters', kind: 'changed' }]);
    });

    it('lets exactly one of many concurrent writers with the same version win', async () => {
      const w = await makeCareWorld(db);
      const store = contractsOn(db);
      await store.create(w.patientId, { status: 'active', content: sampleContent(w.unitId) }, w.nurse);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          store.update(
            w.patientId,
            1,
            { status: 'active', content: sampleContent(w.unitId, { whatMatters: `Version ${i}` }) },
            w.nurse,
          ),
        ),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const current = await store.findCurrent(w.patientId);
      assert.equal(current?.version, 2);
      assert.equal((await store.listVersions(current.id)).length, 2);
    });

    it('notifies the fast vårdkontakt of a change by someone else', async () => {
      const w = await makeCareWorld(db);
      await createCareContactStore(db).assign(
        w.patientId,
        { role: 'fast-vardkontakt', staffId: w.nurseId, unitId: w.unitId, reason: 'behov' },
        w.nurse,
        '2026-11-23',
      );
      const store = contractsOn(db);
      const notifications = createNotificationStore(db);
      const { contract } = await store.create(
        w.patientId,
        { status: 'active', content: sampleContent(w.unitId) },
        w.nurse,
      );
      assert.equal(await notifications.countUnread(w.nurseId), 0);
      const goals = [
        { id: 'g1', text: 'Gå 3 km', ambition: 'forbattra' as const, status: 'pagaende' as const },
      ];
      const { event } = await store.update(
        w.patientId,
        contract.version,
        { status: 'active', content: { ...contract.content, goals } },
        w.doctor,
      );
      assert.deepEqual(event?.recipients, [w.nurseId]);
      const list = await notifications.listForStaff(w.nurseId);
      assert.equal(list.length, 1);
      assert.match(list[0]!.summary, /mål/);
      assert.equal(await notifications.markRead(w.nurseId, list[0]!.id), true);
      assert.equal(await notifications.countUnread(w.nurseId), 0);
    });

    it('does not notify the fast vårdkontakt of their own change', async () => {
      const w = await makeCareWorld(db);
      await createCareContactStore(db).assign(
        w.patientId,
        { role: 'fast-vardkontakt', staffId: w.nurseId, unitId: w.unitId, reason: 'behov' },
        w.nurse,
        '2026-11-23',
      );
      const store = contractsOn(db);
      const { contract } = await store.create(
        w.patientId,
        { status: 'draft', content: sampleContent(w.unitId) },
        w.nurse,
      );
      await store.update(
        w.patientId,
        contract.version,
        { status: 'active', content: contract.content },
        w.nurse,
      );
      assert.equal(await createNotificationStore(db).countUnread(w.nurseId), 0);
    });

    it('refuses a contract that refers to an unknown unit and writes nothing', async () => {
      const w = await makeCareWorld(db);
      const store = contractsOn(db);
      await assert.rejects(
        store.create(w.patientId, { status: 'active', content: sampleContent('SE-FINNS-INTE') }, w.nurse),
        (e: DomainError) => e.code === 'unknown_unit',
      );
      assert.equal(await store.findCurrent(w.patientId), null);
    });

    it('refuses an update that refers to an unknown unit or person and writes nothing', async () => {
      const { w, store, contract } = await withActiveContract();
      await assert.rejects(
        store.update(
          w.patientId,
          contract.version,
          { status: 'active', content: sampleContent('SE-FINNS-INTE') },
          w.nurse,
        ),
        (e: DomainError) => e.code === 'unknown_unit',
      );
      const withUnknownPerson = sampleContent(w.unitId, {
        nextContact: {
          at: '2026-12-01T09:00:00.000Z',
          unitId: w.unitId,
          withStaffId: 'SE-PERSON-FINNS-INTE',
          mode: 'telefon',
          agreement: 'overenskommen',
        },
      });
      await assert.rejects(
        store.update(
          w.patientId,
          contract.version,
          { status: 'active', content: withUnknownPerson },
          w.nurse,
        ),
        (e: DomainError) => e.code === 'unknown_staff',
      );
      assert.equal((await store.findCurrent(w.patientId))?.version, 1);
      assert.equal((await store.listVersions(contract.id)).length, 1);
    });

    it('writes nothing when the contract moved after the caller read it (a read made with the session)', async () => {
      const { w, store, contract } = await withActiveContract();
      const readEarlier = { contract: await store.findCurrent(w.patientId), holderStaffId: null };
      await store.update(
        w.patientId,
        1,
        { status: 'active', content: { ...contract.content, whatMatters: 'Först' } },
        w.doctor,
      );
      await assert.rejects(
        store.update(
          w.patientId,
          1,
          { status: 'active', content: { ...contract.content, whatMatters: 'Sen' } },
          w.nurse,
          { current: readEarlier },
        ),
        (e: DomainError) => e.code === 'version_conflict',
      );
      const current = await store.findCurrent(w.patientId);
      assert.equal(current?.version, 2);
      assert.equal(current?.content.whatMatters, 'Först');
      assert.equal((await store.listVersions(contract.id)).length, 2);
    });

    it('does not reopen an ended contract, and lets a new one be drawn up', async () => {
      const { w, store, contract } = await withActiveContract();
      await store.update(
        w.patientId,
        contract.version,
        { status: 'ended', content: contract.content },
        w.nurse,
      );
      assert.equal(await store.findCurrent(w.patientId), null);
      const next = await store.create(
        w.patientId,
        { status: 'draft', content: sampleContent(w.unitId) },
        w.nurse,
      );
      assert.equal(next.contract.version, 1);
      assert.equal((await store.listForPatient(w.patientId)).length, 2);
    });
  });
}

for (const engine of testEngines) {
  describe(`a save through the JSON API or FHIR on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    openTestApp(engine, (opened) => ({ db, app } = opened));

    it('carries over the same item of a blocked unit, which the writer cannot see, on either route', async () => {
      const w = await makeWorld(db);
      const kommunUnit = await makeUnit(db, await makeProvider(db, 'kommun'), 'hemsjukvard');
      const hidden = {
        id: 'a2',
        what: 'Hembesök',
        unitId: kommunUnit,
        when: '2026-12-02',
        status: 'planerad' as const,
      };
      const content = sampleContent(w.unitId);
      content.activities.push(hidden);
      const nurse = await login(app, { hsaId: w.nurseId });
      const created = await nurse.send('POST', `/api/patients/${w.patientId}/contract`, {
        status: 'active',
        content,
      });
      assert.equal(created.statusCode, 201, created.body);
      const contractId = created.json<{ id: string }>().id;
      await db.query(
        `insert into block (patient_id, scope_kind, unit_id, created_by_kind, created_by)
         values ($1, 'unit', $2, 'patient', $3)`,
        [w.patientId, kommunUnit, w.patientId],
      );
      const stored = async () =>
        (
          await db.query<{ content: ContractContent }>('select content from contract where id = $1', [
            contractId,
          ])
        )[0]!.content;

      const seen = await nurse.get(`/api/patients/${w.patientId}/contract`);
      const visible = seen.json<{ content: ContractContent }>().content;
      assert.ok(!visible.activities.some((a) => a.id === hidden.id), 'the JSON read leaves it out');
      const viaJson = await nurse.send(
        'PUT',
        `/api/patients/${w.patientId}/contract`,
        { status: 'active', content: { ...visible, whatMatters: 'Sparat i JSON' } },
        { 'if-match': String(seen.headers.etag) },
      );
      assert.equal(viaJson.statusCode, 200, viaJson.body);
      assert.equal((await stored()).whatMatters, 'Sparat i JSON');
      assert.deepEqual(
        (await stored()).activities.find((a) => a.id === hidden.id),
        hidden,
        'kept by the JSON save',
      );

      const read = await nurse.get(`/fhir/CarePlan/${contractId}`);
      const carePlan = read.json<{ meta?: { security?: { code: string }[] } }>();
      assert.ok(!read.body.includes(hidden.what), 'the FHIR read leaves it out');
      assert.equal(carePlan.meta?.security?.[0]?.code, 'REDACTED');
      const viaFhir = await nurse.send(
        'PUT',
        `/fhir/CarePlan/${contractId}`,
        { ...carePlan, description: 'Sparat i FHIR' },
        { 'content-type': 'application/fhir+json', 'if-match': String(read.headers.etag) },
      );
      assert.equal(viaFhir.statusCode, 200, viaFhir.body);
      assert.equal((await stored()).whatMatters, 'Sparat i FHIR');
      assert.deepEqual(
        (await stored()).activities.find((a) => a.id === hidden.id),
        hidden,
        'kept by the FHIR save',
      );
    });
  });
}
