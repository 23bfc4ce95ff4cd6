/**
 * The patient's say over access: consent across care providers, spärr, registered care
 * relationships, and emergency access in two deliberate steps (security.md 4–6).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Type, type Static } from 'typebox';
import type { AccessDecision } from '../domain/access.ts';
import { DomainError } from '../domain/errors.ts';
import type { LoggedAction } from '../domain/access-log.ts';
import type { AccessService, RequestContext } from '../services/access-service.ts';
import type { AccessLogStore } from '../store/access-log-store.ts';
import type { ConsentStore } from '../store/consent-store.ts';
import type { PatientStore } from '../store/patient-store.ts';
import { parsePatientId } from '../domain/personnummer.ts';
import { contextOf, requireActor, requireStaff } from './http.ts';
import { limitParam, pageSize } from './paging.ts';
import { DateOnly, DateTime, HsaId, Obj, OneOf, PatientParams } from './schemas.ts';
import { swedishToday } from '../domain/swedish-time.ts';

export interface ConsentRouteDeps {
  consents: ConsentStore;
  patients: PatientStore;
  access: AccessService;
  accessLog: AccessLogStore;
  clock: () => Date;
  emergencyMinutes: number;
  /** Signs the confirmation token of the first emergency step. */
  secret: string;
}

const ACCESS_LOG_PAGE = { fallback: 500, max: 500 };
const CONSENT_PAGE = { fallback: 100, max: 100 };
const ItemParams = Obj({ patientId: Type.String({ maxLength: 64 }), id: Type.String({ maxLength: 64 }) });
const Method = OneOf(['i-person', 'telefon', 'digitalt'] as const, 'Hur samtycket lämnades');
const ConsentBody = Obj({
  scope: OneOf(['unit', 'staff'] as const),
  unitId: Type.Optional(HsaId),
  staffId: Type.Optional(HsaId),
  validFrom: Type.Optional(DateTime),
  validTo: Type.Optional(DateTime),
  method: Method,
});

