/**
 * FHIR Appointment = the contract's agreed next contact: read, read a version, its history,
 * search, and update with If-Match (a new contract version). PUT on `<contractId>-next` sets a
 * next contact when there is none (201), and status `cancelled` removes it; it then reads as
 * cancelled. Its version is the contract's: every contract version from the first that held a
 * next contact is a version of the Appointment, read alike by vread and in the history.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { contextOf, requireActor, requireIfMatch } from '../api/http.ts';
import type { Contract, ContractStatus, ContractVersion, NextContact } from '../domain/contract.ts';
import { DomainError } from '../domain/errors.ts';
import type { Granted } from '../services/access-service.ts';
import {
  FhirAppointmentSchema,
  fhirToNextContact,
  nextContactToFhir,
  parseAppointmentFhirId,
  type FhirAppointment,
} from './appointment-mapper.ts';
import { searchset } from './bundle.ts';
import type { FhirDeps } from './fhir-routes.ts';
import {
  countOf,
  HISTORY_COUNT,
  historyBundle,
  historyPage,
  HistoryQuery,
  numericCursor,
  VersionParams,
  type HistoryEntry,
} from './history.ts';
import { assertSameId, sendResource } from './http.ts';
import { FhirError } from './outcome.ts';
import { IdParams, patientsOfSearch, PatientScopedQuery, ReadQuery } from './search.ts';

/** The contract's next contact as the reader may see it, or null. */
function appointmentFor(contract: Contract, grant: Granted): FhirAppointment | null {
  const next = contract.content.nextContact;
  if (!next || grant.isHidden(next.unitId)) return null;
  return nextContactToFhir(next, {
    patientId: contract.patientId,
    contractId: contract.id,
    version: contract.version,
    ...(contract.status === 'ended' ? { cancelled: 'contract-ended' as const } : {}),
  });
}

/** One state of the contract: its status and next contact at some version. */
interface ContractState {
  version: number;
  status: ContractStatus;
  nextContact: NextContact | null;
}

const stateOf = (v: ContractVersion): ContractState => ({
  version: v.version,
  status: v.status,
  nextContact: v.content.nextContact,
});

/**
 * The Appointment at a state of the contract, given the last next contact held before it (null
 * when none was). A next contact that was removed reads as the last one held, cancelled; one of
 * an ended contract reads as cancelled too, because R4's `booked` says the time still stands
 * (https://hl7.org/fhir/R4/valueset-appointmentstatus.html). Null when the contract never held
 * one up to then, or it is at a unit hidden from the reader (spärr).
 */
function appointmentAt(
  contract: Contract,
  state: ContractState,
  lastHeld: NextContact | null,
  grant: Granted,
): FhirAppointment | null {
  const removed = state.nextContact ? null : lastHeld;
  const next = state.nextContact ?? removed;
  if (!next || grant.isHidden(next.unitId)) return null;
  const cancelled = removed ? 'removed' : state.status === 'ended' ? 'contract-ended' : undefined;
  return nextContactToFhir(next, {
    patientId: contract.patientId,
    contractId: contract.id,
    version: state.version,
    cancelled,
  });
}

