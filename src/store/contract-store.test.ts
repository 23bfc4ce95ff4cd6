import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DomainError } from '../domain/errors.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makeWorld, sampleContent } from '../../test/helpers/factories.ts';
import { createCareContactStore } from './care-contact-store.ts';
import { createContractStore } from './contract-store.ts';
import type { Db } from './db.ts';
import { createNotificationStore } from './notification-store.ts';
import { createOverviewStore } from './overview-store.ts';

for (const engine of testEngines) {
  describe(`contracts on ${engine.name}`, () => {
    let db: Db;
    before(async () => {
      db = await engine.open();
    });
    after(async () => {
      await db.close();
    });

    /** A world whose patient has an active contract, drawn up by the nurse. */
    const withActiveContract = async () => {
      const w = await makeWorld(db);
      const store = createContractStore(db);
      const { contract } = await store.create(
        w.patientId,
        { status: 'active', content: sampleContent(w.unitId) },
        w.nurse,
      );
      return { w, store, contract };
    };

    it('keeps one current contract per patient', async () => {
      const w = await makeWorld(db);
      const store = createContractStore(db);
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
      const w = await makeWorld(db);
      const store = createContractStore(db);
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
      const w = await makeWorld(db);
      await createCareContactStore(db).assign(
        w.patientId,
        { role: 'fast-vardkontakt', staffId: w.nurseId, unitId: w.unitId, reason: 'behov' },
        w.nurse,
        '2026-11-23',
      );
      const store = createContractStore(db);
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
      const w = await makeWorld(db);
      await createCareContactStore(db).assign(
        w.patientId,
        { role: 'fast-vardkontakt', staffId: w.nurseId, unitId: w.unitId, reason: 'behov' },
        w.nurse,
        '2026-11-23',
      );
      const store = createContractStore(db);
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
      const w = await makeWorld(db);
      const store = createContractStore(db);
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

    it('reads the whole overview in one query, with the names of every unit and person referred to', async () => {
      const w = await makeWorld(db);
      await createCareContactStore(db).assign(
        w.patientId,
        {
          role: 'fast-vardkontakt',
          staffId: w.nurseId,
          unitId: w.unitId,
          reason: 'behov',
          phone: '010-1',
          reachable: [{ weekday: 1, from: '08:00', to: '10:00' }],
        },
        w.nurse,
        '2026-11-23',
      );
      const content = sampleContent(w.otherUnitId, {
        nextContact: {
          at: '2026-12-01T09:00:00.000Z',
          unitId: w.unitId,
          withStaffId: w.doctorId,
          mode: 'telefon',
          agreement: 'overenskommen',
        },
      });
      await createContractStore(db).create(w.patientId, { status: 'active', content }, w.nurse);
      const overview = await createOverviewStore(db).read(w.patientId);
      assert.ok(overview);
      assert.equal(overview.patient.id, w.patientId);
      assert.equal(overview.contract?.content.nextContact?.mode, 'telefon');
      assert.equal(overview.careContacts[0]?.reachable[0]?.from, '08:00');
      assert.deepEqual(Object.keys(overview.units).sort(), [w.otherUnitId, w.unitId].sort());
      assert.deepEqual(Object.keys(overview.staff), [w.doctorId]);
    });
  });
}
