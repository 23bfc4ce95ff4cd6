/** The Patientkontrakt and its versions. Every accepted change is a new version. */
import type { Actor } from '../domain/actor.ts';
import { actorId, actorUnitId } from '../domain/actor.ts';
import {
  assertActivatable,
  assertTransition,
  diffContent,
  referencedStaffIds,
  referencedUnitIds,
  summarizeChanges,
  validateContent,
  type Contract,
  type ContractContent,
  type ContractStatus,
  type ContractVersion,
  type ActivationFacts,
} from '../domain/contract.ts';
import { DomainError } from '../domain/errors.ts';
import { restoreHidden } from '../domain/redaction.ts';
import { keepPatientParts } from '../domain/patient-action.ts';
import type { ChangeEventKind } from '../domain/notification.ts';
import type { Db, Queryable } from './db.ts';
import {
  fastVardkontaktSubquery,
  recordChangeEvent,
  writeWithChangeEvent,
  type StoredEvent,
} from './event-store.ts';
import { isUniqueViolation } from './pg-errors.ts';
import { isUuid } from './patient-store.ts';

const contractColumns = `c.id, c.patient_id as "patientId", c.status, c.version, c.content,
  c.created_at as "createdAt", c.created_by as "createdBy", c.updated_at as "updatedAt", c.updated_by as "updatedBy"`;

/** What `update` needs before it writes: the current contract and the patient's fast vårdkontakt. */
export interface CurrentForUpdate {
  /** The patient's current (draft or active) contract, or null. */
  contract: Contract | null;
  holderStaffId: string | null;
}

