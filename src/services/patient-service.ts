/**
 * Finding, registering and reading patients, and the patient overview: each read decided and
 * logged by the access service first; a denial answers like a missing patient.
 */
import { DomainError } from '../domain/errors.ts';
import { parsePatientId } from '../domain/personnummer.ts';
import { redactOverview, visibleDiagnoses } from '../domain/redaction.ts';
import type { ContractStore } from '../store/contract-store.ts';
import type { DirectoryStore } from '../store/directory-store.ts';
import type { OverviewJson, OverviewStore, PatientOverview } from '../store/overview-store.ts';
import type { NewPatient, Patient, PatientStore } from '../store/patient-store.ts';
import type { PatientUpdate, PatientUpdateStore } from '../store/patient-update-store.ts';
import type { AccessService, RequestContext, StaffContext } from './access-service.ts';
import { searchPatients, type PatientPage } from './patient-search.ts';
import type { PatientRegistration } from './patient-registration.ts';

export type { NewPatient, Patient } from '../store/patient-store.ts';
export type { PatientUpdate } from '../store/patient-update-store.ts';

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

export interface NewPatientRequest {
  identifier: string;
  givenName: string;
  familyName: string;
  phone?: string | undefined;
  listedUnitId?: string | undefined;
  listedSince?: string | undefined;
}

/**
 * The overview as it is sent: the JSON text as the database wrote it when nothing is hidden from
 * the reader, else the overview without what a spärr hides. `version` is the contract's (ETag).
 */
export type OverviewAnswer =
  | { kind: 'json'; json: string; version: number | null }
  | { kind: 'redacted'; overview: PatientOverview; version: number | null };

export function createPatientService(deps: PatientServiceDeps) {
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
        return { patients: one && visible.length > 0 ? [one] : [] };
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
      return { patients: found.patients, ...(found.next ? { nextCursor: found.next } : {}) };
    },

    /**
     * Registers a patient, listed at the actor's unit unless another is given. A known number
     * answers like a new one (services/patient-registration.ts).
     */
    async register(ctx: StaffContext, request: NewPatientRequest): Promise<Patient> {
      const parsed = parsePatientId(request.identifier, deps.clock());
      if (!parsed.ok) {
        throw new DomainError('invalid_patient_id', parsed.reason, [
          { path: '/identifier', message: parsed.reason },
        ]);
      }
      const listedUnitId = request.listedUnitId ?? ctx.actor.unitId;
      if ((await deps.directory.missingUnitIds([listedUnitId])).length > 0)
        throw new DomainError('unknown_unit', undefined, [{ path: '/listedUnitId', message: listedUnitId }]);
      return deps.registration.register(ctx, {
        identifier: parsed.id.value,
        identifierKind: parsed.id.kind,
        givenName: request.givenName,
        familyName: request.familyName,
        birthDate: parsed.id.birthDate,
        sex: parsed.id.sex,
        phone: request.phone ?? null,
        listedUnitId,
        listedSince: request.listedSince ?? null,
      });
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
      input: NewPatient & { listedUnitId: string },
      unknownUnit: (unitId: string) => DomainError,
    ): Promise<Patient> {
      if ((await deps.directory.missingUnitIds([input.listedUnitId])).length > 0)
        throw unknownUnit(input.listedUnitId);
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

    /** One patient. */
    async get(ctx: RequestContext, patientId: string): Promise<Patient> {
      const grant = await deps.access.require(ctx, patientId, 'read');
      const patient = await deps.patients.findById(patientId);
      if (!patient) throw new DomainError('not_found');
      // A diagnosis made at a unit hidden from the reader (spärr) is left out.
      return { ...patient, diagnoses: visibleDiagnoses(patient.diagnoses, grant.isHidden) };
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
