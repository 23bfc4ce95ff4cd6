/**
 * What the patient decides about access: consent across care providers, spärr, and the
 * registered care relationships and emergency openings that the access decision reads.
 */
import type { Actor } from '../domain/actor.ts';
import { actorId, actorUnitId } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import type { Queryable } from './db.ts';
import { isForeignKeyViolation } from './pg-errors.ts';
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

export interface BlockRecord {
  id: string;
  scope: 'unit' | 'provider';
  unitId: string | null;
  unitName: string | null;
  providerId: string | null;
  providerName: string | null;
  createdAt: string;
  liftedAt: string | null;
}

export interface NewConsent {
  scope: 'unit' | 'staff';
  unitId?: string | undefined;
  staffId?: string | undefined;
  validFrom?: string | undefined;
  validTo?: string | undefined;
  method: 'i-person' | 'telefon' | 'digitalt';
}

const unknownReference = (error: unknown): never => {
  if (isForeignKeyViolation(error))
    throw new DomainError('invalid_input', 'Enheten, vårdgivaren eller personen finns inte.');
  throw error;
};

export function createConsentStore(db: Queryable) {
  return {
    async listConsents(patientId: string, limit = 100): Promise<ConsentRecord[]> {
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

    async recordConsent(patientId: string, input: NewConsent, actor: Actor, now: string): Promise<string> {
      const validFrom = input.validFrom ?? now;
      if (input.validTo && input.validTo <= validFrom) {
        throw new DomainError('invalid_input', 'Samtycket måste gälla till ett datum efter startdatumet.', [
          { path: '/validTo', message: 'Före start.' },
        ]);
      }
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
            validFrom,
            input.validTo ?? null,
            input.method,
            actor.kind,
            actorId(actor),
            actorUnitId(actor),
          ],
        )
        .catch(unknownReference);
      return rows[0]!.id;
    },

    /** Revokes a consent; takes effect on the next request. False when there is no such active consent. */
    async revokeConsent(patientId: string, id: string, actor: Actor): Promise<boolean> {
      if (!isUuid(id)) return false;
      const rows = await db.query(
        `update consent set revoked_at = now(), revoked_by = $3
         where id = $1 and patient_id = $2 and revoked_at is null returning id`,
        [id, patientId, actorId(actor)],
      );
      return rows.length > 0;
    },

    async listBlocks(patientId: string): Promise<BlockRecord[]> {
      return db.query<BlockRecord>(
        `select b.id, b.scope_kind as scope, b.unit_id as "unitId", u.name as "unitName", b.provider_id as "providerId",
           p.name as "providerName", b.created_at as "createdAt", b.lifted_at as "liftedAt"
         from block b left join care_unit u on u.id = b.unit_id left join care_provider p on p.id = b.provider_id
         where b.patient_id = $1 order by b.created_at desc`,
        [patientId],
      );
    },

    async addBlock(
      patientId: string,
      input: { scope: 'unit' | 'provider'; unitId?: string | undefined; providerId?: string | undefined },
      actor: Actor,
    ): Promise<string> {
      const rows = await db
        .query<{ id: string }>(
          `insert into block (patient_id, scope_kind, unit_id, provider_id, created_by_kind, created_by)
           values ($1, $2, $3, $4, $5, $6) returning id`,
          [
            patientId,
            input.scope,
            input.scope === 'unit' ? (input.unitId ?? null) : null,
            input.scope === 'provider' ? (input.providerId ?? null) : null,
            actor.kind,
            actorId(actor),
          ],
        )
        .catch(unknownReference);
      return rows[0]!.id;
    },

    async liftBlock(patientId: string, id: string, actor: Actor): Promise<boolean> {
      if (!isUuid(id)) return false;
      const rows = await db.query(
        `update block set lifted_at = now(), lifted_by = $3 where id = $1 and patient_id = $2 and lifted_at is null
         returning id`,
        [id, patientId, actorId(actor)],
      );
      return rows.length > 0;
    },

    async registerRelationship(
      patientId: string,
      input: { unitId: string; startDate: string; endDate?: string | undefined; reason: string },
      actor: Actor,
    ): Promise<string> {
      if (input.endDate && input.endDate < input.startDate) {
        throw new DomainError('invalid_input', 'Slutdatum kan inte ligga före startdatum.', [
          { path: '/endDate', message: 'Före start.' },
        ]);
      }
      const rows = await db
        .query<{ id: string }>(
          `insert into care_relationship (patient_id, unit_id, start_date, end_date, reason, created_by)
           values ($1, $2, $3, $4, $5, $6) returning id`,
          [patientId, input.unitId, input.startDate, input.endDate ?? null, input.reason, actorId(actor)],
        )
        .catch(unknownReference);
      return rows[0]!.id;
    },

    async endRelationship(patientId: string, id: string, unitId: string): Promise<boolean> {
      if (!isUuid(id)) return false;
      const rows = await db.query(
        `update care_relationship set ended_at = now() where id = $1 and patient_id = $2 and unit_id = $3
           and ended_at is null returning id`,
        [id, patientId, unitId],
      );
      return rows.length > 0;
    },

    async openEmergency(
      patientId: string,
      input: { staffId: string; unitId: string; reason: string; minutes: number },
    ): Promise<{ id: string; expiresAt: string }> {
      const rows = await db.query<{ id: string; expiresAt: string }>(
        `insert into emergency_access (patient_id, staff_id, unit_id, reason, expires_at)
         values ($1, $2, $3, $4, now() + make_interval(mins => $5)) returning id, expires_at as "expiresAt"`,
        [patientId, input.staffId, input.unitId, input.reason, input.minutes],
      );
      return rows[0]!;
    },

    /** Emergency openings for review, for one care provider. */
    async listEmergencies(providerId: string, options: { unreviewedOnly: boolean; limit?: number }) {
      return db.query<{
        id: string;
        patientId: string;
        staffId: string;
        unitId: string;
        reason: string;
        openedAt: string;
        expiresAt: string;
        reviewedAt: string | null;
        reviewConclusion: string | null;
      }>(
        `select e.id, e.patient_id as "patientId", e.staff_id as "staffId", e.unit_id as "unitId", e.reason,
           e.opened_at as "openedAt", e.expires_at as "expiresAt", e.reviewed_at as "reviewedAt",
           e.review_conclusion as "reviewConclusion"
         from emergency_access e join care_unit u on u.id = e.unit_id
         where u.provider_id = $1 and (not $2 or e.reviewed_at is null) order by e.opened_at desc limit $3`,
        [providerId, options.unreviewedOnly, Math.min(options.limit ?? 500, 500)],
      );
    },

    async reviewEmergency(
      providerId: string,
      id: string,
      reviewerId: string,
      conclusion: string,
    ): Promise<boolean> {
      if (!isUuid(id)) return false;
      const rows = await db.query(
        `update emergency_access e set reviewed_at = now(), reviewed_by = $3, review_conclusion = $4
         from care_unit u where e.id = $1 and u.id = e.unit_id and u.provider_id = $2 and e.reviewed_at is null
         returning e.id`,
        [id, providerId, reviewerId, conclusion],
      );
      return rows.length > 0;
    },
  };
}

export type ConsentStore = ReturnType<typeof createConsentStore>;
