/**
 * HTTP details shared by the FHIR routes: content negotiation, ETag and Location, the id rule
 * of update. See: https://hl7.org/fhir/R4/http.html
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { etagOf } from '../api/http.ts';
import { baseUrl, type FhirResource } from './bundle.ts';
import { invalid } from './datatypes.ts';
import { FhirError } from './outcome.ts';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

const jsonFormats = new Set(['json', 'application/json', 'application/fhir+json']);

/**
 * The media type of the answer: FHIR JSON unless the client asks for plain JSON only. XML and
 * Turtle are not served (406).
 */
export function negotiate(request: FastifyRequest): string {
  const format = (request.query as Record<string, unknown> | undefined)?._format;
  if (typeof format === 'string' && !jsonFormats.has(format.split(';')[0]!.trim().toLowerCase())) {
    throw new FhirError(406, 'not-supported', 'Bara JSON stöds (_format=json).');
  }
  const accept = (request.headers.accept ?? '').toLowerCase();
  if (accept === '' || /\*\/\*|application\/\*|application\/fhir\+json/.test(accept)) return FHIR_JSON;
  if (accept.includes('application/json')) return 'application/json; charset=utf-8';
  throw new FhirError(
    406,
    'not-supported',
    'Bara JSON stöds (application/fhir+json eller application/json).',
  );
}

/** Sends a resource with its version as ETag; a created one with status 201 and its Location. */
export function sendResource(
  request: FastifyRequest,
  reply: FastifyReply,
  resource: FhirResource,
  version: number,
  options: { created?: boolean } = {},
): FastifyReply {
  void reply.header('etag', etagOf(version));
  if (options.created) {
    void reply
      .status(201)
      .header(
        'location',
        `${baseUrl(request)}/${resource.resourceType}/${resource.id ?? ''}/_history/${version}`,
      );
  }
  return reply.send(resource);
}

/** FHIR update: the resource must carry the id of the URL (https://hl7.org/fhir/R4/http.html#update). */
export function assertSameId(bodyId: string | undefined, urlId: string, resourceType: string): void {
  if (bodyId !== urlId) throw invalid('Resursens id ska vara samma som i adressen.', `${resourceType}.id`);
}
