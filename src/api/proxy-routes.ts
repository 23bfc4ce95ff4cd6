/**
 * Närstående and ombud (docs/patient-api.md, security.md): the patient lets a named
 * person read their plan until an end date, lists and revokes such grants; the person lists
 * whose plans they may read. Staff with a care relationship may record a grant on the
 * patient's behalf, as they record consent. A grant gives read and print only
 * (domain/access.ts), logged with the legal basis `proxy`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../domain/errors.ts';
import { addDays } from '../domain/followup.ts';
import { parseInstant } from '../domain/swedish-calendar.ts';
import { isoDayOfNumber, swedishDayOf } from '../domain/swedish-time.ts';
import { parsePatientId } from '../domain/personnummer.ts';
import type { AccessService } from '../services/access-service.ts';
import type { ProxyStore } from '../store/proxy-store.ts';
import { contextOf, requireActor } from './http.ts';
import { limitParam, pageSize } from './paging.ts';
import { Obj, PatientParams } from './schemas.ts';

export interface ProxyRouteDeps {
  proxies: ProxyStore;
  access: AccessService;
  clock: () => Date;
}

const Name = Type.String({ minLength: 1, maxLength: 100 });
const PAGE = { fallback: 100, max: 100 };

export function proxyRoutes(deps: ProxyRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/patients/:patientId/proxies',
      {
        schema: {
          tags: ['access'],
          summary:
            'The people the patient lets read their plan (närstående, ombud), current first, then past',
          params: PatientParams,
          querystring: Obj({ limit: limitParam(PAGE) }),
        },
      },
      async (request) => {
        const limit = pageSize(request.query.limit, PAGE);
        await deps.access.requireWishRecording(contextOf(request), request.params.patientId, 'read', 'ombud');
        return { proxies: await deps.proxies.listForPatient(request.params.patientId, limit) };
      },
    );

    app.post(
      '/api/patients/:patientId/proxies',
      {
        schema: {
          tags: ['access'],
          summary:
            'Let a named person (by personnummer) read the plan until an end date; replaces their earlier grant',
          params: PatientParams,
          body: Obj({
            personnummer: Type.String({ minLength: 1, maxLength: 20 }),
            givenName: Name,
            familyName: Name,
            validTo: Type.String({
              format: 'date',
              description: 'The last day the access holds (Swedish time)',
            }),
          }),
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const body = request.body;
        await deps.access.requireWishRecording(
          ctx,
          request.params.patientId,
          'register-proxy',
          `ombud till ${body.validTo}`,
        );
        const parsed = parsePatientId(body.personnummer, deps.clock());
        if (!parsed.ok)
          throw new DomainError('invalid_patient_id', parsed.reason, [
            { path: '/personnummer', message: parsed.reason },
          ]);
        if (parsed.id.kind === 'reservnummer')
          throw new DomainError(
            'invalid_patient_id',
            'Ange personens personnummer eller samordningsnummer.',
            [{ path: '/personnummer', message: 'Ett reservnummer kan inte logga in.' }],
          );
        const now = deps.clock().toISOString();
        const validTo = isCalendarDay(body.validTo)
          ? parseInstant(`${addDays(body.validTo, 1)} 00:00`)
          : null;
        if (validTo === null || body.validTo < swedishDayOf(now))
          throw new DomainError('invalid_input', 'Slutdatumet måste vara i dag eller senare.', [
            { path: '/validTo', message: 'Har redan passerat.' },
          ]);
        const id = await deps.proxies.grant(
          request.params.patientId,
          {
            grantee: parsed.id,
            givenName: body.givenName.trim(),
            familyName: body.familyName.trim(),
            validTo,
          },
          ctx.actor,
        );
        return reply.status(201).send({ id });
      },
    );

    app.post(
      '/api/patients/:patientId/proxies/:id/revoke',
      {
        schema: {
          tags: ['access'],
          summary: "Revoke a närstående's or ombud's access (takes effect on their next request)",
          params: Obj({ patientId: Type.String({ maxLength: 64 }), id: Type.String({ maxLength: 64 }) }),
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        await deps.access.requireWishRecording(
          ctx,
          request.params.patientId,
          'revoke-proxy',
          request.params.id,
        );
        if (!(await deps.proxies.revoke(request.params.patientId, request.params.id, ctx.actor)))
          throw new DomainError('not_found', 'Behörigheten finns inte eller är redan återkallad.');
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/me/represented',
      {
        schema: {
          tags: ['access'],
          summary: 'For a patient: whose plans I may read as närstående or ombud',
          querystring: Obj({ limit: limitParam(PAGE) }),
        },
      },
      async (request) => {
        const actor = requireActor(request);
        if (actor.kind !== 'patient') throw new DomainError('forbidden');
        const limit = pageSize(request.query.limit, PAGE);
        const grants = await deps.proxies.listRepresented(actor.patientId, limit);
        // Each plan listed passes the access decision and is logged, as a read with basis proxy.
        const visible = new Set(
          await deps.access.filterSearch(
            contextOf(request),
            grants.map((g) => g.patientId),
            'read',
          ),
        );
        return { represented: grants.filter((g) => visible.has(g.patientId)) };
      },
    );
  };
}

/** A real calendar day (YYYY-MM-DD): 2099-02-30 is not. */
function isCalendarDay(day: string): boolean {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(ms) && isoDayOfNumber(ms / 86_400_000) === day;
}
