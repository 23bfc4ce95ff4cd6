/**
 * The region's registry of journal systems (`ehr_system`): the journal systems whose SMART launch
 * Patientkontrakt follows, and how it is registered as a client at each one's authorization server.
 */
import type { EhrClientAuth, EhrSystem } from '../domain/ehr-launch.ts';
import type { RegistryChangeBy } from './admin-change-store.ts';
import type { Queryable } from './db.ts';

export type { EhrClientAuth, EhrSystem };

export type EhrSystemInput = Pick<
  EhrSystem,
  'id' | 'name' | 'iss' | 'clientId' | 'clientAuth' | 'secretRef' | 'keyId'
>;

const columns = `id, name, iss, client_id as "clientId", client_auth as "clientAuth", secret_ref as "secretRef",
  key_id as "keyId", active, created_by as "createdBy", created_at as "createdAt", updated_at as "updatedAt"`;

export function createEhrSystemStore(db: Queryable) {
  return {
    /** The active journal system with this FHIR base URL, or null. */
    async findActiveByIss(iss: string): Promise<EhrSystem | null> {
      const rows = await db.query<EhrSystem>(`select ${columns} from ehr_system where iss = $1 and active`, [
        iss,
      ]);
      return rows[0] ?? null;
    },

    async findById(id: string): Promise<EhrSystem | null> {
      const rows = await db.query<EhrSystem>(`select ${columns} from ehr_system where id = $1`, [id]);
      return rows[0] ?? null;
    },

    /** Every registered journal system (a region has a handful), by name. */
    async list(): Promise<EhrSystem[]> {
      return db.query<EhrSystem>(`select ${columns} from ehr_system order by name, id`);
    },

    /**
     * Registers a journal system, or changes the registration with the same id: made active
     * again unless `keepActive` (the web page's change keeps a switched-off one off). The change
     * is recorded in `admin_change` by the same statement.
     */
    async upsert(
      system: EhrSystemInput,
      by: RegistryChangeBy,
      options: { keepActive?: boolean } = {},
    ): Promise<EhrSystem & { isNew: boolean }> {
      const rows = await db.query<EhrSystem & { isNew: boolean }>(
        `with saved as (
           insert into ehr_system (id, name, iss, client_id, client_auth, secret_ref, key_id, created_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8)
           on conflict (id) do update set name = excluded.name, iss = excluded.iss, client_id = excluded.client_id,
             client_auth = excluded.client_auth, secret_ref = excluded.secret_ref, key_id = excluded.key_id,
             active = ehr_system.active or not $10::boolean, updated_at = now()
           returning *, xmax = 0 as is_new
         ), logged as (
           insert into admin_change (registry, subject, change, by_id, request_id)
           select 'ehr-system', id, case when is_new then 'registered' else 'changed' end, $8, $9 from saved
         )
         select ${columns}, is_new as "isNew" from saved`,
        [
          system.id,
          system.name,
          system.iss,
          system.clientId,
          system.clientAuth,
          system.secretRef,
          system.keyId,
          by.hsaId,
          by.requestId ?? null,
          options.keepActive ?? false,
        ],
      );
      return rows[0]!;
    },

    /**
     * Turns a registration on or off, recorded in `admin_change` by the same statement; false when
     * there is none with this id.
     */
    async setActive(id: string, active: boolean, by: RegistryChangeBy): Promise<boolean> {
      const rows = await db.query<{ id: string }>(
        `with changed as (
           update ehr_system set active = $2, updated_at = now() where id = $1 returning id
         ), logged as (
           insert into admin_change (registry, subject, change, by_id, request_id)
           select 'ehr-system', id, case when $2::boolean then 'enabled' else 'disabled' end, $3, $4 from changed
         )
         select id from changed`,
        [id, active, by.hsaId, by.requestId ?? null],
      );
      return rows.length === 1;
    },

    /** The registration whose FHIR base URL is `iss` (another id), for a clear refusal of a duplicate. */
    async findOtherWithIss(iss: string, id: string): Promise<EhrSystem | null> {
      const rows = await db.query<EhrSystem>(
        `select ${columns} from ehr_system where iss = $1 and id <> $2`,
        [iss, id],
      );
      return rows[0] ?? null;
    },
  };
}

export type EhrSystemStore = ReturnType<typeof createEhrSystemStore>;
