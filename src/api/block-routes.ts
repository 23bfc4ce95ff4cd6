/**
 * Spärr (services/block-service.ts): the patient blocks the information a unit or a care
 * provider holds; staff record it for them, and lift it only with their consent (security.md 5).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { BlockService } from '../services/block-service.ts';
import { contextOf } from './http.ts';
import { ConsentMethod, HsaId, ItemParams, Obj, OneOf, PatientParams } from './schemas.ts';

export interface BlockRouteDeps {
  blocks: BlockService;
}

export function blockRoutes(deps: BlockRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/patients/:patientId/blocks',
      {
        schema: {
          tags: ['access'],
          summary: 'Spärrar: all of them for the patient; for staff, those their unit or provider holds',
          params: PatientParams,
        },
      },
      async (request) => deps.blocks.list(contextOf(request), request.params.patientId),
    );

    app.post(
      '/api/patients/:patientId/blocks',
      {
        schema: {
          tags: ['access'],
          summary: 'Block (spärra) information held by a unit or a care provider',
          params: PatientParams,
          body: Obj({
            scope: OneOf(['unit', 'provider'] as const),
            unitId: Type.Optional(HsaId),
            providerId: Type.Optional(HsaId),
          }),
        },
      },
      async (request, reply) => {
        const id = await deps.blocks.add(contextOf(request), request.params.patientId, request.body);
        return reply.status(201).send({ id });
      },
    );

    app.post(
      '/api/patients/:patientId/blocks/:id/lift',
      {
        schema: {
          tags: ['access'],
          summary: "Lift a spärr. Staff must record the patient's consent to lifting it.",
          params: ItemParams,
          body: Obj({ patientConsent: Type.Optional(Obj({ method: ConsentMethod })) }),
        },
      },
      async (request, reply) => {
        await deps.blocks.lift(
          contextOf(request),
          request.params.patientId,
          request.params.id,
          request.body.patientConsent,
        );
        return reply.status(204).send();
      },
    );
  };
}
