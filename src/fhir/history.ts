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

/** The query of an instance history (`<type>/<id>/_history`): paging, and `_format`. */
export const HistoryQuery = Type.Object({ ...PagingParams, _format: Param }, { additionalProperties: false });

/** The path of a version read (`<type>/<id>/_history/<vid>`). */
export const VersionParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 128 }),
  vid: Type.String({ pattern: '^\\d{1,9}$' }),
});

/** Versions per page of an instance history unless `_count` says otherwise. */
export const HISTORY_COUNT = 20;

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
  /** How the first version was created when not by POST: an update that creates (`PUT <type>/<id>`). */
  createdBy?: 'PUT';
}

/** The version at which a resource stopped existing (a DELETE entry: no resource). */
export interface DeletedEntry {
  deleted: { resourceType: string; id: string };
  version: number;
  lastModified: string;
}

/**
 * One page of a history held whole, newest first: `count` versions below the cursor `before`
 * (a version number), and the cursor of the next page or null.
 */
export function historyPage<E extends { version: number }>(
  entries: readonly E[],
  count: number,
  before: number | undefined,
): { entries: E[]; next: number | null } {
  const below = before === undefined ? entries : entries.filter((e) => e.version < before);
  const page = below.slice(0, count);
  return { entries: page, next: below.length > count ? page[page.length - 1]!.version : null };
}

/**
 * The history Bundle of a resource whose versions are stored (read a page at a time, newest
 * first): `read` is asked for one more version than the page, which tells whether a next page
 * follows; the page size is `_count`, else `fallback`.
 */
export async function storedHistoryBundle(
  request: FastifyRequest,
  query: { _count?: string; _cursor?: string },
  fallback: number,
  read: (page: { limit: number; before: number | undefined }) => Promise<readonly HistoryEntry[]>,
): Promise<HistoryBundle> {
  const before = numericCursor(query._cursor);
  const count = countOf(query._count, fallback);
  const versions = await read({ limit: count + 1, before });
  const page = versions.slice(0, count);
  return historyBundle(request, page, {
    next: versions.length > count ? page[page.length - 1]!.version : null,
    isFirst: before === undefined,
  });
}

/** A stored version as a history entry: version 1 was created, every later one an update. */
export function storedVersionEntry(
  resource: FhirResource,
  stored: { version: number; changedAt: string | null },
): HistoryEntry {
  return { resource, version: stored.version, lastModified: stored.changedAt, created: stored.version === 1 };
}

export interface HistoryBundle {
  resourceType: 'Bundle';
  type: 'history';
  total?: number;
  link: { relation: 'self' | 'next'; url: string }[];
  entry?: {
    fullUrl: string;
    resource?: FhirResource;
    request: { method: 'POST' | 'PUT' | 'DELETE'; url: string };
    response: { status: string; etag: string; lastModified?: string };
  }[];
}

/**
 * A history Bundle, newest first: each entry with the request that wrote it and its response
 * (bdl-3, bdl-4), `fullUrl` the resource's own URL (bdl-8); a deletion without a resource, its
 * request DELETE (https://hl7.org/fhir/R4/http.html#history). `total` only on a page that is the
 * whole history.
 */
export function historyBundle(
  request: FastifyRequest,
  entries: readonly (HistoryEntry | DeletedEntry)[],
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
          entry: entries.map((entry) => {
            const { version } = entry;
            if ('deleted' in entry) {
              const url = `${entry.deleted.resourceType}/${entry.deleted.id}`;
              return {
                fullUrl: `${base}/${url}`,
                request: { method: 'DELETE' as const, url },
                response: {
                  status: '204 No Content',
                  etag: etagOf(version),
                  lastModified: entry.lastModified,
                },
              };
            }
            const { resource, created, lastModified } = entry;
            const url = `${resource.resourceType}/${resource.id ?? ''}`;
            return {
              fullUrl: `${base}/${url}`,
              resource,
              request:
                created && entry.createdBy !== 'PUT'
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
