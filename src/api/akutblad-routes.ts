/** "Information vid akutbesök": only for a logged-in reader with an access basis, logged as a print. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AkutbladService } from '../services/akutblad-service.ts';
import { contextOf, requireActor } from './http.ts';
import { PatientParams } from './schemas.ts';

export function akutbladRoutes(deps: { akutblad: AkutbladService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/patients/:patientId/akutblad',
      {
        schema: {
          tags: ['mobile-care'],
          summary:
            'Information vid akutbesök: identity, whom to call, diagnoses, wishes, the latest assessments and SBAR',
          params: PatientParams,
        },
      },
      async (request) => {
        requireActor(request);
        return deps.akutblad.read(contextOf(request), request.params.patientId);
      },
    );
  };
}
