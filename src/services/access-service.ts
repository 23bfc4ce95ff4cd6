/**
 * Gathers the facts for an access decision from the database and applies the pure rule in
 * src/domain/access.ts. A denied request answers exactly like a missing patient, so that ids
 * cannot be probed (security.md 3).
 */
import { decideAccess, type AccessAction, type AccessFacts, type LegalBasis } from '../domain/access.ts';
import type { Actor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import type { Queryable } from '../store/db.ts';
import { isUuid } from '../store/patient-store.ts';

const factsSql = `
select exists (select 1 from patient where id = $1) as "patientExists",
  array(
    select listed_unit_id from patient where id = $1 and listed_unit_id is not null
    union select unit_id from care_contact where patient_id = $1 and status = 'active'
    union select jsonb_path_query(content, '$.activities[*].unitId') #>> '{}' from contract
      where patient_id = $1 and status <> 'ended'
    union select content #>> '{nextContact,unitId}' from contract
      where patient_id = $1 and status <> 'ended' and content #>> '{nextContact,unitId}' is not null
  ) as "relationshipUnitIds"`;

export function createAccessService(db: Queryable) {
  async function gatherFacts(patientId: string): Promise<AccessFacts> {
    if (!isUuid(patientId)) return { patientExists: false, patientId, relationshipUnitIds: [] };
    const rows = await db.query<Omit<AccessFacts, 'patientId'>>(factsSql, [patientId]);
    return { ...rows[0]!, patientId };
  }

  return {
    gatherFacts,

    /** Throws not_found unless `actor` may perform `action` on the patient; returns the legal basis. */
    async requirePatientAccess(actor: Actor, patientId: string, action: AccessAction): Promise<LegalBasis> {
      const decision = decideAccess(actor, action, await gatherFacts(patientId));
      if (!decision.allowed)
        throw new DomainError('not_found', 'Patienten finns inte eller så saknar du behörighet.');
      return decision.basis;
    },
  };
}

export type AccessService = ReturnType<typeof createAccessService>;
