/** The checklist in force, for the web's live score while the nurse types (staff only). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AssessmentConfigService } from '../services/assessment-config-service.ts';
import { requireStaff } from './http.ts';

export function assessmentConfigRoutes(deps: {
  configs: Pick<AssessmentConfigService, 'active'>;
}): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/assessment-config',
      {
        schema: {
          tags: ['mobile-care'],
          summary:
            "The assessment checklist in force (the region's newest loaded version, else NEWS2 by RCP 2017): the same bands the server scores with",
        },
      },
      async (request) => {
        requireStaff(request);
        return { config: await deps.configs.active() };
      },
    );
  };
}
