/**
 * Search results: a Bundle of type searchset with every match, and the absolute URLs it needs.
 * See: https://hl7.org/fhir/R4/bundle.html and https://hl7.org/fhir/R4/search.html
 */
import type { FastifyRequest } from 'fastify';

export interface FhirResource {
  resourceType: string;
  id?: string | undefined;
}

export interface Bundle {
  resourceType: 'Bundle';
  type: 'searchset';
  total: number;
  link: { relation: 'self'; url: string }[];
  entry?: { fullUrl: string; resource: FhirResource; search: { mode: 'match' } }[];
}

/** The absolute base of the FHIR endpoint as the client reached it, e.g. `https://host/fhir`. */
export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/fhir`;
}

/** A searchset of `resources`. Every match is in one page: results per patient are few. */
export function searchset(request: FastifyRequest, resources: readonly FhirResource[]): Bundle {
  const base = baseUrl(request);
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
  const path = request.url.replace(/^\/fhir/, '').replace(/\?.*$/, '');
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    link: [{ relation: 'self', url: `${base}${path}${query}` }],
    ...(resources.length > 0
      ? {
          entry: resources.map((resource) => ({
            fullUrl: `${base}/${resource.resourceType}/${resource.id ?? ''}`,
            resource,
            search: { mode: 'match' as const },
          })),
        }
      : {}),
  };
}
