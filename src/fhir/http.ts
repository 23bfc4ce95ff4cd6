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

/**
 * The resource types whose earlier versions are kept and served at `<type>/<id>/_history/<n>`
 * (the contract's versions, and the patient's and the care team's: migration 027; a Consent's two
 * versions are rebuilt from its record). The others keep only their current state.
 */
export const typesWithVersionReads: ReadonlySet<string> = new Set([
  'CarePlan',
  'Appointment',
  'Patient',
  'CareTeam',
  'Consent',
]);

/**
 * Where a created resource is read: its version where versions are kept, else the resource
 * itself (its version is in the ETag). Never a URL that would answer 404.
 * See: https://hl7.org/fhir/R4/http.html#create
 */
export function locationOf(request: FastifyRequest, resource: FhirResource, version: number): string {
  const url = `${baseUrl(request)}/${resource.resourceType}/${resource.id ?? ''}`;
  return typesWithVersionReads.has(resource.resourceType) ? `${url}/_history/${version}` : url;
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
  if (options.created) void reply.status(201).header('location', locationOf(request, resource, version));
  return reply.send(resource);
}

/** FHIR update: the resource must carry the id of the URL (https://hl7.org/fhir/R4/http.html#update). */
export function assertSameId(bodyId: string | undefined, urlId: string, resourceType: string): void {
  if (bodyId !== urlId) throw invalid('Resursens id ska vara samma som i adressen.', `${resourceType}.id`);
}
