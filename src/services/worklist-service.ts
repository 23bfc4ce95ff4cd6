/**
 * The staff worklist ("Mina patienter"). Every patient returned passes the same access
 * decision as a search hit and is logged as one (access.filterSearch); a next contact held by
 * a unit the reader may not see (spärr) is left out, as on the overview.
 */
import type { StaffActor } from '../domain/actor.ts';
import { swedishToday } from '../domain/swedish-time.ts';
import { compareWorklistItems, rankWorklistItem } from '../domain/worklist.ts';
import type { WorklistStore } from '../store/worklist-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';

export interface WorklistServiceDeps {
  worklist: WorklistStore;
  access: AccessService;
  clock: () => Date;
}

const DAY_MS = 86_400_000;

export function createWorklistService(deps: WorklistServiceDeps) {
  return {
    /** My patients, most urgent first; next contacts within `days` count as soon. */
    async listMine(ctx: RequestContext, actor: StaffActor, options: { days: number; limit: number }) {
      const { days, limit } = options;
      const now = deps.clock();
      const today = swedishToday(now);
      const horizon = new Date(now.getTime() + days * DAY_MS);
      const rows = await deps.worklist.listForStaff(actor.staffId, limit);
      const visible = new Set(
        await deps.access.filterSearch(
          ctx,
          rows.map((r) => r.patientId),
        ),
      );
      const patients = [];
      for (const row of rows) {
        if (!visible.has(row.patientId)) continue;
        let nextContactAt = row.nextContactAt;
        if (nextContactAt !== null && row.nextContactUnitId !== actor.unitId) {
          const decision = await deps.access.decide(actor, row.patientId, 'search');
          const isHidden =
            !decision.allowed ||
            decision.hiddenUnitIds.includes(row.nextContactUnitId ?? '') ||
            decision.hiddenProviderIds.includes(row.nextContactProviderId ?? '');
          if (isHidden) nextContactAt = null;
        }
        const next = nextContactAt === null ? null : new Date(nextContactAt);
        const isReviewActive = row.contractStatus === 'active' && row.reviewDate !== null;
        const requestedAt =
          nextContactAt !== null && row.nextContactChangeRequested
            ? (row.nextContactRequestedAt ?? nextContactAt)
            : null;
        const rank = rankWorklistItem(
          {
            requestedAt,
            nextContactAt,
            reviewDate: isReviewActive ? row.reviewDate : null,
            isDeceased: row.deceasedOn !== null,
          },
          now,
        );
        patients.push({
          ...rank,
          patientId: row.patientId,
          name: row.name,
          identifier: row.identifier,
          isProtected: row.isProtected,
          deceasedOn: row.deceasedOn,
          movedOutOn: row.movedOutOn,
          roles: row.roles,
          contractStatus: row.contractStatus,
          reviewDate: row.reviewDate,
          isReviewOverdue:
            row.contractStatus === 'active' && row.reviewDate !== null && row.reviewDate < today,
          nextContactAt,
          nextContactState:
            next === null
              ? null
              : next < now
                ? ('overdue' as const)
                : next <= horizon
                  ? ('soon' as const)
                  : ('later' as const),
          nextContactChangeRequested: nextContactAt !== null && row.nextContactChangeRequested,
          nextContactPatientMessage: nextContactAt === null ? null : row.nextContactPatientMessage,
        });
      }
      patients.sort(compareWorklistItems);
      return { today, days, patients };
    },
  };
}

export type WorklistService = ReturnType<typeof createWorklistService>;
