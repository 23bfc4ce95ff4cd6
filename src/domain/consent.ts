/**
 * Consent across care providers (Lag 2022:913 om sammanhållen vård- och omsorgsdokumentation):
 * the patient lets a unit, or one person, at another care provider read the plan. What a
 * consent must name and for how long it can hold; how it counts is `access.ts#decideAccess`'s.
 */
import type { Actor } from './actor.ts';
import { DomainError } from './errors.ts';

export type ConsentScope = 'unit' | 'staff';
/** How the patient gave a consent. */
export const consentMethods = ['i-person', 'telefon', 'digitalt'] as const;
export type ConsentMethod = (typeof consentMethods)[number];

/** A consent as it is asked for. */
export interface ConsentRequest {
  scope: ConsentScope;
  unitId?: string | undefined;
  staffId?: string | undefined;
  validFrom?: string | undefined;
  validTo?: string | undefined;
  method: ConsentMethod;
}

/** A consent for a unit names the unit, one for a person names the person: 400 otherwise. */
export function checkConsentTarget(request: ConsentRequest): void {
  if ((request.scope === 'unit' && !request.unitId) || (request.scope === 'staff' && !request.staffId)) {
    throw new DomainError('invalid_input', 'Ange vilken enhet eller person samtycket gäller.', [
      { path: request.scope === 'unit' ? '/unitId' : '/staffId', message: 'Saknas.' },
    ]);
  }
}

/**
 * The consent as it is recorded: from now unless a start is given, to a later instant if an end
 * is given (400 otherwise), and given `digitalt` when the patient records it themselves.
 */
export function consentToRecord(
  request: ConsentRequest,
  recordedBy: Actor,
  now: string,
): ConsentRequest & { validFrom: string } {
  const validFrom = request.validFrom ?? now;
  if (request.validTo && request.validTo <= validFrom) {
    throw new DomainError('invalid_input', 'Samtycket måste gälla till ett datum efter startdatumet.', [
      { path: '/validTo', message: 'Före start.' },
    ]);
  }
  return { ...request, validFrom, method: recordedBy.kind === 'patient' ? 'digitalt' : request.method };
}
