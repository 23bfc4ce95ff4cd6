/**
 * Imports for follow-up (docs/imports.md): `POST /api/imports/visits`,
 * `POST /api/imports/population` and `POST /api/imports/surveys` (anonymous survey answers), with the file as the body, `text/csv` or
 * `application/x-ndjson`, streamed: the body is read row by row straight into the database.
 * Only staff with the role `uppfoljning` at the unit they act from; every import is written to
 * the access log before it starts. A body over `maxBytes` (IMPORT_MAX_BYTES) is refused with 413:
 * at once when its Content-Length says so, else when the count passes it.
 */
import { Transform, type Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../domain/errors.ts';
import { byteCount } from '../domain/import-bounds.ts';
import type { ImportKind } from '../domain/import-formats.ts';
import type { ImportFormat, ImportService } from '../services/import-service.ts';
import { contextOf, requireStaff } from './http.ts';
import { Obj, OneOf } from './schemas.ts';

export interface ImportRouteDeps {
  imports: ImportService;
  /** The largest body the routes take, in bytes (the CLI has no limit). */
  maxBytes: number;
}

const formatOf: Record<string, ImportFormat> = { 'text/csv': 'csv', 'application/x-ndjson': 'ndjson' };

const RowErrorSchema = Obj({
  line: Type.Integer(),
  field: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
});
const ResultSchema = Obj({
  imported: Type.Integer(),
  updated: Type.Integer(),
  skippedDuplicates: Type.Integer(),
  rowsRead: Type.Integer(),
  createdPersons: Type.Integer(),
  errorCount: Type.Integer(),
  errors: Type.Array(RowErrorSchema),
  importId: Type.Union([Type.Integer(), Type.Null()]),
});

function tooLarge(max: number): DomainError {
  return new DomainError(
    'file_too_large',
    `Filen är större än ${byteCount(max)} byte, det största API:t tar emot. Dela upp den, eller importera den med npm run import.`,
  );
}

/** Stops a body larger than `max` bytes. */
function limited(body: Readable, max: number): Readable {
  let seen = 0;
  const counted = body.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        if (seen > max) done(tooLarge(max));
        else done(null, chunk);
      },
    }),
  );
  // The reader hears the error by reading on; when it has stopped already (the import failed
  // otherwise), the error must still have a listener or it is uncaught. Not pipeline: that would
  // destroy the request, and the client would get a reset instead of the answer.
  counted.on('error', () => {});
  return counted;
}

const summaries = {
  visits: 'Import visits and contacts (CSV or NDJSON, see docs/imports.md)',
  population: 'Import the population register: listing, fast läkarkontakt, SÄBO, hemsjukvård',
  surveys: 'Import anonymous survey answers: patient experience and team function of the mobile teams',
  diagnoses: "Import the patients' diagnoses (ICD-10, since when, the unit that made it, an end)",
  admissions:
    'Import admissions to hospital (vårdtillfällen): an admission pauses an enrolment in a mobile team, a discharge resumes it',
};

export function importRoutes(deps: ImportRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    // The body stays a stream: the import reads it row by row.
    app.addContentTypeParser(['text/csv', 'application/x-ndjson'], (_request, payload, done) =>
      done(null, payload),
    );

    for (const kind of [
      'visits',
      'population',
      'surveys',
      'diagnoses',
      'admissions',
    ] as const satisfies readonly ImportKind[]) {
      app.post(
        `/api/imports/${kind}`,
        {
          schema: {
            tags: ['follow-up'],
            summary: summaries[kind],
            querystring: Obj({
              mode: Type.Optional(
                OneOf(['all-or-nothing', 'valid-rows'] as const, 'all-or-nothing (default) or valid-rows'),
              ),
              source: Type.Optional(
                Type.String({ maxLength: 200, description: 'The file name, for the record' }),
              ),
            }),
            response: { 200: ResultSchema, 422: ResultSchema },
          },
        },
        async (request, reply) => {
          const actor = requireStaff(request);
          deps.imports.requireImporter(actor);
          const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
          const format = formatOf[type];
          if (!format)
            throw new DomainError('invalid_input', 'Skicka filen som text/csv eller application/x-ndjson.');
          const declared = Number(request.headers['content-length'] ?? 0);
          if (declared > deps.maxBytes) throw tooLarge(deps.maxBytes);
          const mode = request.query.mode ?? 'all-or-nothing';
          const source = request.query.source ?? `api:${kind}.${format}`;
          const result = await deps.imports.importFile(
            contextOf(request),
            actor,
            limited(request.body as Readable, deps.maxBytes),
            { kind, format, mode, source },
          );
          return reply.status(result.importId === null && result.errorCount > 0 ? 422 : 200).send(result);
        },
      );
    }
  };
}
