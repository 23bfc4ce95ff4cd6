/**
 * Finding, registering and reading patients, and the patient overview: each read decided and
 * logged by the access service first; a denial answers like a missing patient.
 */
import { DomainError } from '../domain/errors.ts';
import { asListed, strongerProtection } from '../domain/person-status.ts';
import { parsePatientId } from '../domain/personnummer.ts';
import { redactOverview, visibleDiagnoses } from '../domain/redaction.ts';
import type { ContractStore } from '../store/contract-store.ts';
import type { DirectoryStore } from '../store/directory-store.ts';
import type { OverviewJson, OverviewStore, PatientOverview } from '../store/overview-store.ts';
import type { Patient, PatientStore } from '../store/patient-store.ts';
import type { PatientUpdate, PatientUpdateStore } from '../store/patient-update-store.ts';
import type { PatientVersion } from '../store/patient-version-store.ts';
import type { AccessService, RequestContext, StaffContext } from './access-service.ts';
import { searchPatients, type PatientPage } from './patient-search.ts';
import type { PatientRegistration, ReservnummerRegistration } from './patient-registration.ts';
import { swedishToday } from '../domain/swedish-time.ts';

export type { NewPatient, Patient } from '../store/patient-store.ts';
export type { PatientUpdate } from '../store/patient-update-store.ts';
export type { PatientShown, PatientVersion } from '../store/patient-version-store.ts';

export interface PatientServiceDeps {
  patients: PatientStore;
  /** Name and phone, changed with If-Match (FHIR Patient). */
  updates: PatientUpdateStore;
  directory: DirectoryStore;
  contracts: ContractStore;
  overview: OverviewStore;
  registration: PatientRegistration;
  access: AccessService;
  clock: () => Date;
}

/**
 * A registration: a personnummer or samordningsnummer alone (the population register gives the
 * rest), or, without a number, the name (and birth date and sex if known) of a person who gets a
 * reservnummer.
 */
export interface NewPatientRequest {
  identifier?: string | undefined;
  givenName?: string | undefined;
  familyName?: string | undefined;
  birthDate?: string | undefined;
  sex?: 'female' | 'male' | undefined;
  phone?: string | undefined;
  listedUnitId?: string | undefined;
  listedSince?: string | undefined;
}

/** A registration read from a FHIR Patient (fhir/patient-mapper.ts#fhirToNewPatient). */
export type ParsedRegistration =
  | {
      kind: 'identified';
      identifier: string;
      identifierKind: 'personnummer' | 'samordningsnummer';
      phone: string | null;
    }
  | (ReservnummerRegistration & { kind: 'reservnummer' });

const TYPED_FROM_REGISTER = 'Namn, födelsedatum och kön hämtas från folkbokföringen: ange bara numret.';
const RESERVNUMMER_ISSUED =
  'Reservnummer delas ut av systemet: lämna numret tomt och ange personens namn, så får personen ett reservnummer.';

function invalid(path: string, message: string): DomainError {
  return new DomainError('invalid_input', message, [{ path, message }]);
}

/**
 * The overview as it is sent: the JSON text as the database wrote it when nothing is hidden from
 * the reader, else the overview without what a spärr hides. `version` is the contract's (ETag).
 */
export type OverviewAnswer =
  | { kind: 'json'; json: string; version: number | null }
  | { kind: 'redacted'; overview: PatientOverview; version: number | null };

/**
 * A search hit: the person as a list shows them (`asListed`), without diagnoses. A diagnosis made
 * at a unit hidden from the reader (spärr) must not show, and the list is not where to decide
 * that patient by patient: the patient's own page shows them, decided (`visibleDiagnoses`).
 */
const asSearchHit = (patient: Patient): Patient => ({ ...asListed(patient), diagnoses: [] });

