/**
 * The services as `buildApp` wires them, on a test database, for tests of a use case without
 * HTTP: the real access service (decided and logged), stores and change feed.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../src/domain/actor.ts';
import { createAccessService, type RequestContext } from '../../src/services/access-service.ts';
import { DEVELOPMENT_AUDIT_KEY } from '../../src/services/audit-key.ts';
import { createChangeFeed, type ChangeFeed } from '../../src/services/change-feed.ts';
import { createContractService, type ContractService } from '../../src/services/contract-service.ts';
import { createAccessFactsStore } from '../../src/store/access-facts-store.ts';
import { createAccessLogStore } from '../../src/store/access-log-store.ts';
import { createContractStore } from '../../src/store/contract-store.ts';
import type { Db } from '../../src/store/db.ts';

/** The request context of an actor: every access decision needs one. */
export function contextAs(actor: Actor): RequestContext {
  return { actor, requestId: randomUUID(), route: 'test' };
}

export function servicesOn(db: Db, clock: () => Date = () => new Date()) {
  const access = createAccessService({
    facts: createAccessFactsStore(db),
    log: createAccessLogStore(db, DEVELOPMENT_AUDIT_KEY),
    unitsOfProviders: async (ids) =>
      (
        await db.query<{ id: string }>('select id from care_unit where provider_id = any($1::text[])', [ids])
      ).map((r) => r.id),
    clock,
  });
  const feed: ChangeFeed = createChangeFeed();
  const contracts: ContractService = createContractService({
    contracts: createContractStore(db),
    access,
    feed,
  });
  return { access, feed, contracts };
}

/** Puts `unitId` in a care relationship with the patient, so that staff there may read and write. */
export async function relateUnit(db: Db, patientId: string, unitId: string): Promise<void> {
  await db.query(
    `insert into care_relationship (patient_id, unit_id, start_date, reason, created_by)
     values ($1, $2, '2020-01-01', 'test', 'test')`,
    [patientId, unitId],
  );
}
