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
