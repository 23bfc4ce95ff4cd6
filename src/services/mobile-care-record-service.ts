/**
 * The mobile-care records one by one, for the FHIR server: an enrolment, an assessment or an
 * escalation found by its id, or all of a patient's. Every answer comes from the patient's
 * mobile-care view (enrolment-service#mobileCareOf), so the access decision, its log entry and the
 * spärr filter are the same as on the JSON API; a record the reader may not see answers exactly
 * like a missing one. A team is read through the team service (its members only).
 */
import { DomainError } from '../domain/errors.ts';
import type { MobileCare, TeamDetail } from '../domain/mobile-care-view.ts';
import type { AssessmentStore } from '../store/assessment-store.ts';
import type { EnrolmentStore } from '../store/enrolment-store.ts';
import type { EscalationStore } from '../store/escalation-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';
import type { EnrolmentService } from './enrolment-service.ts';
import type { TeamService } from './team-service.ts';

export interface MobileCareRecordDeps {
  enrolmentService: EnrolmentService;
  teamService: TeamService;
  enrolments: EnrolmentStore;
  assessments: AssessmentStore;
  escalations: EscalationStore;
  access: AccessService;
}

export type MobileCareRecordKind = 'enrolment' | 'assessment' | 'escalation';

const detailOf: Record<MobileCareRecordKind, string> = {
  enrolment: 'inskrivning',
  assessment: 'bedömning',
  escalation: 'SBAR',
};

export function createMobileCareRecordService(deps: MobileCareRecordDeps) {
  async function patientOf(kind: MobileCareRecordKind, id: string): Promise<string | null> {
    switch (kind) {
      case 'enrolment':
        return (await deps.enrolments.find(id))?.patientId ?? null;
      case 'assessment':
        return (await deps.assessments.find(id))?.patientId ?? null;
      case 'escalation':
        return (await deps.escalations.find(id))?.patientId ?? null;
    }
  }

  function pick(care: MobileCare, kind: MobileCareRecordKind, id: string) {
    switch (kind) {
      case 'enrolment':
        return care.enrolments.find((e) => e.id === id);
      case 'assessment':
        return care.assessments.find((a) => a.id === id);
      case 'escalation':
        return care.escalations.find((e) => e.id === id);
    }
  }

  return {
    /**
     * The patient's mobile care together with the one record `id` of `kind` in it. Missing,
     * denied, hidden by spärr or beyond what the view lists: not found, and the attempt logged.
     */
    async recordOf(
      ctx: RequestContext,
      kind: MobileCareRecordKind,
      id: string,
    ): Promise<{ care: MobileCare; patientId: string }> {
      const patientId = await patientOf(kind, id);
      if (patientId === null) {
        await deps.access.logDenied(ctx, null, 'read', 'no-patient', `${detailOf[kind]} ${id}`);
        throw new DomainError('not_found');
      }
      const care = await deps.enrolmentService.mobileCareOf(ctx, patientId);
      if (!pick(care, kind, id)) throw new DomainError('not_found');
      return { care, patientId };
    },

    /**
     * The mobile care of each patient a search names that the reader may see (each decided and
     * logged); the others are left out, exactly like patients that do not exist.
     */
    async recordsOf(ctx: RequestContext, patientIds: readonly string[]): Promise<Map<string, MobileCare>> {
      const found = new Map<string, MobileCare>();
      for (const patientId of new Set(patientIds)) {
        try {
          found.set(patientId, await deps.enrolmentService.mobileCareOf(ctx, patientId));
        } catch (error) {
          if (!(error instanceof DomainError && error.code === 'not_found')) throw error;
        }
      }
      return found;
    },

    /** A team with its members and the number that answers now: for its members, else not found. */
    team: (ctx: RequestContext, teamId: string): Promise<TeamDetail> => deps.teamService.get(ctx, teamId),
  };
}

export type MobileCareRecordService = ReturnType<typeof createMobileCareRecordService>;
