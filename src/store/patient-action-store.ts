/**
 * The patient's own changes to their plan (issue 5), each in one transaction: lock the current
 * contract, apply the pure change from src/domain/patient-action.ts to the *current* version
 * (no If-Match: a patient ticking a box never meets a 412), then write the new version with the
 * patient as actor, the change event and the notification to the fast vårdkontakt.
 *
 * Staff's whole-plan saves stay in contract-store.ts with If-Match; the version rows written
 * here have the same shape.
 */
import type { PatientActor } from '../domain/actor.ts';
import { diffContent, type Contract, type ContractContent } from '../domain/contract.ts';
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
     * Applies `change` to the patient's current contract as `actor` (the patient). `change`
     * sees the locked current content and returns the new content, or null for no change.
     */
    async apply(
      patientId: string,
      actor: PatientActor,
      change: (content: ContractContent) => PatientChange | null,
    ): Promise<PatientActionResult> {
      if (!isUuid(patientId)) throw new DomainError('not_found');
      return db.transaction(async (tx) => {
        const rows = await tx.query<Contract>(
          `select ${contractColumns} from contract c where c.patient_id = $1 and c.status <> 'ended' for update`,
          [patientId],
        );
        const current = rows[0];
        if (!current) throw new DomainError('not_found', 'Patienten har inget aktuellt patientkontrakt.');
        const result = change(current.content);
        if (result === null) return { contract: current, event: null };
        const changes = diffContent(current.content, result.content, current.status, current.status);
        // The same content again (an action that turns out to change nothing) is no new version.
        if (changes.length === 0) return { contract: current, event: null };
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
            JSON.stringify(changes),
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
