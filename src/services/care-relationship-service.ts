/**
 * Care relationships registered by hand: a unit that takes part in the patient's care says so,
 * with a reason, for a patient it names by personnummer; and ends it again.
 */
import { checkRegisteredDates } from '../domain/care-relationship.ts';
import { DomainError } from '../domain/errors.ts';
import { swedishToday } from '../domain/swedish-time.ts';
import type { CareRelationshipStore } from '../store/care-relationship-store.ts';
import type { AccessService, StaffContext } from './access-service.ts';
import type { IdentifierLookup } from './identifier-lookup.ts';

export interface CareRelationshipServiceDeps {
  relationships: CareRelationshipStore;
  access: AccessService;
  lookup: IdentifierLookup;
  clock: () => Date;
}

export interface RelationshipRequest {
  identifier: string;
  startDate?: string | undefined;
  endDate?: string | undefined;
  reason: string;
}

export function createCareRelationshipService(deps: CareRelationshipServiceDeps) {
  return {
    /**
     * Registers a relationship between the actor's unit and the patient with this number, from
     * today (Swedish day) unless a start is given. Staff need a care role at their unit, decided
     * before the number is looked up.
     */
    async registerFor(
      ctx: StaffContext,
      request: RelationshipRequest,
    ): Promise<{ id: string; patientId: string }> {
      await deps.access.requireActingInCare(ctx, 'register-relationship', request.reason);
      const patientId = await deps.lookup.resolve(ctx, request.identifier, 'register-relationship');
      await deps.access.logAction(ctx, patientId, 'register-relationship', request.reason);
      const startDate = request.startDate ?? swedishToday(deps.clock());
      checkRegisteredDates(startDate, request.endDate);
      const id = await deps.relationships.register(
        patientId,
        { startDate, endDate: request.endDate, reason: request.reason, unitId: ctx.actor.unitId },
        ctx.actor,
      );
      return { id, patientId };
    },

    /**
     * Ends the actor's unit's registered relationship. Decided like recording the patient's
     * wishes (a unit with a care relationship), and logged as refused otherwise: a unit that
     * never had access is not in the patient's log.
     */
    async end(ctx: StaffContext, patientId: string, id: string): Promise<void> {
      await deps.access.requireWishRecording(ctx, patientId, 'register-relationship', `avslutad ${id}`);
      if (!(await deps.relationships.end(patientId, id, ctx.actor.unitId)))
        throw new DomainError('not_found');
    },
  };
}

export type CareRelationshipService = ReturnType<typeof createCareRelationshipService>;
