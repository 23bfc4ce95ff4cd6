/**
 * Stays in hospital that staff record through the JSON API (besides the admissions import,
 * admission-service.ts), with the same effects: an admission pauses the patient's active
 * enrolment in a mobile team and a discharge resumes the one an admission paused, each step in
 * the enrolment's history and a change event in the plan that the fast vårdkontakt is told of.
 * A discharge answers with what the plan needs next (lag (2017:612) om samverkan vid utskrivning
 * från sluten hälso- och sjukvård): the plan, its next contact, the fast vårdkontakt, and what is
 * missing. Access first, for every read and write; a stay at a unit hidden from the reader
 * (spärr) is left out of the list.
 */
import type { StaffActor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import {
  admissionProblems,
  dischargeFollowUp,
  dischargeProblems,
  type DischargeFollowUp,
  type HospitalStay,
} from '../domain/hospital-stay.ts';
import { visibleStays } from '../domain/redaction.ts';
import type { Db, Queryable } from '../store/db.ts';
import type { EnrolmentStore } from '../store/enrolment-store.ts';
import { recordChangeEvent, type StoredEvent } from '../store/event-store.ts';
import type { HospitalStayStore } from '../store/hospital-stay-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';
import { applyStaysToEnrolments } from './admission-service.ts';
import type { ChangeFeed } from './change-feed.ts';

export interface HospitalStayServiceDeps {
  db: Db;
  stays: HospitalStayStore;
  enrolments: EnrolmentStore;
  access: AccessService;
  feed: ChangeFeed;
  clock: () => Date;
  /** Whether a care unit exists (the ward or clinic). */
  unitExists: (unitId: string) => Promise<boolean>;
}

const notFound = () => new DomainError('not_found', 'Vårdtillfället finns inte.');
const invalid = (problems: { path: string; message: string }[]) =>
  new DomainError('hospital_stay_invalid', undefined, problems);

function staffOf(ctx: RequestContext): StaffActor {
  if (ctx.actor.kind !== 'staff') throw new DomainError('forbidden');
  return ctx.actor;
}

export function createHospitalStayService(deps: HospitalStayServiceDeps) {
  const { stays, clock } = deps;

  /** The stay, after the write decision about its patient (a denial answers like a missing stay). */
  async function findForWrite(ctx: RequestContext, patientId: string, stayId: string): Promise<HospitalStay> {
    await deps.access.require(ctx, patientId, 'write', `vårdtillfälle ${stayId}`).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === 'not_found' ? notFound() : error;
    });
    const stay = await stays.find(stayId);
    if (!stay || stay.patientId !== patientId) throw notFound();
    return stay;
  }

  /**
   * Brings the patient's enrolments in line with their stays as the write just left them (pauses
   * or resumes, in the enrolment's history by the member of staff): the change events written.
   */
  async function applyStays(tx: Queryable, patientId: string, actor: StaffActor, at: string) {
    const candidates = await deps.enrolments.admissionCandidates(tx, { patientId });
    return applyStaysToEnrolments(deps.enrolments, tx, candidates, actor, at, actor);
  }

  /** The patient's stays the reader may see (decided and logged; spärr: domain/redaction.ts#visibleStays). */
  async function visibleStaysOf(ctx: RequestContext, patientId: string, limit: number) {
    const grant = await deps.access.require(ctx, patientId, 'read', 'vårdtillfällen');
    return visibleStays(await stays.listForPatient(patientId, limit), grant.isHidden);
  }

  async function publish(events: readonly StoredEvent[]): Promise<void> {
    for (const event of events) deps.feed.publish(event);
  }

  return {
    /** The patient's stays, newest first; stays at a unit hidden from the reader are left out. */
    async list(ctx: RequestContext, patientId: string, limit: number): Promise<HospitalStay[]> {
      staffOf(ctx);
      return visibleStaysOf(ctx, patientId, limit);
    },

    /**
     * The patient's stays for other systems (FHIR Encounter), newest first: the same access
     * decision as reading the patient (staff, the patient, a system client), logged, and the same
     * spärr rule as the list.
     */
    listForRecord: (ctx: RequestContext, patientId: string, limit: number): Promise<HospitalStay[]> =>
      visibleStaysOf(ctx, patientId, limit),

    /**
     * One stay by id, read under its patient's access rule; a missing stay, one the reader may not
     * see and one hidden by a spärr all answer the same not_found.
     */
    async readForRecord(ctx: RequestContext, stayId: string): Promise<HospitalStay> {
      const stay = await stays.find(stayId);
      if (!stay) throw new DomainError('not_found');
      const grant = await deps.access.require(ctx, stay.patientId, 'read', `vårdtillfälle ${stay.id}`);
      if (visibleStays([stay], grant.isHidden).length === 0) throw new DomainError('not_found');
      return stay;
    },

    /** Records an admission: pauses an active enrolment in a mobile team, in the plan's timeline. */
    async admit(
      ctx: RequestContext,
      patientId: string,
      input: { unitId: string; admittedAt: string },
    ): Promise<HospitalStay> {
      const actor = staffOf(ctx);
      await deps.access.require(ctx, patientId, 'write', 'inläggning på sjukhus');
      const now = clock();
      const problems = admissionProblems(input, now, await stays.openStay(patientId));
      if (!(await deps.unitExists(input.unitId)))
        problems.push({ path: '/unitId', message: 'Vårdenheten finns inte.' });
      if (problems.length > 0) throw invalid(problems);
      const at = now.toISOString();
      const admittedAt = new Date(input.admittedAt).toISOString();
      const { id, events } = await deps.db.transaction(async (tx) => {
        const id = await stays.admit(tx, { patientId, unitId: input.unitId, admittedAt }, actor, at);
        // Someone recorded a stay in between: the rule is checked again, inside the write.
        if (!id)
          throw invalid([
            {
              path: '/admittedAt',
              message: 'Patienten har redan ett pågående vårdtillfälle. Ladda om sidan.',
            },
          ]);
        const events = await applyStays(tx, patientId, actor, at);
        if (events.length === 0)
          events.push(
            await recordChangeEvent(tx, {
              patientId,
              contractId: null,
              kind: 'hospital-stay',
              actor,
              summary: 'Inlagd på sjukhus',
            }),
          );
        return { id, events };
      });
      await publish(events);
      return (await stays.find(id))!;
    },

    /**
     * Records the discharge of an open stay: resumes an enrolment the admission paused, and
     * answers with the plan's follow-up after the discharge.
     */
    async discharge(
      ctx: RequestContext,
      patientId: string,
      stayId: string,
      input: { dischargedAt: string },
    ): Promise<{ stay: HospitalStay; followUp: DischargeFollowUp }> {
      const actor = staffOf(ctx);
      const stay = await findForWrite(ctx, patientId, stayId);
      const now = clock();
      const problems = dischargeProblems(stay, input, now);
      if (problems.length > 0) throw invalid(problems);
      const at = now.toISOString();
      const dischargedAt = new Date(input.dischargedAt).toISOString();
      const { events, plan } = await deps.db.transaction(async (tx) => {
        if (!(await stays.discharge(tx, stay.id, dischargedAt, actor, at)))
          throw invalid([{ path: '/dischargedAt', message: 'Vårdtillfället har redan en utskrivning.' }]);
        const plan = dischargeFollowUp(await stays.planAtDischarge(patientId, tx), dischargedAt);
        const events = await applyStays(tx, patientId, actor, at);
        // The fast vårdkontakt hears of every discharge (through the enrolment's event, or this
        // one), and of what the plan still needs after it.
        if (events.length === 0 || plan.todo.length > 0)
          events.push(
            await recordChangeEvent(tx, {
              patientId,
              contractId: plan.contractId,
              kind: 'hospital-stay',
              actor,
              summary: `Utskriven från sjukhus${plan.todo.length > 0 ? `. Att göra: ${plan.todo.join(' ')}` : ''}`,
            }),
          );
        return { events, plan };
      });
      await publish(events);
      return { stay: (await stays.find(stay.id))!, followUp: plan };
    },
  };
}

export type HospitalStayService = ReturnType<typeof createHospitalStayService>;
