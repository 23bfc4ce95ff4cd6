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
  /** Left out when the result spans several pages: only what the reader may see is counted. */
  total?: number;
  link: { relation: 'self' | 'next'; url: string }[];
  entry?: { fullUrl: string; resource: FhirResource; search: { mode: 'match' } }[];
}

/** The paging parameter of a next link: opaque to clients, see services/patient-search.ts. */
export const CURSOR_PARAM = '_cursor';

/** The absolute base of the FHIR endpoint as the client reached it, e.g. `https://host/fhir`. */
export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/fhir`;
}

/**
 * A searchset of `resources`. Searches per patient give every match in one page (results per
 * patient are few); a paged search passes `page`: where the next page starts (null on the last
 * one) and whether this is the first. `total` is given only when this one page is the whole
 * result, so that it is never a count of something other than what the reader gets.
 */
export function searchset(
  request: FastifyRequest,
  resources: readonly FhirResource[],
  page?: { next: string | null; isFirst: boolean },
): Bundle {
  const base = baseUrl(request);
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
  const path = request.url.replace(/^\/fhir/, '').replace(/\?.*$/, '');
  const isWhole = page === undefined || (page.isFirst && page.next === null);
  const link: Bundle['link'] = [{ relation: 'self', url: `${base}${path}${query}` }];
  if (page?.next) {
    const params = new URLSearchParams(query);
    params.set(CURSOR_PARAM, page.next);
    link.push({ relation: 'next', url: `${base}${path}?${params.toString()}` });
  }
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(isWhole ? { total: resources.length } : {}),
    link,
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
