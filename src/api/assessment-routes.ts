/** The structured assessment at the patient's side (NEWS2 as advice, the nurse's outcome). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AssessmentService } from '../services/assessment-service.ts';
import { contextOf, requireStaff } from './http.ts';
import { AssessmentSchema } from './mobile-care-schemas.ts';
import { PatientParams } from './schemas.ts';

export function assessmentRoutes(deps: { assessments: AssessmentService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/patients/:patientId/assessments',
      {
        schema: {
          tags: ['mobile-care'],
          summary:
            'Record an assessment: the score and advice, and when the outcome contacts a physician whom to call now and a draft SBAR (ambulance: callFirst 112)',
          params: PatientParams,
          body: AssessmentSchema,
        },
      },
      async (request, reply) => {
        requireStaff(request);
        const result = await deps.assessments.create(
          contextOf(request),
          request.params.patientId,
          request.body,
        );
        return reply.status(201).send(result);
      },
    );
  };
}
