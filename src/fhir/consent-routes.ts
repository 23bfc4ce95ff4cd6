/**
 * FHIR Consent: the patient's consents and spärrar, read, searched, recorded and ended through
 * the same consent and block services as the JSON API (the same rules: who may record a wish,
 * how a spärr is lifted, the access decision and its log entry). A Consent's version is 1 while
 * it stands and 2 once revoked, lifted or past its last day; ending one is a PUT with
 * `status: inactive` and If-Match, and nothing else of a Consent changes. Both versions are
 * rebuilt from the stored record for vread and the history (consent-mapper.ts#consentVersions).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contextOf, requireIfMatch } from '../api/http.ts';
import { DomainError } from '../domain/errors.ts';
import { baseUrl, searchset } from './bundle.ts';
import {
  blockVersions,
  consentFromFhir,
  consentVersions,
  FhirConsentSchema,
  methodOf,
  parseConsentId,
  type ConsentVersion,
  type FhirConsent,
} from './consent-mapper.ts';
import type { FhirDeps } from './fhir-routes.ts';
import {
  countOf,
  HISTORY_COUNT,
  historyBundle,
  historyPage,
  HistoryQuery,
  numericCursor,
  PagingParams,
  VersionParams,
} from './history.ts';
import { assertSameId, sendResource } from './http.ts';
import { FhirError } from './outcome.ts';
import {
  FormatParam,
  IdParams,
  listParam,
  noneWhenNotFound,
  Param,
  patientsOfSearch,
  ReadQuery,
  resolvePatientReference,
} from './search.ts';

const ConsentQuery = Type.Object(
  { patient: Param, 'patient.identifier': Param, status: Param, ...PagingParams, ...FormatParam },
  { additionalProperties: false },
);

/** The most consents and spärrar read per patient (the JSON API's maximum). */
const PER_PATIENT = 100;
const DEFAULT_COUNT = 50;

/** Version 1 while it stands, 2 once ended: If-Match on the PUT that ends it. */
const versionOf = (consent: FhirConsent): number => (consent.status === 'active' ? 1 : 2);

