/** Finding and registering patients, and the patient overview (services/patient-service.ts). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../services/patient-search.ts';
import type { PatientMergeService } from '../services/patient-merge-service.ts';
import type { PatientService } from '../services/patient-service.ts';
import { contextOf, staffContextOf } from './http.ts';
import { prefetchedOverview } from './prefetch-plugin.ts';
import { DateOnly, HsaId, Obj, PatientParams } from './schemas.ts';

export interface PatientRouteDeps {
  patients: PatientService;
  merges: PatientMergeService;
}

const NewPatientSchema = Obj({
  identifier: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 20,
      description:
        'Personnummer eller samordningsnummer: namn, födelsedatum, kön, adress och skydd hämtas från folkbokföringen. Utelämnat: personen får ett reservnummer.',
    }),
  ),
  givenName: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'Bara utan personnummer (reservnummer)' }),
  ),
  familyName: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'Bara utan personnummer (reservnummer)' }),
  ),
  birthDate: Type.Optional(DateOnly),
  sex: Type.Optional(Type.Union([Type.Literal('female'), Type.Literal('male')])),
  phone: Type.Optional(Type.String({ maxLength: 40 })),
  listedUnitId: Type.Optional(HsaId),
  listedSince: Type.Optional(DateOnly),
});

const MergeSchema = Obj({
  identifier: Type.String({
    minLength: 1,
    maxLength: 20,
    description: 'Personens personnummer eller samordningsnummer',
  }),
});

export function patientRoutes(deps: PatientRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/patients',
      {
        schema: {
          tags: ['patients'],
          summary:
            'Find patients by personnummer (any common format) or name, a page at a time (nextCursor → cursor)',
          querystring: Obj({
            q: Type.String({ minLength: 1, maxLength: 100 }),
            limit: Type.Optional(
              Type.String({
                // 1–100 (MAX_PAGE_SIZE): above it is refused, like every list route's limit.
                pattern: '^(?:100|[1-9][0-9]?)$',
                description: `Page size, at most ${MAX_PAGE_SIZE}`,
              }),
            ),
            cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          }),
        },
      },
      async (request) =>
        deps.patients.find(contextOf(request), request.query.q, {
          size: request.query.limit === undefined ? DEFAULT_PAGE_SIZE : Number(request.query.limit),
          cursor: request.query.cursor,
        }),
    );

    app.post(
      '/api/patients',
      {
        schema: {
          tags: ['patients'],
          summary:
            'Register a patient: by personnummer or samordningsnummer from the population register, or with a reservnummer the product issues',
          body: NewPatientSchema,
        },
      },
      async (request, reply) => {
        const patient = await deps.patients.register(staffContextOf(request), request.body);
        return reply.status(201).send(patient);
      },
    );

    app.get(
      '/api/patients/:patientId',
      { schema: { tags: ['patients'], summary: 'One patient', params: PatientParams } },
      async (request) => deps.patients.get(contextOf(request), request.params.patientId),
    );

    app.post(
      '/api/patients/:patientId/register-refresh',
      {
        schema: {
          tags: ['patients'],
          summary:
            "Read the population register again for a patient: name, protection, death, move-out and address (what changed: 'name', 'died', 'moved-out' …)",
          params: PatientParams,
        },
      },
      async (request) => deps.patients.refreshFromRegister(contextOf(request), request.params.patientId),
    );

    app.post(
      '/api/patients/:patientId/merge',
      {
        schema: {
          tags: ['patients'],
          summary:
            "Merge a reservnummer patient into the person's personnummer or samordningsnummer (verksamhetschef): everything moves, the history says so",
          params: PatientParams,
          body: MergeSchema,
        },
      },
      async (request) =>
        deps.merges.merge(contextOf(request), request.params.patientId, request.body.identifier),
    );

    app.get(
      '/api/patients/:patientId/overview',
      {
        config: { prefetch: 'overview' },
        schema: {
          tags: ['patients'],
          summary: 'Everything the patient overview shows: patient, current contract, fixed contacts, names',
          params: PatientParams,
        },
      },
      async (request, reply) => {
        const { patientId } = request.params;
        // The overview read with the session (config.prefetch), used only once access is granted.
        const answer = await deps.patients.overview(
          contextOf(request),
          patientId,
          prefetchedOverview(request, patientId),
        );
        if (answer.version !== null) void reply.header('etag', `W/"${answer.version}"`);
        if (answer.kind === 'redacted') return answer.overview;
        // Nothing to redact: the JSON as the database wrote it, not parsed and written again.
        return reply
          .type('application/json; charset=utf-8')
          .send(`${answer.json.slice(0, -1)},"hasBlockedInformation":false}`);
      },
    );
  };
}
