/** The register of SMART clients: kept by a systemförvaltare only, checked field by field. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testEngines } from '../../test/helpers/engines.ts';
import { makeWorld } from '../../test/helpers/factories.ts';
import { isInvalidInput } from '../../test/helpers/domain-fixtures.ts';
import { DomainError } from '../domain/errors.ts';
import type { Db } from '../store/db.ts';
import { createDirectoryStore } from '../store/directory-store.ts';
import { createSmartClientStore } from '../store/smart-client-store.ts';
import { createSmartClientService, type SmartClientService } from './smart-client-service.ts';

for (const engine of testEngines) {
  describe(`the SMART client register on ${engine.name}`, () => {
    let db: Db;
    let service: SmartClientService;
    before(async () => {
      db = await engine.open();
      service = createSmartClientService({
        clients: createSmartClientStore(db),
        directory: createDirectoryStore(db),
      });
    });
    after(() => db.close());

    const admin = async () => {
      const w = await makeWorld(db);
      await db.query(`update staff_unit set role = 'systemforvaltare' where staff_id = $1`, [w.nurseId]);
      return w;
    };
    const registration = (providerId: string) => ({
      clientId: `journal-${providerId}`,
      name: ' Journal X ',
      providerId,
      scopes: ['system/*.rs'],
      corsOrigins: ['https://app.journal.test'],
      subscriptionEndpoints: ['https://journal.test/hook'],
    });

    it('registers a client for a systemförvaltare, lists it, and deactivates it', async () => {
      const w = await admin();
      const client = await service.register(registration(w.providerId), w.nurseId);
      assert.equal(client.name, 'Journal X');
      assert.equal(client.isActive, true);
      assert.ok((await service.list()).some((c) => c.clientId === client.clientId));
      assert.equal(await createSmartClientStore(db).isRegisteredOrigin('https://app.journal.test'), true);
      await service.deactivate(client.clientId, w.nurseId);
      assert.equal((await createSmartClientStore(db).find(client.clientId))?.isActive, false);
      assert.equal(await createSmartClientStore(db).isRegisteredOrigin('https://app.journal.test'), false);
    });

    it('refuses anyone but a systemförvaltare', async () => {
      const w = await makeWorld(db);
      await assert.rejects(
        service.register(registration(w.providerId), w.nurseId),
        (e: unknown) => e instanceof DomainError && e.code === 'forbidden',
      );
    });

    it('refuses a scope, an origin or an endpoint it cannot honour, and an unknown provider', async () => {
      const w = await admin();
      const base = registration(w.providerId);
      await assert.rejects(
        service.register({ ...base, scopes: ['system/*.everything'] }, w.nurseId),
        isInvalidInput('scopes'),
      );
      for (const origin of ['https://app.test/path', 'http://app.test', '*', 'https://app.test:443'])
        await assert.rejects(
          service.register({ ...base, corsOrigins: [origin] }, w.nurseId),
          isInvalidInput('corsOrigins'),
          origin,
        );
      await assert.rejects(
        service.register({ ...base, subscriptionEndpoints: ['http://journal.test/hook'] }, w.nurseId),
        isInvalidInput('subscriptionEndpoints'),
      );
      await assert.rejects(
        service.register({ ...base, providerId: 'SE-NO-SUCH' }, w.nurseId),
        isInvalidInput('providerId'),
      );
    });
  });
}
