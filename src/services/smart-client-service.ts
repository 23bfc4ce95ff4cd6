/**
 * The register of SMART clients (`smart_client`, docs/fhir.md "Registering a client"), kept by a
 * systemförvaltare: which system integrations may call /fhir for which care provider, with what
 * scopes at most, from which browser origins. Used by the Administration page
 * (api/admin-routes.ts) and `npm run smart-client`.
 */
import { DomainError } from '../domain/errors.ts';
import { checkRegistration, type SmartClient, type SmartClientRegistration } from '../domain/smart-client.ts';
import type { DirectoryStore } from '../store/directory-store.ts';
import type { SmartClientStore } from '../store/smart-client-store.ts';
import { adminByOf, requireSystemAdminByHsaId, type AdminBy } from './system-admin.ts';

export interface SmartClientServiceDeps {
  clients: SmartClientStore;
  directory: Pick<DirectoryStore, 'unitsOfStaff'>;
}

export function createSmartClientService(deps: SmartClientServiceDeps) {
  const unknownProvider = (providerId: string) =>
    new DomainError('invalid_input', `Vårdgivaren ${providerId} finns inte i katalogen.`, [
      { path: 'providerId', message: 'Okänd vårdgivare.' },
    ]);

  return {
    list: (): Promise<SmartClient[]> => deps.clients.list(),

    /**
     * Registers a client, or replaces its registration (active again); the client as stored, and
     * whether it is new.
     */
    async register(
      input: SmartClientRegistration,
      by: AdminBy | string,
    ): Promise<SmartClient & { isNew: boolean }> {
      const who = adminByOf(by);
      await requireSystemAdminByHsaId(deps.directory, who.hsaId);
      const client = checkRegistration(input);
      if (!(await deps.clients.providerExists(client.providerId))) throw unknownProvider(client.providerId);
      await who.beforeWrite?.(
        `SMART-klient ${client.clientId} registreras: ${client.name}, vårdgivare ${client.providerId}, scope ${
          client.scopes.join(' ') || '(inga)'
        }`,
      );
      const saved = await deps.clients.register(client, who);
      if (!saved) throw unknownProvider(client.providerId);
      return { ...(await deps.clients.find(client.clientId))!, isNew: saved.isNew };
    },

    /** Ends a client's access: its tokens are refused from the next request. */
    async deactivate(clientId: string, by: AdminBy | string): Promise<void> {
      const who = adminByOf(by);
      await requireSystemAdminByHsaId(deps.directory, who.hsaId);
      const missing = () => new DomainError('not_found', `Klienten ${clientId} är inte registrerad.`);
      if (!(await deps.clients.find(clientId))) throw missing();
      await who.beforeWrite?.(`SMART-klient ${clientId} avregistreras`);
      if (!(await deps.clients.deactivate(clientId, who))) throw missing();
    },
  };
}

export type SmartClientService = ReturnType<typeof createSmartClientService>;
