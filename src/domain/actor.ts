/** Who is acting: a member of staff from one unit, or a patient. */
export type Actor = StaffActor | PatientActor;

export interface StaffActor {
  kind: 'staff';
  /** HSA-id of the person. */
  staffId: string;
  name: string;
  profession: string;
  /** The unit the user acts from (chosen at login); part of every log entry. */
  unitId: string;
  /** The care provider that unit belongs to. */
  providerId: string;
  /**
   * The role at that unit (`medarbetare`, `verksamhetschef`, `uppfoljning`, `loggansvarig` …),
   * read with the session on every request: what the user may do follows from it.
   */
  role: string;
}

export interface PatientActor {
  kind: 'patient';
  patientId: string;
  name: string;
}

/** The id written in version history, events and logs for an actor. */
export function actorId(actor: Actor): string {
  return actor.kind === 'staff' ? actor.staffId : actor.patientId;
}

/** The unit an actor acts from, or null for patients. */
export function actorUnitId(actor: Actor): string | null {
  return actor.kind === 'staff' ? actor.unitId : null;
}