export function appointmentFhirRoutes(deps: FhirDeps): FastifyPluginAsyncTypebox {
  /** The contract an Appointment id names; one that names none is not found. */
  function contractIdOf(fhirId: string): string {
    const contractId = parseAppointmentFhirId(fhirId);
    if (!contractId) throw new DomainError('not_found');
    return contractId;
  }

  /** The Appointment at `version` of the contract (the current one when absent), or 404. */
  async function readAppointment(request: FastifyRequest, fhirId: string, version?: number) {
    const isCurrentOf = (contract: Contract) => version === undefined || version === contract.version;
    const { contract, grant, versions } = await deps.contractService.readById(
      contextOf(request),
      contractIdOf(fhirId),
      // The common case needs no history: the contract holds its next contact now.
      (contract) => (isCurrentOf(contract) && contract.content.nextContact ? null : {}),
    );
    if (versions === null) {
      const appointment = appointmentFor(contract, grant);
      if (!appointment) throw new DomainError('not_found');
      return { appointment, version: contract.version };
    }
    const states = versions.map(stateOf);
    const at = states.findIndex((s) => s.version === (version ?? contract.version));
    const lastHeld = states.slice(at + 1).find((s) => s.nextContact !== null)?.nextContact ?? null;
    const appointment = at < 0 ? null : appointmentAt(contract, states[at]!, lastHeld, grant);
    if (!appointment) throw new DomainError('not_found');
    return { appointment, version: states[at]!.version };
  }

  /**
   * Every version of the Appointment the reader may see, newest first: each contract version from
   * the first that held a next contact, as `readAppointment` reads it. The oldest is the one
   * created, by a PUT (an Appointment is never POSTed).
   */
  async function appointmentVersions(request: FastifyRequest, fhirId: string): Promise<HistoryEntry[]> {
    const { contract, grant, versions } = await deps.contractService.readById(
      contextOf(request),
      contractIdOf(fhirId),
      () => ({}),
    );
    const entries: HistoryEntry[] = [];
    let lastHeld: NextContact | null = null;
    for (const v of [...(versions ?? [])].reverse()) {
      const appointment = appointmentAt(contract, stateOf(v), lastHeld, grant);
      if (appointment)
        entries.push({
          resource: appointment,
          version: v.version,
          lastModified: v.changedAt,
          created: entries.length === 0,
          createdBy: 'PUT',
        });
      lastHeld = v.content.nextContact ?? lastHeld;
    }
    if (entries.length === 0) throw new DomainError('not_found');
    return entries.reverse();
  }

  return async (app) => {
    app.get(
      '/Appointment/:id',
      { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
      async (request, reply) => {
        const { appointment, version } = await readAppointment(request, request.params.id);
        return sendResource(request, reply, appointment, version);
      },
    );

    app.get(
      '/Appointment/:id/_history/:vid',
      { schema: { hide: true, params: VersionParams, querystring: ReadQuery } },
      async (request, reply) => {
        const { appointment, version } = await readAppointment(
          request,
          request.params.id,
          Number(request.params.vid),
        );
        return sendResource(request, reply, appointment, version);
      },
    );

    app.get(
      '/Appointment/:id/_history',
      { schema: { hide: true, params: IdParams, querystring: HistoryQuery } },
      async (request) => {
        const before = numericCursor(request.query._cursor);
        const count = countOf(request.query._count, HISTORY_COUNT);
        const page = historyPage(await appointmentVersions(request, request.params.id), count, before);
        return historyBundle(request, page.entries, { next: page.next, isFirst: before === undefined });
      },
    );

    // The next contact of each patient's current contract.
    app.get('/Appointment', { schema: { hide: true, querystring: PatientScopedQuery } }, async (request) => {
      const patientIds = await patientsOfSearch(request.query, deps.lookup, deps.clock());
      const found: FhirAppointment[] = [];
      for (const { contract, grant } of await deps.contractService.searchCurrent(
        contextOf(request),
        patientIds,
      )) {
        const appointment = appointmentFor(contract, grant);
        if (appointment) found.push(appointment);
      }
      return searchset(request, found);
    });

    app.put(
      '/Appointment/:id',
      { schema: { hide: true, params: IdParams, body: FhirAppointmentSchema, querystring: ReadQuery } },
      async (request, reply) => {
        requireActor(request);
        // What the change found and made, for the answer.
        const seen: { previous: NextContact | null; next: NextContact | null } = {
          previous: null,
          next: null,
        };
        const { contract: saved } = await deps.contractService.updateById(
          contextOf(request),
          contractIdOf(request.params.id),
          (contract) => ({
            expectedVersion: () => requireIfMatch(request),
            check: () => assertSameId(request.body.id, request.params.id, 'Appointment'),
            input: (current, grant) => {
              const previous = current.content.nextContact;
              seen.previous = previous;
              // A next contact at a unit under spärr is not the writer's to see, nor to change.
              if (previous && grant.isHidden(previous.unitId)) throw new DomainError('not_found');
              const next = fhirToNextContact(request.body, contract.patientId, 'Appointment');
              seen.next = next;
              if (next === null && previous === null) throw new DomainError('not_found');
              // A cancellation's reason is the contract's "why no time is booked": an active
              // contract must hold one or the other.
              const reason = next === null ? request.body.cancelationReason?.text?.trim() : undefined;
              return {
                status: current.status,
                content: {
                  ...current.content,
                  nextContact: next,
                  ...(reason ? { noNextContactReason: reason } : {}),
                },
              };
            },
            // The change is made on the whole current content: nothing hidden is lost.
            isAsSeen: false,
          }),
        );
        const { previous, next } = seen;
        const where = { patientId: saved.patientId, contractId: saved.id, version: saved.version };
        const resource = next
          ? nextContactToFhir(next, where)
          : nextContactToFhir(previous!, { ...where, cancelled: 'removed' });
        return sendResource(request, reply, resource, saved.version, { created: previous === null });
      },
    );

    app.post('/Appointment', { schema: { hide: true } }, async () => {
      throw new FhirError(
        405,
        'not-supported',
        'Nästa kontakt sätts med PUT /fhir/Appointment/<kontrakts-id>-next eller genom CarePlan.',
      );
    });
  };
}