export function consentRoutes(deps: ConsentRouteDeps): FastifyPluginAsyncTypebox {
  const sign = (text: string): string => createHmac('sha256', deps.secret).update(text).digest('base64url');

  /** The number in its stored form; a malformed one answers 400 whether or not anyone has it. */
  function parseIdentifier(identifier: string): string {
    const parsed = parsePatientId(identifier, deps.clock());
    if (!parsed.ok)
      throw new DomainError('invalid_patient_id', parsed.reason, [
        { path: '/identifier', message: parsed.reason },
      ]);
    return parsed.id.value;
  }

  /**
   * The patient with this number, for a deliberate act (security.md, Foreign = missing): a
   * number nobody has is logged as a refused `action` before it answers 404.
   */
  async function resolveIdentifier(
    ctx: RequestContext,
    identifier: string,
    action: LoggedAction,
  ): Promise<string> {
    const patient = await deps.patients.findByIdentifier(parseIdentifier(identifier));
    if (patient) return patient.id;
    await deps.access.logDenied(ctx, null, action, 'no-patient', 'okänt nummer');
    throw new DomainError('not_found', 'Det finns ingen patient med det numret.');
  }

  return async (app) => {
    app.get(
      '/api/patients/:patientId/consents',
      {
        schema: {
          tags: ['access'],
          summary: "The patient's consents, newest first",
          params: PatientParams,
          querystring: Obj({ limit: limitParam(CONSENT_PAGE) }),
        },
      },
      async (request) => {
        const limit = pageSize(request.query.limit, CONSENT_PAGE);
        const ctx = contextOf(request);
        // A närstående reads the plan, not whom the patient lets read it: patients see only their own.
        if (ctx.actor.kind === 'patient') {
          await deps.access.requireWishRecording(ctx, request.params.patientId, 'read', 'samtycken');
          // Only the patient learns which units of their plan cannot see it: it is their own data,
          // and it guides them to consent. Staff never get this list (it would name units by plan).
          return {
            consents: await deps.consents.listConsents(request.params.patientId, limit),
            unitsWithoutConsent: await deps.consents.unitsWithoutConsent(
              request.params.patientId,
              deps.clock().toISOString(),
            ),
          };
        }
        await deps.access.require(ctx, request.params.patientId, 'read', 'samtycken');
        return { consents: await deps.consents.listConsents(request.params.patientId, limit) };
      },
    );

    async function recordConsent(
      ctx: RequestContext,
      patientId: string,
      body: Static<typeof ConsentBody>,
    ): Promise<string> {
      if ((body.scope === 'unit' && !body.unitId) || (body.scope === 'staff' && !body.staffId)) {
        throw new DomainError('invalid_input', 'Ange vilken enhet eller person samtycket gäller.', [
          { path: body.scope === 'unit' ? '/unitId' : '/staffId', message: 'Saknas.' },
        ]);
      }
      const method = ctx.actor.kind === 'patient' ? 'digitalt' : body.method;
      await deps.access.requireWishRecording(
        ctx,
        patientId,
        'register-consent',
        `${body.scope} ${body.unitId ?? body.staffId}`,
      );
      return deps.consents.recordConsent(
        patientId,
        { ...body, method },
        ctx.actor,
        deps.clock().toISOString(),
      );
    }

    app.post(
      '/api/patients/:patientId/consents',
      {
        schema: {
          tags: ['access'],
          summary: "Record the patient's consent for a unit or a person to read the plan",
          params: PatientParams,
          body: ConsentBody,
        },
      },
      async (request, reply) => {
        const id = await recordConsent(contextOf(request), request.params.patientId, request.body);
        return reply.status(201).send({ id });
      },
    );

    app.post(
      '/api/access/consent',
      {
        schema: {
          tags: ['access'],
          summary:
            'Record the consent of the patient with this personnummer (staff at a unit with a care relationship)',
          body: Obj({ identifier: Type.String({ minLength: 1, maxLength: 20 }), consent: ConsentBody }),
        },
      },
      async (request, reply) => {
        requireStaff(request);
        const ctx = contextOf(request);
        const patientId = await resolveIdentifier(ctx, request.body.identifier, 'register-consent');
        const id = await recordConsent(ctx, patientId, request.body.consent);
        return reply.status(201).send({ id, patientId });
      },
    );

    app.post(
      '/api/patients/:patientId/consents/:id/revoke',
      {
        schema: {
          tags: ['access'],
          summary: 'Revoke a consent (takes effect on the next request)',
          params: ItemParams,
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        await deps.access.requireWishRecording(
          ctx,
          request.params.patientId,
          'revoke-consent',
          request.params.id,
        );
        if (!(await deps.consents.revokeConsent(request.params.patientId, request.params.id, ctx.actor))) {
          throw new DomainError('not_found', 'Samtycket finns inte eller är redan återkallat.');
        }
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/patients/:patientId/blocks',
      {
        schema: {
          tags: ['access'],
          summary: 'Spärrar: all of them for the patient; for staff, those their unit or provider holds',
          params: PatientParams,
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        await deps.access.requireWishRecording(ctx, request.params.patientId, 'read', 'spärrar');
        const all = await deps.consents.listBlocks(request.params.patientId);
        const actor = ctx.actor;
        const blocks =
          actor.kind === 'patient'
            ? all
            : all.filter((b) => b.unitId === actor.unitId || b.providerId === actor.providerId);
        // Staff learn only that other blocks exist, not where (security.md 5).
        return { blocks, hasOtherBlocks: all.some((b) => b.liftedAt === null && !blocks.includes(b)) };
      },
    );

    app.post(
      '/api/patients/:patientId/blocks',
      {
        schema: {
          tags: ['access'],
          summary: 'Block (spärra) information held by a unit or a care provider',
          params: PatientParams,
          body: Obj({
            scope: OneOf(['unit', 'provider'] as const),
            unitId: Type.Optional(HsaId),
            providerId: Type.Optional(HsaId),
          }),
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const body = request.body;
        if ((body.scope === 'unit' && !body.unitId) || (body.scope === 'provider' && !body.providerId)) {
          throw new DomainError('invalid_input', 'Ange vilken enhet eller vårdgivare spärren gäller.');
        }
        await deps.access.requireWishRecording(ctx, request.params.patientId, 'block', `${body.scope}`);
        const id = await deps.consents.addBlock(request.params.patientId, body, ctx.actor);
        return reply.status(201).send({ id });
      },
    );

    app.post(
      '/api/patients/:patientId/blocks/:id/lift',
      {
        schema: {
          tags: ['access'],
          summary: "Lift a spärr. Staff must record the patient's consent to lifting it.",
          params: ItemParams,
          body: Obj({ patientConsent: Type.Optional(Obj({ method: Method })) }),
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        if (ctx.actor.kind === 'staff' && !request.body.patientConsent) {
          throw new DomainError(
            'invalid_input',
            'En spärr kan bara hävas med patientens samtycke. Ange hur patienten samtyckte.',
            [{ path: '/patientConsent', message: 'Saknas.' }],
          );
        }
        await deps.access.requireWishRecording(
          ctx,
          request.params.patientId,
          'lift-block',
          request.params.id,
        );
        if (!(await deps.consents.liftBlock(request.params.patientId, request.params.id, ctx.actor))) {
          throw new DomainError('not_found', 'Spärren finns inte eller är redan hävd.');
        }
        return reply.status(204).send();
      },
    );

    // The routes below take a personnummer, not a patient id: they are how a member of staff
    // without access yet (the search showed nothing) establishes a basis. They reveal whether
    // the person is registered only through a deliberate, logged act.
    app.post(
      '/api/access/care-relationship',
      {
        schema: {
          tags: ['access'],
          summary: 'Register a care relationship between my unit and the patient with this personnummer',
          body: Obj({
            identifier: Type.String({ minLength: 1, maxLength: 20 }),
            startDate: Type.Optional(DateOnly),
            endDate: Type.Optional(DateOnly),
            reason: Type.String({ minLength: 3, maxLength: 500 }),
          }),
        },
      },
      async (request, reply) => {
        const actor = requireStaff(request);
        const ctx = contextOf(request);
        await deps.access.requireActingInCare(ctx, 'register-relationship', request.body.reason);
        const patientId = await resolveIdentifier(ctx, request.body.identifier, 'register-relationship');
        await deps.access.logAction(ctx, patientId, 'register-relationship', request.body.reason);
        const startDate = request.body.startDate ?? swedishToday(deps.clock());
        const id = await deps.consents.registerRelationship(
          patientId,
          { startDate, endDate: request.body.endDate, reason: request.body.reason, unitId: actor.unitId },
          actor,
        );
        return reply.status(201).send({ id, patientId });
      },
    );

    app.post(
      '/api/patients/:patientId/care-relationships/:id/end',
      {
        schema: {
          tags: ['access'],
          summary: "End my unit's registered care relationship",
          params: ItemParams,
        },
      },
      async (request, reply) => {
        const actor = requireStaff(request);
        // Decided like recording the patient's wishes (a unit with a care relationship), and
        // logged as refused otherwise: a unit that never had access is not in the patient's log.
        await deps.access.requireWishRecording(
          contextOf(request),
          request.params.patientId,
          'register-relationship',
          `avslutad ${request.params.id}`,
        );
        if (!(await deps.consents.endRelationship(request.params.patientId, request.params.id, actor.unitId)))
          throw new DomainError('not_found');
        return reply.status(204).send();
      },
    );

    app.post(
      '/api/access/emergency/intent',
      {
        schema: {
          tags: ['access'],
          summary: 'Emergency access, step 1 of 2: ask for a confirmation',
          body: Obj({ identifier: Type.String({ minLength: 1, maxLength: 20 }) }),
        },
      },
      async (request) => {
        const actor = requireStaff(request);
        const ctx = contextOf(request);
        await deps.access.requireActingInCare(ctx, 'emergency-intent', 'steg 1');
        // The same answer whether or not the number is registered: the confirmation is signed
        // over the number, and step 2, with its reason, is where an unknown number shows.
        const identifier = parseIdentifier(request.body.identifier);
        const patient = await deps.patients.findByIdentifier(identifier);
        await deps.access.logAction(ctx, patient?.id ?? null, 'emergency-intent', 'bekräftelse begärd');
        const expires = deps.clock().getTime() + 5 * 60_000;
        return {
          confirmationToken: `${expires}.${sign(`${identifier}|${actor.staffId}|${actor.unitId}|${expires}`)}`,
          minutes: deps.emergencyMinutes,
          message: `Nödåtkomst får bara användas när patientens samtycke inte kan inhämtas och uppgifterna behövs för vård som inte kan vänta. Åtkomsten gäller i ${deps.emergencyMinutes} minuter, markeras i loggen och granskas i efterhand. Ange skälet och bekräfta.`,
        };
      },
    );

    app.post(
      '/api/access/emergency',
      {
        schema: {
          tags: ['access'],
          summary: 'Emergency access, step 2 of 2: confirm with a reason',
          body: Obj({
            identifier: Type.String({ minLength: 1, maxLength: 20 }),
            confirmationToken: Type.String({ maxLength: 200 }),
            reason: Type.String({ minLength: 10, maxLength: 2000 }),
          }),
        },
      },
      async (request, reply) => {
        const actor = requireStaff(request);
        const ctx = contextOf(request);
        await deps.access.requireActingInCare(ctx, 'emergency-open', 'steg 2');
        const identifier = parseIdentifier(request.body.identifier);
        const [expires, signature] = request.body.confirmationToken.split('.');
        const expected = sign(`${identifier}|${actor.staffId}|${actor.unitId}|${expires}`);
        const isValid =
          signature !== undefined &&
          signature.length === expected.length &&
          timingSafeEqual(Buffer.from(signature), Buffer.from(expected)) &&
          Number(expires) > deps.clock().getTime();
        if (!isValid)
          throw new DomainError(
            'invalid_input',
            'Bekräftelsen är ogiltig eller för gammal. Börja om nödåtkomsten.',
          );
        const patientId = await resolveIdentifier(ctx, request.body.identifier, 'emergency-open');
        assertMayActInCare(await deps.access.decide(actor, patientId, 'read'));
        const opened = await deps.consents.openEmergency(patientId, {
          staffId: actor.staffId,
          unitId: actor.unitId,
          reason: request.body.reason,
          minutes: deps.emergencyMinutes,
        });
        await deps.access.logAction(contextOf(request), patientId, 'emergency-open', request.body.reason, {
          isEmergency: true,
        });
        return reply.status(201).send({ ...opened, patientId });
      },
    );

    app.get(
      '/api/me/access-log',
      {
        schema: {
          tags: ['access'],
          summary: 'For a patient: which units looked at my data, and when (newest first)',
          querystring: Obj({ limit: limitParam(ACCESS_LOG_PAGE) }),
        },
      },
      async (request) => {
        const actor = requireActor(request);
        if (actor.kind !== 'patient') throw new DomainError('forbidden');
        const limit = pageSize(request.query.limit, ACCESS_LOG_PAGE);
        await deps.access.require(contextOf(request), actor.patientId, 'read', 'egen logg');
        return { entries: await deps.accessLog.listForPatient(actor.patientId, limit) };
      },
    );
  };
}

/** Registering a relationship or opening emergency access needs an existing patient and a care role. */
function assertMayActInCare(decision: AccessDecision): void {
  if (decision.allowed) return;
  if (decision.reason === 'no-patient') throw new DomainError('not_found');
  if (decision.reason === 'role')
    throw new DomainError('forbidden', 'Din roll på enheten ger inte åtkomst till patientuppgifter.');
}
