/**
 * Närstående and ombud (docs/patient-api.md, security.md): the patient lets a named person
 * read their plan until an end date, lists and revokes such grants; the person lists whose
 * plans they may read. Staff with a care relationship may record a grant on the patient's
 * behalf, as they record consent. A grant gives read and print only (domain/access.ts), logged
 * with the legal basis `proxy`.
 */
import type { PatientActor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import { addDays } from '../domain/followup.ts';
import { parsePatientId } from '../domain/personnummer.ts';
import { parseInstant } from '../domain/swedish-calendar.ts';
import { isoDayOfNumber, swedishDayOf } from '../domain/swedish-time.ts';
import { isProtected } from '../domain/person-status.ts';
import type { PersonStatusStore } from '../store/person-status-store.ts';
import type { ProxyStore } from '../store/proxy-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';

export interface ProxyServiceDeps {
  proxies: ProxyStore;
  /** The patients' protection markers (a grant for a protected person asks for a second confirmation). */
  statuses: Pick<PersonStatusStore, 'statusesOf'>;
  access: AccessService;
  clock: () => Date;
}

export interface ProxyGrantRequest {
  personnummer: string;
  givenName: string;
  familyName: string;
  /** The last day the access holds (YYYY-MM-DD, Swedish time). */
  validTo: string;
  /**
   * The second confirmation a grant for a person with protected identity needs: the grantee will
   * see the name and the plan (security.md, Skyddade personuppgifter).
   */
  confirmProtectedIdentity?: boolean | undefined;
}

export function createProxyService(deps: ProxyServiceDeps) {
  return {
    /** The people the patient lets read their plan, current first, then past. */
    async listForPatient(ctx: RequestContext, patientId: string, limit: number) {
      await deps.access.requireWishRecording(ctx, patientId, 'read', 'ombud');
      return deps.proxies.listForPatient(patientId, limit);
    },

    /** Lets a named person read the plan until an end date; replaces their earlier grant. */
    async grant(ctx: RequestContext, patientId: string, body: ProxyGrantRequest): Promise<string> {
      await deps.access.requireWishRecording(ctx, patientId, 'register-proxy', `ombud till ${body.validTo}`);
      const parsed = parsePatientId(body.personnummer, deps.clock());
      if (!parsed.ok)
        throw new DomainError('invalid_patient_id', parsed.reason, [
          { path: '/personnummer', message: parsed.reason },
        ]);
      if (parsed.id.kind === 'reservnummer')
        throw new DomainError('invalid_patient_id', 'Ange personens personnummer eller samordningsnummer.', [
          { path: '/personnummer', message: 'Ett reservnummer kan inte logga in.' },
        ]);
      // A protected person's närstående sees their name and plan: asked twice, never by default.
      const status = (await deps.statuses.statusesOf([patientId])).get(patientId);
      if (isProtected(status?.protection) && body.confirmProtectedIdentity !== true)
        throw new DomainError('proxy_confirmation_required', undefined, [
          { path: '/confirmProtectedIdentity', message: 'Bekräfta att det är säkert att ge tillgång.' },
        ]);
      const now = deps.clock().toISOString();
      const validTo = isCalendarDay(body.validTo) ? parseInstant(`${addDays(body.validTo, 1)} 00:00`) : null;
      if (validTo === null || body.validTo < swedishDayOf(now))
        throw new DomainError('invalid_input', 'Slutdatumet måste vara i dag eller senare.', [
          { path: '/validTo', message: 'Har redan passerat.' },
        ]);
      return deps.proxies.grant(
        patientId,
        {
          grantee: parsed.id,
          givenName: body.givenName.trim(),
          familyName: body.familyName.trim(),
          validTo,
        },
        ctx.actor,
      );
    },

    /** Revokes a grant (it takes effect on the person's next request). */
    async revoke(ctx: RequestContext, patientId: string, id: string): Promise<void> {
      await deps.access.requireWishRecording(ctx, patientId, 'revoke-proxy', id);
      if (!(await deps.proxies.revoke(patientId, id, ctx.actor)))
        throw new DomainError('not_found', 'Behörigheten finns inte eller är redan återkallad.');
    },

    /** For a patient: whose plans they may read as närstående or ombud. */
    async listRepresented(ctx: RequestContext, actor: PatientActor, limit: number) {
      const grants = await deps.proxies.listRepresented(actor.patientId, limit);
      // Each plan listed passes the access decision and is logged, as a read with basis proxy.
      const visible = new Set(
        await deps.access.filterSearch(
          ctx,
          grants.map((g) => g.patientId),
          'read',
        ),
      );
      return grants.filter((g) => visible.has(g.patientId));
    },
  };
}

export type ProxyService = ReturnType<typeof createProxyService>;

/** A real calendar day (YYYY-MM-DD): 2099-02-30 is not. */
function isCalendarDay(day: string): boolean {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(ms) && isoDayOfNumber(ms / 86_400_000) === day;
}
