/** Enrolment in a mobile care team, and the patient's mobile care at a glance. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EnrolmentService } from '../services/enrolment-service.ts';
import { contextOf, requireActor, requireStaff } from './http.ts';
import { EnrolmentEndSchema, EnrolmentParams, EnrolmentProposalSchema } from './mobile-care-schemas.ts';
import { PatientParams } from './schemas.ts';

export function enrolmentRoutes(deps: { enrolments: EnrolmentService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/patients/:patientId/mobile-care',
      {
        schema: {
          tags: ['mobile-care'],
          summary:
            "The patient's enrolments, team (public name and the number that answers now), directives, assessments (newest first) and escalations; the patient sees the team only",
          params: PatientParams,
        },
      },
      async (request) => {
        requireActor(request);
        return deps.enrolments.mobileCareOf(contextOf(request), request.params.patientId);
      },
    );

    app.post(
      '/api/patients/:patientId/enrolments',
      {
        schema: {
          tags: ['mobile-care'],
          summary: 'Propose an enrolment in a team (a physician or a nurse of the team; the other confirms)',
          params: PatientParams,
          body: EnrolmentProposalSchema,
        },
      },
      async (request, reply) => {
        requireStaff(request);
        const e = await deps.enrolments.propose(contextOf(request), request.params.patientId, request.body);
        return reply.status(201).send(e);
      },
    );

    const step = (path: string, summary: string, act: 'confirm' | 'pause' | 'resume') =>
      app.post(
        `/api/enrolments/:enrolmentId/${path}`,
        { schema: { tags: ['mobile-care'], summary, params: EnrolmentParams } },
        async (request) => {
          requireStaff(request);
          return deps.enrolments[act](contextOf(request), request.params.enrolmentId);
        },
      );
    step('confirm', 'Confirm a proposed enrolment (the other profession of the team)', 'confirm');
    step('pause', 'Pause an active enrolment (an admission to hospital)', 'pause');
    step('resume', 'Resume a paused enrolment (discharge)', 'resume');

    app.post(
      '/api/enrolments/:enrolmentId/end',
      {
        schema: {
          tags: ['mobile-care'],
          summary: 'End an enrolment with its reason; a death ends every open escalation too',
          params: EnrolmentParams,
          body: EnrolmentEndSchema,
        },
      },
      async (request) => {
        requireStaff(request);
        return deps.enrolments.end(contextOf(request), request.params.enrolmentId, request.body.reason);
      },
    );
  };
}
