/**
 * Spärr (Patientdatalagen 2008:355, 4 kap 4 §): the patient blocks the information a unit or a
 * care provider holds from readers elsewhere. What a spärr must name, who may lift it, and what
 * staff are told about the patient's spärrar; how a spärr hides information is `redaction.ts`'s
 * and `access.ts`'s.
 */
import type { Actor } from './actor.ts';
import { DomainError } from './errors.ts';

export type BlockScope = 'unit' | 'provider';

/** A spärr as it is asked for. */
export interface BlockRequest {
  scope: BlockScope;
  unitId?: string | undefined;
  providerId?: string | undefined;
}

/** A spärr of a unit names the unit, one of a care provider names the provider: 400 otherwise. */
export function checkBlockTarget(request: BlockRequest): void {
  if (
    (request.scope === 'unit' && !request.unitId) ||
    (request.scope === 'provider' && !request.providerId)
  ) {
    throw new DomainError('invalid_input', 'Ange vilken enhet eller vårdgivare spärren gäller.');
  }
}

/** Staff lift a spärr only with the patient's consent, and say how it was given: 400 without. */
export function checkLift(actor: Actor, patientConsent: { method: string } | undefined): void {
  if (actor.kind === 'staff' && !patientConsent) {
    throw new DomainError(
      'invalid_input',
      'En spärr kan bara hävas med patientens samtycke. Ange hur patienten samtyckte.',
      [{ path: '/patientConsent', message: 'Saknas.' }],
    );
  }
}

interface BlockPlace {
  unitId: string | null;
  providerId: string | null;
  liftedAt: string | null;
}

/**
 * The spärrar a reader is shown: the patient sees all of them; staff those their unit or care
 * provider holds, and only whether other standing ones exist, not where.
 */
export function blocksShownTo<B extends BlockPlace>(
  actor: Actor,
  all: readonly B[],
): { blocks: B[]; hasOtherBlocks: boolean } {
  const blocks =
    actor.kind === 'patient'
      ? [...all]
      : all.filter(
          (b) => (actor.kind === 'staff' && b.unitId === actor.unitId) || b.providerId === actor.providerId,
        );
  return { blocks, hasOtherBlocks: all.some((b) => b.liftedAt === null && !blocks.includes(b)) };
}
