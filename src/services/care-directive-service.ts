/**
 * The patient's own wish about the level of care and a physician's treatment limitation or order
 * of SpO₂ scale 2, each with who and when, beside every assessment. Recording one is a write in
 * the plan (access decided and logged); the physician-only kinds are for physicians.
 */
import type { StaffActor } from '../domain/actor.ts';
import {
  assertMayEnd,
  assertMayRecordDirective,
  careDirectiveKindLabels,
  careDirectiveProblems,
  type CareDirectiveKind,
} from '../domain/care-directive.ts';
import { DomainError } from '../domain/errors.ts';
import type { CareDirectiveView } from '../domain/mobile-care-view.ts';
import type { CareDirectiveStore } from '../store/care-directive-store.ts';
import type { Db } from '../store/db.ts';
import { recordChangeEvent } from '../store/event-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';
import type { ChangeFeed } from './change-feed.ts';

export interface CareDirectiveServiceDeps {
  db: Db;
  directives: CareDirectiveStore;
  access: AccessService;
  feed: ChangeFeed;
  clock: () => Date;
}

const notFound = () => new DomainError('not_found', 'Ställningstagandet finns inte.');

function staffOf(ctx: RequestContext): StaffActor {
  if (ctx.actor.kind !== 'staff') throw new DomainError('forbidden');
  return ctx.actor;
}

export function createCareDirectiveService(deps: CareDirectiveServiceDeps) {
  const { directives, clock } = deps;
  return {
    async record(
      ctx: RequestContext,
      patientId: string,
      input: { kind: CareDirectiveKind; text: string },
    ): Promise<CareDirectiveView> {
      const actor = staffOf(ctx);
      await deps.access.require(ctx, patientId, 'write', 'ställningstagande om vårdnivå');
      const problems = careDirectiveProblems(input);
      if (problems.length > 0) throw new DomainError('invalid_input', problems[0]!.message, problems);
      assertMayRecordDirective(input.kind, actor.profession);
      const at = clock().toISOString();
      const { id, event } = await deps.db.transaction(async (tx) => {
        const id = await directives.create(tx, patientId, input, actor, at);
        const event = await recordChangeEvent(tx, {
          patientId,
          contractId: null,
          kind: 'care-directive-changed',
          actor,
          summary: `Dokumenterade: ${careDirectiveKindLabels[input.kind]}`,
        });
        return { id, event };
      });
      deps.feed.publish(event);
      return (await directives.find(id))!;
    },

    async end(ctx: RequestContext, id: string): Promise<CareDirectiveView> {
      const actor = staffOf(ctx);
      const d = await directives.find(id);
      if (!d) {
        await deps.access.logDenied(ctx, null, 'write', 'no-patient', `ställningstagande ${id}`);
        throw notFound();
      }
      // A denial answers exactly like a directive that does not exist.
      await deps.access
        .require(ctx, d.patientId, 'write', `ställningstagande ${d.id}`)
        .catch((error: unknown) => {
          throw error instanceof DomainError && error.code === 'not_found' ? notFound() : error;
        });
      assertMayRecordDirective(d.kind, actor.profession);
      assertMayEnd(d);
      const at = clock().toISOString();
      const event = await deps.db.transaction(async (tx) => {
        if (!(await directives.end(tx, d.id, actor, at))) throw new DomainError('care_directive_ended');
        return recordChangeEvent(tx, {
          patientId: d.patientId,
          contractId: null,
          kind: 'care-directive-changed',
          actor,
          summary: `Avslutade: ${careDirectiveKindLabels[d.kind]}`,
        });
      });
      deps.feed.publish(event);
      return (await directives.find(d.id))!;
    },
  };
}

export type CareDirectiveService = ReturnType<typeof createCareDirectiveService>;
