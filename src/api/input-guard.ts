/**
 * Text at the edge, before any route, session lookup or access decision sees it:
 *
 * - **Refused characters** answer 400 (an OperationOutcome on /fhir): a NUL character, which
 *   PostgreSQL cannot store in text or jsonb; a lone UTF-16 surrogate or a percent-encoded byte
 *   sequence that is not UTF-8 (`%FF`), which it cannot store either; and in the path and the
 *   query any other control character (ids and search words never hold one). A body's text may
 *   hold tab, line feed and carriage return, nothing else below U+0020. Such a character is
 *   refused here, before a search word or an id carrying it can reach the database, or the
 *   access-log entry of the request.
 * - **Ids in one form**: a UUID in the path, the query or a JSON body (alone, or in a FHIR
 *   reference such as `Patient/…`) is lower-cased, the form the database returns, so that an
 *   access decision, its log entry and every comparison see one id however the client spelled
 *   it.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.ts';
import { sendOutcome } from '../fhir/outcome.ts';
import { sendJsonError } from './error-handler.ts';

/** A UUID, alone or as a FHIR reference (`Patient/…`). */
const UUID = /^(?:[A-Za-z]+\/)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** NUL, lone surrogates, and every other C0 control and DEL: refused in the path and query. */
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_URL = /[\u0000-\u001f\u007f]|\p{Surrogate}/u;
/** NUL, lone surrogates, and C0 controls other than tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_BODY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|\p{Surrogate}/u;

const MESSAGE = 'Uppgifterna innehåller ett otillåtet tecken (ett styrtecken eller ogiltig teckenkodning).';
const FIELD_MESSAGE = 'Otillåtet tecken: styrtecken eller ogiltig teckenkodning.';

/** The lower-case form of a UUID (of the UUID in a reference `Patient/…`); anything else unchanged. */
export function canonicalId(value: string): string {
  if (!UUID.test(value)) return value;
  const at = value.length - 36;
  return value.slice(0, at) + value.slice(at).toLowerCase();
}

/** Does a text hold a character the path or query may not hold? */
export function isUnsafeUrlText(value: string): boolean {
  return UNSAFE_IN_URL.test(value);
}

/** Does a text hold a character a JSON body may not hold? */
export function isUnsafeBodyText(value: string): boolean {
  return UNSAFE_IN_BODY.test(value);
}

function refuse(path: string): DomainError {
  return new DomainError('invalid_input', MESSAGE, [{ path, message: FIELD_MESSAGE }]);
}

/**
 * Is the raw query (still percent-encoded) UTF-8? The query parser turns a byte that is not
 * into U+FFFD without a word, so the raw text is checked. A `%` not followed by two hex digits
 * is left as it is by the parser, so it is not an encoding here either.
 */
function isUtf8Query(rawUrl: string): boolean {
  const at = rawUrl.indexOf('?');
  if (at < 0) return true;
  const query = rawUrl.slice(at + 1).replace(/%(?![0-9a-fA-F]{2})/g, '%25');
  try {
    decodeURIComponent(query);
    return true;
  } catch {
    return false;
  }
}

/** Checks and normalises a flat record of strings (path parameters, query) in place. */
function guardRecord(record: unknown, where: 'params' | 'querystring'): void {
  if (record === null || typeof record !== 'object') return;
  const values = record as Record<string, unknown>;
  for (const [key, value] of Object.entries(values)) {
    if (isUnsafeUrlText(key)) throw refuse(where);
    for (const item of Array.isArray(value) ? value : [value])
      if (typeof item === 'string' && isUnsafeUrlText(item)) throw refuse(`${where}/${key}`);
    if (typeof value === 'string') values[key] = canonicalId(value);
    else if (Array.isArray(value))
      values[key] = value.map((v: unknown) => (typeof v === 'string' ? canonicalId(v) : v));
  }
}

/** Checks and normalises a parsed JSON body in place; returns the (possibly replaced) value. */
function guardJson(value: unknown, path: string): unknown {
  if (typeof value === 'string') {
    if (isUnsafeBodyText(value)) throw refuse(path);
    return canonicalId(value);
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = guardJson(value[i], `${path}/${i}`);
    return value;
  }
  // Plain JSON objects only: a Buffer or a stream (a file upload) is read by its own parser.
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (isUnsafeBodyText(key)) throw refuse(path);
      record[key] = guardJson(record[key], `${path}/${key}`);
    }
  }
  return value;
}

/** Registers the guard on the root instance, before the session lookup (see app.ts). */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (!isUtf8Query(request.url)) throw refuse('querystring');
    guardRecord(request.params, 'params');
    guardRecord(request.query, 'querystring');
  });
  // A body is parsed after onRequest. Text bodies (CSV imports) are read by their own parser.
  app.addHook('preValidation', async (request: FastifyRequest) => {
    if (request.body !== null && typeof request.body === 'object') guardJson(request.body, 'body');
  });
}

/**
 * Fastify's own errors before routing (`frameworkErrors`): a path that is not valid
 * percent-encoded UTF-8 (`/api/patients/%FF/overview`) answers like any refused text, in Swedish
 * or as an OperationOutcome, instead of Fastify's English default.
 */
export function sendFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const answer = error.code === 'FST_ERR_BAD_URL' ? refuse('url') : error;
  if (!/^\/fhir(?:[/?]|$)/.test(request.url)) return sendJsonError(answer, request, reply);
  void reply.type('application/fhir+json; charset=utf-8');
  return sendOutcome(answer, request, reply);
}
