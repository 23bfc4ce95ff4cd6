import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DomainError } from '../domain/errors.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makePatient, makeStaff, makeWorld } from '../../test/helpers/factories.ts';
import type { Db } from './db.ts';
import { createCareContactStore } from './care-contact-store.ts';
import { createNotificationStore } from './notification-store.ts';

const today = '2026-11-23';

for (const engine of testEngines) {
  describe(`care contacts on ${engine.name}`, () => {
    let db: Db;
    before(async () => {
      db = await engine.open();
    });
    after(async () => {
      await db.close();
    });

    it('leaves exactly one active fast vårdkontakt after 50 concurrent assignments', async () => {
      const w = await makeWorld(db);
      const store = createCareContactStore(db);
      const nurses = await Promise.all(Array.from({ length: 50 }, () => makeStaff(db, w.unitId)));
      const results = await Promise.allSettled(
        nurses.map((staffId) =>
          store.assign(
            w.patientId,
            { role: 'fast-vardkontakt', staffId, unitId: w.unitId, reason: 'behov' },
            w.nurse,
            today,
          ),
        ),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(won.length, 1);
      assert.equal(lost.length, 49);
      for (const r of lost) assert.equal((r.reason as DomainError).code, 'fast_vardkontakt_exists');
      const active = await db.query(
        `select 1 from care_contact where patient_id = $1 and role = 'fast-vardkontakt' and status = 'active'`,
        [w.patientId],
      );
      assert.equal(active.length, 1);
    });

    it('refuses a second fast vårdkontakt with a clear conflict', async () => {
      const w = await makeWorld(db);
      const store = createCareContactStore(db);
      await store.assign(
        w.patientId,
        { role: 'fast-vardkontakt', staffId: w.nurseId, unitId: w.unitId, reason: 'behov' },
        w.nurse,
        today,
      );
      await assert.rejects(
        store.assign(
          w.patientId,
          { role: 'fast-vardkontakt', staffId: w.doctorId, unitId: w.otherUnitId, reason: 'behov' },
          w.nurse,
          today,
        ),
        (e: DomainError) =>
          e.code === 'fast_vardkontakt_exists' && /redan en fast vårdkontakt/.test(e.message),
      );
    });

    it('changes the fast vårdkontakt by ending the old one in the same transaction', async () => {
      const w = await makeWorld(db);
      const store = createCareContactStore(db);
      const first = await store.assign(
        w.patientId,
        { role: 'fast-vardkontakt', staffId: w.nurseId, unitId: w.unitId, reason: 'behov' },
        w.nurse,
        today,
      );
      const second = await store.assign(
        w.patientId,
        {
          role: 'fast-vardkontakt',
          staffId: w.doctorId,
          unitId: w.otherUnitId,
          reason: 'patientens-begaran',
          replaces: { id: first.contact.id, version: first.contact.version },
        },
        w.nurse,
        today,
      );
      const all = await store.listForPatient(w.patientId, { includeEnded: true });
      assert.deepEqual(
        all.map((c) => [c.staffId, c.status]),
        [
          [second.contact.staffId, 'active'],
          [w.nurseId, 'ended'],
        ],
      );
    });

    it('accepts any profession as fast vårdkontakt, also administrative staff', async () => {
      const w = await makeWorld(db);
      const admin = await makeStaff(db, w.unitId, 'administrator');
      const store = createCareContactStore(db);
      const { contact } = await store.assign(
        w.patientId,
        { role: 'fast-vardkontakt', staffId: admin, unitId: w.unitId, reason: 'behov' },
        w.nurse,
        today,
      );
      assert.equal(contact.staffProfession, 'administrator');
    });

    it('requires a physician as fast läkarkontakt', async () => {
      const w = await makeWorld(db);
      const store = createCareContactStore(db);
      await assert.rejects(
        store.assign(
          w.patientId,
          { role: 'fast-lakarkontakt', staffId: w.nurseId, unitId: w.unitId },
          w.nurse,
          today,
        ),
        (e: DomainError) => e.code === 'not_a_physician',
      );
      const { contact } = await store.assign(
        w.patientId,
        { role: 'fast-lakarkontakt', staffId: w.doctorId, unitId: w.otherUnitId },
        w.nurse,
        today,
      );
      assert.equal(contact.role, 'fast-lakarkontakt');
    });

    it('records a declined offer without taking the place of a fast vårdkontakt', async () => {
      const w = await makeWorld(db);
      const store = createCareContactStore(db);
      await store.assign(
        w.patientId,
        { role: 'fast-vardkontakt', staffId: w.nurseId, unitId: w.unitId, status: 'declined' },
        w.nurse,
        today,
      );
      const { contact } = await store.assign(
        w.patientId,
        { role: 'fast-vardkontakt', staffId: w.nurseId, unitId: w.unitId, reason: 'behov' },
        w.nurse,
        today,
      );
      assert.equal(contact.status, 'active');
    });

    it('keeps several treating roles per patient', async () => {
      const w = await makeWorld(db);
      const store = createCareContactStore(db);
      for (const title of ['Diabetessjuksköterska', 'Hjärtsviktssjuksköterska']) {
        await store.assign(
          w.patientId,
          { role: 'behandlande-roll', roleTitle: title, staffId: w.nurseId, unitId: w.unitId },
          w.nurse,
          today,
        );
      }
      assert.equal((await store.listForPatient(w.patientId)).length, 2);
    });

    it('refuses a stale version when ending a contact and changes nothing', async () => {
      const w = await makeWorld(db);
      const store = createCareContactStore(db);
      const { contact } = await store.assign(
        w.patientId,
        { role: 'fast-vardkontakt', staffId: w.nurseId, unitId: w.unitId, reason: 'behov' },
        w.nurse,
        today,
      );
      await store.update(w.patientId, contact.id, contact.version, { phone: '010-999' }, w.nurse);
      await assert.rejects(
        store.update(
          w.patientId,
          contact.id,
          contact.version,
          { end: { date: today, reason: 'Flyttat' } },
          w.nurse,
        ),
        (e: DomainError) => e.code === 'version_conflict',
      );
      const now = await store.find(w.patientId, contact.id);
      assert.equal(now?.status, 'active');
      assert.equal(now?.phone, '010-999');
    });

    it('notifies the fast vårdkontakt when someone else changes the fixed contacts', async () => {
      const w = await makeWorld(db);
      const store = createCareContactStore(db);
      await store.assign(
        w.patientId,
        { role: 'fast-vardkontakt', staffId: w.nurseId, unitId: w.unitId, reason: 'behov' },
        w.nurse,
        today,
      );
      const before = await createNotificationStore(db).countUnread(w.nurseId);
      await store.assign(
        w.patientId,
        { role: 'fast-lakarkontakt', staffId: w.doctorId, unitId: w.otherUnitId },
        w.doctor,
        today,
      );
      assert.equal(await createNotificationStore(db).countUnread(w.nurseId), before + 1);
    });

    it('refuses an unknown unit and writes nothing', async () => {
      const w = await makeWorld(db);
      const p = await makePatient(db);
      const store = createCareContactStore(db);
      await assert.rejects(
        store.assign(p, { role: 'behandlande-roll', staffId: w.nurseId, unitId: 'SE-OKAND' }, w.nurse, today),
        (e: DomainError) => e.code === 'unknown_unit',
      );
      assert.equal((await store.listForPatient(p, { includeEnded: true })).length, 0);
    });

    it('keeps an overwritten review date, phone and hours in the history with who changed them', async () => {
      const w = await makeWorld(db);
      const store = createCareContactStore(db);
      const { contact } = await store.assign(
        w.patientId,
        {
          role: 'fast-vardkontakt',
          staffId: w.nurseId,
          unitId: w.unitId,
          reason: 'behov',
          reviewDate: '2027-01-15',
          phone: '010-111 11 11',
          reachable: [{ weekday: 1, from: '08:00', to: '09:00' }],
        },
        w.nurse,
        today,
      );
      await store.update(
        w.patientId,
        contact.id,
        contact.version,
        { reviewDate: '2027-06-30', phone: '010-222 22 22', reachable: [] },
        w.doctor,
      );
      const [changed, appointed] = await store.listHistory(w.patientId, { limit: 10 });
      assert.equal(appointed?.action, 'appointed');
      assert.equal(appointed?.before, null);
      assert.equal(changed?.action, 'changed');
      assert.equal(changed?.actor.id, w.doctorId);
      assert.equal(changed?.actor.unitId, w.doctor.unitId);
      assert.deepEqual(
        [changed?.before?.reviewDate, changed?.before?.phone, changed?.before?.reachable.length],
        ['2027-01-15', '010-111 11 11', 1],
      );
      assert.deepEqual([changed?.after.reviewDate, changed?.after.phone], ['2027-06-30', '010-222 22 22']);
      assert.deepEqual(changed?.changedFields.sort(), ['phone', 'reachable', 'reviewDate']);
    });

    it('writes no version, history or notification for a change that leaves everything as it was', async () => {
      const w = await makeWorld(db);
      const store = createCareContactStore(db);
      const { contact } = await store.assign(
        w.patientId,
        {
          role: 'fast-vardkontakt',
          staffId: w.nurseId,
          unitId: w.unitId,
          reason: 'behov',
          reviewDate: '2027-01-15',
          reachable: [{ weekday: 2, from: '13:00', to: '14:00' }],
        },
        w.nurse,
        today,
      );
      const unread = await createNotificationStore(db).countUnread(w.nurseId);
      const same = await store.update(
        w.patientId,
        contact.id,
        contact.version,
        { reviewDate: '2027-01-15', reachable: [{ to: '14:00', from: '13:00', weekday: 2 }], phone: null },
        w.doctor,
      );
      assert.equal(same.event, null);
      assert.equal(same.contact.version, contact.version);
      assert.equal((await store.listHistory(w.patientId, { limit: 10 })).length, 1);
      assert.equal(await createNotificationStore(db).countUnread(w.nurseId), unread);
      await assert.rejects(
        store.update(w.patientId, contact.id, contact.version - 1, { reviewDate: '2027-01-15' }, w.doctor),
        (e: DomainError) => e.code === 'version_conflict',
      );
    });

    it('records a change of holder as the old contact ended and the new one appointed', async () => {
      const w = await makeWorld(db);
      const store = createCareContactStore(db);
      const other = await makeStaff(db, w.unitId);
      const { contact: old } = await store.assign(
        w.patientId,
        { role: 'fast-vardkontakt', staffId: w.nurseId, unitId: w.unitId, reason: 'behov' },
        w.nurse,
        today,
      );
      await store.assign(
        w.patientId,
        {
          role: 'fast-vardkontakt',
          staffId: other,
          unitId: w.unitId,
          reason: 'behov',
          replaces: { id: old.id, version: old.version },
        },
        w.nurse,
        today,
      );
      const history = await store.listHistory(w.patientId, { limit: 10 });
      assert.deepEqual(
        history.map((e) => [e.action, e.before?.status ?? null, e.after.status, e.after.staffId]),
        [
          ['appointed', null, 'active', other],
          ['replaced', 'active', 'ended', w.nurseId],
          ['appointed', null, 'active', w.nurseId],
        ],
      );
      const [newest, ...rest] = history;
      const older = await store.listHistory(w.patientId, { limit: 10, before: newest!.seq });
      assert.deepEqual(older, rest);
    });
  });
}
