/**
 * Who is told about a change. Region Gävleborg, handlingsplan Patientkontrakt 2021, point 3: if the patient has a fast
 * vårdkontakt and someone else draws up or changes the contract, the fast vårdkontakt must get
 * a signal. A change the fast vårdkontakt makes themselves is not signalled back to them.
 */
import type { Actor } from './actor.ts';

export interface ChangeEvent {
  patientId: string;
  contractId: string | null;
  kind: ChangeEventKind;
  actor: Actor;
  summary: string;
}

export type ChangeEventKind =
  | 'contract-created'
  | 'contract-changed'
  | 'contract-activated'
  | 'contract-ended'
  | 'care-contact-changed'
  | 'patient-request'
  /** Mobile care teams: an enrolment step, a directive about the level of care, an assessment. */
  | 'enrolment-changed'
  | 'care-directive-changed'
  | 'assessment-recorded'
  /** A stay in hospital that staff recorded: the admission, the discharge with what the plan needs. */
  | 'hospital-stay'
  /** An SBAR escalation: sent to the physician, acknowledged, answered, moved to the backup, closed. */
  | 'escalation.sent'
  | 'escalation.acknowledged'
  | 'escalation.answered'
  | 'escalation.backup'
  | 'escalation.closed'
  /**
   * What the population register (or care) says about the person: a death, a move out of the
   * region or back, a change of protection marker (domain/person-status.ts).
   */
  | 'patient-died'
  | 'patient-moved-out'
  | 'patient-moved-back'
  | 'patient-protection-changed'
  /** A reservnummer merged into the person's real number (domain/patient-merge.ts). */
  | 'patient-merged';

/** The staff who are notified of an event: the fast vårdkontakt, unless they made the change. */
export function recipientsOf(event: ChangeEvent, fastVardkontaktStaffId: string | null): string[] {
  if (fastVardkontaktStaffId === null) return [];
  if (event.actor.kind === 'staff' && event.actor.staffId === fastVardkontaktStaffId) return [];
  return [fastVardkontaktStaffId];
}

/** What one live event (GET /api/events) tells the browser: the patient's id and name and a one-line summary. */
export interface LiveEvent {
  eventId: number;
  patientId: string;
  patientName: string;
  kind: string;
  summary: string;
  actorName: string;
  at: string;
  /** Addressed to me: a notification was stored for me. */
  isNotification: boolean;
}
