/**
 * Care relationships registered by hand (services/care-relationship-service.ts): a unit that
 * takes part in the patient's care registers it for a patient it names by personnummer, and
 * ends it (security.md 4).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { CareRelationshipService } from '../services/care-relationship-service.ts';
import { staffContextOf } from './http.ts';
import { DateOnly, ItemParams, Obj } from './schemas.ts';

export interface CareRelationshipRouteDeps {
  relationships: CareRelationshipService;
}

export function careRelationshipRoutes(deps: CareRelationshipRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    // By personnummer, not patient id: how a member of staff without access yet (the search
    // showed nothing) establishes a basis; whether the person is registered shows only through
    // this deliberate, logged act.
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
        const registered = await deps.relationships.registerFor(staffContextOf(request), request.body);
        return reply.status(201).send(registered);
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
        await deps.relationships.end(staffContextOf(request), request.params.patientId, request.params.id);
        return reply.status(204).send();
      },
    );
  };
}
