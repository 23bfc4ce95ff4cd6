/**
 * The Patientkontrakt and its versions: reads and writes only. What a save may be, and what it
 * writes, is decided by services/contract-service.ts.
 */
import type { Actor } from '../domain/actor.ts';
import { actorId, actorUnitId } from '../domain/actor.ts';
import type {
  ActivationFacts,
  Contract,
  ContractEndReason,
  ContractChange,
  ContractContent,
  ContractStatus,
  ContractVersion,
} from '../domain/contract.ts';
import { DomainError } from '../domain/errors.ts';
import type { ChangeEvent } from '../domain/notification.ts';
import type { Db, Queryable } from './db.ts';
import {
  fastVardkontaktSubquery,
  recordChangeEvent,
  changeEventStatement,
  writeWithChangeEvent,
  type StoredEvent,
} from './event-store.ts';
import { isUniqueViolation } from './pg-errors.ts';
import { isUuid } from './patient-store.ts';

const contractColumns = `c.id, c.patient_id as "patientId", c.status, c.version, c.content,
  c.created_at as "createdAt", c.created_by as "createdBy", c.updated_at as "updatedAt", c.updated_by as "updatedBy"`;

/** What a save needs before it writes: the current contract and the patient's fast vårdkontakt. */
export interface CurrentForUpdate {
  /** The patient's current (draft or active) contract, or null. */
  contract: Contract | null;
  holderStaffId: string | null;
}

/**
 * `CurrentForUpdate` of the patient whose id is the parameter `patient` (e.g. `:patientId`), as a
 * `left join lateral` and its columns (named `cur…`, so that they sit beside other columns):
 * for the session statement of `PUT …/contract` (prefetch-store.ts, `config: { prefetch:
 * 'contract' }`), which then saves the contract service its own read.
 */
export const currentForUpdateSql = (patient: string): { join: string; columns: string } => ({
  join: `left join lateral (select ${contractColumns}, ${fastVardkontaktSubquery(patient)} as "holderStaffId"
    from contract c where c.patient_id = ${patient} and c.status <> 'ended') cur on true`,
  columns: `cur.id as "curId", cur."patientId" as "curPatientId", cur.status as "curStatus",
    cur.version as "curVersion", cur.content as "curContent", cur."createdAt" as "curCreatedAt",
    cur."createdBy" as "curCreatedBy", cur."updatedAt" as "curUpdatedAt", cur."updatedBy" as "curUpdatedBy",
    cur."holderStaffId" as "curHolderStaffId"`,
});

/** The row's `currentForUpdateSql` columns as a `CurrentForUpdate`. */
export function currentForUpdateOf(columns: object): CurrentForUpdate {
  const row = columns as Record<string, unknown>;
  if (row.curId === null || row.curId === undefined) return { contract: null, holderStaffId: null };
  return {
    contract: {
      id: row.curId,
      patientId: row.curPatientId,
      status: row.curStatus,
      version: row.curVersion,
      content: row.curContent,
      createdAt: row.curCreatedAt,
      createdBy: row.curCreatedBy,
      updatedAt: row.curUpdatedAt,
      updatedBy: row.curUpdatedBy,
    } as Contract,
    holderStaffId: (row.curHolderStaffId as string | null) ?? null,
  };
}

export interface SavedContract {
  contract: Contract;
  event: StoredEvent;
}

/** What the rules for drawing up a contract need to know that the contract itself does not hold. */
export interface CreationFacts extends ActivationFacts {
  /** The patient already has a current (draft or active) contract. */
  hasCurrent: boolean;
  /** The day the patient died (domain/person-status.ts), or null. */
  deceasedOn: string | null;
}

/** A new version as the contract service decided it: what to write, and the event it makes. */
export interface NewVersion {
  status: ContractStatus;
  content: ContractContent;
  actor: Actor;
  /** What changed (domain/contract.ts#diffContent), for the version-history row. */
  changes: readonly ContractChange[];
  /** The change event (its kind and summary), written with the version. */
  event: ChangeEvent;
}

