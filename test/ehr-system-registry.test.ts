/**
 * The region's registry of journal systems (services/ehr-system-service.ts, `npm run ehr-system`)
 * on both engines: only a systemförvaltare keeps it; a registration names an https FHIR base
 * (http only on the own machine), once; the secret stays in the environment; a journal system
 * switched off is no longer found for a launch.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../src/domain/errors.ts';
import { createEhrSystemService, type EhrSystemRegistration } from '../src/services/ehr-system-service.ts';
import type { Db } from '../src/store/db.ts';
import { createDirectoryStore } from '../src/store/directory-store.ts';
import { createEhrSystemStore } from '../src/store/ehr-system-store.ts';
import { testEngines } from './helpers/engines.ts';
import { makeProvider, makeStaff, makeUnit } from './helpers/factories.ts';

const refusedAt = (path: string) => (error: unknown) =>
  error instanceof DomainError &&
  error.code === 'invalid_input' &&
  error.details.some((d) => d.path === path);

for (const engine of testEngines) {
  describe(`the registry of journal systems on ${engine.name}`, () => {
    let db: Db;
    let admin: string;
    let nurse: string;
    let service: ReturnType<typeof createEhrSystemService>;
    const systems = () => createEhrSystemStore(db);
    const cosmic: EhrSystemRegistration = {
      id: 'cosmic',
      name: 'Cosmic',
      iss: 'https://cosmic.example.se/fhir/r4/',
      clientId: 'patientkontrakt',
      clientAuth: 'client_secret_basic',
      secretRef: 'COSMIC',
    };

    before(async () => {
      db = await engine.open();
      const unit = await makeUnit(db, await makeProvider(db));
      admin = await makeStaff(db, unit);
      await db.query(`update staff_unit set role = 'systemforvaltare' where staff_id = $1`, [admin]);
      nurse = await makeStaff(db, unit);
      service = createEhrSystemService({ systems: systems(), directory: createDirectoryStore(db) });
    });
    after(async () => {
      await db?.close();
    });

    it('registers a journal system by a systemförvaltare, its FHIR base in one form', async () => {
      const saved = await service.register(cosmic, admin);
      assert.equal(saved.iss, 'https://cosmic.example.se/fhir/r4');
      assert.equal(saved.createdBy, admin);
      assert.equal((await systems().findActiveByIss('https://cosmic.example.se/fhir/r4'))?.id, 'cosmic');
    });

    it('refuses anyone else', async () => {
      await assert.rejects(
        service.register({ ...cosmic, id: 'other' }, nurse),
        (e) => e instanceof DomainError && e.code === 'forbidden',
      );
      await assert.rejects(
        service.setActive('cosmic', false, nurse),
        (e) => e instanceof DomainError && e.code === 'forbidden',
      );
    });

    it('refuses plain http off the own machine, a second registration of one base, and a bad secret reference', async () => {
      await assert.rejects(
        service.register({ ...cosmic, id: 'plain', iss: 'http://ehr.example.se/fhir' }, admin),
        refusedAt('/iss'),
      );
      await assert.rejects(service.register({ ...cosmic, id: 'twice' }, admin), refusedAt('/iss'));
      await assert.rejects(
        service.register(
          { ...cosmic, id: 'nosecret', iss: 'https://b.example.se/fhir', secretRef: undefined },
          admin,
        ),
        refusedAt('/secretRef'),
      );
      await assert.rejects(
        service.register(
          { ...cosmic, id: 'public', iss: 'https://c.example.se/fhir', clientAuth: 'none' },
          admin,
        ),
        refusedAt('/secretRef'),
      );
      await assert.rejects(
        service.register({ ...cosmic, id: 'Bad Id', iss: 'https://d.example.se/fhir' }, admin),
        refusedAt('/id'),
      );
      const local = await service.register(
        { ...cosmic, id: 'local', iss: 'http://127.0.0.1:8080/fhir' },
        admin,
      );
      assert.equal(local.iss, 'http://127.0.0.1:8080/fhir');
    });

    it('finds a switched-off journal system no more, and again once switched on', async () => {
      await service.setActive('cosmic', false, admin);
      assert.equal(await systems().findActiveByIss('https://cosmic.example.se/fhir/r4'), null);
      await service.setActive('cosmic', true, admin);
      assert.ok(await systems().findActiveByIss('https://cosmic.example.se/fhir/r4'));
      await assert.rejects(
        service.setActive('nosuch', true, admin),
        (e) => e instanceof DomainError && e.code === 'not_found',
      );
    });
  });
}
