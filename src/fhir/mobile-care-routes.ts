/**
 * Mobile care teams on the FHIR server, read only: EpisodeOfCare (the enrolment), CareTeam
 * `team-<id>` (the team, for its members), Observation (vital signs and NEWS2), Communication (the
 * SBAR) and Task (the escalation). Each read and search goes through the mobile-care record
 * service: the same access decision, log and spärr filter as the JSON API; a record the reader may
 * not see answers 404 like a missing one, and a search leaves it out. Writes go through the JSON
 * API, where the assessment's rules and the routing live (docs/mobile-teams.md).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { contextOf } from '../api/http.ts';
import { DomainError } from '../domain/errors.ts';
import type { MobileCare } from '../services/enrolment-service.ts';
import type { MobileCareRecordKind } from '../services/mobile-care-record-service.ts';
import { searchset, type FhirResource } from './bundle.ts';
import type { FhirDeps } from './fhir-routes.ts';
import {
  communicationToFhir,
  episodeOfCareToFhir,
  taskToFhir,
  teamToFhir,
  TEAM_ID_PREFIX,
} from './mobile-care-mapper.ts';
import { matchesTokens, observationsOf, parseObservationId } from './observation-mapper.ts';
import { IdParams, listParam, patientsOfSearch, PatientScopedQuery, ReadQuery } from './search.ts';

const Token = Type.Optional(Type.String({ minLength: 1, maxLength: 200 }));
const ObservationQuery = Type.Object(
  { ...PatientScopedQuery.properties, code: Token, category: Token },
  { additionalProperties: false },
);
const TeamParams = Type.Object({ teamId: Type.String({ minLength: 1, maxLength: 128 }) });

/** Whether the assessment an escalation came from has a NEWS2 total (none under 16 years). */
function hasScore(care: MobileCare, assessmentId: string): boolean {
  return care.assessments.some((a) => a.id === assessmentId && a.score !== null);
}

/** The FHIR resources of one kind in a patient's mobile care. */
type ResourceType = 'EpisodeOfCare' | 'Communication' | 'Task' | 'Observation';
const resourcesOf: Record<ResourceType, (care: MobileCare) => FhirResource[]> = {
  EpisodeOfCare: (care) => care.enrolments.map(episodeOfCareToFhir),
  Communication: (care) =>
    care.escalations.map((e) => communicationToFhir(e, hasScore(care, e.assessmentId))),
  Task: (care) => care.escalations.map((e) => taskToFhir(e, hasScore(care, e.assessmentId))),
  Observation: (care) => care.assessments.flatMap(observationsOf),
};

const kindOf: Record<ResourceType, MobileCareRecordKind> = {
  EpisodeOfCare: 'enrolment',
  Communication: 'escalation',
  Task: 'escalation',
  Observation: 'assessment',
};

export function mobileCareFhirRoutes(deps: FhirDeps): FastifyPluginAsyncTypebox {
  const records = deps.mobileCareRecords;

  /** One resource by id: the record it comes from, read under the patient's access rule. */
  async function readOne(type: ResourceType, request: Parameters<typeof contextOf>[0], id: string) {
    const recordId = type === 'Observation' ? parseObservationId(id)?.assessmentId : id;
    if (recordId === undefined) throw new DomainError('not_found');
    const { care } = await records.recordOf(contextOf(request), kindOf[type], recordId);
    const found = resourcesOf[type](care).find((r) => r.id === id);
    if (!found) throw new DomainError('not_found');
    return found;
  }

  return async (app) => {
    for (const type of ['EpisodeOfCare', 'Communication', 'Task'] as const) {
      app.get(
        `/${type}/:id`,
        { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
        async (request) => readOne(type, request, request.params.id),
      );
      app.get(`/${type}`, { schema: { hide: true, querystring: PatientScopedQuery } }, async (request) => {
        const patientIds = await patientsOfSearch(request.query, deps.lookup, deps.clock());
        const cares = await records.recordsOf(contextOf(request), patientIds);
        return searchset(request, [...cares.values()].flatMap(resourcesOf[type]));
      });
    }

    app.get(
      '/Observation/:id',
      { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
      async (request) => readOne('Observation', request, request.params.id),
    );
    app.get('/Observation', { schema: { hide: true, querystring: ObservationQuery } }, async (request) => {
      const { code, category } = request.query;
      const patientIds = await patientsOfSearch(request.query, deps.lookup, deps.clock());
      const cares = await records.recordsOf(contextOf(request), patientIds);
      const tokens = {
        ...(code !== undefined ? { code: listParam(code) } : {}),
        ...(category !== undefined ? { category: listParam(category) } : {}),
      };
      const found = [...cares.values()]
        .flatMap((care) => care.assessments.flatMap(observationsOf))
        .filter((o) => matchesTokens(o, tokens));
      return searchset(request, found);
    });

    // A mobile team's CareTeam; `/CareTeam/<patient id>` stays the patient's fixed contacts.
    app.get(
      `/CareTeam/${TEAM_ID_PREFIX}:teamId`,
      { schema: { hide: true, params: TeamParams, querystring: ReadQuery } },
      async (request) => teamToFhir(await records.team(contextOf(request), request.params.teamId)),
    );
  };
}
