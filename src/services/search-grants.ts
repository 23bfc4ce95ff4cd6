/**
 * The grants for the patients a search names (FHIR's per-patient searches): each passes the same
 * decision as a read (and is logged); a patient the reader may not see is left out of the result,
 * exactly like a missing one.
 */
import { DomainError } from '../domain/errors.ts';
import type { AccessService, Granted, RequestContext } from './access-service.ts';

export async function grantsForSearch(
  access: AccessService,
  ctx: RequestContext,
  patientIds: readonly string[],
): Promise<Map<string, Granted>> {
  const grants = new Map<string, Granted>();
  for (const id of new Set(patientIds)) {
    try {
      grants.set(id, await access.require(ctx, id, 'search'));
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'not_found')) throw error;
    }
  }
  return grants;
}