const contractWriteParams = [
  'contractId',
  'readVersion',
  'status',
  'content',
  'reviewDate',
  'nextContactAt',
  'actorId',
  'actorKind',
  'actorName',
  'actorUnitId',
  'changes',
  'unitIds',
  'staffIds',
] as const;
type ContractWriteParam = (typeof contractWriteParams)[number];

/**
 * The conditional write of a contract's next version (`writeVersion`): the update only where the
 * contract is still at the version read, not ended, and every unit and person the new content
 * names exists; its history row, the change event and the notification, in one statement.
 */
export const contractWriteStatement = changeEventStatement(
  `upd as (
  update contract c set status = :status, version = version + 1, content = :content, review_date = :reviewDate,
    next_contact_at = :nextContactAt, updated_by = :actorId, updated_at = now(),
    ended_at = case when :status = 'ended' then now() else null end
  where c.id = :contractId and c.version = :readVersion and c.status <> 'ended'
    and not exists (${missingSql('care_unit', ':unitIds')}) and not exists (${missingSql('staff', ':staffIds')})
  returning c.*),
ver as (
  insert into contract_version (contract_id, version, status, content, actor_kind, actor_id, actor_name,
    actor_unit_id, changes)
  select id, version, status, content, :actorKind::text, :actorId, :actorName::text, :actorUnitId::text,
    :changes::jsonb from upd),
change as (select ${contractColumns} from upd c)`,
  contractWriteParams,
);