export function createPatientService(deps: PatientServiceDeps) {
  /** Refuses a listed unit that does not exist (an answer that does not depend on the number). */
  async function assertUnit(listedUnitId: string): Promise<void> {
    if ((await deps.directory.missingUnitIds([listedUnitId])).length > 0)
      throw new DomainError('unknown_unit', undefined, [{ path: '/listedUnitId', message: listedUnitId }]);
  }

  /**
   * One patient. A reservnummer merged into a real number (migration 018) answers as the
   * person it was merged into, decided and logged for them.
   */
  async function get(ctx: RequestContext, patientId: string): Promise<Patient> {
    const id = await deps.patients.resolveId(patientId);
    const grant = await deps.access.require(ctx, id, 'read');
    const patient = await deps.patients.findById(id);
    if (!patient) throw new DomainError('not_found');
    // A diagnosis made at a unit hidden from the reader (spärr) is left out.
    return { ...patient, diagnoses: visibleDiagnoses(patient.diagnoses, grant.isHidden) };
  }

  return {
    /**
     * Patients by personnummer (any common format) or name, a page at a time. Every hit passes
     * the same access decision as a direct read, and each one shown is logged.
     */
    async find(
      ctx: RequestContext,
      text: string,
      page: { size: number; cursor?: string | undefined },
    ): Promise<{ patients: Patient[]; nextCursor?: string }> {
      const q = text.trim();
      const parsed = parsePatientId(q, deps.clock());
      if (parsed.ok) {
        const one = await deps.patients.findByIdentifier(parsed.id.value);
        const visible = one ? await deps.access.filterSearch(ctx, [one.id]) : [];
        // A list: a protected person is "Skyddad identitet" here, named on their own page.
        return { patients: one && visible.length > 0 ? [asSearchHit(one)] : [] };
      }
      if (/^[\d\s+-]+$/.test(q)) {
        // A birth date alone (ÅÅÅÅMMDD, ÅÅMMDD, ÅÅÅÅ-MM-DD) names many people: the search does
        // not list by birth date, and says what it needs instead of a format error.
        const digits = q.replace(/\D/g, '');
        const reason =
          digits.length === 6 || digits.length === 8
            ? 'Ett födelsedatum räcker inte. Ange hela personnumret eller ett namn.'
            : parsed.reason;
        throw new DomainError('invalid_patient_id', reason, [{ path: 'querystring/q', message: reason }]);
      }
      // Filtered by access before the page is cut, so a page holds only patients the reader may see.
      const found = await searchPatients(deps, ctx, { name: q }, page);
      return { patients: found.patients.map(asSearchHit), ...(found.next ? { nextCursor: found.next } : {}) };
    },

    /**
     * Registers a patient, listed at the actor's unit unless another is given. A known number
     * answers like a new one (services/patient-registration.ts).
     */
    async register(ctx: StaffContext, request: NewPatientRequest): Promise<Patient> {
      const listedUnitId = request.listedUnitId ?? ctx.actor.unitId;
      const common = { phone: request.phone ?? null, listedUnitId, listedSince: request.listedSince ?? null };
      if (request.identifier === undefined) {
        const { givenName, familyName, birthDate } = request;
        if (!givenName?.trim())
          throw invalid('/givenName', 'Ange förnamn, eller personnummer eller samordningsnummer.');
        if (!familyName?.trim())
          throw invalid('/familyName', 'Ange efternamn, eller personnummer eller samordningsnummer.');
        if (birthDate !== undefined && birthDate > swedishToday(deps.clock()))
          throw invalid('/birthDate', 'Födelsedatumet ligger i framtiden.');
        await assertUnit(listedUnitId);
        return deps.registration.registerReservnummer(ctx, {
          givenName: givenName.trim(),
          familyName: familyName.trim(),
          birthDate: birthDate ?? null,
          sex: request.sex ?? null,
          ...common,
        });
      }
      const parsed = parsePatientId(request.identifier, deps.clock());
      if (!parsed.ok) {
        throw new DomainError('invalid_patient_id', parsed.reason, [
          { path: '/identifier', message: parsed.reason },
        ]);
      }
      if (parsed.id.kind === 'reservnummer') throw invalid('/identifier', RESERVNUMMER_ISSUED);
      for (const field of ['givenName', 'familyName', 'birthDate', 'sex'] as const)
        if (request[field] !== undefined) throw invalid(`/${field}`, TYPED_FROM_REGISTER);
      await assertUnit(listedUnitId);
      return deps.registration.register(ctx, {
        identifier: parsed.id.value,
        identifierKind: parsed.id.kind,
        ...common,
      });
    },

    /**
     * Reads the population register again for a known patient (staff with write access): name,
     * protection, death, move-out and address (services/patient-registration.ts#refresh).
     */
    refreshFromRegister(ctx: RequestContext, patientId: string) {
      return deps.registration.refresh(ctx, patientId);
    },

    /**
     * FHIR Patient search: the patients with one of `identifiers` (stored forms), with one of
     * `ids`, and matching `name`, each given narrowing the search; a page at a time, each patient
     * decided and logged as a search hit.
     */
    async search(
      ctx: RequestContext,
      query: { identifiers?: readonly string[]; ids?: readonly string[]; name?: string | undefined },
      page: { size: number; cursor?: string | undefined },
    ): Promise<PatientPage> {
      let ids: string[] | undefined;
      const narrow = (found: readonly string[]): void => {
        ids = ids === undefined ? [...found] : ids.filter((id) => found.includes(id));
      };
      if (query.identifiers !== undefined) {
        const hits: string[] = [];
        for (const identifier of query.identifiers) {
          const patient = await deps.patients.findByIdentifier(identifier);
          if (patient) hits.push(patient.id);
        }
        narrow(hits);
      }
      if (query.ids !== undefined) narrow(query.ids);
      // Filtered by access before the page is cut; every patient returned passed the rule and is logged.
      return searchPatients(deps, ctx, { name: query.name, ids }, page);
    },

    /**
     * Registers a person whose number is already parsed (FHIR Patient), listed at a unit that
     * must exist (`unknownUnit` says how the route names it otherwise). A known number answers
     * like a new one (services/patient-registration.ts).
     */
    async registerParsed(
      ctx: RequestContext,
      input: ParsedRegistration & { listedUnitId: string },
      unknownUnit: (unitId: string) => DomainError,
    ): Promise<Patient> {
      if ((await deps.directory.missingUnitIds([input.listedUnitId])).length > 0)
        throw unknownUnit(input.listedUnitId);
      if (input.kind === 'reservnummer') return deps.registration.registerReservnummer(ctx, input);
      return deps.registration.register(ctx, input);
    },

    /**
     * Changes name and phone if the expected version (If-Match, read once access is granted and
     * the patient found) is still the patient's; answers the patient saved and its version.
     */
    async update(
      ctx: RequestContext,
      patientId: string,
      save: {
        expectedVersion: () => number;
        check?: () => void;
        input: (current: Patient) => PatientUpdate;
      },
    ): Promise<{ patient: Patient; version: number }> {
      await deps.access.require(ctx, patientId, 'write');
      const current = await deps.patients.findById(patientId);
      if (!current) throw new DomainError('not_found');
      const expected = save.expectedVersion();
      save.check?.();
      const version = await deps.updates.update(patientId, expected, save.input(current));
      const patient = await deps.patients.findById(patientId);
      if (!patient) throw new DomainError('not_found');
      return { patient, version };
    },

    /**
     * One patient. A reservnummer merged into a real number (migration 018) answers as the
     * person it was merged into, decided and logged for them.
     */
    get,

    /**
     * A page of the patient's versions, newest first (`limit` of them below the version
     * `before`), decided and logged as `get` is, for the same person `get` answers. Each version
     * carries the stronger of its own protection and today's (domain/person-status.ts).
     */
    async readHistory(
      ctx: RequestContext,
      patientId: string,
      page: { limit: number; before?: number | undefined },
    ): Promise<PatientVersion[]> {
      const current = await get(ctx, patientId);
      const versions = await deps.patients.listVersions(current.id, page);
      return versions.map((v) => ({
        ...v,
        protection: strongerProtection(v.protection, current.protection),
      }));
    },

    /** One version of the patient, as `readHistory` shows it; not_found when it was never kept. */
    async readVersion(ctx: RequestContext, patientId: string, version: number): Promise<PatientVersion> {
      const current = await get(ctx, patientId);
      const then = await deps.patients.findVersion(current.id, version);
      if (!then) throw new DomainError('not_found');
      return { ...then, protection: strongerProtection(then.protection, current.protection) };
    },

    /**
     * The overview: patient, current contract, fixed contacts and the names they refer to.
     * `prefetched` is the overview read with the session (the hot path), used only once access
     * is granted and only when nothing is hidden from the reader; undefined when there is none.
     */
    async overview(
      ctx: RequestContext,
      patientId: string,
      prefetched: OverviewJson | null | undefined,
    ): Promise<OverviewAnswer> {
      const grant = await deps.access.require(ctx, patientId, 'read');
      if (grant.hidesNothing) {
        const found = prefetched !== undefined ? prefetched : await deps.overview.readJson(patientId);
        if (!found) throw new DomainError('not_found');
        return { kind: 'json', json: found.json, version: found.contractVersion };
      }
      const overview = await deps.overview.read(patientId);
      if (!overview) throw new DomainError('not_found');
      const authors = overview.contract
        ? await deps.contracts.authorUnits([overview.contract.id])
        : undefined;
      return {
        kind: 'redacted',
        overview: redactOverview(overview, grant.isHidden, authors?.get(overview.contract?.id ?? '')),
        version: overview.contract?.version ?? null,
      };
    },
  };
}

export type PatientService = ReturnType<typeof createPatientService>;
