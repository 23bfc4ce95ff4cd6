/**
 * Spärr: reading, adding and lifting the patient's spärrar, each decided and logged by the
 * access service (a patient or a unit with a care relationship records the patient's wishes).
 */
import { blocksShownTo, checkBlockTarget, checkLift, type BlockRequest } from '../domain/block.ts';
import { DomainError } from '../domain/errors.ts';
import type { BlockRecord, BlockStore } from '../store/block-store.ts';
import type { Db, Queryable } from '../store/db.ts';
import type { AccessService, RequestContext } from './access-service.ts';
import type { AccessNarrowing } from './consent-service.ts';

export interface BlockServiceDeps {
  db: Db;
  blocks: BlockStore;
  /** The same store in a transaction. */
  blocksIn: (q: Queryable) => BlockStore;
  access: AccessService;
  narrowAccess: AccessNarrowing;
}

export function createBlockService(deps: BlockServiceDeps) {
  return {
    /** The spärrar the reader is shown (`domain/block.ts#blocksShownTo`). */
    async list(
      ctx: RequestContext,
      patientId: string,
    ): Promise<{ blocks: BlockRecord[]; hasOtherBlocks: boolean }> {
      await deps.access.requireWishRecording(ctx, patientId, 'read', 'spärrar');
      return blocksShownTo(ctx.actor, await deps.blocks.list(patientId));
    },

    /** The patient a spärr is about, or null: only to decide access to it (`list`). */
    async patientOf(id: string): Promise<string | null> {
      return deps.blocks.patientOf(id);
    },

    /**
     * Blocks the information a unit or care provider holds; returns the spärr's id. In the same
     * transaction, what was queued for readers who lose access by it is struck (`narrowAccess`).
     */
    async add(ctx: RequestContext, patientId: string, request: BlockRequest): Promise<string> {
      checkBlockTarget(request);
      await deps.access.requireWishRecording(ctx, patientId, 'block', `${request.scope}`);
      return deps.db.transaction(async (tx) => {
        const id = await deps.blocksIn(tx).add(patientId, request, ctx.actor);
        await deps.narrowAccess(tx, patientId);
        return id;
      });
    },

    /** Lifts a spärr (staff with the patient's consent); 404 when there is no such standing one. */
    async lift(
      ctx: RequestContext,
      patientId: string,
      id: string,
      patientConsent: { method: string } | undefined,
    ): Promise<void> {
      checkLift(ctx.actor, patientConsent);
      await deps.access.requireWishRecording(ctx, patientId, 'lift-block', id);
      if (!(await deps.blocks.lift(patientId, id, ctx.actor)))
        throw new DomainError('not_found', 'Spärren finns inte eller är redan hävd.');
    },
  };
}

export type BlockService = ReturnType<typeof createBlockService>;
