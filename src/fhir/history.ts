/**
 * Paging of FHIR searches and histories (`_count`, the opaque `_cursor` of a next link), and the
 * history Bundle of a versioned resource.
 * See: https://hl7.org/fhir/R4/http.html#history and https://hl7.org/fhir/R4/search.html#count
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { etagOf } from '../api/http.ts';
import { baseUrl, CURSOR_PARAM, type FhirResource } from './bundle.ts';
import { FhirError } from './outcome.ts';

const Param = Type.Optional(Type.String({ minLength: 1, maxLength: 200 }));

/** `_count` and `_cursor`, on every paged search and history. */
// `_cursor` is bundle.ts#CURSOR_PARAM, written out: bundle.ts imports this module.
export const PagingParams = { _count: Param, _cursor: Param };

/** The largest page any FHIR search or history answers. */
export const MAX_COUNT = 100;

/** The page size asked for: `_count` (1–100), else `fallback`. A larger one is refused (400), never cut silently. */
export function countOf(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const count = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (!(count >= 1 && count <= MAX_COUNT))
    throw new FhirError(400, 'value', `_count ska vara ett heltal från 1 till ${MAX_COUNT}.`);
  return count;
}

/** A numeric cursor (an offset or a version), refused when it is not one of ours. */
export function numericCursor(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new FhirError(400, 'value', 'Ogiltig _cursor: följ länken next.');
  return Number(value);
}

/** The next link of a page: the request's own URL with `_cursor` set. */
export function nextLink(request: FastifyRequest, cursor: string | number): string {
  const base = baseUrl(request);
  const [path = '', query = ''] = request.url.replace(/^\/fhir/, '').split('?');
  const params = new URLSearchParams(query);
  params.set(CURSOR_PARAM, String(cursor));
  return `${base}${path}?${params.toString()}`;
}

/** One version of a resource in a history. */
export interface HistoryEntry {
  resource: FhirResource;
  version: number;
  /** When this version was written; null when not known (a version kept from before its history). */
  lastModified: string | null;
  /** The first version was created (POST), every later one an update (PUT). */
  created: boolean;
}

export interface HistoryBundle {
  resourceType: 'Bundle';
  type: 'history';
  total?: number;
  link: { relation: 'self' | 'next'; url: string }[];
  entry?: {
    fullUrl: string;
    resource: FhirResource;
    request: { method: 'POST' | 'PUT'; url: string };
    response: { status: string; etag: string; lastModified?: string };
  }[];
}

/**
 * A history Bundle, newest first: each entry with the request that wrote it and its response
 * (bdl-3, bdl-4), `fullUrl` the resource's own URL (bdl-8). `total` only on a page that is the
 * whole history.
 */
export function historyBundle(
  request: FastifyRequest,
  entries: readonly HistoryEntry[],
  page: { next: string | number | null; isFirst: boolean },
): HistoryBundle {
  const base = baseUrl(request);
  const link: HistoryBundle['link'] = [
    { relation: 'self', url: `${base}${request.url.replace(/^\/fhir/, '')}` },
  ];
  if (page.next !== null) link.push({ relation: 'next', url: nextLink(request, page.next) });
  return {
    resourceType: 'Bundle',
    type: 'history',
    ...(page.isFirst && page.next === null ? { total: entries.length } : {}),
    link,
    ...(entries.length > 0
      ? {
          entry: entries.map(({ resource, version, lastModified, created }) => {
            const url = `${resource.resourceType}/${resource.id ?? ''}`;
            return {
              fullUrl: `${base}/${url}`,
              resource,
              request: created
                ? { method: 'POST' as const, url: resource.resourceType }
                : { method: 'PUT' as const, url },
              response: {
                status: created ? '201 Created' : '200 OK',
                etag: etagOf(version),
                ...(lastModified === null ? {} : { lastModified }),
              },
            };
          }),
        }
      : {}),
  };
}
