/**
 * Change events and the notifications they feed. Written in the same transaction as the
 * change itself, so a change is never saved without its signal to the fast vårdkontakt.
 */
import { actorId, actorUnitId } from '../domain/actor.ts';
import { recipientsOf, type ChangeEvent } from '../domain/notification.ts';
import type { Queryable } from './db.ts';

export interface StoredEvent extends ChangeEvent {
  id: number;
  createdAt: string;
  recipients: string[];
}

/** Records an event and notifies the patient's fast vårdkontakt (unless they are the actor). */
export async function recordChangeEvent(tx: Queryable, event: ChangeEvent): Promise<StoredEvent> {
  const holder = await tx.query<{ staffId: string | null }>(
    `select staff_id as "staffId" from care_contact
     where patient_id = $1 and role = 'fast-vardkontakt' and status = 'active'`,
    [event.patientId],
  );
  const recipients = recipientsOf(event, holder[0]?.staffId ?? null);
  const rows = await tx.query<{ id: number; createdAt: string }>(
    `insert into change_event (patient_id, contract_id, kind, actor_kind, actor_id, actor_name, actor_unit_id, summary)
     values ($1, $2, $3, $4, $5, $6, $7, $8) returning id, created_at as "createdAt"`,
    [
      event.patientId,
      event.contractId,
      event.kind,
      event.actor.kind,
      actorId(event.actor),
      event.actor.name,
      actorUnitId(event.actor),
      event.summary,
    ],
  );
  const stored = rows[0]!;
  if (recipients.length > 0) {
    await tx.query(
      `insert into notification (recipient_staff_id, patient_id, event_id, kind, summary)
       select r, $2, $3, $4, $5 from unnest($1::text[]) as r`,
      [recipients, event.patientId, stored.id, event.kind, `${event.actor.name}: ${event.summary}`],
    );
  }
  return { ...event, id: stored.id, createdAt: stored.createdAt, recipients };
}
