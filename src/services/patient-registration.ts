/**
 * Registering a person (JSON API and FHIR) on first contact: a personnummer or
 * samordningsnummer is registered with what the population register says (name, birth date,
 * sex, address, protection, death, move-out; services/person-register.ts), never with what was
 * typed; a number the register does not know is refused (422) and nothing is written. A person
 * without one gets a reservnummer the product issues (the region's prefix, RESERVNUMMER_PREFIX),
 * with the name typed by hand.
 *
 * The answer must not tell whether the number was already registered (security.md, Foreign =
 * missing). The role is decided before the number is looked up or anything is written; the
 * register is asked for every number, known or not, before the product's own patients are
 * looked at, so that neither the answer nor its timing depends on them; a new person is created
 * in one transaction; a known number answers exactly like a first registration (201, the same
 * shape, the register's name) and is logged against the person it belongs to, so that finding
 * out is a deliberate, logged act.
 */
import { DomainError } from '../domain/errors.ts';
import { keptOf, registerFactsOf, type RegisterPerson } from '../domain/person-register.ts';
import type { PatientIdKind } from '../domain/personnummer.ts';
import type { Db } from '../store/db.ts';
import type { NewPatient, Patient, PatientStore } from '../store/patient-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';
import type { PersonRegister } from './person-register.ts';
import { registerActor, type PersonStatusService } from './person-status-service.ts';

export interface PatientRegistrationDeps {
  db: Db;
  patients: PatientStore;
  access: AccessService;
  register: PersonRegister;
  personStatus: Pick<PersonStatusService, 'applyRegisterFacts' | 'publish'>;
  /** The region's reservnummer prefix (RESERVNUMMER_PREFIX). */
  reservnummerPrefix: string;
  clock: () => Date;
}

/** What a registration by personnummer or samordningsnummer carries besides the register's facts. */
export interface IdentifiedRegistration {
  identifier: string;
  identifierKind: Exclude<PatientIdKind, 'reservnummer'>;
  phone?: string | null | undefined;
  listedUnitId?: string | null | undefined;
  listedSince?: string | null | undefined;
}

/** A person without personnummer or samordningsnummer: typed by hand, numbered by the product. */
export type ReservnummerRegistration = Pick<
  NewPatient,
  'givenName' | 'familyName' | 'birthDate' | 'sex' | 'phone' | 'listedUnitId' | 'listedSince'
>;

/** The phone and the listing as a registration stores them: null where the request gave none. */
const listingOf = (r: Pick<NewPatient, 'phone' | 'listedUnitId' | 'listedSince'>) => ({
  phone: r.phone ?? null,
  listedUnitId: r.listedUnitId ?? null,
  listedSince: r.listedSince ?? null,
});

export function createPatientRegistration(deps: PatientRegistrationDeps) {
  /** The person as a first registration would return them: what the register said, as version 1. */
  const asRegistered = (id: string, input: NewPatient): Patient => ({
    id,
    identifier: input.identifier,
    identifierKind: input.identifierKind,
    givenName: input.givenName,
    familyName: input.familyName,
    birthDate: input.birthDate,
    sex: input.sex,
    ...listingOf(input),
    diagnoses: (input.diagnoses ?? []).map((d) => ({ icd10: d.icd10, since: d.since ?? null })),
    version: 1,
    protection: input.register?.protection ?? 'none',
    deceasedOn: input.register?.deceasedOn ?? null,
    movedOutOn: input.register?.movedOutOn ?? null,
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

  /** The register's person, or `not_in_register` (nothing is written either way). */
  async function lookUp(identifier: string, kind: RegisterPerson['kind']): Promise<RegisterPerson> {
    const answer = await deps.register.lookup(identifier, kind);
    if (!answer.found)
      throw new DomainError('not_in_register', undefined, [
        { path: '/identifier', message: 'Numret finns inte i folkbokföringen.' },
      ]);
    return keptOf(answer.person);
  }

  return {
    /**
     * Registers the person with `request.identifier` as `ctx.actor`, from the register, and
     * returns them as the caller may see them: the stored row when they have access, else what a
     * first registration returns. The caller has checked that the listed unit exists (that
     * answer does not depend on the number).
     */
    async register(ctx: RequestContext, request: IdentifiedRegistration): Promise<Patient> {
      await deps.access.requireActingInCare(ctx, 'read', 'registrering');
      // The register first, for every number: whether the product knows the person changes
      // neither the answer nor the time it takes to get there.
      const person = await lookUp(request.identifier, request.identifierKind);
      const input: NewPatient = {
        identifier: request.identifier,
        identifierKind: request.identifierKind,
        givenName: person.givenName,
        familyName: person.familyName,
        birthDate: person.birthDate,
        sex: person.sex,
        ...listingOf(request),
        register: {
          source: deps.register.source,
          checkedAt: deps.clock().toISOString(),
          address: person.address,
          protection: person.protection,
          deceasedOn: person.deceasedOn,
          movedOutOn: person.movedOutOn,
        },
      };
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

    /**
     * Registers a person without personnummer or samordningsnummer under a reservnummer the
     * product issues now; always a new person.
     */
    async registerReservnummer(ctx: RequestContext, request: ReservnummerRegistration): Promise<Patient> {
      await deps.access.requireActingInCare(ctx, 'read', 'registrering med reservnummer');
      const id = await deps.db.transaction(async (tx) => {
        const identifier = await deps.patients.nextReservnummer(tx, deps.reservnummerPrefix);
        return deps.patients.create(tx, {
          identifier,
          identifierKind: 'reservnummer',
          givenName: request.givenName,
          familyName: request.familyName,
          birthDate: request.birthDate,
          sex: request.sex,
          ...listingOf(request),
        });
      });
      await deps.access.require(ctx, id, 'read', 'registrering med reservnummer');
      const stored = await deps.patients.findById(id);
      if (!stored) throw new DomainError('internal');
      return stored;
    },

    /**
     * Reads the register again for a known patient (staff with write access, logged): the name
     * follows it, and protection, death, move-out and address go through the person-status
     * service with their consequences (a death ends the plan …). A reservnummer has no entry.
     */
    async refresh(ctx: RequestContext, patientId: string): Promise<{ patient: Patient; changed: string[] }> {
      await deps.access.require(ctx, patientId, 'write', 'folkbokföringen: uppgifterna lästes om');
      const current = await deps.patients.findById(patientId);
      if (!current) throw new DomainError('not_found');
      if (current.identifierKind === 'reservnummer')
        throw new DomainError('not_in_register', 'Ett reservnummer finns inte i folkbokföringen.');
      const person = await lookUp(current.identifier, current.identifierKind);
      const now = deps.clock();
      const actor = ctx.actor.kind === 'staff' ? ctx.actor : registerActor();
      const { nameChanged, outcome } = await deps.db.transaction(async (tx) => ({
        nameChanged: await deps.patients.writeRegisterName(tx, patientId, {
          givenName: person.givenName,
          familyName: person.familyName,
          source: deps.register.source,
          checkedAt: now.toISOString(),
        }),
        outcome: await deps.personStatus.applyRegisterFacts(tx, patientId, registerFactsOf(person), now, {
          source: deps.register.source,
          actor,
        }),
      }));
      deps.personStatus.publish(outcome.events);
      const patient = await deps.patients.findById(patientId);
      if (!patient) throw new DomainError('not_found');
      return {
        patient,
        changed: [...(nameChanged ? ['name'] : []), ...outcome.changes.map((c) => c.kind)],
      };
    },
  };
}

export type PatientRegistration = ReturnType<typeof createPatientRegistration>;
