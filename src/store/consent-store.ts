/**
 * The patient's consents: who outside the care provider that holds the plan may read it
 * (Lag 2022:913 om sammanhållen vård- och omsorgsdokumentation).
 */
import type { Actor } from '../domain/actor.ts';
import type { ConsentRequest } from '../domain/consent.ts';
import { actorId, actorUnitId } from '../domain/actor.ts';
import type { Queryable } from './db.ts';
import { throwUnknownReference } from './pg-errors.ts';
import { isUuid } from './patient-store.ts';

export interface ConsentRecord {
  id: string;
  scope: 'unit' | 'staff';
  unitId: string | null;
  unitName: string | null;
  staffId: string | null;
  staffName: string | null;
  validFrom: string;
  validTo: string | null;
  method: 'i-person' | 'telefon' | 'digitalt';
  recordedByKind: 'staff' | 'patient';
  recordedBy: string;
  recordedAt: string;
  revokedAt: string | null;
}

export type NewConsent = ConsentRequest & { validFrom: string };

export function createConsentStore(db: Queryable) {
  return {
    /** The patient a consent is about (FHIR Consent read decides access by it), or null. */
    async patientOf(id: string): Promise<string | null> {
      const rows = await db.query<{ patientId: string }>(
        `select patient_id as "patientId" from consent where id::text = $1`,
        [id],
      );
      return rows[0]?.patientId ?? null;
    },

    async list(patientId: string, limit = 100): Promise<ConsentRecord[]> {
      return db.query<ConsentRecord>(
        `select c.id, c.scope_kind as scope, c.unit_id as "unitId", u.name as "unitName", c.staff_id as "staffId",
           s.given_name || ' ' || s.family_name as "staffName", c.valid_from as "validFrom", c.valid_to as "validTo",
           c.method, c.recorded_by_kind as "recordedByKind", c.recorded_by as "recordedBy", c.recorded_at as "recordedAt",
           c.revoked_at as "revokedAt"
         from consent c left join care_unit u on u.id = c.unit_id left join staff s on s.id = c.staff_id
         where c.patient_id = $1 order by c.recorded_at desc limit $2`,
        [patientId, limit],
      );
    },

    /**
     * The units the patient's current plan names (an activity, the next contact, an active fixed
     * contact or treating role) that belong to another care provider than the plan's holder and
     * have no current consent and no spärr: they are in the plan but cannot read it (Lag 2022:913).
     * For the patient's own view only; the holder is the unit that drew up the plan, or where the
     * patient is listed.
     */
    async unitsWithoutConsent(
      patientId: string,
      now: string,
    ): Promise<{ unitId: string; unitName: string }[]> {
      return db.query<{ unitId: string; unitName: string }>(
        `with plan as (
           select k.content, coalesce(k.owner_unit_id, p.listed_unit_id) as holder
             from patient p left join contract k on k.patient_id = p.id and k.status <> 'ended'
            where p.id = $1
         ), named as (
           select a->>'unitId' as unit_id
             from plan, jsonb_array_elements(coalesce(plan.content->'activities', '[]'::jsonb)) a
           union select plan.content->'nextContact'->>'unitId' from plan
           union select c.unit_id from care_contact c where c.patient_id = $1 and c.status = 'active'
         )
         select u.id as "unitId", u.name as "unitName"
           from named n join care_unit u on u.id = n.unit_id
           join plan on true join care_unit h on h.id = plan.holder
          where u.provider_id <> h.provider_id
            and not exists (select 1 from consent c where c.patient_id = $1 and c.scope_kind = 'unit'
                              and c.unit_id = u.id and c.revoked_at is null and c.valid_from <= $2
                              and (c.valid_to is null or c.valid_to > $2))
            and not exists (select 1 from block b where b.patient_id = $1 and b.lifted_at is null
                              and (b.unit_id = u.id or b.provider_id = u.provider_id))
          order by u.name`,
        [patientId, now],
      );
    },

    /** Records a consent (checked by `domain/consent.ts#consentToRecord`); returns its id. */
    async record(patientId: string, input: NewConsent, actor: Actor): Promise<string> {
      const rows = await db
        .query<{ id: string }>(
          `insert into consent (patient_id, scope_kind, unit_id, staff_id, valid_from, valid_to, method,
             recorded_by_kind, recorded_by, recorded_by_unit_id)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
          [
            patientId,
            input.scope,
            input.scope === 'unit' ? (input.unitId ?? null) : null,
            input.scope === 'staff' ? (input.staffId ?? null) : null,
            input.validFrom,
            input.validTo ?? null,
            input.method,
            actor.kind,
            actorId(actor),
            actorUnitId(actor),
          ],
        )
        .catch(throwUnknownReference);
      return rows[0]!.id;
    },

    /** Revokes a consent; takes effect on the next request. False when there is no such active consent. */
    async revoke(patientId: string, id: string, actor: Actor): Promise<boolean> {
      if (!isUuid(id)) return false;
      const rows = await db.query(
        `update consent set revoked_at = now(), revoked_by = $3
         where id = $1 and patient_id = $2 and revoked_at is null returning id`,
        [id, patientId, actorId(actor)],
      );
      return rows.length > 0;
    },
  };
}

export type ConsentStore = ReturnType<typeof createConsentStore>;
