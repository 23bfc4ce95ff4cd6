/** Finding and registering patients, and the patient overview. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../domain/errors.ts';
import { parsePatientId } from '../domain/personnummer.ts';
import { redactOverview } from '../domain/redaction.ts';
import type { ContractStore } from '../store/contract-store.ts';
import type { DirectoryStore } from '../store/directory-store.ts';
import type { OverviewStore } from '../store/overview-store.ts';
import type { PatientStore } from '../store/patient-store.ts';
import type { AccessService } from '../services/access-service.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, searchPatients } from '../services/patient-search.ts';
import type { PatientRegistration } from '../services/patient-registration.ts';
import { contextOf, requireStaff } from './http.ts';
import { prefetchedOverview } from './prefetch-plugin.ts';
import { DateOnly, HsaId, Obj, PatientParams } from './schemas.ts';

export interface PatientRouteDeps {
  patients: PatientStore;
  directory: DirectoryStore;
  contracts: ContractStore;
  registration: PatientRegistration;
  overview: OverviewStore;
  access: AccessService;
  clock: () => Date;
}

const NewPatientSchema = Obj({
  identifier: Type.String({
    minLength: 1,
    maxLength: 20,
    description: 'Personnummer, samordningsnummer eller reservnummer',
  }),
  givenName: Type.String({ minLength: 1, maxLength: 100 }),
  familyName: Type.String({ minLength: 1, maxLength: 100 }),
  phone: Type.Optional(Type.String({ maxLength: 40 })),
  listedUnitId: Type.Optional(HsaId),
  listedSince: Type.Optional(DateOnly),
});

export function patientRoutes(deps: PatientRouteDeps): FastifyPluginAsyncTypebox {
  const { directory, contracts, registration } = deps;
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
      async (request) => {
        const q = request.query.q.trim();
        const parsed = parsePatientId(q, deps.clock());
        if (parsed.ok) {
          const one = await deps.patients.findByIdentifier(parsed.id.value);
          // Every hit passes the same access decision as a direct read, and each one shown is logged.
          const visible = one ? await deps.access.filterSearch(contextOf(request), [one.id]) : [];
          return { patients: one && visible.length > 0 ? [one] : [] };
        }
        if (/^[\d\s+-]+$/.test(q)) {
          // A birth date alone (ÅÅÅÅMMDD, ÅÅMMDD, ÅÅÅÅ-MM-DD) names many people: the search does
          // not list by birth date, and says what it needs instead of a format error.
          const digits = q.replace(/\D/g, '');
          const reason =
            digits.length === 6 || digits.length === 8
              ? 'Ett födelsedatum räcker inte. Ange hela personnumret eller ett namn.'
              : parsed.reason;
          throw new DomainError('invalid_patient_id', reason, [{ path: 'querystring/q', message: reason }]);
        }
        // Filtered by access before the page is cut, so a page holds only patients the reader may see.
        const page = await searchPatients(
          deps,
          contextOf(request),
          { name: q },
          {
            size: request.query.limit === undefined ? DEFAULT_PAGE_SIZE : Number(request.query.limit),
            cursor: request.query.cursor,
          },
        );
        return { patients: page.patients, ...(page.next ? { nextCursor: page.next } : {}) };
      },
    );

    app.post(
      '/api/patients',
      { schema: { tags: ['patients'], summary: 'Register a patient', body: NewPatientSchema } },
      async (request, reply) => {
        const actor = requireStaff(request);
        const body = request.body;
        const parsed = parsePatientId(body.identifier, deps.clock());
        if (!parsed.ok) {
          throw new DomainError('invalid_patient_id', parsed.reason, [
            { path: '/identifier', message: parsed.reason },
          ]);
        }
        const listedUnitId = body.listedUnitId ?? actor.unitId;
        if ((await directory.missingUnitIds([listedUnitId])).length > 0)
          throw new DomainError('unknown_unit', undefined, [
            { path: '/listedUnitId', message: listedUnitId },
          ]);
        // A known number answers like a new one (services/patient-registration.ts).
        const patient = await registration.register(contextOf(request), {
          identifier: parsed.id.value,
          identifierKind: parsed.id.kind,
          givenName: body.givenName,
          familyName: body.familyName,
          birthDate: parsed.id.birthDate,
          sex: parsed.id.sex,
          phone: body.phone ?? null,
          listedUnitId,
          listedSince: body.listedSince ?? null,
        });
        return reply.status(201).send(patient);
      },
    );

    app.get(
      '/api/patients/:patientId',
      { schema: { tags: ['patients'], summary: 'One patient', params: PatientParams } },
      async (request) => {
        await deps.access.require(contextOf(request), request.params.patientId, 'read');
        const patient = await deps.patients.findById(request.params.patientId);
        if (!patient) throw new DomainError('not_found');
        return patient;
      },
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
        const grant = await deps.access.require(contextOf(request), request.params.patientId, 'read');
        if (grant.hidesNothing) {
          // Nothing to redact: the JSON as the database wrote it, not parsed and written again;
          // read with the session (config.prefetch), sent now that access is granted.
          const prefetched = prefetchedOverview(request, request.params.patientId);
          const found =
            prefetched !== undefined ? prefetched : await deps.overview.readJson(request.params.patientId);
          if (!found) throw new DomainError('not_found');
          if (found.contractVersion !== null) void reply.header('etag', `W/"${found.contractVersion}"`);
          return reply
            .type('application/json; charset=utf-8')
            .send(`${found.json.slice(0, -1)},"hasBlockedInformation":false}`);
        }
        const overview = await deps.overview.read(request.params.patientId);
        if (!overview) throw new DomainError('not_found');
        if (overview.contract) void reply.header('etag', `W/"${overview.contract.version}"`);
        const authors = overview.contract ? await contracts.authorUnits([overview.contract.id]) : undefined;
        return redactOverview(overview, grant.isHidden, authors?.get(overview.contract?.id ?? ''));
      },
    );
  };
}
