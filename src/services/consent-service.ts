/**
 * Consent across care providers: reading, recording and revoking the patient's consents, each
 * decided and logged by the access service (a patient or a unit with a care relationship
 * records the patient's wishes).
 */
import { checkConsentTarget, consentToRecord, type ConsentRequest } from '../domain/consent.ts';
import { DomainError } from '../domain/errors.ts';
import type { ConsentRecord, ConsentStore } from '../store/consent-store.ts';
import type { Db, Queryable } from '../store/db.ts';
import type { AccessService, RequestContext, StaffContext } from './access-service.ts';
import type { IdentifierLookup } from './identifier-lookup.ts';

/**
 * Called in the transaction that narrowed a patient's access (a consent revoked, a spärr added),
 * after the change: what follows from it at once (subscription-service.ts#narrowAccess).
 */
export type AccessNarrowing = (tx: Queryable, patientId: string) => Promise<unknown>;

export interface ConsentServiceDeps {
  db: Db;
  consents: ConsentStore;
  /** The same store in a transaction. */
  consentsIn: (q: Queryable) => ConsentStore;
  narrowAccess: AccessNarrowing;
  access: AccessService;
  lookup: IdentifierLookup;
  clock: () => Date;
}

export function createConsentService(deps: ConsentServiceDeps) {
  async function record(ctx: RequestContext, patientId: string, request: ConsentRequest): Promise<string> {
    checkConsentTarget(request);
    await deps.access.requireWishRecording(
      ctx,
      patientId,
      'register-consent',
      `${request.scope} ${request.unitId ?? request.staffId}`,
    );
    const consent = consentToRecord(request, ctx.actor, deps.clock().toISOString());
    return deps.consents.record(patientId, consent, ctx.actor);
  }

  return {
    /**
     * The patient's consents, newest first. Only the patient also learns which units of their
     * plan cannot read it: it is their own data, and it guides them to consent. Staff never get
     * that list (it would name units by plan); a närstående reads the plan, not whom the patient
     * lets read it, so patients see only their own.
     */
    async list(
      ctx: RequestContext,
      patientId: string,
      limit: number,
    ): Promise<{ consents: ConsentRecord[]; unitsWithoutConsent?: { unitId: string; unitName: string }[] }> {
      if (ctx.actor.kind === 'patient') {
        await deps.access.requireWishRecording(ctx, patientId, 'read', 'samtycken');
        return {
          consents: await deps.consents.list(patientId, limit),
          unitsWithoutConsent: await deps.consents.unitsWithoutConsent(patientId, deps.clock().toISOString()),
        };
      }
      await deps.access.require(ctx, patientId, 'read', 'samtycken');
      return { consents: await deps.consents.list(patientId, limit) };
    },

    /** The patient a consent is about, or null: only to decide access to it (`list`). */
    async patientOf(id: string): Promise<string | null> {
      return deps.consents.patientOf(id);
    },

    /** Records a consent of the patient; returns its id. */
    record,

    /** Records the consent of the patient with this personnummer (staff who have no access yet). */
    async recordFor(
      ctx: StaffContext,
      identifier: string,
      request: ConsentRequest,
    ): Promise<{ id: string; patientId: string }> {
      const patientId = await deps.lookup.resolve(ctx, identifier, 'register-consent');
      return { id: await record(ctx, patientId, request), patientId };
    },

    /**
     * Revokes a consent; takes effect on the next request, and in the same transaction on what
     * was queued for readers who lose access by it (`narrowAccess`). 404 when there is no such
     * active one.
     */
    async revoke(ctx: RequestContext, patientId: string, id: string): Promise<void> {
      await deps.access.requireWishRecording(ctx, patientId, 'revoke-consent', id);
      await deps.db.transaction(async (tx) => {
        if (!(await deps.consentsIn(tx).revoke(patientId, id, ctx.actor)))
          throw new DomainError('not_found', 'Samtycket finns inte eller är redan återkallat.');
        await deps.narrowAccess(tx, patientId);
      });
    },
  };
}

export type ConsentService = ReturnType<typeof createConsentService>;
