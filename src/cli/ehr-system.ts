/**
 * `npm run ehr-system -- <command>`: the region's registry of journal systems whose SMART launch
 * Patientkontrakt follows (docs/fhir.md, "Opening the plan from a journal system"). Run by a
 * systemförvaltare, named by HSA-id with --by (it must hold that role in the directory).
 *
 *   list
 *   add --by <hsa-id> --id <id> --name <name> --iss <fhir base> --client-id <id>
 *       [--client-auth none|client_secret_basic|private_key_jwt] [--secret-ref <REF>] [--key-id <kid>]
 *   disable --by <hsa-id> --id <id>
 *   enable --by <hsa-id> --id <id>
 *
 * The secret is never given here: --secret-ref REF names the environment variable SMART_SECRET_REF
 * of the server, which holds the client secret (client_secret_basic) or the PKCS#8 PEM private
 * key (private_key_jwt).
 */
import { parseArgs } from 'node:util';
import { createEhrSystemService } from '../services/ehr-system-service.ts';
import { createDirectoryStore } from '../store/directory-store.ts';
import type { EhrClientAuth } from '../store/ehr-system-store.ts';
import { createEhrSystemStore } from '../store/ehr-system-store.ts';
import { reportDomainError, requiredOption, withMigratedDb } from './cli-run.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    by: { type: 'string' },
    id: { type: 'string' },
    name: { type: 'string' },
    iss: { type: 'string' },
    'client-id': { type: 'string' },
    'client-auth': { type: 'string', default: 'none' },
    'secret-ref': { type: 'string' },
    'key-id': { type: 'string' },
  },
});

const required = (name: keyof typeof values): string => requiredOption(values, name);

try {
  await withMigratedDb(async (db, config) => {
    const service = createEhrSystemService({
      systems: createEhrSystemStore(db),
      directory: createDirectoryStore(db),
    });
    const command = positionals[0] ?? 'list';
    if (command === 'list') {
      for (const s of await service.list()) {
        console.log(
          `${s.active ? 'aktiv  ' : 'avstängd'} ${s.id}\t${s.name}\t${s.iss}\tklient ${s.clientId} (${s.clientAuth}${
            s.secretRef ? `, SMART_SECRET_${s.secretRef}` : ''
          })`,
        );
      }
    } else if (command === 'add') {
      const system = await service.register(
        {
          id: required('id'),
          name: required('name'),
          iss: required('iss'),
          clientId: required('client-id'),
          clientAuth: required('client-auth') as EhrClientAuth,
          secretRef: values['secret-ref'],
          keyId: values['key-id'],
        },
        required('by'),
      );
      console.log(`Registrerat: ${system.id} (${system.name}), iss ${system.iss}.`);
      if (!config.smartLaunch.redirectUri) {
        console.warn(
          'Obs: varken SMART_LAUNCH_REDIRECT_URI eller PUBLIC_BASE_URL är satt, så start är avstängd.',
        );
      } else {
        console.log(
          `Registrera omdirigeringsadressen ${config.smartLaunch.redirectUri} hos journalsystemet.`,
        );
      }
    } else if (command === 'disable' || command === 'enable') {
      await service.setActive(required('id'), command === 'enable', required('by'));
      console.log(`${values.id}: ${command === 'enable' ? 'aktiverat' : 'avstängt'}.`);
    } else {
      console.error(`Okänt kommando ${command}: list, add, disable eller enable.`);
      process.exitCode = 2;
    }
  });
} catch (error) {
  reportDomainError(error);
}
