/**
 * The access log as people read it. Log review (loggkontroll, HSLF-FS 2016:40 4 kap 9 §):
 * targeted and sample checks, the queue of emergency accesses, and the reviewer's conclusions;
 * only staff with the role `loggansvarig` at the unit they act from, and only for their own care
 * provider; each look at the log is itself logged. And the patient's own view: which units
 * looked at their data, and when.
 */
import type { PatientActor, StaffActor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import type { AccessLogFilter, AccessLogStore } from '../store/access-log-store.ts';
import type { EhrLaunchStore, LaunchEventFilter } from '../store/ehr-launch-store.ts';
import type { EhrSystemStore } from '../store/ehr-system-store.ts';
import type { EmergencyAccessStore } from '../store/emergency-access-store.ts';
import type { LogReviewStore, NewLogReview } from '../store/log-review-store.ts';
import type { AccessService, RequestContext, StaffContext } from './access-service.ts';

/** The role that may review the access log of its care provider. */
export const LOG_REVIEWER_ROLE = 'loggansvarig';

export interface AuditServiceDeps {
  access: AccessService;
  accessLog: AccessLogStore;
  emergencies: EmergencyAccessStore;
  reviews: LogReviewStore;
  /** The launch log (SMART launches from journal systems, `ehr_launch_event`). */
  launches: Pick<EhrLaunchStore, 'listEvents'>;
  /** The registry of journal systems, for the launch list's filter (id and name only). */
  ehrSystems: Pick<EhrSystemStore, 'list'>;
}

function requireReviewer(actor: StaffActor): void {
  if (actor.role !== LOG_REVIEWER_ROLE)
    throw new DomainError('forbidden', 'Loggkontroll kräver rollen loggansvarig.');
}

export function createAuditService(deps: AuditServiceDeps) {
  return {
    /** For a patient: the entries about them, newest first. */
    async ownLog(ctx: RequestContext & { actor: PatientActor }, limit: number) {
      const { actor } = ctx;
      await deps.access.require(ctx, actor.patientId, 'read', 'egen logg');
      return deps.accessLog.listForPatient(actor.patientId, limit);
    },

    /**
     * For a patient: one entry of their own log by its place (FHIR AuditEvent read), under the
     * same rule as `ownLog`; not_found for a place that is not in it, whoever's it is.
     */
    async ownEntry(ctx: RequestContext & { actor: PatientActor }, seq: number) {
      const { actor } = ctx;
      await deps.access.require(ctx, actor.patientId, 'read', `egen logg, post ${seq}`);
      const entry = await deps.accessLog.findForPatient(actor.patientId, seq);
      if (!entry) throw new DomainError('not_found');
      return entry;
    },

    /**
     * Log review of one entry by its place (FHIR AuditEvent read): an entry of the reviewer's care
     * provider, as `entries` reads them; not_found for any other place. The look is logged, with
     * the entry's patient when there is one to show.
     */
    async entry(ctx: StaffContext, seq: number) {
      requireReviewer(ctx.actor);
      const entry = await deps.accessLog.findForProvider(ctx.actor.providerId, seq);
      await deps.access.logAction(ctx, entry?.patientId ?? null, 'log-review', `post ${seq}`);
      if (!entry) throw new DomainError('not_found');
      return entry;
    },

    /** A targeted check: entries of the reviewer's care provider by user, patient, unit, period. */
    async entries(
      ctx: StaffContext,
      filter: Omit<AccessLogFilter, 'providerId'> & { limit: number },
      detail: string,
    ) {
      requireReviewer(ctx.actor);
      await deps.access.logAction(ctx, filter.patientId ?? null, 'log-review', detail);
      return deps.accessLog.list({ ...filter, providerId: ctx.actor.providerId });
    },

    /** A sample check: random allowed patient accesses of the reviewer's care provider. */
    async sample(
      ctx: StaffContext,
      filter: {
        unitId?: string | undefined;
        from?: string | undefined;
        to?: string | undefined;
        size: number;
      },
      detail: string,
    ) {
      requireReviewer(ctx.actor);
      await deps.access.logAction(ctx, null, 'log-review', detail);
      return deps.accessLog.sample({ ...filter, providerId: ctx.actor.providerId });
    },

    /**
     * The SMART launches from journal systems at the reviewer's care provider, opened and refused,
     * newest first (security.md, "The launch log"), and the registered journal systems to filter
     * by; the look is logged as log review.
     */
    async launches(ctx: StaffContext, filter: Omit<LaunchEventFilter, 'providerId'>, detail: string) {
      requireReviewer(ctx.actor);
      await deps.access.logAction(ctx, null, 'log-review', `SMART-starter ${detail}`);
      const [launches, systems] = await Promise.all([
        deps.launches.listEvents({ ...filter, providerId: ctx.actor.providerId }),
        deps.ehrSystems.list(),
      ]);
      return { launches, systems: systems.map((s) => ({ id: s.id, name: s.name })) };
    },

    /** Records a review's conclusion; returns its id. */
    async record(
      actor: StaffActor,
      review: Omit<NewLogReview, 'reviewerId' | 'reviewerUnitId'>,
    ): Promise<string> {
      requireReviewer(actor);
      return deps.reviews.record({ ...review, reviewerId: actor.staffId, reviewerUnitId: actor.unitId });
    },

    /** The reviews recorded at the reviewer's care provider, newest first. */
    async list(actor: StaffActor, limit: number) {
      requireReviewer(actor);
      return deps.reviews.listForProvider(actor.providerId, limit);
    },

    /** Emergency accesses at the reviewer's care provider, for review. */
    async emergencies(ctx: StaffContext, options: { unreviewedOnly: boolean; limit: number }) {
      requireReviewer(ctx.actor);
      await deps.access.logAction(ctx, null, 'log-review', 'nödåtkomster');
      return deps.emergencies.listForReview(ctx.actor.providerId, options);
    },

    /** Records the review of an emergency access; 404 when there is no such unreviewed one. */
    async reviewEmergency(actor: StaffActor, id: string, conclusion: string): Promise<void> {
      requireReviewer(actor);
      if (!(await deps.emergencies.review(actor.providerId, id, actor.staffId, conclusion)))
        throw new DomainError('not_found', 'Nödåtkomsten finns inte eller är redan granskad.');
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