export function consentFhirRoutes(deps: FhirDeps): FastifyPluginAsyncTypebox {
  /**
   * The versions (newest first) of each of a patient's consents and spärrar as the reader may see
   * them (each service decides and logs).
   */
  async function versionsOf(request: FastifyRequest, patientId: string): Promise<ConsentVersion[][]> {
    const ctx = contextOf(request);
    const { consents } = await deps.consentService.list(ctx, patientId, PER_PATIENT);
    const { blocks } = await deps.blockService.list(ctx, patientId);
    const now = deps.clock();
    return [
      ...consents.map((c) => consentVersions(patientId, c, now)),
      ...blocks.map((b) => blockVersions(patientId, b)),
    ];
  }

  /** A patient's consents and spärrar as the reader may see them now. */
  async function consentsOf(request: FastifyRequest, patientId: string): Promise<FhirConsent[]> {
    return (await versionsOf(request, patientId)).map((versions) => versions[0]!.resource);
  }

  /** The versions of the Consent an id names (newest first), once the reader may read its patient's consents. */
  async function readVersions(request: FastifyRequest, id: string): Promise<ConsentVersion[]> {
    const patientId = await patientOfConsent(id);
    const versions = (await versionsOf(request, patientId)).find((v) => v[0]!.resource.id === id);
    if (!versions) throw new DomainError('not_found');
    return versions;
  }

  /** The patient of the record a Consent id names, or 404. */
  async function patientOfConsent(id: string): Promise<string> {
    const named = parseConsentId(id);
    const patientId =
      named === null
        ? null
        : named.kind === 'samtycke'
          ? await deps.consentService.patientOf(named.id)
          : await deps.blockService.patientOf(named.id);
    if (patientId === null) throw new DomainError('not_found');
    return patientId;
  }

  /** The Consent an id names, once the reader may read its patient's consents. */
  async function readConsent(
    request: FastifyRequest,
    id: string,
  ): Promise<{ consent: FhirConsent; patientId: string }> {
    const patientId = await patientOfConsent(id);
    const consent = (await consentsOf(request, patientId)).find((c) => c.id === id);
    if (!consent) throw new DomainError('not_found');
    return { consent, patientId };
  }

  return async (app) => {
    app.get(
      '/Consent/:id',
      { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
      async (request, reply) => {
        const { consent } = await readConsent(request, request.params.id);
        return sendResource(request, reply, consent, versionOf(consent));
      },
    );

    app.get(
      '/Consent/:id/_history/:vid',
      { schema: { hide: true, params: VersionParams, querystring: ReadQuery } },
      async (request, reply) => {
        const vid = Number(request.params.vid);
        const found = (await readVersions(request, request.params.id)).find((v) => v.version === vid);
        if (!found) throw new DomainError('not_found');
        return sendResource(request, reply, found.resource, found.version);
      },
    );

    app.get(
      '/Consent/:id/_history',
      { schema: { hide: true, params: IdParams, querystring: HistoryQuery } },
      async (request) => {
        const before = numericCursor(request.query._cursor);
        const count = countOf(request.query._count, HISTORY_COUNT);
        const versions = await readVersions(request, request.params.id);
        const entries = versions.map((v, i) => ({ ...v, created: i === versions.length - 1 }));
        const page = historyPage(entries, count, before);
        return historyBundle(request, page.entries, { next: page.next, isFirst: before === undefined });
      },
    );

    app.get('/Consent', { schema: { hide: true, querystring: ConsentQuery } }, async (request) => {
      const q = request.query;
      const count = countOf(q._count, DEFAULT_COUNT);
      const offset = numericCursor(q._cursor) ?? 0;
      const statuses = q.status === undefined ? null : new Set(listParam(q.status));
      const found: FhirConsent[] = [];
      for (const patientId of await patientsOfSearch(q, deps.lookup, deps.clock()))
        found.push(...(await noneWhenNotFound(() => consentsOf(request, patientId))));
      const matching = found.filter((c) => !statuses || statuses.has(c.status));
      const page = matching.slice(offset, offset + count);
      const next = offset + count < matching.length ? String(offset + count) : null;
      return searchset(request, page, { next, isFirst: offset === 0 });
    });

    app.post(
      '/Consent',
      { schema: { hide: true, body: FhirConsentSchema, querystring: ReadQuery } },
      async (request, reply) => {
        const ctx = contextOf(request);
        const patientId = await resolvePatientReference(
          request.body.patient,
          deps.lookup,
          deps.clock(),
          'Consent.patient',
        );
        const wish = consentFromFhir(request.body);
        const id =
          wish.kind === 'samtycke'
            ? `samtycke-${await deps.consentService.record(ctx, patientId, wish.request)}`
            : `sparr-${await deps.blockService.add(ctx, patientId, wish.request)}`;
        const consent = (await consentsOf(request, patientId)).find((c) => c.id === id);
        if (consent) return sendResource(request, reply, consent, versionOf(consent), { created: true });
        // Staff see only the spärrar their own unit or care provider holds (domain/block.ts
        // #blocksShownTo), so one recorded for another is created but not shown to its writer.
        return reply
          .status(201)
          .header('location', `${baseUrl(request)}/Consent/${id}`)
          .send({
            resourceType: 'OperationOutcome',
            issue: [
              {
                severity: 'information',
                code: 'informational',
                diagnostics:
                  'Spärren är registrerad. Den gäller en annan enhet eller vårdgivare och visas därför bara för patienten och för den som spärren gäller.',
              },
            ],
          });
      },
    );

    app.put(
      '/Consent/:id',
      { schema: { hide: true, params: IdParams, body: FhirConsentSchema, querystring: ReadQuery } },
      async (request, reply) => {
        const expected = requireIfMatch(request);
        assertSameId(request.body.id, request.params.id, 'Consent');
        const { consent, patientId } = await readConsent(request, request.params.id);
        if (expected !== versionOf(consent)) throw new DomainError('version_conflict');
        if (request.body.status === consent.status)
          return sendResource(request, reply, consent, versionOf(consent));
        if (request.body.status !== 'inactive' || consent.status !== 'active')
          throw new FhirError(
            400,
            'business-rule',
            'Ett samtycke eller en spärr kan bara avslutas (status inactive).',
          );
        const ctx = contextOf(request);
        const named = parseConsentId(consent.id)!;
        if (named.kind === 'samtycke') await deps.consentService.revoke(ctx, patientId, named.id);
        else {
          const method = methodOf(request.body);
          await deps.blockService.lift(
            ctx,
            patientId,
            named.id,
            method === undefined ? undefined : { method },
          );
        }
        const { consent: ended } = await readConsent(request, request.params.id);
        return sendResource(request, reply, ended, versionOf(ended));
      },
    );
  };
}
