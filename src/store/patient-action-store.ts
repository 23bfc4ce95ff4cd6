/**
 * The patient's own changes to their plan, each in one transaction: lock the current contract,
 * let the caller (services/patient-action-service.ts) decide the new content from the locked
 * current version, then write the new version with the patient as actor, the change event and
 * the notification to the fast vårdkontakt. The version rows have the shape of staff's saves
 * (contract-store.ts).
 */
import type { PatientActor } from '../domain/actor.ts';
import type { Contract, ContractChange } from '../domain/contract.ts';
import { DomainError } from '../domain/errors.ts';
import type { PatientChange } from '../domain/patient-action.ts';
import type { Db } from './db.ts';
import { recordChangeEvent, type StoredEvent } from './event-store.ts';
import { isUuid } from './patient-store.ts';

const contractColumns = `c.id, c.patient_id as "patientId", c.status, c.version, c.content,
  c.created_at as "createdAt", c.created_by as "createdBy", c.updated_at as "updatedAt", c.updated_by as "updatedBy"`;

export interface PatientActionResult {
  contract: Contract;
  /** Null when the action changed nothing (no version, no event). */
  event: StoredEvent | null;
}

export function createPatientActionStore(db: Db) {
  return {
    /**
     * Writes the version `decide` makes of the patient's locked current contract, as `actor`
     * (the patient); `decide` answers null when nothing changes, and nothing is written.
     */
    async apply(
      patientId: string,
      actor: PatientActor,
      decide: (current: Contract) => (PatientChange & { changes: readonly ContractChange[] }) | null,
    ): Promise<PatientActionResult> {
      if (!isUuid(patientId)) throw new DomainError('not_found');
      return db.transaction(async (tx) => {
        const rows = await tx.query<Contract>(
          `select ${contractColumns} from contract c where c.patient_id = $1 and c.status <> 'ended' for update`,
          [patientId],
        );
        const current = rows[0];
        if (!current) throw new DomainError('not_found', 'Patienten har inget aktuellt patientkontrakt.');
        const result = decide(current);
        if (result === null) return { contract: current, event: null };
        const updated = await tx.query<Contract>(
          `update contract c set version = version + 1, content = $2, next_contact_at = $3, updated_by = $4,
             updated_at = now()
           where c.id = $1 returning ${contractColumns}`,
          [current.id, result.content, result.content.nextContact?.at ?? null, actor.patientId],
        );
        const contract = updated[0]!;
        await tx.query(
          `insert into contract_version (contract_id, version, status, content, actor_kind, actor_id, actor_name,
             actor_unit_id, changes) values ($1, $2, $3, $4, 'patient', $5, $6, null, $7)`,
          [
            contract.id,
            contract.version,
            contract.status,
            contract.content,
            actor.patientId,
            actor.name,
            JSON.stringify(result.changes),
          ],
        );
        const event = await recordChangeEvent(tx, {
          patientId,
          contractId: contract.id,
          kind: result.kind,
          actor,
          summary: result.summary,
        });
        return { contract, event };
      });
    },
  };
}

export type PatientActionStore = ReturnType<typeof createPatientActionStore>;
