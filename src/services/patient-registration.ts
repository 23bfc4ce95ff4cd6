/**
 * Registering a person (JSON API and FHIR): the answer must not tell whether the personnummer
 * was already registered (security.md, Foreign = missing). The role is decided before the number
 * is looked up or anything is written; a new person is created in one transaction; a known
 * number answers exactly like a first registration (201, the same shape) and is logged against
 * the person it belongs to, so that finding out is a deliberate, logged act.
 */
import { DomainError } from '../domain/errors.ts';
import type { Db } from '../store/db.ts';
import type { NewPatient, Patient, PatientStore } from '../store/patient-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';

export interface PatientRegistrationDeps {
  db: Db;
  patients: PatientStore;
  access: AccessService;
}

export function createPatientRegistration(deps: PatientRegistrationDeps) {
  /** The person as a first registration would return them: what was sent, as version 1. */
  const asRegistered = (id: string, input: NewPatient): Patient => ({
    id,
    identifier: input.identifier,
    identifierKind: input.identifierKind,
    givenName: input.givenName,
    familyName: input.familyName,
    birthDate: input.birthDate,
    sex: input.sex,
    phone: input.phone ?? null,
    listedUnitId: input.listedUnitId ?? null,
    listedSince: input.listedSince ?? null,
    diagnoses: (input.diagnoses ?? []).map((d) => ({ icd10: d.icd10, since: d.since ?? null })),
    version: 1,
  });

  /** Creates the person, or returns null when the number is already registered. */
  async function createNew(input: NewPatient): Promise<string | null> {
    try {
      return await deps.db.transaction((tx) => deps.patients.create(tx, input));
    } catch (error) {
      if (error instanceof DomainError && error.code === 'patient_exists') return null;
      throw error;
    }
  }

  return {
    /**
     * Registers `input` as `ctx.actor` and returns the person as the caller may see them: the
     * stored row when they have access, else what a first registration returns. The caller has
     * checked that the listed unit exists (that answer does not depend on the number).
     */
    async register(ctx: RequestContext, input: NewPatient): Promise<Patient> {
      await deps.access.requireActingInCare(ctx, 'read', 'registrering');
      const known = await deps.patients.findByIdentifier(input.identifier);
      const createdId = known ? null : await createNew(input);
      const id = createdId ?? known?.id ?? (await deps.patients.findByIdentifier(input.identifier))?.id;
      if (!id) throw new DomainError('internal');
      const grant = await deps.access.check(
        ctx,
        id,
        'read',
        createdId ? 'registrering' : 'registrering: numret fanns redan',
      );
      const stored = grant ? await deps.patients.findById(id) : null;
      return stored ?? asRegistered(id, input);
    },
  };
}

export type PatientRegistration = ReturnType<typeof createPatientRegistration>;