/**
 * `CurrentForUpdate` of the patient whose id is the parameter `patient` (e.g. `$3`), as a
 * `left join lateral` and its columns (named `cur…`, so that they sit beside other columns):
 * for the session statement of `PUT …/contract` (session-store.ts#resolveActorWithFacts,
 * `config.prefetchPatient` in app.ts), which then saves `update` its own read.
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

export function createContractStore(db: Db) {
  /** Throws unknown_unit / unknown_staff unless every referenced unit and person exists. */
  async function assertReferencesExist(
    tx: Queryable,
    refs: { units: readonly string[]; staff: readonly string[] },
  ): Promise<void> {
    const [missingUnits, missingStaff] = [
      refs.units.length ? await tx.query<{ id: string }>(missingSql('care_unit', '$1'), [refs.units]) : [],
      refs.staff.length ? await tx.query<{ id: string }>(missingSql('staff', '$1'), [refs.staff]) : [],
    ];
    throwIfMissing(
      missingUnits.map((r) => r.id),
      missingStaff.map((r) => r.id),
    );
  }

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

  /**
   * Throws contract_incomplete unless a contract saved as `after` holds what an active one must
   * (domain/contract.ts `assertActivatable`). The fast vårdkontakt is read only when the content
   * records no decision about one, which is all the rule needs to know of it.
   */
  async function assertMayBeActive(
    q: Queryable,
    patientId: string,
    before: { status: ContractStatus; content: ContractContent } | null,
    after: { status: ContractStatus; content: ContractContent },
  ): Promise<void> {
    if (after.status !== 'active') return;
    let facts: ActivationFacts = { fastVardkontakt: null };
    if (!after.content.fastVardkontaktDecision && isUuid(patientId)) {
      const rows = await q.query<{ status: 'active' | 'declined' }>(
        `select status from care_contact where patient_id = $1 and role = 'fast-vardkontakt'
           and status in ('active', 'declined') order by (status = 'active') desc limit 1`,
        [patientId],
      );
      facts = { fastVardkontakt: rows[0]?.status ?? null };
    }
    assertActivatable(before, after, facts);
  }

  const currentForUpdate = currentForUpdateSql('$1');
  async function readCurrentForUpdate(patientId: string): Promise<CurrentForUpdate> {
    const rows = await db.query(
      `select ${currentForUpdate.columns} from (select) one ${currentForUpdate.join}`,
      [patientId],
    );
    return currentForUpdateOf(rows[0]!);
  }

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

    /** Draws up a new contract. Fails if the patient already has a current one. */
    async create(
      patientId: string,
      input: { status: 'draft' | 'active'; content: ContractContent },
      actor: Actor,
    ): Promise<SavedContract> {
      // The patient's words, proposals and answers are the patient's (domain/patient-action.ts).
      input = { ...input, content: keepPatientParts(null, input.content) };
      validateContent(input.content);
      return db.transaction(async (tx) => {
        await assertReferencesExist(tx, {
          units: referencedUnitIds(input.content),
          staff: referencedStaffIds(input.content),
        });
        let rows: Contract[];
        try {
          rows = await tx.query<Contract>(
            `insert into contract as c (patient_id, status, version, content, review_date, next_contact_at, created_by,
               updated_by, owner_unit_id)
             values ($1, $2, 1, $3, $4, $5, $6, $6,
               coalesce($7, (select listed_unit_id from patient where id = $1))) returning ${contractColumns}`,
            [
              patientId,
              input.status,
              input.content,
              input.content.reviewDate,
              input.content.nextContact?.at ?? null,
              actorId(actor),
              actorUnitId(actor),
            ],
          );
        } catch (error) {
          if (isUniqueViolation(error, 'contract_one_current')) throw new DomainError('contract_exists');
          throw error;
        }
        const contract = rows[0]!;
        // After the insert, so that a second current contract is refused as such; a refusal
        // here rolls the insert back.
        await assertMayBeActive(tx, patientId, null, input);
        const changes = diffContent(null, input.content, undefined, input.status);
        await insertVersion(tx, contract, actor, changes);
        const event = await recordChangeEvent(tx, {
          patientId,
          contractId: contract.id,
          kind: 'contract-created',
          actor,
          summary:
            input.status === 'active'
              ? 'Upprättade patientkontrakt'
              : 'Påbörjade utkast till patientkontrakt',
        });
        return { contract, event };
      });
    },

    /**
     * Saves a new version of the patient's current contract if `expectedVersion` is still the
     * current one; otherwise nothing is written and a version conflict is thrown. `current` is
     * what the caller already read of the patient (`currentForUpdateSql`, in the request's
     * session statement); without it, it is read here. A save that changes nothing (the same
     * status and content) writes nothing: no version, no event, no notification (`event` null).
     */
    async update(
      patientId: string,
      expectedVersion: number,
      input: { status: ContractStatus; content: ContractContent },
      actor: Actor,
      options: { isHidden?: (unitId: string) => boolean; current?: CurrentForUpdate } = {},
    ): Promise<{ contract: Contract; event: StoredEvent | null }> {
      validateContent(input.content);
      // At most two round trips and no explicit transaction: the current contract with the
      // fast vårdkontakt (unless the caller read them already); then one statement (atomic on
      // its own) that writes the new version only if the contract is still at the version read
      // and every unit and person the new content names exists, with its history row, event and
      // notification. A concurrent save of the same version finds the version moved
      // (PostgreSQL re-checks the condition on the locked row) and answers version_conflict, as
      // the lock taken by a `select … for update` did before.
      const { contract: current, holderStaffId } = options.current ?? (await readCurrentForUpdate(patientId));
      if (!current) throw new DomainError('not_found', 'Patienten har inget aktuellt patientkontrakt.');
      if (current.version !== expectedVersion) throw new DomainError('version_conflict');
      assertTransition(current.status, input.status);
      // Items carried over from hidden units (spärr) are checked with the rest.
      if (options.isHidden)
        input = { ...input, content: restoreHidden(current.content, input.content, options.isHidden) };
      input = { ...input, content: keepPatientParts(current.content, input.content) };
      await assertMayBeActive(db, patientId, current, input);
      const units = referencedUnitIds(input.content);
      const staff = referencedStaffIds(input.content);
      const changes = diffContent(current.content, input.content, current.status, input.status);
      if (changes.length === 0) return { contract: current, event: null };
      const kind: ChangeEventKind =
        input.status !== current.status
          ? input.status === 'active'
            ? 'contract-activated'
            : 'contract-ended'
          : 'contract-changed';
      const written = await writeWithChangeEvent<Contract>(
        db,
        `upd as (
           update contract c set status = $2, version = version + 1, content = $3, review_date = $4,
             next_contact_at = $5, updated_by = $6, updated_at = now(),
             ended_at = case when $2 = 'ended' then now() else null end
           where c.id = $1 and c.version = $11 and c.status <> 'ended'
             and not exists (${missingSql('care_unit', '$12')}) and not exists (${missingSql('staff', '$13')})
           returning c.*),
         ver as (
           insert into contract_version (contract_id, version, status, content, actor_kind, actor_id, actor_name,
             actor_unit_id, changes)
           select id, version, status, content, $7::text, $6, $8::text, $9::text, $10::jsonb from upd),
         change as (select ${contractColumns} from upd c)`,
        [
          current.id,
          input.status,
          input.content,
          input.content.reviewDate,
          input.content.nextContact?.at ?? null,
          actorId(actor),
          actor.kind,
          actor.name,
          actorUnitId(actor),
          JSON.stringify(changes),
          current.version,
          units,
          staff,
        ],
        {
          patientId,
          contractId: current.id,
          kind,
          actor,
          summary:
            kind === 'contract-activated'
              ? 'Aktiverade patientkontraktet'
              : kind === 'contract-ended'
                ? 'Avslutade patientkontraktet'
                : summarizeChanges(changes),
        },
        holderStaffId,
      );
      if (!written) {
        // A unit or person named does not exist, or another save came between the read and
        // the write.
        await assertReferencesExist(db, { units, staff });
        throw new DomainError('version_conflict');
      }
      return { contract: written.row, event: written.event };
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

function throwIfMissing(missingUnits: readonly string[], missingStaff: readonly string[]): void {
  if (missingUnits.length > 0) {
    throw new DomainError(
      'unknown_unit',
      `Vårdenheten finns inte: ${missingUnits.join(', ')}.`,
      missingUnits.map((id) => ({ path: 'unitId', message: `Okänd vårdenhet ${id}` })),
    );
  }
  if (missingStaff.length > 0) {
    throw new DomainError(
      'unknown_staff',
      `Medarbetaren finns inte: ${missingStaff.join(', ')}.`,
      missingStaff.map((id) => ({ path: 'staffId', message: `Okänd medarbetare ${id}` })),
    );
  }
}
