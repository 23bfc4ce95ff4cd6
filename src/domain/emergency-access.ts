/**
 * Nödåtkomst (Patientdatalagen 2008:355, 6 kap 3 §; Lag 2022:913): reading without consent when
 * the patient cannot give it and care cannot wait. Opened in two deliberate steps (a
 * confirmation, then the reason), for a few minutes, marked in the access log and reviewed
 * afterwards.
 */
import type { AccessDecision } from './access.ts';
import { DomainError } from './errors.ts';

/** How long the confirmation of step 1 can be used for step 2, in milliseconds. */
export const CONFIRMATION_TTL_MS = 5 * 60_000;

/** What step 1 tells the user before they confirm. */
export function emergencyNotice(minutes: number): string {
  return `Nödåtkomst får bara användas när patientens samtycke inte kan inhämtas och uppgifterna behövs för vård som inte kan vänta. Åtkomsten gäller i ${minutes} minuter, markeras i loggen och granskas i efterhand. Ange skälet och bekräfta.`;
}

/**
 * What a confirmation is signed over: the number, who asked, from which unit, and until when.
 * A confirmation is `<expires>.<signature>`; the signing is the service's (it holds the key).
 */
export function confirmationSubject(
  identifier: string,
  staffId: string,
  unitId: string,
  expires: string,
): string {
  return `${identifier}|${staffId}|${unitId}|${expires}`;
}

/** The parts of a confirmation token; the signature is undefined when the token has none. */
export function parseConfirmation(token: string): {
  expires: string | undefined;
  signature: string | undefined;
} {
  const [expires, signature] = token.split('.');
  return { expires, signature };
}

/** 400 when the confirmation is not valid or has expired: the user starts again. */
export function checkConfirmation(isSignatureValid: boolean, expires: string | undefined, now: Date): void {
  if (!isSignatureValid || !(Number(expires) > now.getTime()))
    throw new DomainError(
      'invalid_input',
      'Bekräftelsen är ogiltig eller för gammal. Börja om nödåtkomsten.',
    );
}

/** Opening emergency access needs an existing patient and a care role at the unit. */
export function assertMayOpen(decision: AccessDecision): void {
  if (decision.allowed) return;
  if (decision.reason === 'no-patient') throw new DomainError('not_found');
  if (decision.reason === 'role')
    throw new DomainError('forbidden', 'Din roll på enheten ger inte åtkomst till patientuppgifter.');
}
