/**
 * Spärrar: information held by a unit or a care provider that the patient has blocked from
 * readers elsewhere (Patientdatalagen 2008:355, 4 kap 4 §).
 */
import type { Actor } from '../domain/actor.ts';
import { actorId } from '../domain/actor.ts';
import type { Queryable } from './db.ts';
import { isUuid } from './patient-store.ts';
import { throwUnknownReference } from './pg-errors.ts';

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

export function createBlockStore(db: Queryable) {
  return {
    /**
     * Every unit whose information a standing spärr of the patient covers (a blocked unit, and
     * every unit of a blocked care provider), and the unit that holds the patient's current plan
     * (its owner, else the listed vårdcentral): what an SBAR draft leaves out (domain/sbar.ts).
     */
    async blockedUnits(patientId: string): Promise<{ unitIds: string[]; planHolderUnitId: string | null }> {
      const rows = await db.query<{ unitIds: string[]; planHolderUnitId: string | null }>(
        `select coalesce((select array_agg(distinct u.id) from block b join care_unit u
                            on (b.scope_kind = 'unit' and u.id = b.unit_id)
                            or (b.scope_kind = 'provider' and u.provider_id = b.provider_id)
                           where b.patient_id = $1 and b.lifted_at is null), '{}') as "unitIds",
                (select coalesce(c.owner_unit_id, p.listed_unit_id) from contract c join patient p on p.id = c.patient_id
                  where c.patient_id = $1 and c.status <> 'ended') as "planHolderUnitId"`,
        [patientId],
      );
      return rows[0] ?? { unitIds: [], planHolderUnitId: null };
    },

    /** The patient a spärr is about (FHIR Consent read decides access by it), or null. */
    async patientOf(id: string): Promise<string | null> {
      const rows = await db.query<{ patientId: string }>(
        `select patient_id as "patientId" from block where id::text = $1`,
        [id],
      );
      return rows[0]?.patientId ?? null;
    },

    async list(patientId: string): Promise<BlockRecord[]> {
      return db.query<BlockRecord>(
        `select b.id, b.scope_kind as scope, b.unit_id as "unitId", u.name as "unitName", b.provider_id as "providerId",
           p.name as "providerName", b.created_at as "createdAt", b.lifted_at as "liftedAt"
         from block b left join care_unit u on u.id = b.unit_id left join care_provider p on p.id = b.provider_id
         where b.patient_id = $1 order by b.created_at desc`,
        [patientId],
      );
    },

    async add(
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
        .catch(throwUnknownReference);
      return rows[0]!.id;
    },

    async lift(patientId: string, id: string, actor: Actor): Promise<boolean> {
      if (!isUuid(id)) return false;
      const rows = await db.query(
        `update block set lifted_at = now(), lifted_by = $3 where id = $1 and patient_id = $2 and lifted_at is null
         returning id`,
        [id, patientId, actorId(actor)],
      );
      return rows.length > 0;
    },
  };
}

export type BlockStore = ReturnType<typeof createBlockStore>;
