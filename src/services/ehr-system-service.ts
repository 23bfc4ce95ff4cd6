/**
 * The region's registry of journal systems, kept by a systemförvaltare (the Administration page,
 * api/admin-routes.ts, or `npm run ehr-system`): register or change one, turn one off, list them. A registration says where the journal
 * system's FHIR server is (`iss`, what its launches send) and how Patientkontrakt is registered as
 * a client at its authorization server; the secret itself stays in the environment.
 */
import { normaliseIss } from '../domain/ehr-launch.ts';
import { DomainError } from '../domain/errors.ts';
import type { DirectoryStore } from '../store/directory-store.ts';
import type { EhrClientAuth, EhrSystem, EhrSystemInput, EhrSystemStore } from '../store/ehr-system-store.ts';
import { isLoopbackHttp } from './smart-launch-client.ts';
import { adminByOf, requireSystemAdminByHsaId, type AdminBy } from './system-admin.ts';

export interface EhrSystemRegistration {
  id: string;
  name: string;
  iss: string;
  clientId: string;
  clientAuth: EhrClientAuth;
  secretRef?: string | undefined;
  keyId?: string | undefined;
}

const clientAuths: readonly EhrClientAuth[] = ['none', 'client_secret_basic', 'private_key_jwt'];

export function createEhrSystemService(deps: {
  systems: EhrSystemStore;
  directory: Pick<DirectoryStore, 'unitsOfStaff'>;
}) {
  const invalid = (path: string, message: string) =>
    new DomainError('invalid_input', message, [{ path, message }]);

  /** The registration as stored, or `invalid_input` naming the field that is wrong. */
  async function checked(input: EhrSystemRegistration): Promise<EhrSystemInput> {
    if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(input.id))
      throw invalid('/id', 'Id: 2–63 små bokstäver a–z, siffror och bindestreck.');
    const name = input.name.trim();
    if (name.length === 0 || name.length > 200) throw invalid('/name', 'Namnet ska ha 1–200 tecken.');
    const iss = normaliseIss(input.iss);
    if (iss === null || (new URL(iss).protocol === 'http:' && !isLoopbackHttp(new URL(iss)))) {
      throw invalid(
        '/iss',
        'iss ska vara journalsystemets FHIR-adress med https (http bara på den egna datorn).',
      );
    }
    if (!input.clientId.trim() || input.clientId.length > 400)
      throw invalid('/clientId', 'Klient-id saknas.');
    if (!clientAuths.includes(input.clientAuth))
      throw invalid('/clientAuth', `Klientautentisering: ${clientAuths.join(', ')}.`);
    const secretRef = input.secretRef?.trim() || null;
    if ((input.clientAuth === 'none') !== (secretRef === null)) {
      throw invalid(
        '/secretRef',
        input.clientAuth === 'none'
          ? 'En publik klient (none) har ingen hemlighet.'
          : 'Ange secretRef: namnet X på miljövariabeln SMART_SECRET_X som håller hemligheten eller nyckeln.',
      );
    }
    if (secretRef !== null && !/^[A-Z0-9_]{1,64}$/.test(secretRef))
      throw invalid('/secretRef', 'secretRef: versaler A–Z, siffror och understreck.');
    const other = await deps.systems.findOtherWithIss(iss, input.id);
    if (other) throw invalid('/iss', `Journalsystemet ${other.id} är redan registrerat med den adressen.`);
    return {
      id: input.id,
      name,
      iss,
      clientId: input.clientId.trim(),
      clientAuth: input.clientAuth,
      secretRef,
      keyId: input.keyId?.trim() || null,
    };
  }

  return {
    /**
     * Registers a journal system, or changes the registration with the same id: made active again
     * (the CLI's add), unless `keepActive` (the Administration page's change keeps one off).
     */
    async register(
      input: EhrSystemRegistration,
      by: AdminBy | string,
      options: { keepActive?: boolean } = {},
    ): Promise<EhrSystem & { isNew: boolean }> {
      const who = adminByOf(by);
      await requireSystemAdminByHsaId(deps.directory, who.hsaId);
      const system = await checked(input);
      await who.beforeWrite?.(`journalsystem ${system.id} sparas: ${system.name}, iss ${system.iss}`);
      return deps.systems.upsert(system, who, options);
    },

    /** Turns a registration off (its launches are refused at once) or on again. */
    async setActive(id: string, active: boolean, by: AdminBy | string): Promise<void> {
      const who = adminByOf(by);
      await requireSystemAdminByHsaId(deps.directory, who.hsaId);
      const missing = () => new DomainError('not_found', `Det finns inget journalsystem med id ${id}.`);
      if (!(await deps.systems.findById(id))) throw missing();
      await who.beforeWrite?.(`journalsystem ${id} ${active ? 'på' : 'avstängt'}`);
      if (!(await deps.systems.setActive(id, active, who))) throw missing();
    },

    list: (): Promise<EhrSystem[]> => deps.systems.list(),
  };
}

export type EhrSystemService = ReturnType<typeof createEhrSystemService>;
