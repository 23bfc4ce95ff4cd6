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
import { readConfig } from '../config.ts';
import { DomainError } from '../domain/errors.ts';
import { createSmartClientService } from '../services/smart-client-service.ts';
import { migrate, openDb } from '../store/db.ts';
import { createDirectoryStore } from '../store/directory-store.ts';
import { createSmartClientStore } from '../store/smart-client-store.ts';

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

const required = (name: 'by' | 'client-id' | 'name' | 'provider'): string => {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new DomainError('invalid_input', `--${name} krävs.`);
  return value;
};

const config = readConfig();
const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  await migrate(db);
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
} catch (error) {
  if (!(error instanceof DomainError)) throw error;
  console.error(error.message);
  for (const d of error.details) console.error(`- ${d.path}: ${d.message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
