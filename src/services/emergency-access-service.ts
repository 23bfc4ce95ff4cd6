/**
 * Nödåtkomst in two deliberate steps: a confirmation signed over the number, the user and their
 * unit (the same answer whether or not the number is registered), then the reason, which opens
 * access for a few minutes, marked in the log for review.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  assertMayOpen,
  checkConfirmation,
  confirmationSubject,
  CONFIRMATION_TTL_MS,
  emergencyNotice,
  parseConfirmation,
} from '../domain/emergency-access.ts';
import type { EmergencyAccessStore } from '../store/emergency-access-store.ts';
import type { AccessService, StaffContext } from './access-service.ts';
import type { IdentifierLookup } from './identifier-lookup.ts';

export interface EmergencyAccessServiceDeps {
  emergencies: EmergencyAccessStore;
  access: AccessService;
  lookup: IdentifierLookup;
  clock: () => Date;
  /** How long an opening lasts. */
  minutes: number;
  /** Signs the confirmation of the first step. */
  secret: string;
}

export function createEmergencyAccessService(deps: EmergencyAccessServiceDeps) {
  const sign = (text: string): string => createHmac('sha256', deps.secret).update(text).digest('base64url');

  return {
    /** Step 1: a confirmation to send back with the reason, and what the user must know first. */
    async intent(ctx: StaffContext, identifier: string) {
      const { actor } = ctx;
      await deps.access.requireActingInCare(ctx, 'emergency-intent', 'steg 1');
      // The same answer whether or not the number is registered: the confirmation is signed
      // over the number, and step 2, with its reason, is where an unknown number shows.
      const value = deps.lookup.parse(identifier);
      const patientId = await deps.lookup.find(value);
      await deps.access.logAction(ctx, patientId, 'emergency-intent', 'bekräftelse begärd');
      const expires = String(deps.clock().getTime() + CONFIRMATION_TTL_MS);
      return {
        confirmationToken: `${expires}.${sign(confirmationSubject(value, actor.staffId, actor.unitId, expires))}`,
        minutes: deps.minutes,
        message: emergencyNotice(deps.minutes),
      };
    },

    /** Step 2: opens access to the patient with this number, for the reason given. */
    async open(
      ctx: StaffContext,
      request: { identifier: string; confirmationToken: string; reason: string },
    ) {
      const { actor } = ctx;
      await deps.access.requireActingInCare(ctx, 'emergency-open', 'steg 2');
      const value = deps.lookup.parse(request.identifier);
      const { expires, signature } = parseConfirmation(request.confirmationToken);
      const expected = sign(confirmationSubject(value, actor.staffId, actor.unitId, String(expires)));
      checkConfirmation(
        signature !== undefined &&
          signature.length === expected.length &&
          timingSafeEqual(Buffer.from(signature), Buffer.from(expected)),
        expires,
        deps.clock(),
      );
      const patientId = await deps.lookup.resolve(ctx, request.identifier, 'emergency-open');
      assertMayOpen(await deps.access.decide(actor, patientId, 'read'));
      const opened = await deps.emergencies.open(patientId, {
        staffId: actor.staffId,
        unitId: actor.unitId,
        reason: request.reason,
        minutes: deps.minutes,
      });
      await deps.access.logAction(ctx, patientId, 'emergency-open', request.reason, { isEmergency: true });
      return { ...opened, patientId };
    },
  };
}

export type EmergencyAccessService = ReturnType<typeof createEmergencyAccessService>;
