/** The patient's wishes about the level of care and the physicians' directives. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CareDirectiveService } from '../services/care-directive-service.ts';
import { contextOf, requireStaff } from './http.ts';
import { CareDirectiveSchema, DirectiveParams } from './mobile-care-schemas.ts';
import { PatientParams } from './schemas.ts';

export function careDirectiveRoutes(deps: { directives: CareDirectiveService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/patients/:patientId/care-directives',
      {
        schema: {
          tags: ['mobile-care'],
          summary:
            "Record the patient's wish about the level of care, or (physicians) a treatment limitation or SpO₂ scale 2",
          params: PatientParams,
          body: CareDirectiveSchema,
        },
      },
      async (request, reply) => {
        requireStaff(request);
        const d = await deps.directives.record(contextOf(request), request.params.patientId, request.body);
        return reply.status(201).send(d);
      },
    );

    app.post(
      '/api/care-directives/:directiveId/end',
      { schema: { tags: ['mobile-care'], summary: 'End a directive', params: DirectiveParams } },
      async (request) => {
        requireStaff(request);
        return deps.directives.end(contextOf(request), request.params.directiveId);
      },
    );
  };
}
