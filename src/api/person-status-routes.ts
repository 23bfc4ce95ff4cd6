/**
 * A death reported by care (services/person-status-service.ts): the physician who established it
 * records it at once, so that the plan, the team's enrolment and open escalations end and the
 * fast vårdkontakt is told, without waiting for the population register (which learns it from the
 * dödsbevis, often days later). The register's later word changes nothing more.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PersonStatusService } from '../services/person-status-service.ts';
import { contextOf } from './http.ts';
import { DateOnly, Obj, PatientParams } from './schemas.ts';

export interface PersonStatusRouteDeps {
  personStatus: PersonStatusService;
}

export function personStatusRoutes(deps: PersonStatusRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/patients/:patientId/death',
      {
        schema: {
          tags: ['patients'],
          summary:
            'Record a death established by a physician: the plan, team enrolments and open escalations end; the fast vårdkontakt is told once',
          params: PatientParams,
          body: Obj({ deceasedOn: DateOnly }),
        },
      },
      async (request) =>
        deps.personStatus.reportDeath(contextOf(request), request.params.patientId, request.body.deceasedOn),
    );
  };
}