export function createContractStore(db: Db) {
  async function insertVersion(
    tx: Queryable,
    c: { id: string; version: number; status: ContractStatus; content: ContractContent },
    actor: Actor,
    changes: unknown,
  ): Promise<void> {
    await tx.query(
      `insert into contract_version (contract_id, version, status, content, actor_kind, actor_id, actor_name,
         actor_unit_id, changes) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        c.id,
        c.version,
        c.status,
        c.content,
        actor.kind,
        actorId(actor),
        actor.name,
        actorUnitId(actor),
        JSON.stringify(changes),
      ],
    );
  }

  const currentForUpdate = currentForUpdateSql('$1');

  return {
    /** The patient's current (draft or active) contract, or null. */
    async findCurrent(patientId: string): Promise<Contract | null> {
      if (!isUuid(patientId)) return null;
      const rows = await db.query<Contract>(
        `select ${contractColumns} from contract c where c.patient_id = $1 and c.status <> 'ended'`,
        [patientId],
      );
      return rows[0] ?? null;
    },

    async findById(id: string): Promise<Contract | null> {
      if (!isUuid(id)) return null;
      const rows = await db.query<Contract>(`select ${contractColumns} from contract c where c.id = $1`, [
        id,
      ]);
      return rows[0] ?? null;
    },

    /**
     * The unit each contract's first and latest version was written from (null: by the patient
     * or the system), so that a reader from whom a unit is hidden (spärr) is not told who there
     * wrote it.
     */
    async authorUnits(
      contractIds: readonly string[],
    ): Promise<Map<string, { createdFrom: string | null; updatedFrom: string | null }>> {
      const rows = await db.query<{ id: string; createdFrom: string | null; updatedFrom: string | null }>(
        `select c.id,
           (select v.actor_unit_id from contract_version v where v.contract_id = c.id order by v.version limit 1)
             as "createdFrom",
           (select v.actor_unit_id from contract_version v where v.contract_id = c.id and v.version = c.version)
             as "updatedFrom"
         from contract c where c.id = any($1::uuid[])`,
        [contractIds.filter(isUuid)],
      );
      return new Map(rows.map((r) => [r.id, { createdFrom: r.createdFrom, updatedFrom: r.updatedFrom }]));
    },

    /** All of a patient's contracts, current first, then ended ones newest first. */
    /** The current contract first, then ended ones, newest first; at most `limit`. */
    async listForPatient(patientId: string, limit = 100): Promise<Contract[]> {
      if (!isUuid(patientId)) return [];
      return db.query<Contract>(
        `select ${contractColumns} from contract c where c.patient_id = $1
         order by (c.status = 'ended'), c.updated_at desc limit $2`,
        [patientId, limit],
      );
    },

    /**
     * The current contract and the patient's fast vårdkontakt, as `currentForUpdateSql` reads
     * them (a caller that did not read them with the session).
     */
    async readCurrentForUpdate(patientId: string): Promise<CurrentForUpdate> {
      const rows = await db.query(
        `select ${currentForUpdate.columns} from (select) one ${currentForUpdate.join}`,
        [patientId],
      );
      return currentForUpdateOf(rows[0]!);
    },

    /** The patient's fast vårdkontakt as the activation rule sees it: appointed, declined, or none. */
    async readActivationFacts(patientId: string): Promise<ActivationFacts> {
      if (!isUuid(patientId)) return { fastVardkontakt: null };
      const rows = await db.query<{ status: 'active' | 'declined' }>(
        `select status from care_contact where patient_id = $1 and role = 'fast-vardkontakt'
           and status in ('active', 'declined') order by (status = 'active') desc limit 1`,
        [patientId],
      );
      return { fastVardkontakt: rows[0]?.status ?? null };
    },

    /** Whether the patient has a current contract, and their fast vårdkontakt, in one query. */
    async readCreationFacts(patientId: string): Promise<CreationFacts> {
      if (!isUuid(patientId)) return { hasCurrent: false, fastVardkontakt: null, deceasedOn: null };
      const rows = await db.query<CreationFacts>(
        `select exists (select 1 from contract where patient_id = $1 and status <> 'ended') as "hasCurrent",
           (select deceased_on from patient where id = $1) as "deceasedOn",
           (select status from care_contact where patient_id = $1 and role = 'fast-vardkontakt'
              and status in ('active', 'declined') order by (status = 'active') desc limit 1) as "fastVardkontakt"`,
        [patientId],
      );
      return rows[0]!;
    },

    /** The units and people among the ids given that do not exist. */
    async findMissingReferences(refs: {
      units: readonly string[];
      staff: readonly string[];
    }): Promise<{ units: string[]; staff: string[] }> {
      const [units, staff] = [
        refs.units.length ? await db.query<{ id: string }>(missingSql('care_unit', '$1'), [refs.units]) : [],
        refs.staff.length ? await db.query<{ id: string }>(missingSql('staff', '$1'), [refs.staff]) : [],
      ];
      return { units: units.map((r) => r.id), staff: staff.map((r) => r.id) };
    },

    /**
     * Writes a new contract (version 1) with its history row and change event, in one
     * transaction. A second current contract is refused by the database (contract_exists),
     * which holds under concurrent writers too.
     */
    async insert(
      patientId: string,
      first: Omit<NewVersion, 'event'> & { event: Omit<ChangeEvent, 'contractId'> },
    ): Promise<SavedContract> {
      return db.transaction(async (tx) => {
        let rows: Contract[];
        try {
          rows = await tx.query<Contract>(
            `insert into contract as c (patient_id, status, version, content, review_date, next_contact_at, created_by,
               updated_by, owner_unit_id)
             values ($1, $2, 1, $3, $4, $5, $6, $6,
               coalesce($7, (select listed_unit_id from patient where id = $1))) returning ${contractColumns}`,
            [
              patientId,
              first.status,
              first.content,
              first.content.reviewDate,
              first.content.nextContact?.at ?? null,
              actorId(first.actor),
              actorUnitId(first.actor),
            ],
          );
        } catch (error) {
          if (isUniqueViolation(error, 'contract_one_current')) throw new DomainError('contract_exists');
          throw error;
        }
        const contract = rows[0]!;
        await insertVersion(tx, contract, first.actor, first.changes);
        const event = await recordChangeEvent(tx, { ...first.event, contractId: contract.id });
        return { contract, event };
      });
    },

    /**
     * Writes `next` as the version after `current`, only if the contract is still at that
     * version and not ended, and every unit and person the new content names exists: one
     * statement (atomic on its own, no explicit transaction) with the version-history row, the
     * change event and the notification to `recipients`. A concurrent save of the same version
     * finds the version moved (PostgreSQL re-checks the condition on the row it waited for).
     * Resolves to null when it wrote nothing.
     */
    async writeVersion(
      current: { id: string; version: number },
      next: NewVersion,
      refs: { units: readonly string[]; staff: readonly string[] },
      recipients: readonly string[],
    ): Promise<SavedContract | null> {
      const { actor } = next;
      const written = await writeWithChangeEvent<Contract, ContractWriteParam>(
        db,
        contractWriteStatement,
        {
          contractId: current.id,
          readVersion: current.version,
          status: next.status,
          content: next.content,
          reviewDate: next.content.reviewDate,
          nextContactAt: next.content.nextContact?.at ?? null,
          actorId: actorId(actor),
          actorKind: actor.kind,
          actorName: actor.name,
          actorUnitId: actorUnitId(actor),
          changes: JSON.stringify(next.changes),
          unitIds: refs.units,
          staffIds: refs.staff,
        },
        next.event,
        recipients,
      );
      return written && { contract: written.row, event: written.event };
    },

    /** The patient's current (draft or active) contract, its row locked until `tx` ends. */
    async lockCurrent(tx: Queryable, patientId: string): Promise<Contract | null> {
      if (!isUuid(patientId)) return null;
      const rows = await tx.query<Contract>(
        `select ${contractColumns} from contract c where c.patient_id = $1 and c.status <> 'ended' for update`,
        [patientId],
      );
      return rows[0] ?? null;
    },

    /**
     * Ends the contract in `tx` with the product's reason (the patient died), its content kept
     * as it was: the next version and its history row. The caller holds the row's lock
     * (`lockCurrent`) and writes the change event.
     */
    async endWithReason(
      tx: Queryable,
      current: Contract,
      reason: ContractEndReason,
      actor: Actor,
      changes: readonly ContractChange[],
    ): Promise<Contract> {
      const rows = await tx.query<Contract>(
        `update contract c set status = 'ended', version = version + 1, end_reason = $2, ended_at = now(),
           updated_by = $3, updated_at = now()
         where c.id = $1 and c.status <> 'ended' returning ${contractColumns}`,
        [current.id, reason, actorId(actor)],
      );
      const ended = rows[0];
      if (!ended) throw new DomainError('invalid_transition');
      await insertVersion(tx, ended, actor, changes);
      return ended;
    },

    /** Every version of a contract, newest first. */
    /** Versions newest first, at most `limit`, older than version `before` when given. */
    async listVersions(
      contractId: string,
      page: { limit: number; before?: number | undefined } = { limit: 2 ** 31 - 1 },
    ): Promise<ContractVersion[]> {
      if (!isUuid(contractId)) return [];
      return db.query<ContractVersion>(
        `select contract_id as "contractId", version, status, content, changed_at as "changedAt",
           json_build_object('kind', actor_kind, 'id', actor_id, 'name', actor_name, 'unitId', actor_unit_id) as actor,
           changes
         from contract_version where contract_id = $1 and ($2::int is null or version < $2)
         order by version desc limit $3`,
        [contractId, page.before ?? null, page.limit],
      );
    },
  };
}

export type ContractStore = ReturnType<typeof createContractStore>;

/** The ids in the text[] parameter `param` that have no row in `table`. */
function missingSql(table: 'care_unit' | 'staff', param: string): string {
  return `select x as id from unnest(${param}::text[]) as x where not exists (select 1 from ${table} t where t.id = x)`;
}
