/**
 * Change events and the notifications they feed. Written in the same transaction as the
 * change itself, so a change is never saved without its signal to the fast vårdkontakt.
 */
import { actorId, actorUnitId } from '../domain/actor.ts';
import { recipientsOf, type ChangeEvent } from '../domain/notification.ts';
import type { Queryable } from './db.ts';
import { namedSql, type NamedStatement } from './named-sql.ts';

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

/**
 * Records an event and notifies the patient's fast vårdkontakt (unless they are the actor).
 * `notify: false` records it in the plan's timeline and the live feed only: one step of a change
 * whose one notification another event carries (a death ends the plan, the enrolments and the
 * escalations, and the fast vårdkontakt is told once).
 */
export async function recordChangeEvent(
  tx: Queryable,
  event: ChangeEvent,
  options: { notify?: boolean } = {},
): Promise<StoredEvent> {
  const holder =
    options.notify === false
      ? []
      : await tx.query<{ staffId: string | null }>(
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

/** The parameters `changeEventStatement` adds to the caller's. */
type ChangeEventParam =
  | 'eventPatientId'
  | 'eventContractId'
  | 'eventKind'
  | 'eventActorKind'
  | 'eventActorId'
  | 'eventActorName'
  | 'eventActorUnitId'
  | 'eventSummary'
  | 'recipients'
  | 'notificationSummary';

/**
 * A change, its event and the notification to the fast vårdkontakt as one statement, compiled
 * once (at the caller's module load): `ctes` are the caller's WITH items with its named
 * parameters `names`, the last one named `change` and yielding the changed row; the event is
 * written only when `change` yields a row. Run it with `writeWithChangeEvent`.
 */
export function changeEventStatement<const N extends string>(
  ctes: string,
  names: readonly N[],
): NamedStatement<N | ChangeEventParam> {
  return namedSql(
    `with ${ctes},
ev as (
  insert into change_event (patient_id, contract_id, kind, actor_kind, actor_id, actor_name, actor_unit_id,
    summary)
  select :eventPatientId::uuid, :eventContractId::uuid, :eventKind::text, :eventActorKind::text,
    :eventActorId::text, :eventActorName::text, :eventActorUnitId::text, :eventSummary::text
  where exists (select 1 from change)
  returning id, created_at),
note as (
  insert into notification (recipient_staff_id, patient_id, event_id, kind, summary)
  select r, :eventPatientId::uuid, ev.id, :eventKind::text, :notificationSummary::text
  from ev, unnest(:recipients::text[]) as r)
select change.*, ev.id as "eventId", ev.created_at as "eventCreatedAt" from change, ev`,
    [
      ...names,
      'eventPatientId',
      'eventContractId',
      'eventKind',
      'eventActorKind',
      'eventActorId',
      'eventActorName',
      'eventActorUnitId',
      'eventSummary',
      'recipients',
      'notificationSummary',
    ],
  );
}

/**
 * Runs a `changeEventStatement` (one round trip, atomic on its own) with the caller's `values`
 * and the event's. `recipients` are the staff the caller decided to notify
 * (domain/notification.ts#recipientsOf, on the fast vårdkontakt it read with its row:
 * fastVardkontaktSubquery). Resolves to the changed row and the stored event; null when `change`
 * yielded no row.
 */
export async function writeWithChangeEvent<T extends object, N extends string>(
  tx: Queryable,
  statement: NamedStatement<N | ChangeEventParam>,
  values: Readonly<Record<N, unknown>>,
  event: ChangeEvent,
  recipients: readonly string[],
): Promise<{ row: T; event: StoredEvent } | null> {
  const eventValues: Record<ChangeEventParam, unknown> = {
    eventPatientId: event.patientId,
    eventContractId: event.contractId,
    eventKind: event.kind,
    eventActorKind: event.actor.kind,
    eventActorId: actorId(event.actor),
    eventActorName: event.actor.name,
    eventActorUnitId: actorUnitId(event.actor),
    eventSummary: event.summary,
    recipients,
    notificationSummary: `${event.actor.name}: ${event.summary}`,
  };
  const rows = await tx.query<T & { eventId: number; eventCreatedAt: string }>(
    statement.text,
    statement.params({ ...values, ...eventValues }),
  );
  const found = rows[0];
  if (!found) return null;
  const { eventId, eventCreatedAt, ...row } = found;
  return {
    row: row as unknown as T,
    event: { ...event, id: eventId, createdAt: eventCreatedAt, recipients: [...recipients] },
  };
}
