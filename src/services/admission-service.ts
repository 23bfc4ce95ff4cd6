/**
 * Admissions to hospital (vårdtillfällen) imported as periods (docs/imports.md): in the same
 * transaction an admission pauses the patient's active enrolment in a mobile team and a discharge
 * resumes the one an admission paused, each step in the enrolment's history and as a change
 * event in the patient's plan, so the fast vårdkontakt and the team see that the patient is in
 * hospital or home again. Follow-up reads the stays (the section Mobila team).
 */
import type { StaffActor } from '../domain/actor.ts';
import { eventOf, nextEnrolmentStatus } from '../domain/enrolment.ts';
import { ADMITTED, admissionStep, DISCHARGED } from '../domain/hospital-stay.ts';
import type { Queryable } from '../store/db.ts';
import type { AdmissionCandidate, EnrolmentStore } from '../store/enrolment-store.ts';
import { recordChangeEvent, type StoredEvent } from '../store/event-store.ts';
import type { ImportResult, ImportStore } from '../store/import-store.ts';
import type { ChangeFeed } from './change-feed.ts';
import { runImport, type ImportRequest } from './import-reader.ts';
import type { Readable } from 'node:stream';

export interface AdmissionServiceDeps {
  imports: ImportStore;
  enrolments: EnrolmentStore;
  /** The live feed, when the import runs in the server; the CLI's events reach it from the database. */
  feed?: ChangeFeed;
}

/** Who the enrolment steps and events name: the import, by its actor (a user or `cli:<user>`). */
function importActor(request: ImportRequest): StaffActor {
  return {
    kind: 'staff',
    staffId: request.actorId,
    name: 'Import av vårdtillfällen',
    profession: 'system',
    unitId: request.unitId ?? '',
    providerId: '',
    role: 'system',
  };
}

/**
 * Pauses the active enrolments of patients now in hospital and resumes those an admission paused
 * of patients now home, in `tx`, each step in the enrolment's history (with the reason) and a change event in the plan that the fast vårdkontakt is told of. The import
 * and the stays staff record (hospital-stay-service.ts) both take this way.
 */
export async function applyStaysToEnrolments(
  enrolments: EnrolmentStore,
  tx: Queryable,
  candidates: readonly AdmissionCandidate[],
  actor: StaffActor,
  at: string,
  /** Who the enrolment's history names: null (the system) for an import, else the member of staff. */
  stepActor: StaffActor | null = null,
): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (const enrolment of candidates) {
    const step = admissionStep(enrolment);
    if (step === null) continue;
    const action = { kind: step } as const;
    await enrolments.transition(
      tx,
      enrolment.id,
      {
        from: enrolment.status,
        to: nextEnrolmentStatus(enrolment.status, action),
        action: eventOf(action),
      },
      stepActor,
      at,
      step === 'pause' ? ADMITTED : DISCHARGED,
    );
    events.push(
      await recordChangeEvent(tx, {
        patientId: enrolment.patientId,
        contractId: enrolment.contractId,
        kind: 'enrolment-changed',
        actor,
        summary:
          step === 'pause'
            ? `Inlagd på sjukhus: inskrivningen i ${enrolment.teamName} vilar`
            : `Utskriven från sjukhus: inskrivningen i ${enrolment.teamName} återupptagen`,
      }),
    );
  }
  return events;
}

export function createAdmissionService(deps: AdmissionServiceDeps) {
  return {
    /** Imports a file of admissions (kind 'admissions'), all-or-nothing unless the request says otherwise. */
    async importAdmissions(input: Readable, request: Omit<ImportRequest, 'kind'>): Promise<ImportResult> {
      const full: ImportRequest = { ...request, kind: 'admissions' };
      const actor = importActor(full);
      const at = full.now.toISOString();
      let events: StoredEvent[] = [];
      const result = await runImport(deps.imports, input, full, {
        admissions: async (tx, importId) => {
          events = await applyStaysToEnrolments(
            deps.enrolments,
            tx,
            await deps.enrolments.admissionCandidates(tx, { importId }),
            actor,
            at,
          );
        },
      });
      if (result.importId !== null) for (const event of events) deps.feed?.publish(event);
      return result;
    },
  };
}

export type AdmissionService = ReturnType<typeof createAdmissionService>;
