/**
 * Search results: a Bundle of type searchset with every match, and the absolute URLs it needs.
 * See: https://hl7.org/fhir/R4/bundle.html and https://hl7.org/fhir/R4/search.html
 */
import type { FastifyRequest } from 'fastify';
import { countOf, numericCursor } from './history.ts';

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

/** Matches per page of a search that does not page itself, unless `_count` (at most 100) says otherwise. */
const DEFAULT_PAGE = 100;

/**
 * A searchset of `resources`. A search that pages itself passes `page`: where the next page
 * starts (null on the last one) and whether this is the first. Any other search (per patient,
 * whose matches are few) gives every match it found and is paged here by `_count` and an offset
 * `_cursor`. `total` is given only when this one page is the whole result, so that it is never a
 * count of something other than what the reader gets.
 */
export function searchset(
  request: FastifyRequest,
  found: readonly FhirResource[],
  paged?: { next: string | null; isFirst: boolean },
): Bundle {
  let resources = found;
  let page: { next: string | null; isFirst: boolean };
  if (paged === undefined) {
    const query = request.query as { _count?: string; _cursor?: string } | undefined;
    const count = countOf(query?._count, DEFAULT_PAGE);
    const offset = numericCursor(query?._cursor) ?? 0;
    resources = found.slice(offset, offset + count);
    page = { next: found.length > offset + count ? String(offset + count) : null, isFirst: offset === 0 };
  } else page = paged;
  const base = baseUrl(request);
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
  const path = request.url.replace(/^\/fhir/, '').replace(/\?.*$/, '');
  const isWhole = page.isFirst && page.next === null;
  const link: Bundle['link'] = [{ relation: 'self', url: `${base}${path}${query}` }];
  if (page.next !== null) {
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
