import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../domain/actor.ts';
import type { ContractContent } from '../domain/contract.ts';
import type { DomainError } from '../domain/errors.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makeWorld, sampleContent } from '../../test/helpers/factories.ts';
import { contextAs, servicesOn } from '../../test/helpers/services.ts';
import { createCareContactStore } from './care-contact-store.ts';
import { createContractStore } from './contract-store.ts';
import type { Db } from './db.ts';
import { createOverviewStore } from './overview-store.ts';

/** A first version as the contract service hands it to the store. */
function firstVersion(content: ContractContent, actor: Actor) {
  return {
    status: 'active' as const,
    content,
    actor,
    changes: [],
    event: { patientId: '', kind: 'contract-created' as const, actor, summary: 'Upprättade patientkontrakt' },
  };
}

for (const engine of testEngines) {
  describe(`contracts on ${engine.name}`, () => {
    let db: Db;
    before(async () => {
      db = await engine.open();
    });
    after(async () => {
      await db.close();
    });

    it('refuses a second current contract of a patient, also when both are written at once', async () => {
      const w = await makeWorld(db);
      const store = createContractStore(db);
      const write = () =>
        store.insert(w.patientId, {
          ...firstVersion(sampleContent(w.unitId), w.nurse),
          event: { ...firstVersion(sampleContent(w.unitId), w.nurse).event, patientId: w.patientId },
        });
      const results = await Promise.allSettled([write(), write(), write()]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results)
        if (r.status === 'rejected') assert.equal((r.reason as DomainError).code, 'contract_exists');
      assert.equal((await store.listForPatient(w.patientId)).length, 1);
    });

    it('writes a version only while the contract is still at the version read, once among concurrent writers', async () => {
      const w = await makeWorld(db);
      const store = createContractStore(db);
      const first = firstVersion(sampleContent(w.unitId), w.nurse);
      const { contract } = await store.insert(w.patientId, {
        ...first,
        event: { ...first.event, patientId: w.patientId },
      });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.writeVersion(
            contract,
            {
              status: 'active',
              content: sampleContent(w.unitId, { whatMatters: `Version ${i}` }),
              actor: w.nurse,
              changes: [{ part: 'whatMatters', kind: 'changed' }],
              event: {
                patientId: w.patientId,
                contractId: contract.id,
                kind: 'contract-changed',
                actor: w.nurse,
                summary: 'Ändrade vad som är viktigt',
              },
            },
            { units: [w.unitId], staff: [] },
            [],
          ),
        ),
      );
      assert.equal(results.filter((r) => r !== null).length, 1);
      assert.equal((await store.findCurrent(w.patientId))?.version, 2);
      assert.equal((await store.listVersions(contract.id)).length, 2);
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
      await servicesOn(db).contracts.create(contextAs(w.nurse), w.patientId, () => ({
        status: 'active',
        content,
      }));
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
