/**
 * FHIR CareTeam = the patient's fixed contacts and treating roles (id = the patient's id).
 * POST adds one participant; PUT with If-Match adds one, ends one, or changes a holder.
 * The one-holder rules are the database's: a second fast vårdkontakt is a 409. Writes go
 * through services/care-contact-service.ts, as the JSON API's do. Every version is kept
 * (migration 027): `_history` pages them, `_history/<n>` reads one, as the read answered then.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contextOf, requireIfMatch, requireStaff } from '../api/http.ts';
import { DomainError } from '../domain/errors.ts';
import type { CareTeamAs } from '../services/care-contact-service.ts';
import { searchset } from './bundle.ts';
import {
  careTeamToFhir,
  FhirCareTeamSchema,
  planCareTeamCreate,
  planCareTeamUpdate,
  type FhirCareTeam,
} from './careteam-mapper.ts';
import { REDACTED } from './careplan-routes.ts';
import { invalid } from './datatypes.ts';
import type { FhirDeps } from './fhir-routes.ts';
import { HISTORY_COUNT, HistoryQuery, storedHistoryBundle, storedVersionEntry } from './history.ts';
import { assertSameId, sendResource } from './http.ts';
import {
  IdParams,
  patientsOfSearch,
  PatientScopedQuery,
  ReadQuery,
  resolvePatientReference,
} from './search.ts';

const VersionParams = Type.Object({
  id: Type.String({ maxLength: 128 }),
  vid: Type.String({ pattern: '^\\d{1,9}$' }),
});

export function careTeamFhirRoutes(deps: FhirDeps): FastifyPluginAsyncTypebox {
  /** The care team as the reader may see it, and the version of all of it. */
  function careTeamFor({ patientId, team, version, grant }: CareTeamAs): {
    resource: FhirCareTeam;
    version: number;
  } {
    const resource = careTeamToFhir(
      patientId,
      team.filter((c) => !grant.isHidden(c.unitId)),
      version,
    );
    // As on CarePlan: the reader learns that a participant was left out, never which. Declined
    // offers are no participants, and not in the team at all.
    const isRedacted = team.some((c) => grant.isHidden(c.unitId));
    return {
      resource: isRedacted ? { ...resource, meta: { ...resource.meta, security: [REDACTED] } } : resource,
      version,
    };
  }

  function respond(request: FastifyRequest, reply: FastifyReply, seen: CareTeamAs, created = false) {
    const { resource, version } = careTeamFor(seen);
    return sendResource(request, reply, resource, version, { created });
  }

  return async (app) => {
    app.get(
      '/CareTeam/:id',
      { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
      async (request, reply) => {
        return respond(
          request,
          reply,
          await deps.careContactService.readTeam(contextOf(request), request.params.id),
        );
      },
    );

    app.get(
      '/CareTeam/:id/_history',
      { schema: { hide: true, params: IdParams, querystring: HistoryQuery } },
      async (request) =>
        storedHistoryBundle(request, request.query, HISTORY_COUNT, async (page) => {
          const patientId = request.params.id;
          const { grant, versions } = await deps.careContactService.readTeamHistory(
            contextOf(request),
            patientId,
            page,
          );
          return versions.map((v) =>
            storedVersionEntry(
              careTeamFor({ patientId, team: v.members, version: v.version, grant }).resource,
              v,
            ),
          );
        }),
    );

    app.get(
      '/CareTeam/:id/_history/:vid',
      { schema: { hide: true, params: VersionParams, querystring: ReadQuery } },
      async (request, reply) => {
        return respond(
          request,
          reply,
          await deps.careContactService.readTeamVersion(
            contextOf(request),
            request.params.id,
            Number(request.params.vid),
          ),
        );
      },
    );

    app.get('/CareTeam', { schema: { hide: true, querystring: PatientScopedQuery } }, async (request) => {
      const patientIds = await patientsOfSearch(request.query, deps.lookup, deps.clock());
      const teams = await deps.careContactService.searchTeams(contextOf(request), patientIds);
      return searchset(
        request,
        teams.map((seen) => careTeamFor(seen).resource),
      );
    });

    app.post(
      '/CareTeam',
      { schema: { hide: true, body: FhirCareTeamSchema, querystring: ReadQuery } },
      async (request, reply) => {
        requireStaff(request);
        const patientId = await resolvePatientReference(
          request.body.subject,
          deps.lookup,
          deps.clock(),
          'CareTeam.subject',
        );
        const seen = await deps.careContactService.changeTeam(contextOf(request), patientId, async () =>
          planCareTeamCreate(request.body),
        );
        return respond(request, reply, seen, true);
      },
    );

    app.put(
      '/CareTeam/:id',
      { schema: { hide: true, params: IdParams, body: FhirCareTeamSchema, querystring: ReadQuery } },
      async (request, reply) => {
        requireStaff(request);
        const patientId = request.params.id;
        const seen = await deps.careContactService.changeTeam(
          contextOf(request),
          patientId,
          async (grant, team) => {
            const expected = requireIfMatch(request);
            assertSameId(request.body.id, patientId, 'CareTeam');
            const subject = await resolvePatientReference(
              request.body.subject,
              deps.lookup,
              deps.clock(),
              'CareTeam.subject',
            );
            if (subject !== patientId)
              throw invalid('Vårdteamet hör till patienten i adressen.', 'CareTeam.subject');
            const { contacts, version } = await team();
            if (version !== expected) throw new DomainError('version_conflict');
            return planCareTeamUpdate(
              request.body,
              contacts.filter((c) => !grant.isHidden(c.unitId)),
            );
          },
        );
        return respond(request, reply, seen);
      },
    );
  };
}
