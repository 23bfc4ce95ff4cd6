/**
 * FHIR AuditEvent: the access log, through the audit service as the JSON API reads it. A
 * patient searches their own log (`patient` = themselves); a loggansvarig searches the log of
 * their care provider by patient, user (`agent`) and period (`date`), and that search is itself
 * logged as a log review. Anyone else: 403, as `/api/audit/entries` answers.
 *
 * A read (`AuditEvent/<id>`, the id a search's `fullUrl` names) follows the same rule: the
 * patient reads an entry of their own log, the loggansvarig an entry of their care provider's
 * log; any other id, whether it exists or not, answers the one 404. The id is the entry's place in
 * the log, so it can be guessed, but guessing it shows nothing the rule does not. The read is
 * logged as the search is.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { contextOf, staffContextOf } from '../api/http.ts';
import { DomainError } from '../domain/errors.ts';
import { entryToAuditEvent, ownEntryToAuditEvent } from './audit-event-mapper.ts';
import { baseUrl, searchset } from './bundle.ts';
import type { FhirDeps } from './fhir-routes.ts';
import { countOf, numericCursor, PagingParams } from './history.ts';
import { FhirError } from './outcome.ts';
import { FormatParam, IdParams, listParam, patientsOfSearch, ReadQuery, referenceParam } from './search.ts';

const Param = Type.Optional(Type.String({ minLength: 1, maxLength: 200 }));
const AuditEventQuery = Type.Object(
  {
    patient: Param,
    'patient.identifier': Param,
    agent: Param,
    date: Type.Optional(
      Type.Union([
        Type.String({ maxLength: 40 }),
        Type.Array(Type.String({ maxLength: 40 }), { maxItems: 2 }),
      ]),
    ),
    ...PagingParams,
    ...FormatParam,
  },
  { additionalProperties: false },
);

const DEFAULT_COUNT = 50;
/** How deep paging goes (offset + page): beyond it, narrow the search by `date`. */
const MAX_DEPTH = 1000;

/** `date=ge2026-01-01&date=lt2026-02-01` as the filter's from and to. */
function periodOf(date: string | string[] | undefined): { from?: string; to?: string } {
  const out: { from?: string; to?: string } = {};
  for (const value of date === undefined ? [] : Array.isArray(date) ? date : [date]) {
    const match = /^(ge|gt|le|lt)(\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:\d{2}))?)$/.exec(value);
    if (!match)
      throw new FhirError(
        400,
        'value',
        'date ska skrivas ge<datum> eller lt<datum>, t.ex. date=ge2026-01-01.',
      );
    if (match[1] === 'ge' || match[1] === 'gt') out.from = match[2]!;
    else out.to = match[2]!;
  }
  return out;
}

/** An id this server gives (a place in the log): digits, no leading zero, within a bigint. */
function seqOf(id: string): number | null {
  if (!/^[1-9]\d{0,15}$/.test(id)) return null;
  const seq = Number(id);
  return Number.isSafeInteger(seq) ? seq : null;
}

export function auditEventFhirRoutes(deps: FhirDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/AuditEvent/:id',
      { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
      async (request) => {
        const ctx = contextOf(request);
        const server = { baseUrl: baseUrl(request) };
        // An id that is no place in the log (0: the chain's start, no entry) takes the same path
        // as a place the reader may not see: logged, then the one 404.
        const seq = seqOf(request.params.id) ?? 0;
        if (ctx.actor.kind === 'patient') {
          const entry = await deps.auditService.ownEntry({ ...ctx, actor: ctx.actor }, seq);
          return ownEntryToAuditEvent(ctx.actor.patientId, entry, server);
        }
        return entryToAuditEvent(await deps.auditService.entry(staffContextOf(request), seq), server);
      },
    );
    app.get('/AuditEvent', { schema: { hide: true, querystring: AuditEventQuery } }, async (request) => {
      const q = request.query;
      const count = countOf(q._count, DEFAULT_COUNT);
      const ctx = contextOf(request);
      if (ctx.actor.kind === 'patient') {
        const patientIds = await patientsOfSearch(q, deps.lookup, deps.clock());
        const own = ctx.actor.patientId;
        if (patientIds.some((id) => id !== own) || q.agent !== undefined || q.date !== undefined)
          throw new DomainError(
            'forbidden',
            'Du kan bara se loggen över din egen journal (patient=dig själv).',
          );
        const offset = numericCursor(q._cursor) ?? 0;
        if (offset + count > MAX_DEPTH)
          throw new FhirError(
            400,
            'value',
            `Högst ${MAX_DEPTH} händelser kan bläddras fram: avgränsa sökningen med date.`,
          );
        // The patient's own log has no entries of their own reading (store#listForPatient), so an
        // offset stays put while they page.
        const entries = await deps.auditService.ownLog({ ...ctx, actor: ctx.actor }, offset + count + 1);
        const server = { baseUrl: baseUrl(request) };
        const found = entries.map((e) => ownEntryToAuditEvent(own, e, server));
        const next = found.length > offset + count ? String(offset + count) : null;
        return searchset(request, found.slice(offset, offset + count), { next, isFirst: offset === 0 });
      }
      {
        const staff = staffContextOf(request);
        const patientIds =
          q.patient === undefined && q['patient.identifier'] === undefined
            ? [undefined]
            : await patientsOfSearch(q, deps.lookup, deps.clock());
        const agents =
          q.agent === undefined
            ? [undefined]
            : listParam(q.agent).map((a) => referenceParam(a, 'Practitioner') ?? a);
        if (patientIds.length > 1 || agents.length > 1)
          throw new FhirError(400, 'not-supported', 'Ange högst en patient och en användare per sökning.');
        if (patientIds.length === 0) return searchset(request, []);
        // Newest first, by place in the log: the cursor is the last place shown, so that entries
        // written meanwhile (this search is one) do not shift the pages.
        const entries = await deps.auditService.entries(
          staff,
          {
            patientId: patientIds[0],
            actorId: agents[0],
            ...periodOf(q.date),
            ...(q._cursor === undefined ? {} : { beforeSeq: numericCursor(q._cursor) }),
            limit: count + 1,
          },
          JSON.stringify(q),
        );
        const shown = entries.slice(0, count);
        const next = entries.length > count ? String(shown[shown.length - 1]!.seq) : null;
        const server = { baseUrl: baseUrl(request) };
        return searchset(
          request,
          shown.map((e) => entryToAuditEvent(e, server)),
          { next, isFirst: q._cursor === undefined },
        );
      }
    });
  };
}
