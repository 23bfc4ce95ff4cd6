/**
 * The register of SMART clients (`smart_client`, docs/fhir.md "Registering a client"), kept by a
 * systemförvaltare: which system integrations may call /fhir for which care provider, with what
 * scopes at most, from which browser origins. Used by `npm run smart-client`.
 */
import { SYSTEM_ADMIN_ROLE } from '../domain/access.ts';
import { DomainError } from '../domain/errors.ts';
import { checkRegistration, type SmartClient, type SmartClientRegistration } from '../domain/smart-client.ts';
import type { DirectoryStore } from '../store/directory-store.ts';
import type { SmartClientStore } from '../store/smart-client-store.ts';

export interface SmartClientServiceDeps {
  clients: SmartClientStore;
  directory: Pick<DirectoryStore, 'unitsOfStaff'>;
}

export function createSmartClientService(deps: SmartClientServiceDeps) {
  /** Only a systemförvaltare (at any of their units) keeps the register. */
  async function requireSystemAdmin(hsaId: string): Promise<void> {
    const units = await deps.directory.unitsOfStaff(hsaId);
    if (!units.some((u) => u.role === SYSTEM_ADMIN_ROLE)) {
      throw new DomainError('forbidden', `${hsaId} är inte systemförvaltare i Patientkontrakt.`);
    }
  }

  return {
    list: (): Promise<SmartClient[]> => deps.clients.list(),

    /** Registers a client, or replaces its registration (active again); the client as stored. */
    async register(input: SmartClientRegistration, byHsaId: string): Promise<SmartClient> {
      await requireSystemAdmin(byHsaId);
      const client = checkRegistration(input);
      if (!(await deps.clients.register(client, byHsaId))) {
        throw new DomainError('invalid_input', `Vårdgivaren ${client.providerId} finns inte i katalogen.`, [
          { path: 'providerId', message: 'Okänd vårdgivare.' },
        ]);
      }
      return (await deps.clients.find(client.clientId))!;
    },

    /** Ends a client's access: its tokens are refused from the next request. */
    async deactivate(clientId: string, byHsaId: string): Promise<void> {
      await requireSystemAdmin(byHsaId);
      if (!(await deps.clients.deactivate(clientId))) {
        throw new DomainError('not_found', `Klienten ${clientId} är inte registrerad.`);
      }
    },
  };
}

export type SmartClientService = ReturnType<typeof createSmartClientService>;
