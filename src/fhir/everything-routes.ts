/**
 * `Patient/<id>/$everything`: one patient's whole plan in one paged searchset. It is made of the
 * searches a client would make, run inside the server with the caller's own credentials
 * (session cookie or bearer token), so each part passes the same access decision, spärr
 * redaction and access log as when asked for alone: the Patient, the CarePlans with their
 * Goals, CareTeam and Appointment, the Consents, the diagnoses (Condition) and stays in hospital
 * (Encounter), the Provenance of the current plan's latest versions, and the mobile care records
 * (EpisodeOfCare, Observation, Communication, Task).
 * See: https://hl7.org/fhir/R4/patient-operation-everything.html
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DomainError } from '../domain/errors.ts';
import { searchset, type FhirResource } from './bundle.ts';
import type { FhirDeps } from './fhir-routes.ts';
import { countOf, MAX_COUNT, numericCursor, PagingParams } from './history.ts';
import { FormatParam, IdParams } from './search.ts';

const EverythingQuery = Type.Object({ ...PagingParams, ...FormatParam }, { additionalProperties: false });
const DEFAULT_COUNT = 50;

/** The searches, per patient id, in the order their results are listed. */
const searchesOf = (id: string): string[] => [
  `Patient?_id=${id}`,
  `CarePlan?patient=Patient/${id}`,
  `Goal?patient=Patient/${id}`,
  `CareTeam?patient=Patient/${id}`,
  `Appointment?patient=Patient/${id}`,
  `Consent?patient=Patient/${id}&_count=${MAX_COUNT}`,
  `Condition?patient=Patient/${id}&_count=${MAX_COUNT}`,
  `Encounter?patient=Patient/${id}&_count=${MAX_COUNT}`,
  `EpisodeOfCare?patient=Patient/${id}`,
  `Observation?patient=Patient/${id}`,
  `Communication?patient=Patient/${id}`,
  `Task?patient=Patient/${id}`,
];

interface SearchAnswer {
  entry?: { resource: FhirResource }[];
}

export function everythingFhirRoutes(_deps: FhirDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    /** One search with the caller's credentials; a refusal is no hit (it is logged as such). */
    async function search(request: FastifyRequest, url: string): Promise<FhirResource[]> {
      const headers: Record<string, string> = { accept: 'application/fhir+json' };
      for (const name of ['cookie', 'authorization'] as const) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const res = await app.inject({ method: 'GET', url: `/fhir/${url}`, headers });
      if (res.statusCode !== 200) return [];
      return (res.json<SearchAnswer>().entry ?? []).map((e) => e.resource);
    }

    app.get(
      '/Patient/:id/$everything',
      { schema: { hide: true, params: IdParams, querystring: EverythingQuery } },
      async (request) => {
        const count = countOf(request.query._count, DEFAULT_COUNT);
        const offset = numericCursor(request.query._cursor) ?? 0;
        const id = encodeURIComponent(request.params.id);
        const parts = await Promise.all(searchesOf(id).map((url) => search(request, url)));
        // No Patient: missing, or not the reader's to see — the same 404 either way.
        if (parts[0]!.length === 0) throw new DomainError('not_found');
        const carePlans = parts[1]!.filter((r) => r.resourceType === 'CarePlan');
        const provenance = await Promise.all(
          carePlans.map((c) =>
            search(request, `Provenance?target=CarePlan/${c.id ?? ''}&_count=${MAX_COUNT}`),
          ),
        );
        const seen = new Set<string>();
        const all = [...parts, ...provenance].flat().filter((r) => {
          const key = `${r.resourceType}/${r.id ?? ''}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
        const page = all.slice(offset, offset + count);
        const next = all.length > offset + count ? String(offset + count) : null;
        return searchset(request, page, { next, isFirst: offset === 0 });
      },
    );
  };
}
