/**
 * Stays in hospital recorded by staff: an admission pauses the patient's enrolment in a mobile
 * team, a discharge resumes it and answers with what the plan needs next. The list is bounded.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { HospitalStayService } from '../services/hospital-stay-service.ts';
import { contextOf, requireStaff } from './http.ts';
import { AdmissionSchema, DischargeSchema, HospitalStayParams } from './mobile-care-schemas.ts';
import { limitParam, pageSize, type PageBounds } from './paging.ts';
import { Obj, PatientParams } from './schemas.ts';

const STAYS: PageBounds = { fallback: 20, max: 100 };

export function hospitalStayRoutes(deps: { stays: HospitalStayService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/patients/:patientId/hospital-stays',
      {
        schema: {
          tags: ['mobile-care'],
          summary: "The patient's stays in hospital (imported and recorded by staff), newest first",
          params: PatientParams,
          querystring: Obj({ limit: limitParam(STAYS) }),
        },
      },
      async (request) => {
        requireStaff(request);
        const limit = pageSize(request.query.limit, STAYS);
        return { stays: await deps.stays.list(contextOf(request), request.params.patientId, limit) };
      },
    );

    app.post(
      '/api/patients/:patientId/hospital-stays',
      {
        schema: {
          tags: ['mobile-care'],
          summary: "Record an admission to hospital (pauses the patient's enrolment in a mobile team)",
          params: PatientParams,
          body: AdmissionSchema,
        },
      },
      async (request, reply) => {
        requireStaff(request);
        const stay = await deps.stays.admit(contextOf(request), request.params.patientId, request.body);
        return reply.status(201).send(stay);
      },
    );

    app.post(
      '/api/patients/:patientId/hospital-stays/:stayId/discharge',
      {
        schema: {
          tags: ['mobile-care'],
          summary:
            'Record the discharge (resumes an enrolment the admission paused); answers with the plan, its next contact and what is missing',
          params: HospitalStayParams,
          body: DischargeSchema,
        },
      },
      async (request) => {
        requireStaff(request);
        return deps.stays.discharge(
          contextOf(request),
          request.params.patientId,
          request.params.stayId,
          request.body,
        );
      },
    );
  };
}
