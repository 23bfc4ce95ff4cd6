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

/** The columns of `change_event` from patient_id to summary, in table order, as parameters. */
function changeEventParams(event: ChangeEvent): unknown[] {
  return [
    event.patientId,
    event.contractId,
    event.kind,
    event.actor.kind,
    actorId(event.actor),
    event.actor.name,
    actorUnitId(event.actor),
    event.summary,
  ];
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
    changeEventParams(event),
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

/**
 * The patient's active fast vårdkontakt (staff id or null) as a scalar subquery on the patient
 * id in `patientParam` (e.g. `$1`), for a caller that reads it together with its own row.
 */
export const fastVardkontaktSubquery = (patientParam: string): string =>
  `(select staff_id from care_contact where patient_id = ${patientParam} and role = 'fast-vardkontakt'
    and status = 'active')`;

/**
 * A change, its event and the notification to the fast vårdkontakt in one statement (one round
 * trip): `ctes` are the caller's WITH items with parameters `params`, the last one named
 * `change` and yielding the changed row; the event is written only when `change` yields a row.
 * `holderStaffId` is the fast vårdkontakt the caller read (fastVardkontaktSubquery) in the same
 * transaction. Resolves to the changed row and the stored event.
 */
export async function writeWithChangeEvent<T extends object>(
  tx: Queryable,
  ctes: string,
  params: unknown[],
  event: ChangeEvent,
  holderStaffId: string | null,
): Promise<{ row: T; event: StoredEvent } | null> {
  const recipients = recipientsOf(event, holderStaffId);
  const $ = (i: number): string => `$${params.length + i}`;
  const rows = await tx.query<T & { eventId: number; eventCreatedAt: string }>(
    `with ${ctes},
     ev as (
       insert into change_event (patient_id, contract_id, kind, actor_kind, actor_id, actor_name, actor_unit_id,
         summary)
       select ${$(1)}::uuid, ${$(2)}::uuid, ${$(3)}::text, ${$(4)}::text, ${$(5)}::text, ${$(6)}::text,
         ${$(7)}::text, ${$(8)}::text
       where exists (select 1 from change)
       returning id, created_at),
     note as (
       insert into notification (recipient_staff_id, patient_id, event_id, kind, summary)
       select r, ${$(1)}::uuid, ev.id, ${$(3)}::text, ${$(10)}::text from ev, unnest(${$(9)}::text[]) as r)
     select change.*, ev.id as "eventId", ev.created_at as "eventCreatedAt" from change, ev`,
    [...params, ...changeEventParams(event), recipients, `${event.actor.name}: ${event.summary}`],
  );
  const found = rows[0];
  if (!found) return null;
  const { eventId, eventCreatedAt, ...row } = found;
  return {
    row: row as unknown as T,
    event: { ...event, id: eventId, createdAt: eventCreatedAt, recipients },
  };
}
