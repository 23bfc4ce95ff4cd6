/**
 * The population register behind one interface: who a personnummer or samordningsnummer belongs
 * to, with address, protection marker, death and move-out. Two implementations: the imported
 * register (population_person, filled by the population import's `person` rows, docs/imports.md)
 * and the national person service (personuppgiftstjansten.ts), chosen by PERSON_SERVICE_URL
 * (docs/operations.md). A registration and a refresh take a person's facts from here, never
 * from a form.
 */
import { readFileSync } from 'node:fs';
import type { RegisterAnswer, RegisterPerson } from '../domain/person-register.ts';
import { registerFactsOf } from '../domain/person-register.ts';
import type { StoredEvent } from '../store/event-store.ts';
import type { AfterPopulation } from '../store/import-store.ts';
import type { PopulationPersonStore } from '../store/population-person-store.ts';
import { registerActor, type PersonStatusService } from './person-status-service.ts';
import {
  createPersonuppgiftstjanstenRegister,
  type PersonServiceSettings,
} from './personuppgiftstjansten.ts';

export type { RegisterAnswer, RegisterPerson } from '../domain/person-register.ts';

export interface PersonRegister {
  /** Where the facts come from (patient.register_source). */
  readonly source: 'import' | 'personuppgiftstjansten';
  /**
   * The person with this normalised number, or `{ found: false }` when the register does not
   * know it. Throws `register_unavailable` when the register cannot answer now.
   */
  lookup(identifier: string, kind: RegisterPerson['kind']): Promise<RegisterAnswer>;
}

/** The imported register: folkbokföringen's extract as the last population import left it. */
export function createImportedRegister(persons: PopulationPersonStore): PersonRegister {
  return {
    source: 'import',
    async lookup(identifier) {
      const person = await persons.find(identifier);
      return person ? { found: true, person } : { found: false };
    },
  };
}

/**
 * The register the settings name: the person service when PERSON_SERVICE_URL is set (its
 * certificate, key and CA read now, each a PEM file's path or the PEM itself), else the
 * imported register.
 */
export function createPersonRegister(
  settings: PersonServiceSettings | undefined,
  persons: PopulationPersonStore,
): PersonRegister {
  if (!settings) return createImportedRegister(persons);
  return createPersonuppgiftstjanstenRegister({
    ...settings,
    cert: pem(settings.cert),
    key: pem(settings.key),
    ca: settings.ca === undefined ? undefined : pem(settings.ca),
  });
}

/** A PEM setting: the PEM itself, or the path of a file that holds it. */
function pem(value: string): string {
  return value.trimStart().startsWith('-----BEGIN') ? value : readFileSync(value, 'utf8');
}

/**
 * What a population import does with the patients whose register facts changed, in its
 * transaction: each through the person-status service (a death ends the plan, a move is shown,
 * a protection marker hides the address …), named in the history as Folkbokföringen by the
 * import's actor. `publish` sends the events once the import has committed.
 */
export function importedFactsEffect(
  personStatus: Pick<PersonStatusService, 'applyRegisterFacts' | 'publish'>,
  actorId: string,
  now: Date,
): { after: AfterPopulation; publish: () => void } {
  const events: StoredEvent[] = [];
  return {
    after: async (tx, changed) => {
      for (const { patientId, person } of changed) {
        const outcome = await personStatus.applyRegisterFacts(tx, patientId, registerFactsOf(person), now, {
          source: 'import',
          actor: registerActor(actorId),
        });
        events.push(...outcome.events);
      }
    },
    publish: () => personStatus.publish(events),
  };
}
