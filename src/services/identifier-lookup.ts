/**
 * A patient named by personnummer (samordnings- or reservnummer) for a deliberate act by staff
 * who have no access yet: registering a care relationship, recording a consent, emergency
 * access. Whether the number is registered shows only through that logged act.
 */
import type { LoggedAction } from '../domain/access-log.ts';
import { DomainError } from '../domain/errors.ts';
import { parsePatientId } from '../domain/personnummer.ts';
import type { PatientStore } from '../store/patient-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';

export interface IdentifierLookupDeps {
  patients: PatientStore;
  access: AccessService;
  clock: () => Date;
}

export function createIdentifierLookup(deps: IdentifierLookupDeps) {
  /** The number in its stored form; a malformed one answers 400 whether or not anyone has it. */
  function parse(identifier: string): string {
    const parsed = parsePatientId(identifier, deps.clock());
    if (!parsed.ok)
      throw new DomainError('invalid_patient_id', parsed.reason, [
        { path: '/identifier', message: parsed.reason },
      ]);
    return parsed.id.value;
  }

  return {
    parse,

    /** The id of the patient with this number (in its stored form), or null. */
    async find(identifier: string): Promise<string | null> {
      return (await deps.patients.findByIdentifier(identifier))?.id ?? null;
    },

    /**
     * The patient with this number, for a deliberate act (security.md, Foreign = missing): a
     * number nobody has is logged as a refused `action` before it answers 404.
     */
    async resolve(ctx: RequestContext, identifier: string, action: LoggedAction): Promise<string> {
      const patient = await deps.patients.findByIdentifier(parse(identifier));
      if (patient) return patient.id;
      await deps.access.logDenied(ctx, null, action, 'no-patient', 'okänt nummer');
      throw new DomainError('not_found', 'Det finns ingen patient med det numret.');
    },
  };
}

export type IdentifierLookup = ReturnType<typeof createIdentifierLookup>;
