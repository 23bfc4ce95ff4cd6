/**
 * Searching patients a page at a time, for the JSON API and FHIR alike. The store filters by a
 * necessary condition of the access rule before its LIMIT (access-facts-store.ts#mayBeVisibleSql),
 * so that a page is made of patients the reader may see; the pure rule then decides each one and
 * each one returned is logged (AccessService#filterSearchPage). A candidate the rule refuses only
 * costs another batch: a page is never short while more visible patients follow.
 */
import { DomainError } from '../domain/errors.ts';
import type { Patient, PatientStore } from '../store/patient-store.ts';
import { isUuid } from '../store/patient-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export interface PatientPage {
  patients: Patient[];
  /** Where the next page starts (opaque to clients), or null on the last page. */
  next: string | null;
}

/**
 * One page of the patients matching `query` that the reader may see, after `cursor` (from the
 * previous page's `next`). A malformed cursor is bad input.
 */
export async function searchPatients(
  deps: { patients: PatientStore; access: AccessService },
  ctx: RequestContext,
  query: { name?: string | undefined; ids?: readonly string[] | undefined },
  page: { size: number; cursor?: string | undefined },
): Promise<PatientPage> {
  const size = Math.min(Math.max(Math.trunc(page.size), 1), MAX_PAGE_SIZE);
  let afterId = page.cursor === undefined ? null : cursorToId(page.cursor);
  const patients: Patient[] = [];
  for (;;) {
    // One more than the page needs, so that a full page usually learns at once whether more follow.
    const batch = await deps.patients.searchFor(ctx.actor, query, { afterId, limit: size + 1 });
    const { visible, hasMore } = await deps.access.filterSearchPage(
      ctx,
      batch.map((p) => p.id),
      size - patients.length,
    );
    const shown = new Set(visible);
    patients.push(...batch.filter((p) => shown.has(p.id)));
    if (hasMore) return { patients, next: idToCursor(patients.at(-1)!.id) };
    if (batch.length <= size) return { patients, next: null };
    afterId = batch.at(-1)!.id;
  }
}

/** The cursor is the last patient returned; encoded so that clients treat it as opaque. */
function idToCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

function cursorToId(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isUuid(id)) {
    throw new DomainError('invalid_input', 'Sidmarkören är ogiltig. Börja om sökningen.', [
      { path: 'querystring/cursor', message: 'Ogiltig sidmarkör.' },
    ]);
  }
  return id;
}
