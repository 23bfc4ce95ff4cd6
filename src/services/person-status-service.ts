/**
 * What follows when the population register (or care) says something new about a person: a
 * protection marker, a death, a move out of the region (domain/person-status.ts).
 *
 * - **A death** ends the current contract (status ended, reason died, its history kept), every
 *   enrolment in a mobile team (reason died) and every open escalation; the plan's reminders and
 *   next contact stop with the contract. The fast vårdkontakt is told once, by one notification.
 * - **A move out of the region** is shown on the plan ("Utflyttad från regionen …") and the fast
 *   vårdkontakt is told once; enrolments end (reason moved: a team visits homes in the region
 *   only). The plan itself is not ended: its fast vårdkontakt hands it over and ends it with the
 *   patient (the fast vårdkontakt's assignment ends "i samråd med patienten"; docs/operations.md).
 * - **A change of protection** is recorded and told to the fast vårdkontakt; from then on the
 *   address leaves the server nowhere and lists show "Skyddad identitet".
 *
 * Each change is computed from the stored status under the patient row's lock and recorded once
 * (`patient_status_event`), so a second import of the same facts changes nothing and tells no one.
 */
import type { StaffActor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import type { ChangeEventKind } from '../domain/notification.ts';
import {
  assertReportableDeath,
  nextPersonStatus,
  statusChanges,
  statusChangeSummary,
  type RegisterFacts,
  type StatusChange,
  type StatusSource,
} from '../domain/person-status.ts';
import { physicianProfessions } from '../domain/care-contact.ts';
import { swedishToday } from '../domain/swedish-time.ts';
import { createContractStore } from '../store/contract-store.ts';
import type { Db, Queryable } from '../store/db.ts';
import { createEnrolmentStore } from '../store/enrolment-store.ts';
import { createEscalationStore } from '../store/escalation-store.ts';
import { recordChangeEvent, type StoredEvent } from '../store/event-store.ts';
import { createPersonStatusStore, type PatientStatusView } from '../store/person-status-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';
import type { ChangeFeed } from './change-feed.ts';
import { endContractFor } from './contract-service.ts';
import { closeOpenEscalations } from './escalation-service.ts';

export type { RegisterFacts } from '../domain/person-status.ts';

export interface PersonStatusServiceDeps {
  db: Db;
  /** The live feed, in the server; a CLI's events reach browsers from the database. */
  feed?: ChangeFeed | undefined;
  /** For the staff route (a death reported by care); the register's callers do not need it. */
  access?: AccessService | undefined;
  clock: () => Date;
  /** The region's municipalities (kommunkoder, REGION_MUNICIPALITIES); empty: only moved_out_on counts. */
  regionMunicipalities: readonly string[];
}

/** Who says it: the register (an import, the person service) or care, and the id its steps name. */
export interface StatusOrigin {
  source: StatusSource;
  /** The member of staff, or the import's actor (a user or `cli:<user>`). */
  actor: StaffActor;
}

/** What applying the facts did: the changes carried out, and the events to publish after commit. */
export interface RegisterOutcome {
  changes: StatusChange[];
  events: StoredEvent[];
}

/** The actor the register's steps name in the plan's history: Folkbokföringen, by the import's actor id. */
export function registerActor(actorId = 'folkbokforingen'): StaffActor {
  return {
    kind: 'staff',
    staffId: actorId,
    name: 'Folkbokföringen',
    profession: 'system',
    unitId: '',
    providerId: '',
    role: 'system',
  };
}

const eventKinds: Record<StatusChange['kind'], ChangeEventKind> = {
  died: 'patient-died',
  'moved-out': 'patient-moved-out',
  'moved-back': 'patient-moved-back',
  'protection-changed': 'patient-protection-changed',
};

export function createPersonStatusService(deps: PersonStatusServiceDeps) {
  const { db, clock } = deps;
  const statuses = createPersonStatusStore(db);
  const contracts = createContractStore(db);
  const enrolments = createEnrolmentStore(db);
  const escalations = createEscalationStore(db);

  /** Carries out one change in `tx`; its events, the one that notifies last. */
  async function carryOut(
    tx: Queryable,
    patientId: string,
    change: StatusChange,
    actor: StaffActor,
    at: string,
  ): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    if (change.kind === 'died') {
      const ended = await endContractFor(contracts, tx, patientId, 'died', actor);
      if (ended) events.push(ended);
      events.push(...(await endEnrolments(tx, patientId, 'died', actor, at)));
      events.push(
        ...(await closeOpenEscalations(escalations, tx, patientId, actor, at, 'Patienten har avlidit')),
      );
    }
    if (change.kind === 'moved-out') events.push(...(await endEnrolments(tx, patientId, 'moved', actor, at)));
    // The one notification of the change, to the fast vårdkontakt (not the reporter themselves).
    events.push(
      await recordChangeEvent(tx, {
        patientId,
        contractId: null,
        kind: eventKinds[change.kind],
        actor,
        summary: statusChangeSummary(change),
      }),
    );
    return events;
  }

  async function endEnrolments(
    tx: Queryable,
    patientId: string,
    reason: 'died' | 'moved',
    actor: StaffActor,
    at: string,
  ): Promise<StoredEvent[]> {
    const ended = await enrolments.endAllForPatient(tx, patientId, reason, actor, at);
    if (ended.length === 0) return [];
    const summary =
      reason === 'died'
        ? 'Inskrivningen i mobilt team avslutad: Avliden'
        : 'Inskrivningen i mobilt team avslutad: Flyttat från regionen';
    return [
      await recordChangeEvent(
        tx,
        { patientId, contractId: null, kind: 'enrolment-changed', actor, summary },
        { notify: false },
      ),
    ];
  }

  const service = {
    /**
     * Applies the register's facts about a patient inside the caller's transaction `tx`
     * (the population import, a person-service look-up, a registration): writes them on the
     * patient row with their source and `now` as the check time, and carries out what follows
     * from what changed (see the module comment). A property left out of `facts` is kept as it
     * is; `null` says the register holds none (a death is never undone by the register's
     * silence; skyddad folkbokföring keeps no address). Idempotent: the same facts again change
     * nothing and tell no one. Throws `not_found` for an unknown patient and `invalid_input`
     * for a malformed date or municipality code. The caller publishes `outcome.events` after
     * its commit (`publish`).
     */
    async applyRegisterFacts(
      tx: Queryable,
      patientId: string,
      facts: RegisterFacts,
      now: Date,
      origin: StatusOrigin = { source: 'import', actor: registerActor() },
    ): Promise<RegisterOutcome> {
      const before = await statuses.lockStatus(tx, patientId);
      if (!before) throw new DomainError('not_found', 'Patienten finns inte.');
      const after = nextPersonStatus(before, facts, deps.regionMunicipalities, swedishToday(now));
      const at = now.toISOString();
      await statuses.writeStatus(tx, patientId, after, origin.source, at);
      const done: StatusChange[] = [];
      const events: StoredEvent[] = [];
      for (const change of statusChanges(before, after, deps.regionMunicipalities)) {
        const by = { id: origin.actor.staffId, unitId: origin.actor.unitId || null };
        if (!(await statuses.recordEvent(tx, patientId, change, origin.source, by, at))) continue;
        events.push(...(await carryOut(tx, patientId, change, origin.actor, at)));
        done.push(change);
      }
      return { changes: done, events };
    },

    /** Publishes an outcome's events on the live feed, after the caller's commit. */
    publish(events: readonly StoredEvent[]): void {
      for (const event of events) deps.feed?.publish(event);
    },

    /**
     * A death reported by care (a physician, who establishes it and writes the dödsbevis) before
     * the register knows it: the same consequences as the register's, at once. Needs write
     * access to the patient (logged); a second report, or the register's later, changes nothing.
     */
    async reportDeath(
      ctx: RequestContext,
      patientId: string,
      deceasedOn: string,
    ): Promise<{ deceasedOn: string; changed: boolean }> {
      if (!deps.access) throw new Error('reportDeath needs the access service');
      const actor = ctx.actor;
      if (actor.kind !== 'staff') throw new DomainError('forbidden');
      await deps.access.require(ctx, patientId, 'write', 'dödsfall rapporterat');
      if (!physicianProfessions.includes(actor.profession))
        throw new DomainError('forbidden', 'Endast läkare kan registrera ett dödsfall.');
      const now = clock();
      assertReportableDeath(deceasedOn, swedishToday(now));
      const outcome = await db.transaction((tx) =>
        service.applyRegisterFacts(tx, patientId, { deceasedOn }, now, { source: 'care', actor }),
      );
      service.publish(outcome.events);
      const status = (await statuses.statusesOf([patientId])).get(patientId);
      return { deceasedOn: status?.deceasedOn ?? deceasedOn, changed: outcome.changes.length > 0 };
    },

    /** The statuses of these patients, for views and lists (no access decision: the caller made it). */
    statusesOf: (patientIds: readonly string[]): Promise<Map<string, PatientStatusView>> =>
      statuses.statusesOf(patientIds),
  };
  return service;
}

export type PersonStatusService = ReturnType<typeof createPersonStatusService>;
