/** Registered SMART clients (migration 023) and the directory facts a token's user is read with. */
import type { StaffActor } from '../domain/actor.ts';
import type { SmartClient, SmartClientRegistration } from '../domain/smart-client.ts';
import type { RegistryChangeBy } from './admin-change-store.ts';
import type { Queryable } from './db.ts';

const columns = `client_id as "clientId", name, provider_id as "providerId", scopes,
  cors_origins as "corsOrigins", subscription_endpoints as "subscriptionEndpoints", active as "isActive"`;

/** A member of staff's place at one unit that has not ended, as a token's user acts from it. */
export type StaffPlace = Pick<
  StaffActor,
  'staffId' | 'name' | 'profession' | 'unitId' | 'providerId' | 'role'
>;

/** The places of an active member of staff `$2` that have not ended, with their role at each. */
const placesSql = `select s.id as "staffId", s.given_name || ' ' || s.family_name as name, s.profession,
    su.unit_id as "unitId", u.provider_id as "providerId", su.role
  from staff s join staff_unit su on su.staff_id = s.id and su.ended_at is null
    join care_unit u on u.id = su.unit_id
  where s.id = $2::text and s.is_active and u.ended_at is null`;

export function createSmartClientStore(db: Queryable) {
  return {
    async find(clientId: string): Promise<SmartClient | null> {
      const rows = await db.query<SmartClient>(`select ${columns} from smart_client where client_id = $1`, [
        clientId,
      ]);
      return rows[0] ?? null;
    },

    async list(): Promise<SmartClient[]> {
      return db.query<SmartClient>(`select ${columns} from smart_client order by client_id limit 1000`);
    },

    /** Is there a care provider with this HSA-id (a client acts for one)? */
    async providerExists(providerId: string): Promise<boolean> {
      const rows = await db.query<{ n: number }>('select 1 as n from care_provider where id = $1', [
        providerId,
      ]);
      return rows.length > 0;
    },

    /** Is `origin` one of an active client's registered CORS origins? */
    async isRegisteredOrigin(origin: string): Promise<boolean> {
      const rows = await db.query<{ n: number }>(
        `select 1 as n from smart_client where active and cors_origins @> array[$1::text] limit 1`,
        [origin],
      );
      return rows.length > 0;
    },

    /**
     * Registers a client, or replaces its registration (and makes it active), recorded in
     * `admin_change` by the same statement; null: unknown provider. `isNew`: it was not registered.
     */
    async register(
      client: SmartClientRegistration,
      by: RegistryChangeBy,
    ): Promise<{ isNew: boolean } | null> {
      const rows = await db.query<{ isNew: boolean }>(
        `with saved as (
           insert into smart_client (client_id, name, provider_id, scopes, cors_origins, subscription_endpoints, created_by)
           select $1, $2, $3, $4::text[], $5::text[], $6::text[], $7
           where exists (select 1 from care_provider where id = $3)
           on conflict (client_id) do update set name = excluded.name, provider_id = excluded.provider_id,
             scopes = excluded.scopes, cors_origins = excluded.cors_origins,
             subscription_endpoints = excluded.subscription_endpoints, active = true, updated_at = now()
           returning client_id, xmax = 0 as is_new
         ), logged as (
           insert into admin_change (registry, subject, change, by_id, request_id)
           select 'smart-client', client_id, case when is_new then 'registered' else 'changed' end, $7, $8 from saved
         )
         select is_new as "isNew" from saved`,
        [
          client.clientId,
          client.name,
          client.providerId,
          client.scopes,
          client.corsOrigins,
          client.subscriptionEndpoints,
          by.hsaId,
          by.requestId ?? null,
        ],
      );
      return rows[0] ?? null;
    },

    /**
     * Ends a client's access at once (its tokens are refused from the next request), recorded in
     * `admin_change` by the same statement; false when it is not registered.
     */
    async deactivate(clientId: string, by: RegistryChangeBy): Promise<boolean> {
      const rows = await db.query<{ n: number }>(
        `with changed as (
           update smart_client set active = false, updated_at = now() where client_id = $1 returning client_id
         ), logged as (
           insert into admin_change (registry, subject, change, by_id, request_id)
           select 'smart-client', client_id, 'deactivated', $2, $3 from changed
         )
         select 1 as n from changed`,
        [clientId, by.hsaId, by.requestId ?? null],
      );
      return rows.length > 0;
    },

    /**
     * What a token's request needs, in one round trip: the registration of `clientId` (null when
     * none) and, for a user's token, the places of `staffId`.
     */
    async tokenFacts(
      clientId: string,
      staffId: string | null,
    ): Promise<{ client: SmartClient | null; places: StaffPlace[] }> {
      const rows = await db.query<{ client: SmartClient | null; places: StaffPlace[] }>(
        `select
           (select row_to_json(c) from (select ${columns} from smart_client where client_id = $1) c) as client,
           coalesce((select json_agg(x order by x."unitId") from (${placesSql}) x), '[]') as places`,
        [clientId, staffId],
      );
      return rows[0]!;
    },
  };
}

export type SmartClientStore = ReturnType<typeof createSmartClientStore>;
