/**
 * `npm run smart-client -- <command>`: the register of clients that may call our FHIR API with
 * the region's access tokens (docs/fhir.md, "Registering a client"). Run by a systemförvaltare,
 * named by HSA-id with --by (it must hold that role in the directory).
 *
 *   list
 *   register --by <hsa-id> --client-id <id> --name <name> --provider <care provider HSA-id>
 *            [--scope <scope> …] [--origin <https://origin> …] [--endpoint <https://url> …]
 *   deactivate --by <hsa-id> --client-id <id>
 *
 * --client-id is the client's id at the region's authorization server (the `client_id` of its
 * tokens). Registering an existing id replaces its registration and makes it active again.
 */
import { parseArgs } from 'node:util';
import { createSmartClientService } from '../services/smart-client-service.ts';
import { createDirectoryStore } from '../store/directory-store.ts';
import { createSmartClientStore } from '../store/smart-client-store.ts';
import { reportDomainError, requiredOption, withMigratedDb } from './cli-run.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    by: { type: 'string' },
    'client-id': { type: 'string' },
    name: { type: 'string' },
    provider: { type: 'string' },
    scope: { type: 'string', multiple: true, default: [] },
    origin: { type: 'string', multiple: true, default: [] },
    endpoint: { type: 'string', multiple: true, default: [] },
  },
});

const required = (name: 'by' | 'client-id' | 'name' | 'provider'): string => requiredOption(values, name);

try {
  await withMigratedDb(async (db, config) => {
    const service = createSmartClientService({
      clients: createSmartClientStore(db),
      directory: createDirectoryStore(db),
    });
    const command = positionals[0] ?? 'list';
    if (command === 'list') {
      for (const c of await service.list()) {
        console.log(
          `${c.isActive ? 'aktiv      ' : 'avregistrerad'} ${c.clientId}\t${c.name}\tvårdgivare ${c.providerId}\tscope ${
            c.scopes.join(' ') || '(inga)'
          }\tursprung ${c.corsOrigins.join(' ') || '(inga)'}`,
        );
      }
    } else if (command === 'register') {
      const client = await service.register(
        {
          clientId: required('client-id'),
          name: required('name'),
          providerId: required('provider'),
          scopes: values.scope,
          corsOrigins: values.origin,
          subscriptionEndpoints: values.endpoint,
        },
        required('by'),
      );
      console.log(`Registrerad: ${client.clientId} (${client.name}) för vårdgivaren ${client.providerId}.`);
      if (!config.smart)
        console.warn('Obs: SMART_AUTHORIZATION_ISSUER är inte satt, så inga token tas emot ännu.');
    } else if (command === 'deactivate') {
      await service.deactivate(required('client-id'), required('by'));
      console.log(`${values['client-id']}: avregistrerad; dess token nekas från nästa anrop.`);
    } else {
      console.error(`Okänt kommando ${command}: list, register eller deactivate.`);
      process.exitCode = 2;
    }
  });
} catch (error) {
  reportDomainError(error, (d) => `- ${d.path}: ${d.message}`);
}
